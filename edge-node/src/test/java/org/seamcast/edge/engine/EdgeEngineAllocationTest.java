package org.seamcast.edge.engine;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeEngineAllocationTest
{
    private static final long T0_US = 1_750_000_000_000_000L;
    private static final int FRAME_US = 26_122;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[512]);
    private long playedBytes;
    private final EdgeEngine engine = new EdgeEngine(new EdgeEngineContext()
        .playoutSink((buffer, offset, length, frame) -> playedBytes += length)
        .fallbackFrameSource(new CyclingFallbackFrameSource(List.of(new byte[]{ 1, 2, 3 }), FRAME_US)));

    @Test
    void shouldNotAllocateOnTheHotPathAfterWarmUp()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();

        run(0, 20_000);
        final long before = threads.getThreadAllocatedBytes(threadId);
        run(20_000, 40_000);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertThat(playedBytes).isGreaterThan(0);
        assertThat(allocated).as("bytes allocated while playing 20000 frames from 3 paths and 2 encoders")
            .isLessThan(32 * 1024); // one object per frame would be over 320 KB
    }

    private void run(final int from, final int to)
    {
        for (int n = from; n < to; n++)
        {
            final long tsUs = T0_US + (long)n * FRAME_US;
            final long nowNs = tsUs * 1000 + 30_000_000;
            payload.putLong(0, n, ByteOrder.LITTLE_ENDIAN);
            for (int path = 0; path < 3; path++)
            {
                if (n % 97 != 0)
                {
                    engine.onFrame(path, 1, 0, 1, n, tsUs, FRAME_US, true, payload, 0, 417, nowNs);
                }
                if (n % 13 != 0)
                {
                    engine.onFrame(path, 2, 1, 1, n, tsUs, FRAME_US, true, payload, 0, 417, nowNs + 1_000);
                }
            }
            engine.doWork(nowNs);
        }
    }
}
