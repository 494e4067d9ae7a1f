package org.seamcast.codec.audio;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seamcast.codec.audio.Mp3Encodings.Encoding;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seamcast.codec.audio.Mp3Encodings.Encoding.ffmpeg;
import static org.seamcast.codec.audio.Mp3Encodings.Encoding.lame;

/**
 * Splices two different encodings of one source at every frame index, with and without the next frame known, and
 * proves with the reservoir auditor that the listener's decoder reads only the new encoder's bytes, and exactly
 * the main data that encoder wrote for each frame.
 */
class Mp3BridgePropertyTest
{
    private static final int LAME = 1;

    @TempDir
    static Path directory;

    static Stream<Arguments> pairs()
    {
        return Stream.of(
            pair(ffmpeg("m1-44-128-joint", 44100, 2, "-c:a", "libmp3lame", "-b:a", "128k"),
                ffmpeg("m1-44-192-stereo", 44100, 2, "-c:a", "libmp3lame", "-b:a", "192k", "-joint_stereo", "0")),
            pair(ffmpeg("m1-44-vbr-q2", 44100, 2, "-c:a", "libmp3lame", "-q:a", "2"),
                ffmpeg("m1-44-320", 44100, 2, "-c:a", "libmp3lame", "-b:a", "320k")),
            pair(ffmpeg("m1-44-shine-128", 44100, 2, "-c:a", "libshine", "-b:a", "128k"),
                ffmpeg("m1-44-128-joint", 44100, 2, "-c:a", "libmp3lame", "-b:a", "128k")),
            pair(ffmpeg("m1-44-32", 44100, 2, "-c:a", "libmp3lame", "-b:a", "32k"),
                ffmpeg("m1-44-256", 44100, 2, "-c:a", "libmp3lame", "-b:a", "256k")),
            pair(lame("m1-44-crc-160", 44100, 2, "-p", "-b", "160"),
                lame("m1-44-crc-vbr", 44100, 2, "-p", "-V", "4")),
            pair(lame("m1-44-crc-160", 44100, 2, "-p", "-b", "160"),
                ffmpeg("m1-44-128-joint", 44100, 2, "-c:a", "libmp3lame", "-b:a", "128k")),
            pair(ffmpeg("m1-48-64-mono", 48000, 1, "-c:a", "libmp3lame", "-b:a", "64k"),
                ffmpeg("m1-48-vbr-mono", 48000, 1, "-c:a", "libmp3lame", "-q:a", "0")),
            pair(ffmpeg("m1-48-192-joint", 48000, 2, "-c:a", "libmp3lame", "-b:a", "192k"),
                ffmpeg("m1-48-320", 48000, 2, "-c:a", "libmp3lame", "-b:a", "320k")),
            pair(ffmpeg("m1-32-96", 32000, 2, "-c:a", "libmp3lame", "-b:a", "96k"),
                ffmpeg("m1-32-320", 32000, 2, "-c:a", "libmp3lame", "-b:a", "320k")),
            pair(ffmpeg("m2-22-32-mono", 22050, 1, "-c:a", "libmp3lame", "-b:a", "32k"),
                ffmpeg("m2-22-64-mono", 22050, 1, "-c:a", "libmp3lame", "-b:a", "64k")),
            pair(ffmpeg("m2-24-96-joint", 24000, 2, "-c:a", "libmp3lame", "-b:a", "96k"),
                lame("m2-24-crc-64", 24000, 2, "-p", "-b", "64", "--resample", "24")),
            pair(ffmpeg("m2-16-160-stereo", 16000, 2, "-c:a", "libmp3lame", "-b:a", "160k", "-joint_stereo", "0"),
                ffmpeg("m2-16-vbr", 16000, 2, "-c:a", "libmp3lame", "-q:a", "5")),
            pair(ffmpeg("m25-11-16-mono", 11025, 1, "-c:a", "libmp3lame", "-b:a", "16k"),
                ffmpeg("m25-11-24-mono", 11025, 1, "-c:a", "libmp3lame", "-b:a", "24k")),
            pair(ffmpeg("m25-8-8-joint", 8000, 2, "-c:a", "libmp3lame", "-b:a", "8k"),
                ffmpeg("m25-8-32-joint", 8000, 2, "-c:a", "libmp3lame", "-b:a", "32k")));
    }

    private static Arguments pair(final Encoding a, final Encoding b)
    {
        return Arguments.of(a, b);
    }

