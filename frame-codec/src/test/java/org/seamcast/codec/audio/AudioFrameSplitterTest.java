package org.seamcast.codec.audio;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AudioFrameSplitterTest
{
    private static final String MP3 = "mp3-mpeg1-44100-128k-cbr-stereo.mp3";
    private static final String ADTS = "aac-lc-44100-stereo.aac";

    private final FrameCollector collector = new FrameCollector();

    @Test
    void shouldResyncAfterGarbage()
    {
        final List<byte[]> frames = StreamReference.of(MP3).frames();
        final byte[] garbage = new byte[3000];
        new Random(1).nextBytes(garbage);
        final byte[] stream = concat(frames.subList(0, 10), garbage, frames.subList(10, frames.size()));

        final AudioFrameSplitter splitter = split(stream);

        assertThat(FrameCollector.sameFrames(frames, collector.frames)).isTrue();
        assertThat(splitter.garbageBytes()).isEqualTo(garbage.length);
    }

    @Test
    void shouldSkipTheInfoFrameOfACrcProtectedStreamWhereLameWritesIt()
    {
        // lame -p writes its tag at 4 + side information, ignoring the CRC, and ffmpeg's demuxer looks there too
        final int length = SilenceFrames.mp3FrameLength(MpegVersion.MPEG_1, 44100, 128);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[length]);
        SilenceFrames.writeMp3(MpegVersion.MPEG_1, 44100, ChannelMode.STEREO, 128, frame, 0);
        frame.putInt(0, frame.getInt(0, ByteOrder.BIG_ENDIAN) & ~0x10000, ByteOrder.BIG_ENDIAN);
        final UnsafeBuffer info = new UnsafeBuffer(new byte[length]);
        info.putBytes(0, frame, 0, length);
        info.putBytes(4 + 32, "Info".getBytes(StandardCharsets.US_ASCII));
        final byte[] stream = new byte[length * 11];
        info.getBytes(0, stream, 0, length);
        for (int i = 1; i < 11; i++)
        {
            frame.getBytes(0, stream, i * length, length);
        }

        final AudioFrameSplitter splitter = split(stream);

        assertThat(collector.frames).hasSize(10);
        assertThat(splitter.vbrInfoFrames()).isEqualTo(1);
    }

    @Test
    void shouldNotSplitOnHeaderLikeBytesInsideFrames()
    {
        // Silence frames whose main data is full of valid, consistent headers.
        final int length = SilenceFrames.mp3FrameLength(MpegVersion.MPEG_1, 44100, 128);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[length]);
        SilenceFrames.writeMp3(MpegVersion.MPEG_1, 44100, ChannelMode.STEREO, 128, frame, 0);
        for (int offset = 36; offset + 4 <= length; offset += 4)
        {
            frame.putInt(offset, 0xFFFB9004, ByteOrder.BIG_ENDIAN);
        }
        final byte[] stream = new byte[length * 20];
        for (int i = 0; i < 20; i++)
        {
            frame.getBytes(0, stream, i * length, length);
        }

        final AudioFrameSplitter splitter = split(stream);

        assertThat(collector.frames).hasSize(20).allMatch(emitted -> emitted.length == length);
        assertThat(splitter.garbageBytes()).isZero();
    }

    @Test
    void shouldNotTrustASingleFrameWithNothingAfterIt()
    {
        final byte[] frame = StreamReference.of(MP3).frames().get(5);

        final AudioFrameSplitter splitter = split(frame);

        assertThat(collector.frames).isEmpty();
        assertThat(splitter.garbageBytes()).isEqualTo(frame.length);
    }

    @Test
    void shouldAcceptALastCompleteFrameOfALockedStreamButNotATruncatedOne()
    {
        final List<byte[]> frames = StreamReference.of(MP3).frames();
        final byte[] whole = concat(frames.subList(0, 3));
        final byte[] truncated = Arrays.copyOf(whole, whole.length - 1);

        split(whole);
        assertThat(collector.frames).hasSize(3);

        collector.frames.clear();
        final AudioFrameSplitter splitter = split(truncated);
        assertThat(collector.frames).hasSize(2);
        assertThat(splitter.garbageBytes()).isEqualTo(frames.get(2).length - 1);
    }

    @Test
    void shouldSkipApeAndId3v1TagsAtTheEnd()
    {
        final List<byte[]> frames = StreamReference.of(MP3).frames();
        final byte[] ape = apeTag(true, 200);
        final byte[] id3v1 = id3v1();
        final byte[] stream = concat(frames, ape, id3v1);

        final AudioFrameSplitter splitter = split(stream);

        assertThat(FrameCollector.sameFrames(frames, collector.frames)).isTrue();
        assertThat(splitter.tagBytes()).isEqualTo(ape.length + id3v1.length);
        assertThat(splitter.garbageBytes()).isZero();
    }

    @Test
    void shouldCountTheItemsOfAFooterOnlyApeTagAsTagBytes()
    {
        final List<byte[]> frames = StreamReference.of(ADTS).frames();
        final byte[] ape = apeTag(false, 300);
        final byte[] stream = concat(frames, ape);

        final AudioFrameSplitter splitter = split(stream);

        assertThat(FrameCollector.sameFrames(frames, collector.frames)).isTrue();
        assertThat(splitter.tagBytes()).isEqualTo(ape.length);
        assertThat(splitter.garbageBytes()).isZero();
    }

    @Test
    void shouldSkipAnId3v2TagInTheMiddleOfAStream()
    {
        final List<byte[]> frames = StreamReference.of(ADTS).frames();
        final byte[] tag = AudioFrameSplitterPropertyTest.id3v2(4, "TIT2 next song".getBytes(StandardCharsets.UTF_8));
        final byte[] stream = concat(frames.subList(0, 50), tag, frames.subList(50, frames.size()));

        final AudioFrameSplitter splitter = split(stream);

        assertThat(FrameCollector.sameFrames(frames, collector.frames)).isTrue();
        assertThat(splitter.tagBytes()).isEqualTo(tag.length);
    }

    @Test
    void shouldRejectFreeFormatStreamsAndCountTheirHeaders()
    {
        final byte[] stream = new byte[20 * 400];
        for (int i = 0; i < 20; i++)
        {
            stream[i * 400] = (byte)0xFF;
            stream[i * 400 + 1] = (byte)0xFB;
            stream[i * 400 + 2] = (byte)0x00;   // bitrate index 0: free format
            stream[i * 400 + 3] = (byte)0x64;
        }

        final AudioFrameSplitter splitter = split(stream);

        assertThat(collector.frames).isEmpty();
        assertThat(splitter.freeFormatHeaders()).isEqualTo(20);
        assertThat(MpegAudioHeader.check(0xFFFB0064)).isEqualTo(HeaderStatus.FREE_FORMAT_UNSUPPORTED);
    }

    @Test
    void shouldLookOnlyForTheHintedFormatUntilGarbageProvesTheHintWrong()
    {
        final byte[] adts = StreamReference.of(ADTS).bareStream();

        final AudioFrameSplitter hinted = new AudioFrameSplitter(collector, AudioFormat.fromContentType("audio/aac"));
        hinted.onData(adts, 0, adts.length);
        hinted.finish();
        assertThat(collector.frames).hasSize(StreamReference.of(ADTS).frames().size());

        collector.frames.clear();
        final AudioFrameSplitter misled = new AudioFrameSplitter(collector, AudioFormat.fromContentType("audio/mpeg"));
        misled.onData(adts, 0, adts.length);
        misled.finish();
        assertThat(misled.garbageBytes()).isGreaterThan(AudioFrameSplitter.RELOCK_AFTER_GARBAGE_BYTES);
        assertThat(collector.frames).isNotEmpty();
        assertThat(collector.format).isEqualTo(AudioFormat.ADTS);
    }

    @Test
    void shouldRelockWhenTheStreamChangesFormat()
    {
        final List<byte[]> mp3 = StreamReference.of(MP3).frames();
        final List<byte[]> adts = StreamReference.of(ADTS).frames();
        final AudioFrameSplitter splitter = new AudioFrameSplitter(collector);
        final byte[] stream = concat(mp3, concat(adts));

        splitter.onData(stream, 0, stream.length);

        assertThat(splitter.lockedFormat()).isEqualTo(AudioFormat.ADTS);
        assertThat(collector.frames.subList(0, mp3.size())).usingElementComparator(Arrays::compare).isEqualTo(mp3);
        assertThat(collector.frames.size()).isGreaterThan(mp3.size() + adts.size() / 2);
    }

    @Test
    void shouldMapContentTypesToFormatHints()
    {
        assertThat(AudioFormat.fromContentType("audio/mpeg")).isEqualTo(AudioFormat.MP3);
        assertThat(AudioFormat.fromContentType("Audio/MPEG; charset=binary")).isEqualTo(AudioFormat.MP3);
        assertThat(AudioFormat.fromContentType("audio/aacp")).isEqualTo(AudioFormat.ADTS);
        assertThat(AudioFormat.fromContentType("application/ogg")).isNull();
        assertThat(AudioFormat.fromContentType(null)).isNull();
    }

    @Test
    void shouldSurviveMegabytesOfRandomBytesWithBoundedMemory()
    {
        final Random random = new Random(42);
        final byte[] chunk = new byte[65536];
        final AudioFrameSplitter splitter = new AudioFrameSplitter(collector);
        long fed = 0;
        for (int i = 0; i < 64; i++)
        {
            random.nextBytes(chunk);
            final int length = 1 + random.nextInt(chunk.length);
            splitter.onData(chunk, 0, length);
            fed += length;
            assertThat(splitter.bufferedBytes()).isLessThanOrEqualTo(AudioFrameSplitter.BUFFER_CAPACITY);
        }
        splitter.finish();

        assertThat(collector.frameBytes + splitter.garbageBytes() + splitter.tagBytes()).isEqualTo(fed);
        assertThat(splitter.bytesReceived()).isEqualTo(fed);
    }

    @Test
    void shouldStayBoundedWhenEveryHeaderClaimsTheLongestFrame()
    {
        // ADTS headers announcing 8191-byte frames that never arrive whole: the worst case for lookahead.
        final byte[] header = {(byte)0xFF, (byte)0xF1, (byte)0x50, (byte)0x83, (byte)0xFF, (byte)0xFF, (byte)0xFC};
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 20_000; i++)
        {
            stream.writeBytes(header);
        }
        final byte[] bytes = stream.toByteArray();
        final AudioFrameSplitter splitter = new AudioFrameSplitter(collector);

        for (int offset = 0; offset < bytes.length; offset += 1000)
        {
            splitter.onData(bytes, offset, Math.min(1000, bytes.length - offset));
            assertThat(splitter.bufferedBytes()).isLessThanOrEqualTo(AudioFrameSplitter.BUFFER_CAPACITY);
        }
        splitter.finish();

        assertThat(collector.frameBytes + splitter.garbageBytes() + splitter.tagBytes()).isEqualTo(bytes.length);
    }

    @Test
    void shouldFindNoFalseFramesInMegabytesOfGarbageBetweenCopiesOfAStream()
    {
        final byte[] file = Fixtures.bytes(MP3);
        final int framesPerCopy = StreamReference.of(MP3).frames().size();
        final Random random = new Random(3);
        final byte[] garbage = new byte[12_000];
        final AudioFrameSplitter splitter = new AudioFrameSplitter(collector);

        for (int copy = 0; copy < 300; copy++)
        {
            splitter.onData(file, 0, file.length);
            random.nextBytes(garbage);
            splitter.onData(garbage, 0, garbage.length);
        }
        splitter.finish();

        assertThat(collector.frames).hasSize(300 * framesPerCopy);
    }

    @Test
    void shouldRejectNearlyAllRandomSideInformationForMpeg1Stereo()
    {
        final Random random = new Random(5);
        final byte[] bytes = new byte[417];
        final UnsafeBuffer frame = new UnsafeBuffer(bytes);
        int plausible = 0;
        for (int i = 0; i < 20_000; i++)
        {
            random.nextBytes(bytes);
            frame.putInt(0, 0xFFFB9064, ByteOrder.BIG_ENDIAN);
            plausible += Layer3SideInfo.isPlausible(frame, 0, 0xFFFB9064, bytes.length) ? 1 : 0;
        }

        assertThat(plausible).isLessThan(20_000 / 50);
    }

    @Test
    void shouldRejectAChunkOutsideItsBufferNamingTheBounds()
    {
        final AudioFrameSplitter splitter = new AudioFrameSplitter(collector);

        assertThatThrownBy(() -> splitter.onData(new byte[10], 5, 6))
            .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("offset=5 length=6");
    }

    private AudioFrameSplitter split(final byte[] stream)
    {
        final AudioFrameSplitter splitter = new AudioFrameSplitter(collector);
        splitter.onData(stream, 0, stream.length);
        splitter.finish();
        return splitter;
    }

    private static byte[] concat(final List<byte[]> frames, final byte[]... more)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(out::writeBytes);
        for (final byte[] bytes : more)
        {
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] concat(final List<byte[]> head, final byte[] middle, final List<byte[]> tail)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        head.forEach(out::writeBytes);
        out.writeBytes(middle);
        tail.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] apeTag(final boolean withHeader, final int itemBytes)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final byte[] items = new byte[itemBytes];
        new Random(7).nextBytes(items);
        if (withHeader)
        {
            out.writeBytes(apeBlock(itemBytes + 32, true));
        }
        out.writeBytes(items);
        out.writeBytes(apeBlock(itemBytes + 32, false));
        return out.toByteArray();
    }

    private static byte[] apeBlock(final int size, final boolean header)
    {
        final UnsafeBuffer block = new UnsafeBuffer(new byte[32]);
        block.putBytes(0, "APETAGEX".getBytes(StandardCharsets.US_ASCII));
        block.putInt(8, 2000, ByteOrder.LITTLE_ENDIAN);
        block.putInt(12, size, ByteOrder.LITTLE_ENDIAN);
        block.putInt(16, 3, ByteOrder.LITTLE_ENDIAN);
        block.putInt(20, (1 << 31) | (header ? 1 << 29 : 0), ByteOrder.LITTLE_ENDIAN);
        return block.byteArray();
    }

    private static byte[] id3v1()
    {
        final byte[] tag = new byte[128];
        tag[0] = 'T';
        tag[1] = 'A';
        tag[2] = 'G';
        Arrays.fill(tag, 3, 33, (byte)0xFF);
        return tag;
    }
}
