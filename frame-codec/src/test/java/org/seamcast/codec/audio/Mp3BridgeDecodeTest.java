package org.seamcast.codec.audio;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seamcast.codec.audio.Mp3Encodings.Encoding;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seamcast.codec.audio.Mp3Encodings.Encoding.ffmpeg;
import static org.seamcast.codec.audio.Mp3Encodings.Encoding.lame;

/**
 * Decodes spliced streams with ffmpeg, the reference decoder, and compares them with the new encoder's own decoding.
 */
class Mp3BridgeDecodeTest
{
    private static final int SPLICE_POINTS = 8;

    @TempDir
    static Path directory;

    static Stream<Arguments> pairs()
    {
        return Stream.of(
            Arguments.of(ffmpeg("m1-44-128-joint", 44100, 2, "-c:a", "libmp3lame", "-b:a", "128k"),
                ffmpeg("m1-44-192-stereo", 44100, 2, "-c:a", "libmp3lame", "-b:a", "192k", "-joint_stereo", "0")),
            Arguments.of(ffmpeg("m1-44-320", 44100, 2, "-c:a", "libmp3lame", "-b:a", "320k"),
                lame("m1-44-crc-vbr", 44100, 2, "-p", "-V", "4")),
            Arguments.of(ffmpeg("m1-48-192-joint", 48000, 2, "-c:a", "libmp3lame", "-b:a", "192k"),
                ffmpeg("m1-48-320", 48000, 2, "-c:a", "libmp3lame", "-b:a", "320k")),
            Arguments.of(ffmpeg("m2-22-64-mono", 22050, 1, "-c:a", "libmp3lame", "-b:a", "64k"),
                ffmpeg("m2-22-32-mono", 22050, 1, "-c:a", "libmp3lame", "-b:a", "32k")),
            Arguments.of(ffmpeg("m25-11-24-mono", 11025, 1, "-c:a", "libmp3lame", "-b:a", "24k"),
                ffmpeg("m25-11-16-mono", 11025, 1, "-c:a", "libmp3lame", "-b:a", "16k")));
    }

