package org.seamcast.relay;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.seamcast.codec.protocol.MountName;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seamcast.relay.TestMesh.counter;

/**
 * What the relay core allocates per frame once warm, measured on the agent thread while frames flow through a real
 * relay (two copies of each frame in, over two TCP paths).
 *
 * <p>The core's own work (queue, decode, dedup, ring, filters, counters) allocates nothing. Handing a message to a
 * subscriber does: Netty's write from a thread outside the channel's event loop queues a task (recycled objects
 * and queue chunks, about 150 bytes a send here); the test bounds it so a regression shows.
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
        final double bytesPerFrame = measure(MountName.of("/elsewhere"));

        assertThat(bytesPerFrame).isLessThan(1.0);
    }

    @Test
    void shouldAllocateOnlyNettysWriteHandOffPerSubscriberSend()
    {
        final double bytesPerSend = measure(TestFrames.LIVE) / 2;

        assertThat(bytesPerSend).isLessThan(512);
    }

    /**
     * @return bytes allocated by the relay core per frame while two subscribers of {@code subscribed} listen.
     */
    private double measure(final MountName subscribed)
    {
        final RelayNode relay = mesh.relay("relay-alloc", 2);
        final TestMesh.Sender sender = mesh.sender("ingest-1", null, relay.listenPort(0), relay.listenPort(1));
        mesh.subscriber("edge-a", null, relay.listenPort(0), s -> TestFrames.subscribe(-1, null, subscribed));
        mesh.subscriber("edge-b", null, relay.listenPort(1), s -> TestFrames.subscribe(-1, null, subscribed));
        RelayNodeTest.awaitSubscribed(relay, 2);
        TestMesh.await(WAIT).until(sender::isConnected);
        final Thread agent = Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().equals("seamcast-relay-relay-alloc")).findFirst().orElseThrow();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

        send(relay, sender, 0, WARMUP_FRAMES);
        final long before = threads.getThreadAllocatedBytes(agent.getId());
        send(relay, sender, WARMUP_FRAMES, WARMUP_FRAMES + MEASURED_FRAMES);
        final long allocated = threads.getThreadAllocatedBytes(agent.getId()) - before;

        assertThat(counter(relay, "seamcast.relay.frames.duplicate")).isEqualTo(WARMUP_FRAMES + MEASURED_FRAMES);
        final double bytesPerFrame = (double)allocated / MEASURED_FRAMES;
        System.out.printf("relay core, subscribers of %s: %d bytes for %d frames, %.1f B/frame%n",
            subscribed, allocated, MEASURED_FRAMES, bytesPerFrame);
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