    @BeforeAll
    static void requireTools()
    {
        assertThat(directory).isNotNull();
    }

    @ParameterizedTest(name = "{0} -> {1} and back")
    @MethodSource("pairs")
    void bridgedSplicesReadOnlyTheNewEncodersBytesAtEveryFrame(final Encoding first, final Encoding second)
    {
        final List<byte[]> a = Mp3Encodings.frames(directory, first);
        final List<byte[]> b = Mp3Encodings.frames(directory, second);
        assertCleanAlone(first.name(), a);
        assertCleanAlone(second.name(), b);

        final Mp3Splicer splicer = new Mp3Splicer(new Mp3Bridge());
        final Tally known = new Tally();
        final Tally unknown = new Tally();
        spliceEverywhere(splicer, a, b, false, known, unknown);
        spliceEverywhere(splicer, b, a, false, known, unknown);
        assertThat(known.splices).isGreaterThan(2 * 20);
        System.out.println(first + " <-> " + second + ": next known " + known + "; next unknown " + unknown);
    }

    @ParameterizedTest(name = "{0} -> {1} and back, slot capped at the frame's own bitrate")
    @MethodSource("pairs")
    void chainsAreBitExactWhenTheSlotCannotGrow(final Encoding first, final Encoding second)
    {
        final List<byte[]> a = Mp3Encodings.frames(directory, first);
        final List<byte[]> b = Mp3Encodings.frames(directory, second);

        final Mp3Splicer splicer = new Mp3Splicer(new Mp3Bridge(1));
        final Tally known = new Tally();
        final Tally unknown = new Tally();
        spliceEverywhere(splicer, a, b, true, known, unknown);
        spliceEverywhere(splicer, b, a, true, known, unknown);
        System.out.println(first + " <-> " + second + " capped: next known " + known + "; next unknown " + unknown);
        assertThat(known.chained + unknown.chained).as("splices whose chain had two frames or more").isPositive();
    }

    /**
     * What the splices of one test needed.
     */
    static final class Tally
    {
        int splices;
        int chained;
        int longestChain;
        int silent;
        int failed;

        void add(final Mp3Splicer.Splice splice)
        {
            splices++;
            if (splice.failed())
            {
                failed++;
                return;
            }
            chained += splice.chainLength() > 1 ? 1 : 0;
            longestChain = Math.max(longestChain, splice.chainLength());
            silent += splice.silentFrame() >= 0 ? 1 : 0;
        }

        @Override
        public String toString()
        {
            return "splices=" + splices + " chained=" + chained + " longestChain=" + longestChain + " silent=" +
                silent + " failed=" + failed;
        }
    }

    /**
     * Splices at every k (with the next frame given, and not) and checks the result. The only refusal allowed is a
     * frame whose main data truly exceeds the largest slot; it is replaced by the silent fallback, after which the
     * stream must be exact again. With the slot capped, even the silent fallback may not fit: such splices are
     * skipped when {@code capped}.
     */
    private static void spliceEverywhere(
        final Mp3Splicer splicer,
        final List<byte[]> a,
        final List<byte[]> b,
        final boolean capped,
        final Tally known,
        final Tally unknown)
    {
        final List<byte[]> ownMainData = mainData(b);
        final List<byte[]> oldMainData = mainData(a);
        final int frames = Math.min(a.size(), b.size());
        for (int k = 1; k < frames; k++)
        {
            for (final boolean giveNext : new boolean[]{true, false})
            {
                final Mp3Splicer.Splice splice = splicer.splice(a, b, k, giveNext);
                final String where = "k=" + k + " giveNext=" + giveNext;
                (giveNext ? known : unknown).add(splice);
                if (capped && splice.failed())
                {
                    assertThat(splice.refusal()).as(where).isEqualTo(Mp3BridgeRefusal.MAIN_DATA_TOO_LONG);
                    continue;
                }
                assertThat(splice.failed()).as(where + " refused: " + splice.refusalDescription()).isFalse();
                if (splice.silentFrame() >= 0)
                {
                    assertThat(splice.refusal()).as(where).isEqualTo(Mp3BridgeRefusal.MAIN_DATA_TOO_LONG);
                }
                assertBitExact(splice, b, ownMainData, oldMainData, where);
            }
        }
    }

