package org.seamcast.edge.node;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.protocol.DecodeResult;
import org.seamcast.codec.protocol.HeartbeatEncoder;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.edge.listener.ListenerServer;
import org.seamcast.edge.listener.ListenerServerContext;
import org.seamcast.transport.AgentWakeup;
import org.seamcast.transport.DeadlineIdleStrategy;
import org.seamcast.transport.link.LinkAddress;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The playout agent's inbox on a clock the test moves: a message is dated with its arrival, however long it waits to
 * be read, and wakes a parked agent only when it could not wait for the agent's own next wake-up.
 */
class PlayoutAgentInboxTest
{
    private static final long SLACK_MS = 30;
    private static final int INBOX_BYTES = 64 * 1024;
    private static final long HOUR_NS = TimeUnit.HOURS.toNanos(1);

    private final AtomicLong nowNs = new AtomicLong(1_800_000_000_000_000_000L);
    private final AgentWakeup wakeup = new AgentWakeup();
    private final ManyToOneRingBuffer inbox = new ManyToOneRingBuffer(
        new UnsafeBuffer(ByteBuffer.allocateDirect(INBOX_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
    private EdgeContext ctx;
    private ListenerServer listeners;
    private PlayoutAgent agent;
    private PathInbox path;

    @AfterEach
    void stop()
    {
        if (agent != null)
        {
            agent.onClose();
        }
        if (listeners != null)
        {
            listeners.close();
        }
        if (ctx != null)
        {
            ctx.transport().close();
        }
    }

    @Test
    void shouldDateAMessageWithItsArrivalNotWithWhenTheAgentReadsIt()
    {
        start();
        final long sentNs = nowNs.get();
        final UnsafeBuffer beat = streamBeat(sentNs / 1000);

        nowNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(5));
        deliver(beat);
        nowNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(2 * SLACK_MS));
        agent.doWork();

        assertThat(agent.pathDelays().delayUs(0)).as("arrived 5 ms after it was sent, read 60 ms later")
            .isEqualTo(5_000);
    }

    @Test
    void shouldLeaveAMessageForAnAgentDueToWakeWithinTwiceTheSlack() throws Exception
    {
        start();
        final long deadlineNs = nowNs.get() + HOUR_NS;
        final CountDownLatch idled = parkUntil(deadlineNs);

        nowNs.set(deadlineNs - TimeUnit.MILLISECONDS.toNanos(SLACK_MS));
        deliver(streamBeat(nowNs.get() / 1000));

        assertThat(wakeup.isParked()).as("it wakes within the message's wait: left parked").isTrue();
        assertThat(idled.getCount()).isOne();
        wakeup.wake();
        assertThat(idled.await(1, TimeUnit.MINUTES)).isTrue();
    }

    @Test
    void shouldWakeAnAgentParkedPastTwiceTheSlackAfterTheMessage() throws Exception
    {
        start();
        final CountDownLatch idled = parkUntil(nowNs.get() + HOUR_NS);

        deliver(streamBeat(nowNs.get() / 1000));

        assertThat(idled.await(1, TimeUnit.MINUTES)).as("parked past the message's wait: woken").isTrue();
    }

    @Test
    void shouldWakeAnAgentDueSoonOnceItsInboxIsOverAQuarterFull() throws Exception
    {
        start();
        final long deadlineNs = nowNs.get() + HOUR_NS;
        final CountDownLatch idled = parkUntil(deadlineNs);
        nowNs.set(deadlineNs - TimeUnit.MILLISECONDS.toNanos(SLACK_MS));
        final UnsafeBuffer beat = streamBeat(nowNs.get() / 1000);

        while (inbox.size() <= INBOX_BYTES / 4)
        {
            assertThat(wakeup.isParked()).as("left parked at %d bytes", inbox.size()).isTrue();
            deliver(beat);
        }

        assertThat(idled.await(1, TimeUnit.MINUTES)).as("woken once over a quarter full").isTrue();
    }

    private void start()
    {
        ctx = new EdgeContext()
            .relay(LinkAddress.parse("tcp://127.0.0.1:9"))
            .playoutSlackMs(SLACK_MS)
            .inboxBytes(INBOX_BYTES)
            .adminAddress(null)
            .clock(nowNs::get)
            .listeners(new ListenerServerContext().bindAddress(new InetSocketAddress("127.0.0.1", 0)))
            .conclude();
        listeners = ListenerServer.start(ctx.listeners());
        agent = new PlayoutAgent(ctx, inbox, List.of(), listeners,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ctx.clock(), wakeup);
        path = new PathInbox(0, inbox, agent, ctx.clock(), io.micrometer.core.instrument.Counter
            .builder("drops").register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
    }

    /** An agent thread parked on the test's clock until {@code deadlineNs}; the latch opens when it returns. */
    private CountDownLatch parkUntil(final long deadlineNs)
    {
        final CountDownLatch idled = new CountDownLatch(1);
        final DeadlineIdleStrategy idle = new DeadlineIdleStrategy(() -> deadlineNs, ctx.clock(), 1, HOUR_NS,
            0, wakeup, () -> false);
        final Thread thread = new Thread(() ->
        {
            idle.idle();
            idled.countDown();
        }, "parked-playout");
        thread.setDaemon(true);
        thread.start();
        await("parked").until(() -> wakeup.isParked() && thread.getState() == Thread.State.TIMED_WAITING);
        return idled;
    }

    private void deliver(final UnsafeBuffer message)
    {
        final MessageDecoder decoder = MessageDecoder.ofValidated();
        assertThat(decoder.decode(message, 0, message.capacity())).isEqualTo(DecodeResult.OK);
        path.onMessage(decoder, message, 0, message.capacity(), null);
    }

    private static UnsafeBuffer streamBeat(final long senderTimeUs)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1400]);
        final int length = new HeartbeatEncoder().wrap(buffer, 0, NodeName.of("ingest-test"))
            .senderTimeUs(senderTimeUs).heartbeatSequence(1).addStream(MountName.of("/live"), 1, 7, 10)
            .finish(null);
        return new UnsafeBuffer(buffer, 0, length);
    }
}
