package org.seamcast.codec.audio;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FrameLoudnessTest
{
    private static final String[] ESTIMATED_FIXTURES =
    {
        "mp3-mpeg1-44100-128k-cbr-stereo.mp3",
        "mp3-mpeg1-44100-vbr-stereo.mp3",
        "mp3-mpeg1-48000-192k-stereo-stream.mp3",
        "mp3-mpeg2-22050-32k-mono.mp3",
        "mp3-mpeg25-11025-16k-mono.mp3",
        "mp3-id3v2-sync-like-id3v1.mp3",
        "aac-lc-44100-mono.aac",
        "aac-lc-44100-stereo.aac",
        "aac-lc-48000-mono.aac",
        "aac-lc-48000-stereo.aac",
    };

    @ParameterizedTest
    @ValueSource(strings = {
        "mp3-mpeg1-44100-128k-cbr-stereo.mp3",
        "mp3-mpeg1-44100-vbr-stereo.mp3",
        "mp3-mpeg1-48000-192k-stereo-stream.mp3",
        "mp3-mpeg2-22050-32k-mono.mp3",
        "mp3-mpeg25-11025-16k-mono.mp3",
        "mp3-id3v2-sync-like-id3v1.mp3",
        "aac-lc-44100-mono.aac",
        "aac-lc-44100-stereo.aac",
        "aac-lc-48000-mono.aac",
        "aac-lc-48000-stereo.aac",
    })
    void shouldEstimateEveryFrameOfLayerThreeAndAacLcFixtures(final String fixture)
    {
        final List<byte[]> frames = FrameCollector.split(Fixtures.bytes(fixture)).frames;
        assertThat(frames).isNotEmpty();
        for (final byte[] frame : frames)
        {
            final double loudness = FrameLoudness.loudnessDb(new UnsafeBuffer(frame), 0, frame.length);
            assertThat(FrameLoudness.isEstimate(loudness)).as(fixture).isTrue();
            assertThat(loudness).isBetween(FrameLoudness.SILENCE_DB, FrameLoudness.MAX_DB);
        }
    }

    @Test
    void shouldGiveNoEstimateForLayerTwo()
    {
        final List<byte[]> frames = FrameCollector.split(Fixtures.bytes("mp2-mpeg1-48000-192k-stereo.mp2")).frames;
        assertThat(frames).isNotEmpty().allSatisfy(frame ->
            assertThat(FrameLoudness.loudnessDb(new UnsafeBuffer(frame), 0, frame.length)).isNaN());
    }

    @Test
    void shouldGiveNoEstimateForTheInfoFrameOfALameFile()
    {
        final byte[] file = Fixtures.bytes("mp3-mpeg1-44100-128k-cbr-stereo.mp3");
        final int infoFrame = 20;
        assertThat(file[infoFrame] & 0xFF).isEqualTo(0xFF);
        assertThat(FrameLoudness.loudnessDb(new UnsafeBuffer(file), infoFrame, file.length - infoFrame)).isNaN();
    }

    @ParameterizedTest
    @CsvSource({
        "mp3-mpeg1-44100-128k-cbr-stereo.mp3, 18526",
        "mp3-mpeg1-48000-192k-stereo-stream.mp3, 17020",
        "mp3-mpeg2-22050-32k-mono.mp3, 23990",
        "mp3-mpeg25-11025-16k-mono.mp3, 47981",
        "aac-lc-44100-stereo.aac, 11609",
        "aac-lc-48000-mono.aac, 10666",
        "mp2-mpeg1-48000-192k-stereo.mp2, 0",
    })
    void shouldSayHowMuchLaterTheEstimatedAudioPlays(final String fixture, final long lagUs)
    {
        final byte[] frame = FrameCollector.split(Fixtures.bytes(fixture)).frames.get(3);
        assertThat(FrameLoudness.estimateLagUs(new UnsafeBuffer(frame), 0, frame.length)).isEqualTo(lagUs);
        assertThat(FrameLoudness.estimateLagUs(new UnsafeBuffer(frame), 0, 3)).isZero();
    }

    @Test
    void shouldGiveNoEstimateForFreeFormat()
    {
        final byte[] frame = new byte[1000];
        frame[0] = (byte)0xFF;
        frame[1] = (byte)0xFB;
        frame[2] = (byte)0x00;
        assertThat(FrameLoudness.loudnessDb(new UnsafeBuffer(frame), 0, frame.length)).isNaN();
    }

    @ParameterizedTest
    @CsvSource({
        "MPEG_1, 44100, JOINT_STEREO, 128",
        "MPEG_1, 48000, MONO, 64",
        "MPEG_2, 22050, MONO, 32",
        "MPEG_2, 24000, STEREO, 160",
        "MPEG_2_5, 11025, MONO, 16",
    })
    void shouldReadMp3SilenceFramesAsSilence(
        final MpegVersion version, final int sampleRateHz, final ChannelMode mode, final int bitrateKbps)
    {
        final UnsafeBuffer frame =
            new UnsafeBuffer(new byte[SilenceFrames.mp3FrameLength(version, sampleRateHz, bitrateKbps)]);
        final int length = SilenceFrames.writeMp3(version, sampleRateHz, mode, bitrateKbps, frame, 0);
        assertThat(FrameLoudness.loudnessDb(frame, 0, length)).isEqualTo(FrameLoudness.SILENCE_DB);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 6, 7})
    void shouldReadAdtsSilenceFramesAsSilence(final int channelConfiguration)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[SilenceFrames.MAX_ADTS_SILENCE_LENGTH]);
        final int length = SilenceFrames.writeAdts(AdtsHeader.PROFILE_AAC_LC, 4, channelConfiguration, frame, 0);
        assertThat(FrameLoudness.loudnessDb(frame, 0, length)).isEqualTo(FrameLoudness.SILENCE_DB);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mp3-mpeg1-44100-128k-cbr-stereo.mp3", "mp3-mpeg2-22050-32k-mono.mp3"})
    void shouldReadTheSameSideInformationBehindAnMp3Crc(final String fixture)
    {
        for (final byte[] frame : FrameCollector.split(Fixtures.bytes(fixture)).frames.subList(0, 20))
        {
            final byte[] withCrc = new byte[frame.length + 2];
            System.arraycopy(frame, 0, withCrc, 0, 4);
            withCrc[1] &= (byte)0xFE;
            withCrc[4] = (byte)0x5A;
            withCrc[5] = (byte)0xA5;
            System.arraycopy(frame, 4, withCrc, 6, frame.length - 4);

            assertThat(FrameLoudness.loudnessDb(new UnsafeBuffer(withCrc), 0, withCrc.length))
                .isEqualTo(FrameLoudness.loudnessDb(new UnsafeBuffer(frame), 0, frame.length));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"aac-lc-44100-stereo.aac", "aac-lc-48000-mono.aac"})
    void shouldReadTheSameChannelStreamBehindAnAdtsCrc(final String fixture)
    {
        for (final byte[] frame : FrameCollector.split(Fixtures.bytes(fixture)).frames.subList(0, 20))
        {
            final byte[] withCrc = new byte[frame.length + 2];
            System.arraycopy(frame, 0, withCrc, 0, 7);
            System.arraycopy(frame, 7, withCrc, 9, frame.length - 7);
            final long header = AdtsHeader.read(new UnsafeBuffer(frame), 0);
            final long crcHeader = AdtsHeaderBuilder.header()
                .protectionAbsent(0)
                .samplingFrequencyIndex(AdtsHeader.samplingFrequencyIndex(header))
                .channelConfiguration(AdtsHeader.channelConfiguration(header))
                .frameLength(withCrc.length)
                .build();
            for (int i = 0; i < 7; i++)
            {
                withCrc[i] = (byte)(crcHeader >>> (48 - 8 * i));
            }

            assertThat(FrameLoudness.loudnessDb(new UnsafeBuffer(withCrc), 0, withCrc.length))
                .isEqualTo(FrameLoudness.loudnessDb(new UnsafeBuffer(frame), 0, frame.length));
        }
    }

    @Test
    void shouldGiveNoEstimateForSeveralRawDataBlocksOrOtherProfiles()
    {
        final byte[] frame = FrameCollector.split(Fixtures.bytes("aac-lc-44100-stereo.aac")).frames.get(10);
        final byte[] twoBlocks = frame.clone();
        twoBlocks[6] |= 1;
        final byte[] mainProfile = frame.clone();
        mainProfile[2] &= 0x3F;

        assertThat(FrameLoudness.loudnessDb(new UnsafeBuffer(frame), 0, frame.length)).isNotNaN();
        assertThat(FrameLoudness.loudnessDb(new UnsafeBuffer(twoBlocks), 0, twoBlocks.length)).isNaN();
        assertThat(FrameLoudness.loudnessDb(new UnsafeBuffer(mainProfile), 0, mainProfile.length)).isNaN();
    }

    @Test
    void shouldGiveNoEstimateWhenTheFirstElementCarriesNoChannel()
    {
        final byte[] frame = FrameCollector.split(Fixtures.bytes("aac-lc-44100-stereo.aac")).frames.get(10);
        for (final int elementId : new int[] {2, 5, 7})
        {
            final byte[] other = frame.clone();
            other[7] = (byte)((other[7] & 0x1F) | (elementId << 5));
            assertThat(FrameLoudness.loudnessDb(new UnsafeBuffer(other), 0, other.length)).as("element " + elementId)
                .isNaN();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mp3-mpeg1-44100-128k-cbr-stereo.mp3", "mp3-mpeg25-11025-16k-mono.mp3",
        "aac-lc-44100-stereo.aac", "aac-lc-48000-mono.aac"})
    void shouldGiveNoEstimateAndNeverThrowForEveryTruncation(final String fixture)
    {
        final byte[] frame = FrameCollector.split(Fixtures.bytes(fixture)).frames.get(5);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        for (int length = 0; length < frame.length; length++)
        {
            assertThat(FrameLoudness.loudnessDb(buffer, 0, length)).as("length " + length).isNaN();
            final UnsafeBuffer exact = new UnsafeBuffer(frame, 0, length);
            assertThat(FrameLoudness.loudnessDb(exact, 0, length)).as("buffer of " + length).isNaN();
        }
        assertThat(FrameLoudness.loudnessDb(buffer, 0, frame.length)).isNotNaN();
    }

    @Test
    void shouldGiveNoEstimateOutsideTheBuffer()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        assertThat(FrameLoudness.loudnessDb(buffer, -1, 10)).isNaN();
        assertThat(FrameLoudness.loudnessDb(buffer, 60, 10)).isNaN();
        assertThat(FrameLoudness.loudnessDb(buffer, 0, 65)).isNaN();
        assertThat(FrameLoudness.loudnessDb(buffer, 64, 0)).isNaN();
    }

    @Property(tries = 2000)
    void shouldNeverThrowOnGarbage(
        @ForAll @Size(max = 3000) final byte[] garbage, @ForAll @IntRange(max = 3000) final int length)
    {
        final int available = Math.min(length, garbage.length);
        assertEstimateOrNothing(FrameLoudness.loudnessDb(new UnsafeBuffer(garbage), 0, available));
    }

    @Property(tries = 3000)
    void shouldNeverThrowOnGarbageBehindAValidHeader(
        @ForAll("headers") final byte[] header, @ForAll @Size(min = 3000, max = 3000) final byte[] body,
        @ForAll @IntRange(max = 3000) final int length)
    {
        System.arraycopy(header, 0, body, 0, header.length);
        assertEstimateOrNothing(FrameLoudness.loudnessDb(new UnsafeBuffer(body), 0, Math.max(header.length, length)));
    }

    @Property(tries = 2000)
    void shouldNeverThrowOnCorruptedFrames(
        @ForAll("estimatedFixtures") final String fixture, @ForAll @IntRange(max = 50) final int frameIndex,
        @ForAll final long seed)
    {
        final List<byte[]> frames = FrameCollector.split(Fixtures.bytes(fixture)).frames;
        final byte[] frame = frames.get(frameIndex % frames.size()).clone();
        final Random random = new Random(seed);
        for (int flips = 1 + random.nextInt(8); flips > 0; flips--)
        {
            final int skipHeaderBytes = frame.length > 9 ? 4 : 0;
            final int bit = skipHeaderBytes * 8 + random.nextInt((frame.length - skipHeaderBytes) * 8);
            frame[bit >>> 3] ^= (byte)(0x80 >>> (bit & 7));
        }
        assertEstimateOrNothing(FrameLoudness.loudnessDb(new UnsafeBuffer(frame), 0, frame.length));
    }

    @Test
    void shouldNotAllocate()
    {
        final List<byte[]> mp3 = FrameCollector.split(Fixtures.bytes("mp3-mpeg1-44100-vbr-stereo.mp3")).frames;
        final List<byte[]> aac = FrameCollector.split(Fixtures.bytes("aac-lc-48000-stereo.aac")).frames;
        final UnsafeBuffer[] buffers = new UnsafeBuffer[mp3.size() + aac.size()];
        for (int i = 0; i < buffers.length; i++)
        {
            buffers[i] = new UnsafeBuffer(i < mp3.size() ? mp3.get(i) : aac.get(i - mp3.size()));
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();

        double sum = 0;
        for (int round = 0; round < 200; round++)
        {
            for (final UnsafeBuffer buffer : buffers)
            {
                sum += FrameLoudness.loudnessDb(buffer, 0, buffer.capacity());
            }
        }
        final long before = threads.getThreadAllocatedBytes(threadId);
        final long startNs = System.nanoTime();
        for (int round = 0; round < 200; round++)
        {
            for (final UnsafeBuffer buffer : buffers)
            {
                sum += FrameLoudness.loudnessDb(buffer, 0, buffer.capacity());
            }
        }
        final long elapsedNs = System.nanoTime() - startNs;
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        System.out.printf("%nFrameLoudness: %d ns per frame (MP3 VBR stereo and AAC stereo fixtures)%n",
            elapsedNs / (200L * buffers.length));

        assertThat(sum).isNotNaN();
        assertThat(allocated).as("bytes allocated estimating " + 200 * buffers.length + " frames")
            .isLessThan(16 * 1024);
    }

    @Provide
    Arbitrary<String> estimatedFixtures()
    {
        return Arbitraries.of(ESTIMATED_FIXTURES);
    }

    @Provide
    Arbitrary<byte[]> headers()
    {
        final Arbitrary<byte[]> mp3 = Arbitraries.integers().map(bits ->
        {
            final int header = 0xFFE0_0000 | (bits & 0x001F_FFFF);
            return new byte[] {(byte)(header >>> 24), (byte)(header >>> 16), (byte)(header >>> 8), (byte)header};
        });
        final Arbitrary<byte[]> adts = Arbitraries.longs().map(bits ->
        {
            final long header = 0xFFF0_0000_0000_00L | (bits & 0x000F_FFFF_FFFF_FFL);
            final byte[] bytes = new byte[7];
            for (int i = 0; i < 7; i++)
            {
                bytes[i] = (byte)(header >>> (48 - 8 * i));
            }
            return bytes;
        });
        return Arbitraries.oneOf(mp3, adts);
    }

    private static void assertEstimateOrNothing(final double loudness)
    {
        if (FrameLoudness.isEstimate(loudness))
        {
            assertThat(loudness).isBetween(FrameLoudness.SILENCE_DB, FrameLoudness.MAX_DB);
        }
    }
}
