package org.seamcast.bench;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.seamcast.codec.audio.AudioFrameHeader;
import org.seamcast.codec.audio.AudioFrameSplitter;
import org.seamcast.codec.audio.ChannelMode;
import org.seamcast.codec.audio.MpegVersion;
import org.seamcast.codec.audio.SilenceFrames;

import java.util.concurrent.TimeUnit;

/**
 * Splitting an MP3 stream that arrives in 4 KiB reads (as from a source socket) into frames: the ingest's work
 * per frame before stamping.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class FrameSplitterBenchmark
{
    private static final int FRAMES = 1000;

    private byte[] stream;
    private AudioFrameSplitter splitter;
    private long frames;

    @Setup
    public void setUp()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);
        final int length = SilenceFrames.writeMp3(MpegVersion.MPEG_1, 44_100, ChannelMode.STEREO, 128, frame, 0);
        stream = new byte[length * FRAMES];
        for (int i = 0; i < FRAMES; i++)
        {
            frame.getBytes(0, stream, i * length, length);
        }
        splitter = new AudioFrameSplitter(
            (DirectBuffer buffer, int offset, int frameLength, AudioFrameHeader header) -> frames++);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long splitPerFrame()
    {
        for (int offset = 0; offset < stream.length; offset += 4096)
        {
            splitter.onData(stream, offset, Math.min(4096, stream.length - offset));
        }
        return frames;
    }
}
