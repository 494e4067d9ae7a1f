package org.seamcast.ingest.stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.audio.ChannelMode;
import org.seamcast.codec.audio.MpegVersion;
import org.seamcast.codec.audio.SilenceFrames;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.ingest.send.RelayFanout;
import org.seamcast.ingest.stamp.EpochSource;
import org.seamcast.transport.AgentThreads;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.ThreadingMode;
import org.seamcast.transport.link.LinkAddress;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The source thread's per-frame path — split, encode into a pooled buffer, stamp per read (holding a burst), hand
 * to every destination queue — allocates (almost) nothing on the heap once warm: no per-frame objects of its own.
 */
class SourceSessionAllocationTest
{
    @Test
    void shouldAllocateNothingPerFrameOnTheSourceThreadOnceWarm() throws Exception
    {
        onSourceThread(() -> measure(1.0));
    }

    @Test
    void shouldAllocateNothingPerFrameWhileHoldingABurstOfInputFasterThanRealTime() throws Exception
    {
        onSourceThread(() -> measure(0.5));
    }

    private static void onSourceThread(final Runnable measurement) throws Exception
    {
        final Throwable[] failure = new Throwable[1];
        // source threads are Netty event loop threads or FastThreadLocalThreads, which have a pooled-buffer cache
        final Thread thread = new io.netty.util.concurrent.FastThreadLocalThread(() ->
        {
            try
            {
                measurement.run();
            }
            catch (final Throwable ex)
            {
                failure[0] = ex;
            }
        }, "source-thread");
        // Netty's leak detector samples one buffer in 128 and records a stack trace for it: not ours to count
        final io.netty.util.ResourceLeakDetector.Level level = io.netty.util.ResourceLeakDetector.getLevel();
        io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        try
        {
            thread.start();
            thread.join();
        }
        finally
        {
            io.netty.util.ResourceLeakDetector.setLevel(level);
        }
        if (failure[0] != null)
        {
            throw new AssertionError(failure[0]);
        }
    }

    /**
     * @param paceOfRealTime how much wall time a chunk of input takes relative to its media time: 1 is a live
     *                       encoder, below 1 input faster than real time, which the stamper holds and overflows.
     */
    private static void measure(final double paceOfRealTime)
    {
        final int frameLength = SilenceFrames.mp3FrameLength(MpegVersion.MPEG_1, 44_100, 128);
        final byte[] bytes = new byte[100 * frameLength];
        final UnsafeBuffer chunk = new UnsafeBuffer(bytes);
        for (int i = 0; i < 100; i++)
        {
            SilenceFrames.writeMp3(MpegVersion.MPEG_1, 44_100, ChannelMode.STEREO, 128, chunk, i * frameLength);
        }
        final long chunkNs = (long)(100 * 1152 * 1_000_000_000L / 44_100 * paceOfRealTime);
        final long[] nowNs = {1_700_000_000_000_000_000L};
        final EpochNanoClock clock = () -> nowNs[0];
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // no destinations: the message is released on this thread, so only the session's own work is measured
        // (per destination, publish adds one retained duplicate, a Netty-recycled object)
        final List<MessageLink> links = List.of();
        try (RelayFanout fanout = new RelayFanout(links, 1 << 16, registry);
            AgentThreads senders = AgentThreads.start(ThreadingMode.SHARED, fanout.senders(), Throwable::printStackTrace))
        {
            final StreamHub hub = new StreamHub(NodeName.of("ingest-test"), 1, 0, null, fanout, clock, new EpochSource(() -> 1), registry, 500);
            final SourceSession session = hub.open(MountName.of("/a.mp3"), StreamHeaders.NONE, "test",
                FramePacer.NONE);
            for (int i = 0; i < 200; i++)
            {
                nowNs[0] += chunkNs;
                session.onData(chunk, 0, bytes.length);
                session.endOfRead();
            }
            final long sentBefore = session.framesSent();
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100; i++)
            {
                nowNs[0] += chunkNs;
                session.onData(chunk, 0, bytes.length);
                session.endOfRead();
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(session.framesSent() - sentBefore).as("frames sent while measured").isEqualTo(10_000);
            // One object per frame would be at least 16 B x 10,000 = 160,000 B; the rare allocations of a warm JVM
            // (pool and JIT housekeeping, seen up to ~19 KB on a loaded CI machine) stay far below half of that.
            assertThat(allocated).as("bytes allocated on the source thread for 10,000 frames").isLessThan(80_000);
        }
    }

    private record DiscardingLink(LinkAddress address) implements MessageLink
    {
        DiscardingLink(final String url)
        {
            this(LinkAddress.parse(url));
        }

        @Override
        public boolean offer(final DirectBuffer buffer, final int offset, final int length)
        {
            return true;
        }

        @Override
        public void flush()
        {
        }

        @Override
        public boolean isConnected()
        {
            return true;
        }

        @Override
        public String problem()
        {
            return null;
        }

        @Override
        public void close()
        {
        }
    }
}
