package org.seamcast.codec.audio;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SilenceFramesTest
{
    private static final int FRAMES = 40;

    @TempDir
    Path directory;

    @ParameterizedTest
    @CsvSource({
        "MPEG_1, 44100, JOINT_STEREO, 128",
        "MPEG_1, 48000, MONO, 64",
        "MPEG_1, 32000, STEREO, 320",
        "MPEG_2, 22050, MONO, 32",
        "MPEG_2, 24000, JOINT_STEREO, 160",
        "MPEG_2_5, 11025, MONO, 16",
        "MPEG_2_5, 8000, STEREO, 8",
    })
    void shouldWriteMp3FramesThatFfmpegDecodesToSilence(
        final MpegVersion version, final int sampleRateHz, final ChannelMode mode, final int bitrateKbps) throws IOException
    {
        final int length = SilenceFrames.mp3FrameLength(version, sampleRateHz, bitrateKbps);
        final UnsafeBuffer run = new UnsafeBuffer(new byte[length * FRAMES]);
        for (int i = 0; i < FRAMES; i++)
        {
            assertThat(SilenceFrames.writeMp3(version, sampleRateHz, mode, bitrateKbps, run, i * length)).isEqualTo(length);
        }

        final AudioFrameHeader header = new AudioFrameHeader();
        assertThat(header.wrap(run, 0, length)).isEqualTo(HeaderStatus.VALID);
        assertThat(header.sampleRateHz()).isEqualTo(sampleRateHz);
        assertThat(header.bitrateKbps()).isEqualTo(bitrateKbps);
        assertThat(header.channels()).isEqualTo(mode.channels());
        assertThat(header.mainDataBegin()).isZero();

        final Ffmpeg decoded = decode(run.byteArray(), "mp3");
        assertThat(splitCount(run.byteArray())).isEqualTo(FRAMES);
        assertThat(decoded.errors()).isEmpty();
        assertThat(decoded.exitCode()).isZero();
        assertThat(decoded.pcm()).hasSize(FRAMES * header.samplesPerFrame() * mode.channels() * 2);
        assertAllZero(decoded.pcm());
    }

    @Test
    void shouldFitEveryStreamsSilenceFrameInTheLongestOne()
    {
        int longest = SilenceFrames.MAX_ADTS_SILENCE_LENGTH;
        for (final MpegVersion version : MpegVersion.values())
        {
            for (final int sampleRateHz : new int[] {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000})
            {
                for (final int bitrateKbps : new int[] {8, 16, 32, 64, 128, 144, 160, 192, 256, 320})
                {
                    try
                    {
                        longest = Math.max(longest, SilenceFrames.mp3FrameLength(version, sampleRateHz, bitrateKbps));
                    }
                    catch (final IllegalArgumentException notOfThisVersion)
                    {
                        // a rate or bitrate the version does not have
                    }
                }
            }
        }

        assertThat(longest).isEqualTo(1440);
        assertThat(SilenceFrames.MAX_LENGTH).as("the longest, padded").isEqualTo(longest + 1);
    }

    @ParameterizedTest
    @CsvSource({
        "4, 1",
        "4, 2",
        "3, 1",
        "3, 2",
        "8, 2",
        "3, 3",
        "3, 6",
        "3, 7",
    })
    void shouldWriteAacLcFramesThatFfmpegDecodesToSilence(final int samplingFrequencyIndex, final int channelConfiguration)
        throws IOException
    {
        final UnsafeBuffer run = new UnsafeBuffer(new byte[SilenceFrames.MAX_ADTS_SILENCE_LENGTH * FRAMES]);
        int offset = 0;
        for (int i = 0; i < FRAMES; i++)
        {
            offset += SilenceFrames.writeAdts(
                AdtsHeader.PROFILE_AAC_LC, samplingFrequencyIndex, channelConfiguration, run, offset);
        }
        final byte[] stream = new byte[offset];
        run.getBytes(0, stream);

        final AudioFrameHeader header = new AudioFrameHeader();
        assertThat(header.wrap(run, 0, offset)).isEqualTo(HeaderStatus.VALID);
        assertThat(header.sampleRateHz()).isEqualTo(AdtsHeader.sampleRateHzOfIndex(samplingFrequencyIndex));

        final Ffmpeg decoded = decode(stream, "aac");
        assertThat(splitCount(stream)).isEqualTo(FRAMES);
        assertThat(decoded.errors()).isEmpty();
        assertThat(decoded.exitCode()).isZero();
        assertThat(decoded.pcm()).hasSize(FRAMES * 1024 * header.channels() * 2);
        assertAllZero(decoded.pcm());
    }

    @Test
    void shouldWriteSilenceLikeARealStreamsFrame()
    {
        final byte[] stream = Fixtures.bytes("mp3-mpeg2-22050-32k-mono.mp3");
        final UnsafeBuffer silence = new UnsafeBuffer(new byte[MpegAudioHeader.MAX_FRAME_LENGTH]);
        final int[] written = new int[1];
        final AudioFrameSplitter splitter = new AudioFrameSplitter((buffer, offset, length, header) ->
        {
            if (written[0] == 0)
            {
                written[0] = SilenceFrames.writeLike(header, silence, 0);
            }
        });
        splitter.onData(stream, 0, stream.length);

        final AudioFrameHeader silenceHeader = new AudioFrameHeader();
        assertThat(silenceHeader.wrap(silence, 0, written[0])).isEqualTo(HeaderStatus.VALID);
        assertThat(silenceHeader.describe()).isEqualTo("MPEG-2 Layer III");
        assertThat(silenceHeader.sampleRateHz()).isEqualTo(22050);
        assertThat(silenceHeader.channels()).isEqualTo(1);
        assertThat(silenceHeader.bitrateKbps()).isEqualTo(32);
    }

    @Test
    void shouldRejectParametersNoStreamCanHaveNamingTheValue()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);

        assertThatThrownBy(() -> SilenceFrames.writeMp3(MpegVersion.MPEG_2, 44100, ChannelMode.MONO, 32, buffer, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampleRateHz=44100");
        assertThatThrownBy(() -> SilenceFrames.writeMp3(MpegVersion.MPEG_1, 44100, ChannelMode.MONO, 8, buffer, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bitrateKbps=8");
        assertThatThrownBy(() -> SilenceFrames.writeAdts(1, 4, 0, buffer, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channelConfiguration=0");
        assertThatThrownBy(() -> SilenceFrames.writeAdts(2, 4, 2, buffer, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("profile=2");
        assertThatThrownBy(() -> SilenceFrames.writeMp3(MpegVersion.MPEG_1, 44100, ChannelMode.MONO, 320, buffer, 4000))
            .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("capacity=4096");
    }

    private Ffmpeg decode(final byte[] stream, final String format) throws IOException
    {
        final Path file = directory.resolve("silence." + format);
        Files.write(file, stream);
        return Ffmpeg.decodeToPcm(file, format);
    }

    private static int splitCount(final byte[] stream)
    {
        return FrameCollector.split(stream).frames.size();
    }

    private static void assertAllZero(final byte[] pcm)
    {
        for (int i = 0; i < pcm.length; i++)
        {
            if (pcm[i] != 0)
            {
                throw new AssertionError("sample byte " + i + " = " + pcm[i] + ", expected silence");
            }
        }
    }
}
