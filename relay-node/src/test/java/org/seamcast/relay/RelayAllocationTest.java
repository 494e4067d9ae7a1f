package org.seamcast.relay;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.transport.ThreadingMode;
import org.seamcast.transport.link.LinkAddress;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seamcast.relay.TestMesh.counter;

/**
 * What the relay allocates per frame once warm, measured on one thread while frames flow through a real relay (two
 * copies of each frame in, over two TCP paths).
 *
 * <p>Its replay log is at its smallest bound, so it is full before the measured frames, as a relay's is once it
 * holds its span. With the core on a thread of its own ({@code DEDICATED}) its own work (queue, decode, dedup,
 * ring, filters, counters) allocates nothing, nor does handing a duty cycle's batch to each subscriber's event
 * loop. With the core on the I/O loop ({@code IO_LOOP}, the default) that one thread also reads and writes the
 * sockets (one I/O thread here): Netty's read and write bookkeeping, bounded here so a regression shows.
 */
@Timeout(60)
class RelayAllocationTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int WARMUP_FRAMES = 5_000;
    private static final int MEASURED_FRAMES = 5_000;

    private final TestMesh mesh = new TestMesh();

    @AfterEach
    void close() throws Exception
    {
        mesh.close();
    }

    @Test
    void shouldAllocateNothingPerFrameForDedupAndRing()
    {
        final double bytesPerFrame = measure(ThreadingMode.DEDICATED, MountName.of("/elsewhere"));

        assertThat(bytesPerFrame).isLessThan(1.0);
    }

    @Test
    void shouldAllocateOnlyTheHandOffToTheLoopPerSubscriberSend()
    {
        final double bytesPerSend = measure(ThreadingMode.DEDICATED, TestFrames.LIVE) / 2;

        assertThat(bytesPerSend).isLessThan(64);
    }

    @Test
    void shouldAllocateLittlePerFrameOnTheIoLoopThatCarriesTheCore()
    {
        final double bytesPerFrame = measure(ThreadingMode.IO_LOOP, TestFrames.LIVE);

        assertThat(bytesPerFrame).isLessThan(64);
    }

    /**
     * @return bytes allocated per frame by the thread that runs the relay core while two subscribers of
     * {@code subscribed} listen: its own thread, or the I/O loop's.
     */
    private double measure(final ThreadingMode mode, final MountName subscribed)
    {
        // the replay log at its smallest bound, so it is full (going round, as a relay's is once it holds its span)
        // before the measured frames
        final RelayContext ctx = TestMesh.relayContext("relay-alloc").threadingMode(mode)
            .replayLogBytes(RelayContext.MIN_REPLAY_LOG_BYTES)
            .listen(LinkAddress.parse("tcp://127.0.0.1:0"))
            .listen(LinkAddress.parse("tcp://127.0.0.1:0"));
        final RelayNode relay = mesh.relay(ctx);
        final String threadName =
            mode == ThreadingMode.IO_LOOP ? "seamcast-io-relay-alloc-" : "seamcast-relay-relay-alloc";
        final TestMesh.Sender sender = mesh.sender("ingest-1", null, relay.listenPort(0), relay.listenPort(1));
        mesh.subscriber("edge-a", null, relay.listenPort(0), s -> TestFrames.subscribe(-1, null, subscribed));
        mesh.subscriber("edge-b", null, relay.listenPort(1), s -> TestFrames.subscribe(-1, null, subscribed));
        RelayNodeTest.awaitSubscribed(relay, 2);
        TestMesh.await(WAIT).until(sender::isConnected);
        final Thread agent = Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().startsWith(threadName)).findFirst().orElseThrow();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

        send(relay, sender, 0, WARMUP_FRAMES);
        final long before = threads.getThreadAllocatedBytes(agent.getId());
        send(relay, sender, WARMUP_FRAMES, WARMUP_FRAMES + MEASURED_FRAMES);
        final long allocated = threads.getThreadAllocatedBytes(agent.getId()) - before;

        assertThat(counter(relay, "seamcast.relay.frames.duplicate")).isEqualTo(WARMUP_FRAMES + MEASURED_FRAMES);
        final double bytesPerFrame = (double)allocated / MEASURED_FRAMES;
        System.out.printf("relay core %s, subscribers of %s: %d bytes for %d frames, %.1f B/frame%n",
            mode, subscribed, allocated, MEASURED_FRAMES, bytesPerFrame);
        return bytesPerFrame;
    }

    private static void send(final RelayNode relay, final TestMesh.Sender sender, final int from, final int to)
    {
        for (int sequence = from; sequence < to; sequence++)
        {
            sender.send(TestFrames.frame(sequence));
            if (sequence % 100 == 99 || sequence == to - 1)
            {
                final double copies = 2.0 * (sequence + 1);
                TestMesh.await(WAIT).until(() -> counter(relay, "seamcast.relay.frames.in") == copies);
            }
        }
    }
}
