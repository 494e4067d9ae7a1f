package org.seamcast.edge.node;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.protocol.CodecType;
import org.seamcast.codec.protocol.DecodeResult;
import org.seamcast.codec.protocol.FrameEncoder;
import org.seamcast.codec.protocol.HeartbeatEncoder;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.MetadataEncoder;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.edge.listener.ListenerServer;
import org.seamcast.edge.listener.ListenerServerContext;
import org.seamcast.transport.AgentWakeup;
import org.seamcast.transport.DeadlineIdleStrategy;
import org.seamcast.transport.link.LinkAddress;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The playout agents' inboxes on a clock the test moves: a message is dated with its arrival, however long it waits
 * to be read, wakes a parked agent only when it could not wait for the agent's own next wake-up, and goes to the agent
 * that owns its mount (a stream heartbeat to every agent).
 */
class PlayoutAgentInboxTest
{
    private static final long SLACK_MS = 30;
    private static final int INBOX_BYTES = 64 * 1024;
    private static final long HOUR_NS = TimeUnit.HOURS.toNanos(1);

    private final AtomicLong nowNs = new AtomicLong(1_800_000_000_000_000_000L);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private AgentWakeup wakeup;
    private ManyToOneRingBuffer inbox;
    private int maxMounts = EdgeContext.DEFAULT_MAX_MOUNTS;
    private EdgeContext ctx;
    private ListenerServer listeners;
    private PlayoutShards shards;
    private PlayoutAgent agent;
    private PathInbox path;

    @AfterEach
    void stop()
    {
        if (shards != null)
        {
            for (int shard = 0; shard < shards.count(); shard++)
            {
                shards.agent(shard).onClose();
            }
            shards.close();
        }
        if (listeners != null)
        {
            listeners.close();
        }
        if (ctx != null)
        {
            ctx.transport().close();
        }
        registry.close();
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

        assertThat(shards.pathDelays().delayUs(0)).as("arrived 5 ms after it was sent, read 60 ms later")
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

    @Test
    void shouldPutEachMountsMessagesInTheInboxOfTheAgentThatOwnsItAndAStreamHeartbeatInEvery()
    {
        start(3);
        final List<MountName> mounts = new ArrayList<>();
        for (int m = 0; m < 60; m++)
        {
            mounts.add(MountName.of("/station-" + m));
        }
        final int[] owned = new int[shards.count()];
        for (final MountName mount : mounts)
        {
            final int owner = ownerIndex(mount);
            deliver(frame(mount));
            deliver(metadata(mount));
            final int[] queued = drainInboxes();
            for (int shard = 0; shard < shards.count(); shard++)
            {
                assertThat(queued[shard]).as("%s's messages in the inbox of agent %d", mount, shard)
                    .isEqualTo(shard == owner ? 2 : 0);
            }
            owned[owner]++;
        }
        assertThat(java.util.Arrays.stream(owned).min().orElseThrow()).as("fewest of 60 mounts on one of 3 agents")
            .isGreaterThanOrEqualTo(10);

        deliver(streamBeat(nowNs.get() / 1000));
        assertThat(drainInboxes()).as("the stream heartbeat in every agent's inbox").containsExactly(1, 1, 1);
    }

    @Test
    void shouldOpenEveryMountOnItsOwnersThreadUpToTheEdgesMountLimitAcrossAgents()
    {
        maxMounts = 5;
        start(2);
        for (int m = 0; m < 12; m++)
        {
            deliver(frame(MountName.of("/station-" + m)));
        }
        for (int shard = 0; shard < shards.count(); shard++)
        {
            shards.agent(shard).doWork();
        }

        assertThat(listeners.mounts()).as("mounts open across both agents").hasSize(5);
        assertThat(shards.mountsRefused()).as("frames of the mounts beyond the limit").isEqualTo(7);
        for (final var mount : listeners.mounts())
        {
            assertThat(List.of(0, 1)).contains(ownerIndex(MountName.of(mount.name())));
        }
    }

    private void start()
    {
        start(1);
    }

    private void start(final int playoutThreads)
    {
        ctx = new EdgeContext()
            .relay(LinkAddress.parse("tcp://127.0.0.1:9"))
            .playoutSlackMs(SLACK_MS)
            .inboxBytes(INBOX_BYTES)
            .playoutThreads(playoutThreads)
            .maxMounts(maxMounts)
            .adminAddress(null)
            .clock(nowNs::get)
            .registry(registry)
            .listeners(new ListenerServerContext().bindAddress(new InetSocketAddress("127.0.0.1", 0)))
            .conclude();
        listeners = ListenerServer.start(ctx.listeners());
        shards = new PlayoutShards(ctx, List.of(), listeners, registry, ctx.clock());
        agent = shards.agent(0);
        inbox = shards.inbox(0);
        wakeup = shards.wakeup(0);
        path = new PathInbox(0, shards, ctx.clock(), io.micrometer.core.instrument.Counter
            .builder("drops").register(registry));
    }

    private int ownerIndex(final MountName mount)
    {
        for (int shard = 0; shard < shards.count(); shard++)
        {
            if (shards.ownerOf(mount.hash()) == shards.agent(shard))
            {
                return shard;
            }
        }
        throw new AssertionError("no owner for " + mount);
    }

    /** Reads every inbox empty: how many messages each held. */
    private int[] drainInboxes()
    {
        final int[] counts = new int[shards.count()];
        for (int shard = 0; shard < counts.length; shard++)
        {
            final int[] count = {0};
            shards.inbox(shard).read((type, buffer, index, length) -> count[0]++);
            counts[shard] = count[0];
        }
        return counts;
    }

    private static UnsafeBuffer frame(final MountName mount)
    {
        final byte[] payload = EdgeNodeTest.frame(1, 0);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
        final int length = new FrameEncoder().wrap(buffer, 0, mount)
            .encoderId(1).priority(0).epoch(7).sequence(0).timestampUs(1_000_000)
            .codec(CodecType.MP3).sampleRate(44_100).samplesInFrame(1152).cleanSwitch(true)
            .payload(payload, 0, payload.length)
            .finish(null);
        return new UnsafeBuffer(buffer, 0, length);
    }

    private static UnsafeBuffer metadata(final MountName mount)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
        final int length = new MetadataEncoder().wrap(buffer, 0, mount)
            .encoderId(1).epoch(7).timestampUs(1_000_000).streamTitle("a title")
            .finish(null);
        return new UnsafeBuffer(buffer, 0, length);
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
