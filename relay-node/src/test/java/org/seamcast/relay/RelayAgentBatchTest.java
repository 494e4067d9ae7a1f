package org.seamcast.relay;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.protocol.DecodeResult;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.transport.AgentWakeup;
import org.seamcast.transport.ByteBufAccess;
import org.seamcast.transport.DeadlineIdleStrategy;
import org.seamcast.transport.link.LinkAddress;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How the relay core sleeps, on a virtual clock: after a cycle that took a copy it gathers for a batch, in which the
 * I/O threads leave it parked, and with nothing arriving it sleeps until its timers, from which a copy wakes it.
 */
class RelayAgentBatchTest
{
    private static final long START_MS = 1_750_000_000_000L;

    private final CachedEpochClock epochClock = new CachedEpochClock();
    private final MessageDecoder decoder = new MessageDecoder();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final AgentWakeup wakeup = new AgentWakeup();
    private RelayContext ctx;
    private InboundProxy proxy;
    private RelayAgent agent;
    private long batchNs;
    private long sequence;

    @AfterEach
    void close()
    {
        if (ctx != null)
        {
            ctx.transport().close();
        }
    }

    @Test
    void shouldGatherForABatchAfterTakingACopyThenSleepUntilItsTimers()
    {
        launch();
        agent.doWork();
        final long timersNs = agent.nextDeadlineNs();
        assertThat(timersNs - nowNs()).as("nothing arrived: its timers, not a poll")
            .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(100));

        offerCopy();
        agent.doWork();
        assertThat(agent.nextDeadlineNs()).as("a batch from the cycle that took the copy").isEqualTo(nowNs() + batchNs);

        epochClock.advance(TimeUnit.NANOSECONDS.toMillis(batchNs) + 1);
        agent.doWork();
        assertThat(agent.nextDeadlineNs()).as("nothing came in the batch: its timers again").isEqualTo(timersNs);
    }

    @Test
    void shouldLeaveACoreGatheringABatchAndWakeOneAsleepUntilItsTimers() throws Exception
    {
        launch();
        final long hourNs = TimeUnit.HOURS.toNanos(1);

        final CountDownLatch gathering = new CountDownLatch(1);
        idleOnce(nowNs() + hourNs, hourNs, gathering);
        // the copy comes as the park ends: within the batch it may wait for
        epochClock.advance(TimeUnit.NANOSECONDS.toMillis(hourNs));
        offerCopy();
        assertThat(wakeup.isParked()).as("parked to within a batch of the copy: left parked").isTrue();
        wakeup.wake();
        assertThat(gathering.await(1, TimeUnit.MINUTES)).isTrue();

        final CountDownLatch asleep = new CountDownLatch(1);
        idleOnce(nowNs() + hourNs, hourNs, asleep);
        offerCopy();
        assertThat(asleep.await(1, TimeUnit.MINUTES)).as("asleep until a timer an hour away: woken").isTrue();
    }

    private void launch()
    {
        epochClock.update(START_MS);
        ctx = new RelayContext().nodeName("relay-virtual")
            .listen(LinkAddress.parse("tcp://127.0.0.1:0"))
            .registry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
            .clock(() -> TimeUnit.MILLISECONDS.toNanos(epochClock.time()))
            .conclude();
        batchNs = TimeUnit.MICROSECONDS.toNanos(ctx.batchUs());
        final RelayMetrics metrics = new RelayMetrics(ctx.registry());
        metrics.inboundPaths(List.of("tcp://127.0.0.1:9001"));
        final ManyToOneRingBuffer dataQueue = queue(ctx.inboundQueueBytes());
        final ManyToOneRingBuffer controlQueue = queue(ctx.controlQueueBytes());
        proxy = new InboundProxy(dataQueue, controlQueue, metrics, wakeup, ctx.clock(), batchNs);
        agent = new RelayAgent(ctx, proxy, dataQueue, controlQueue, metrics);
        agent.inboundPaths(new boolean[] {false}, new boolean[] {false});
    }

    private long nowNs()
    {
        return ctx.clock().nanoTime();
    }

    /** A copy handed over as an I/O thread would, without running the agent. */
    private void offerCopy()
    {
        final ByteBuf message = TestFrames.frame(TestFrames.LIVE, 1, sequence++, epochClock.time() * 1000, 100, null);
        ByteBufAccess.wrapReadable(view, message);
        assertThat(decoder.decode(view, 0, message.readableBytes())).isEqualTo(DecodeResult.OK);
        proxy.handler(0).onMessage(decoder, view, 0, message.readableBytes(), null);
        message.release();
    }

    /** A core thread parked on the virtual clock until {@code deadlineNs}, for at most {@code maxParkNs}. */
    private void idleOnce(final long deadlineNs, final long maxParkNs, final CountDownLatch idled)
    {
        final DeadlineIdleStrategy idle =
            new DeadlineIdleStrategy(() -> deadlineNs, ctx.clock(), 1, maxParkNs, 0, wakeup, () -> false);
        final Thread thread = new Thread(() ->
        {
            idle.idle();
            idled.countDown();
        }, "parked-relay-core");
        thread.setDaemon(true);
        thread.start();
        await("parked").until(() -> wakeup.isParked() && thread.getState() == Thread.State.TIMED_WAITING);
    }

    private static ManyToOneRingBuffer queue(final int bytes)
    {
        return new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(bytes + RingBufferDescriptor.TRAILER_LENGTH)));
    }
}