    /**
     * The splice must decode sample for sample like B alone from frame k + 1 on (MPEG-1), or k + 2 (MPEG-2/2.5,
     * whose one granule per frame is shorter than the synthesis filterbank's memory of 16 subband slots, so frame
     * k + 1 still hears the old overlap). After a silent fallback frame j, from j + 2 on (j + 3). The bridge frame
     * itself differs from B's own decoding only by the overlap with A's last granule: less than A differs from B.
     * Without the bridge, the same splices are not exact: the test can fail.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void bridgedSplicesDecodeExactlyLikeTheNewEncoderFromTheNextFrameOn(final Encoding first, final Encoding second)
    {
        final List<byte[]> a = Mp3Encodings.frames(directory, first);
        final List<byte[]> b = Mp3Encodings.frames(directory, second);
        final int frames = Math.min(a.size(), b.size());
        final List<byte[]> aFrames = a.subList(0, frames);
        final List<byte[]> bFrames = b.subList(0, frames);
        final int header = MpegAudioHeader.read(new UnsafeBuffer(b.get(0)), 0);
        final boolean lsf = MpegAudioHeader.version(header) != MpegVersion.MPEG_1;
        final int frameSamples = MpegAudioHeader.samplesPerFrame(header) * MpegAudioHeader.channels(header);

        final List<Path> files = new ArrayList<>();
        files.add(Mp3Encodings.write(directory.resolve(first.name() + "-alone.mp3"), aFrames));
        files.add(Mp3Encodings.write(directory.resolve(second.name() + "-alone.mp3"), bFrames));
        final Mp3Splicer splicer = new Mp3Splicer(new Mp3Bridge());
        final List<Mp3Splicer.Splice> splices = new ArrayList<>();
        for (int point = 0; point < SPLICE_POINTS; point++)
        {
            final int k = 2 + point * (frames - 6) / SPLICE_POINTS;
            final Mp3Splicer.Splice splice = splicer.splice(aFrames, bFrames, k, true);
            assertThat(splice.failed()).as("k=" + k + " " + splice.refusalDescription()).isFalse();
            splices.add(splice);
            files.add(Mp3Encodings.write(directory.resolve(first.name() + "-" + k + ".mp3"), splice.frames()));
        }
        final Mp3Decoder.Decoded decoded = Mp3Decoder.decode(directory, files);
        assertThat(decoded.errors()).as("ffmpeg's errors, CRCs checked").isEmpty();
        final short[] aPcm = decoded.pcm().get(0);
        final short[] bPcm = decoded.pcm().get(1);
        assertThat(bPcm).hasSize(frames * frameSamples);
        assertThat(aPcm).hasSize(frames * frameSamples);

        double worstNextFrameSnrDb = Double.POSITIVE_INFINITY;
        double worstBridgeSnrDb = Double.POSITIVE_INFINITY;
        for (int point = 0; point < SPLICE_POINTS; point++)
        {
            final Mp3Splicer.Splice splice = splices.get(point);
            final int k = splice.switchFrame();
            final String where = "k=" + k + " chain=" + splice.chainLength() + " silent=" + splice.silentFrame();
            final short[] spliced = decoded.pcm().get(2 + point);
            assertThat(spliced).as(where).hasSize(bPcm.length);

            final int exactFrom = (splice.silentFrame() >= 0 ? splice.silentFrame() + 2 : k + 1) + (lsf ? 1 : 0);
            assertThat(Mp3Decoder.firstDifference(spliced, bPcm, exactFrom * frameSamples, bPcm.length))
                .as(where + ": first sample differing from B's own decoding, from frame " + exactFrom).isEqualTo(-1);

            if (splice.silentFrame() != k)
            {
                final int from = k * frameSamples;
                final int to = from + frameSamples;
                assertThat(Mp3Decoder.errorEnergy(spliced, bPcm, from, to)).as(where + ": bridge frame's error")
                    .isLessThanOrEqualTo(Mp3Decoder.errorEnergy(aPcm, bPcm, from, to));
                worstBridgeSnrDb = Math.min(worstBridgeSnrDb, Mp3Decoder.snrDb(spliced, bPcm, from, to));
            }
            if (lsf && splice.silentFrame() < 0)
            {
                worstNextFrameSnrDb = Math.min(worstNextFrameSnrDb,
                    Mp3Decoder.snrDb(spliced, bPcm, (k + 1) * frameSamples, (k + 2) * frameSamples));
            }
        }
        if (lsf)
        {
            assertThat(worstNextFrameSnrDb).as("MPEG-2/2.5 frame k+1, overlap only").isGreaterThan(15.0);
        }
        System.out.printf("%s -> %s: exact from k+%d, bridge frame SNR >= %.1f dB%s%n", first, second, lsf ? 2 : 1,
            worstBridgeSnrDb, lsf ? String.format(", frame k+1 SNR >= %.1f dB", worstNextFrameSnrDb) : "");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void naiveSplicesAreNotExactSoTheDecodeTestCanFail(final Encoding first, final Encoding second)
    {
        final List<byte[]> a = Mp3Encodings.frames(directory, first);
        final List<byte[]> b = Mp3Encodings.frames(directory, second);
        final int frames = Math.min(a.size(), b.size());
        final List<byte[]> aFrames = a.subList(0, frames);
        final List<byte[]> bFrames = b.subList(0, frames);
        final int header = MpegAudioHeader.read(new UnsafeBuffer(b.get(0)), 0);
        final int frameSamples = MpegAudioHeader.samplesPerFrame(header) * MpegAudioHeader.channels(header);

        final List<Path> files = new ArrayList<>();
        files.add(Mp3Encodings.write(directory.resolve(second.name() + "-alone.mp3"), bFrames));
        final List<Integer> points = new ArrayList<>();
        for (int point = 0; point < SPLICE_POINTS; point++)
        {
            final int k = 2 + point * (frames - 6) / SPLICE_POINTS;
            if (MpegAudioHeader.mainDataBegin(new UnsafeBuffer(bFrames.get(k)), 0) > 0)
            {
                points.add(k);
                files.add(Mp3Encodings.write(directory.resolve(first.name() + "-naive-" + k + ".mp3"),
                    Mp3Splicer.naive(aFrames, bFrames, k).frames()));
            }
        }
        assertThat(points).hasSizeGreaterThan(SPLICE_POINTS / 2);
        final Mp3Decoder.Decoded decoded = Mp3Decoder.decode(directory, files);
        assertThat(decoded.errors()).as("ffmpeg says nothing about borrowed bytes").isEmpty();
        final short[] bPcm = decoded.pcm().get(0);

        double worstSnrDb = Double.POSITIVE_INFINITY;
        for (int i = 0; i < points.size(); i++)
        {
            final int k = points.get(i);
            final short[] spliced = decoded.pcm().get(1 + i);
            assertThat(Mp3Decoder.firstDifference(spliced, bPcm, (k + 1) * frameSamples, (k + 3) * frameSamples))
                .as("k=" + k + ": a naive splice differs from B after frame k").isNotEqualTo(-1);
            for (int frame = k; frame < k + 3; frame++)
            {
                worstSnrDb = Math.min(worstSnrDb,
                    Mp3Decoder.snrDb(spliced, bPcm, frame * frameSamples, (frame + 1) * frameSamples));
            }
        }
        assertThat(worstSnrDb).as("worst SNR of frames k..k+2 after a naive splice").isLessThan(5.0);
        System.out.printf("%s -> %s naive: worst SNR of frames k..k+2 %.1f dB%n", first, second, worstSnrDb);
    }
}
