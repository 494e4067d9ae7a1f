package org.seamcast.codec.audio;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AudioFrameSplitterFixtureTest
{
    static List<Path> fixtures()
    {
        return Fixtures.all();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void shouldCountTheSameFramesAndDurationAsFfprobe(final Path fixture)
    {
        final byte[] stream = Fixtures.bytes(fixture);
        final FrameCollector collector = new FrameCollector();
        final AudioFrameSplitter splitter = new AudioFrameSplitter(collector);

        splitter.onData(stream, 0, stream.length);
        splitter.finish();

        final Ffprobe ffprobe = Ffprobe.of(fixture);
        assertThat(collector.frames).as("frames of %s", fixture).hasSize((int)ffprobe.packets());
        assertThat(collector.durationSeconds()).as("duration of %s", fixture)
            .isCloseTo(ffprobe.durationSeconds(), within(1e-6));
        assertThat(splitter.garbageBytes()).as("garbage in %s", fixture).isZero();
        assertThat(collector.frameBytes + splitter.tagBytes()).isEqualTo(stream.length);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void shouldEmitTheSameFramesWhenFedOneByteAtATime(final Path fixture)
    {
        final byte[] stream = Fixtures.bytes(fixture);
        final List<byte[]> expected = FrameCollector.split(stream).frames;
        final FrameCollector collector = new FrameCollector();
        final AudioFrameSplitter splitter = new AudioFrameSplitter(collector);
        final UnsafeBuffer one = new UnsafeBuffer(new byte[1]);

        for (final byte b : stream)
        {
            one.putByte(0, b);
            splitter.onData(one, 0, 1);
        }
        splitter.finish();

        assertThat(FrameCollector.sameFrames(expected, collector.frames)).isTrue();
    }

    @Test
    void shouldEmitTheSameFramesWhateverTheSplitPoint()
    {
        final byte[] stream = Fixtures.bytes("mp3-mpeg25-11025-16k-mono.mp3");
        final List<byte[]> expected = FrameCollector.split(stream).frames;

        for (int split = 0; split <= stream.length; split++)
        {
            final FrameCollector collector = new FrameCollector();
            final AudioFrameSplitter splitter = new AudioFrameSplitter(collector);
            splitter.onData(stream, 0, split);
            splitter.onData(stream, split, stream.length - split);
            splitter.finish();

            if (!FrameCollector.sameFrames(expected, collector.frames))
            {
                throw new AssertionError("different frames when split at " + split);
            }
        }
    }

    @Test
    void shouldSkipId3v2WithSyncLikeBytesAndId3v1()
    {
        final byte[] stream = Fixtures.bytes("mp3-id3v2-sync-like-id3v1.mp3");
        final FrameCollector collector = new FrameCollector();
        final AudioFrameSplitter splitter = new AudioFrameSplitter(collector);

        splitter.onData(stream, 0, stream.length);
        splitter.finish();

        final int id3v2Length = 10 + ((stream[6] & 0x7F) << 21 | (stream[7] & 0x7F) << 14 |
            (stream[8] & 0x7F) << 7 | (stream[9] & 0x7F));
        assertThat(splitter.garbageBytes()).isZero();
        assertThat(splitter.vbrInfoFrames()).isEqualTo(1);
        assertThat(splitter.tagBytes()).isGreaterThan(id3v2Length + 128);
        assertThat(collector.frames.get(0)[0]).isEqualTo((byte)0xFF);
    }

    @Test
    void shouldDetectAdtsAndReportItsParameters()
    {
        final FrameCollector collector = FrameCollector.split(Fixtures.bytes("aac-lc-48000-mono.aac"));

        assertThat(collector.format).isEqualTo(AudioFormat.ADTS);
        assertThat(collector.sampleRateHz).isEqualTo(48000);
        assertThat(collector.channels).isEqualTo(1);
    }
}
