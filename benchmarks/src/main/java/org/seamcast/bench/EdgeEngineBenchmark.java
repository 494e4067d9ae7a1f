package org.seamcast.bench;

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
import org.seamcast.edge.engine.CyclingFallbackFrameSource;
import org.seamcast.edge.engine.EdgeEngine;
import org.seamcast.edge.engine.EdgeEngineContext;

import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * CPU per frame copy received at the edge: one mount, two encoders, two paths (Davecast's shape), so each frame
 * slot brings four copies, three of them duplicates, and one frame played out.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class EdgeEngineBenchmark
{
    private static final long T0_US = 1_750_000_000_000_000L;
    private static final int FRAME_US = 26_122;
    private static final int COPIES_PER_SLOT = 4;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[512]);
    private EdgeEngine engine;
    private long n;
    private long playedBytes;

    @Setup
    public void setUp()
    {
        engine = new EdgeEngine(new EdgeEngineContext()
            .playoutSink((buffer, offset, length, frame) -> playedBytes += length)
            .fallbackFrameSource(new CyclingFallbackFrameSource(List.of(new byte[] {1, 2, 3}), FRAME_US)));
    }

    /**
     * One slot: four copies in (2 encoders x 2 paths), then the playout of one frame. Reported per copy.
     */
    @Benchmark
    @OperationsPerInvocation(COPIES_PER_SLOT)
    public long frameCopyAtTheEdge()
    {
        final long tsUs = T0_US + n * FRAME_US;
        final long nowNs = tsUs * 1000 + 30_000_000;
        payload.putLong(0, n, ByteOrder.LITTLE_ENDIAN);
        for (int path = 0; path < 2; path++)
        {
            engine.onFrame(path, 1, 0, 1, n, tsUs, FRAME_US, true, payload, 0, 417, nowNs);
            engine.onFrame(path, 2, 1, 1, n, tsUs, FRAME_US, true, payload, 0, 417, nowNs + 1_000);
        }
        engine.doWork(nowNs);
        n++;
        return playedBytes;
    }
}