    private static void assertBitExact(
        final Mp3Splicer.Splice splice,
        final List<byte[]> b,
        final List<byte[]> ownMainData,
        final List<byte[]> oldMainData,
        final String where)
    {
        final Mp3ReservoirAuditor auditor = new Mp3ReservoirAuditor();
        final int k = splice.switchFrame();
        for (int i = 0; i < splice.frames().size(); i++)
        {
            final byte[] frame = splice.frames().get(i);
            final Mp3ReservoirFinding finding =
                auditor.audit(splice.origins().get(i), new UnsafeBuffer(frame), 0, frame.length);
            assertThat(finding).as(where + " frame " + i).isEqualTo(Mp3ReservoirFinding.OK);
            final byte[] expected = i < k ? oldMainData.get(i) : i == splice.silentFrame() ? new byte[0] : ownMainData.get(i);
            assertThat(auditor.mainData()).as(where + " main data of frame " + i).isEqualTo(expected);
            if (i == splice.silentFrame())
            {
                assertThat(auditor.mainDataLength()).as(where + " silent frame " + i).isZero();
            }
            else if (i >= k && i < k + splice.chainLength())
            {
                assertSameSideInfoAndHeader(frame, b.get(i), where + " bridged frame " + i);
            }
            else if (i >= k)
            {
                assertThat(frame).as(where + " frame " + i).isSameAs(b.get(i));
            }
        }
        assertThat(auditor.problemFrames()).isZero();
        assertThat(auditor.foreignFrames()).isZero();
    }

    /**
     * A bridge keeps the header except bitrate and padding, the side information except main_data_begin, and a
     * correct CRC when protected.
     */
    private static void assertSameSideInfoAndHeader(final byte[] bridged, final byte[] original, final String where)
    {
        final UnsafeBuffer bridgedBuffer = new UnsafeBuffer(bridged);
        final UnsafeBuffer originalBuffer = new UnsafeBuffer(original);
        final int header = MpegAudioHeader.read(bridgedBuffer, 0);
        final int originalHeader = MpegAudioHeader.read(originalBuffer, 0);
        assertThat(header & ~0xF200).as(where + " header").isEqualTo(originalHeader & ~0xF200);
        assertThat(MpegAudioHeader.bitrateIndex(header)).as(where).isGreaterThanOrEqualTo(
            MpegAudioHeader.bitrateIndex(originalHeader));
        assertThat(bridged.length).as(where).isEqualTo(MpegAudioHeader.frameLengthBytes(header));

        final int sideInfoOffset = Layer3SideInfo.sideInfoOffset(header);
        final int areaOffset = Layer3SideInfo.mainDataAreaOffset(header);
        final byte[] sideInfo = Arrays.copyOfRange(bridged, sideInfoOffset, areaOffset);
        final byte[] originalSideInfo = Arrays.copyOfRange(original, sideInfoOffset, areaOffset);
        final boolean mpeg1 = MpegAudioHeader.version(header) == MpegVersion.MPEG_1;
        sideInfo[0] = originalSideInfo[0] = 0;
        if (mpeg1)
        {
            sideInfo[1] &= 0x7F;
            originalSideInfo[1] &= 0x7F;
        }
        assertThat(sideInfo).as(where + " side info").isEqualTo(originalSideInfo);

        if (MpegAudioHeader.hasCrc(header))
        {
            assertThat(bridgedBuffer.getShort(4, ByteOrder.BIG_ENDIAN) & 0xFFFF).as(where + " CRC")
                .isEqualTo(MpegAudioCrc.compute(bridgedBuffer, 0, header));
        }
    }

    private static void assertCleanAlone(final String name, final List<byte[]> frames)
    {
        assertThat(frames).as(name).hasSizeGreaterThan(20);
        final Mp3ReservoirAuditor auditor = new Mp3ReservoirAuditor();
        for (final byte[] frame : frames)
        {
            auditor.audit(LAME, new UnsafeBuffer(frame), 0, frame.length);
        }
        assertThat(auditor.problemFrames()).as(name + " audited alone").isZero();
    }

    private static List<byte[]> mainData(final List<byte[]> frames)
    {
        final Mp3ReservoirAuditor auditor = new Mp3ReservoirAuditor();
        final List<byte[]> mainData = new ArrayList<>();
        for (final byte[] frame : frames)
        {
            auditor.audit(LAME, new UnsafeBuffer(frame), 0, frame.length);
            mainData.add(auditor.mainData());
        }
        return mainData;
    }
}
