package org.seamcast.relay;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.protocol.DecodeResult;
import org.seamcast.codec.protocol.HeartbeatEncoder;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.transport.AgentWakeup;
import org.seamcast.transport.ByteBufAccess;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.Peer;
import org.seamcast.transport.link.LinkAddress;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay core's handling of stream heartbeats on a virtual clock: each (sending node, heartbeat sequence) is
 * forwarded once whichever link brings it first, only to subscribers of its mounts and to forward links; entries are
 * checked against the streams held (never a candidate, never further ahead than frames seen, never an epoch from the
 * future) and keep silent streams alive; datagram forward links get the relay's own link heartbeats.
 */
class RelayAgentHeartbeatTest
{
    private static final MountName LIVE = TestFrames.LIVE;
    private static final MountName OTHER = MountName.of("/other");
    private static final NodeName INGEST = NodeName.of("ingest-1");
    private static final int TCP = 0;
    private static final int UDP = 1;
    private static final long FRAME_MS = 26;
    private static final long START_MS = 1_750_000_000_000L;
    private static final long EPOCH = START_MS - 60_000;
    private static final long FIRST_BEAT = 1_749_999_000_000_000L;

    private final CachedEpochClock epochClock = new CachedEpochClock();
    private final MessageDecoder decoder = new MessageDecoder();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final RecordingPeer ingest = new RecordingPeer("ingest-1");
    private final RecordingPeer edge = new RecordingPeer("edge-1");
    private final RecordingPeer otherEdge = new RecordingPeer("edge-2");
    private final RecordingLink udpForward = new RecordingLink("udp://127.0.0.1:9200");
    private final RecordingLink tcpForward = new RecordingLink("tcp://127.0.0.1:9300");
    private RelayContext ctx;
    private InboundProxy proxy;
    private RelayAgent agent;

    @BeforeEach
    void start()
    {
        epochClock.update(START_MS);
    }

    @AfterEach
    void close()
    {
        if (ctx != null)
        {
            ctx.transport().close();
        }
    }

    @Test
    void shouldForwardEachHeartbeatOnceWhicheverLinkBringsItFirst()
    {
        launch(new RelayContext());
        play(EPOCH, 0, 10);

        deliver(TCP, beat(FIRST_BEAT, entry(LIVE, EPOCH, 9)));
        deliver(UDP, beat(FIRST_BEAT, entry(LIVE, EPOCH, 9)));
        deliver(UDP, beat(FIRST_BEAT + 1, entry(LIVE, EPOCH, 9)));
        deliver(TCP, beat(FIRST_BEAT + 1, entry(LIVE, EPOCH, 9)));
        deliver(TCP, beat(FIRST_BEAT, entry(LIVE, EPOCH, 9)));

        assertThat(edge.heartbeats).containsExactly(FIRST_BEAT, FIRST_BEAT + 1);
        assertThat(otherEdge.heartbeats).as("not a subscriber of /live").isEmpty();
        assertThat(udpForward.heartbeatsWithEntries).containsExactly(FIRST_BEAT, FIRST_BEAT + 1);
        assertThat(counter("seamcast.relay.control.suppressed", "type", "heartbeat")).isEqualTo(3);
        assertThat(counter("seamcast.relay.control.forwarded", "type", "heartbeat")).isEqualTo(2);
    }

    @Test
    void shouldForwardEveryPartOfASplitHeartbeatAndABeatRightAfterTheLastFrame()
    {
        launch(new RelayContext());
        play(EPOCH, 0, 10);

        deliver(TCP, beat(FIRST_BEAT, entry(LIVE, EPOCH, 8)));
        deliver(TCP, beat(FIRST_BEAT + 1, entry(LIVE, EPOCH, 8)));
        frame(EPOCH, 10);
        deliver(TCP, beat(FIRST_BEAT + 2, entry(LIVE, EPOCH, 10)));

        assertThat(edge.heartbeats).containsExactly(FIRST_BEAT, FIRST_BEAT + 1, FIRST_BEAT + 2);
    }

    @Test
    void shouldForwardTheHeartbeatsOfARestartedIngestWhoseSequenceStartsHigher()
    {
        launch(new RelayContext());
        play(EPOCH, 0, 10);
        deliver(TCP, beat(FIRST_BEAT + 500, entry(LIVE, EPOCH, 9)));

        deliver(TCP, beat(FIRST_BEAT + 60_000_000, entry(LIVE, EPOCH, 9)));

        assertThat(edge.heartbeats).containsExactly(FIRST_BEAT + 500, FIRST_BEAT + 60_000_000);
    }

    @Test
    void shouldDropAHeartbeatThatNamesNoStreamTheRelayRelays()
    {
        launch(new RelayContext());
        deliver(TCP, beat(FIRST_BEAT, entry(LIVE, EPOCH, 3)));
        play(EPOCH, 0, 10);
        frame(EPOCH + 5_000, 0);
        frame(EPOCH + 5_000, 1);

        deliver(TCP, beat(FIRST_BEAT + 1, entry(LIVE, EPOCH + 5_000, 1)));
        deliver(TCP, beat(FIRST_BEAT + 2, entry(OTHER, EPOCH, 1)));

        assertThat(edge.heartbeats).isEmpty();
        assertThat(drops(RelayDropReason.UNKNOWN_STREAM)).as("before any frame, a candidate, an unknown mount")
            .isEqualTo(3);
    }

    @Test
    void shouldForwardAHeartbeatNamingARetiredEpochWithItsSuccessorsCandidate()
    {
        launch(new RelayContext());
        play(EPOCH, 0, 10);
        final long restarted = EPOCH + 5_000;
        play(restarted, 0, 30);
        assertThat(edge.sequencesOf(restarted)).as("the restart was promoted").isNotEmpty();

        deliver(TCP, beat(FIRST_BEAT, entry(LIVE, EPOCH, 9), entry(LIVE, restarted, 29)));

        assertThat(edge.heartbeats).containsExactly(FIRST_BEAT);
    }

    @Test
    void shouldDropAHeartbeatClaimingFramesFarBeyondTheHighestSeen()
    {
        launch(new RelayContext());
        play(EPOCH, 0, 10);
        final long lead = RelayContext.DEFAULT_HEARTBEAT_MAX_LEAD_SEQUENCES;

        deliver(TCP, beat(FIRST_BEAT, entry(LIVE, EPOCH, 9 + lead + 1)));
        deliver(TCP, beat(FIRST_BEAT + 1, entry(LIVE, EPOCH, 9 + lead)));

        assertThat(edge.heartbeats).containsExactly(FIRST_BEAT + 1);
        assertThat(drops(RelayDropReason.HEARTBEAT_AHEAD)).isEqualTo(1);
    }

    @Test
    void shouldDropAHeartbeatWithAnEpochFromTheFutureOrAStaleStampOverADatagramPath()
    {
        launch(new RelayContext());
        play(EPOCH, 0, 10);
        final long dayAheadMs = START_MS + TimeUnit.DAYS.toMillis(2);

        deliver(TCP, beat(FIRST_BEAT, entry(LIVE, EPOCH, 9), entry(LIVE, dayAheadMs, 0)));
        deliver(UDP, beat(FIRST_BEAT + 1, (START_MS - 120_000) * 1000, entry(LIVE, EPOCH, 9)));

        assertThat(edge.heartbeats).isEmpty();
        assertThat(drops(RelayDropReason.EPOCH_IN_FUTURE)).isEqualTo(1);
        assertThat(drops(RelayDropReason.TIMESTAMP_OUT_OF_RANGE)).isEqualTo(1);
    }

    @Test
    void shouldKeepASilentStreamWhoseIngestStillBeatsItFromBeingForgotten()
    {
        launch(new RelayContext().streamIdleTimeoutMs(2_000));
        play(EPOCH, 0, 10);
        long beatSequence = FIRST_BEAT;
        for (int beat = 0; beat < 20; beat++)
        {
            advanceMs(250);
            deliver(UDP, beat(beatSequence++, entry(LIVE, EPOCH, 9)));
        }
        assertThat(TestMesh.gauge(ctx.registry(), "seamcast.relay.streams")).as("beaten for 5 s").isEqualTo(1);

        for (int tick = 0; tick < 30; tick++)
        {
            advanceMs(100);
        }
        assertThat(TestMesh.gauge(ctx.registry(), "seamcast.relay.streams")).as("then silent for 3 s").isZero();
    }

    @Test
    void shouldSendItsOwnLinkHeartbeatOnDatagramForwardLinksOnly()
    {
        launch(new RelayContext());

        for (int tick = 0; tick < 11; tick++)
        {
            advanceMs(100);
        }

        assertThat(udpForward.linkHeartbeats).as("every 500 ms, from the first cycle")
            .containsExactly("relay-virtual", "relay-virtual", "relay-virtual");
        assertThat(tcpForward.linkHeartbeats).as("a TCP link beats for itself").isEmpty();
    }

    private void launch(final RelayContext context)
    {
        ctx = context.nodeName("relay-virtual")
            .listen(LinkAddress.parse("tcp://127.0.0.1:0"))
            .listen(LinkAddress.parse("udp://127.0.0.1:0"))
            .registry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
            .clock(() -> TimeUnit.MILLISECONDS.toNanos(epochClock.time()))
            .conclude();
        final RelayMetrics metrics = new RelayMetrics(ctx.registry());
        metrics.inboundPaths(List.of("tcp://127.0.0.1:9001", "udp://127.0.0.1:9001"));
        final ManyToOneRingBuffer dataQueue = queue(ctx.inboundQueueBytes());
        final ManyToOneRingBuffer controlQueue = queue(ctx.controlQueueBytes());
        proxy = new InboundProxy(dataQueue, controlQueue, metrics, new AgentWakeup(), ctx.clock(),
            TimeUnit.MICROSECONDS.toNanos(ctx.batchUs()));
        agent = new RelayAgent(ctx, proxy, dataQueue, controlQueue, metrics);
        agent.inboundPaths(new boolean[] {false, true}, new boolean[] {false, false});
        agent.addForwardLink(udpForward);
        agent.addForwardLink(tcpForward);
        proxy.listener(TCP, false).onEstablished(ingest);
        proxy.listener(TCP, false).onEstablished(edge);
        proxy.listener(TCP, false).onEstablished(otherEdge);
        deliver(TCP, edge, TestFrames.subscribe(-1, null, LIVE));
        deliver(TCP, otherEdge, TestFrames.subscribe(-1, null, OTHER));
    }

    private static ManyToOneRingBuffer queue(final int bytes)
    {
        return new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(bytes + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    private void deliver(final int path, final ByteBuf message)
    {
        deliver(path, ingest, message);
    }

    private void deliver(final int path, final Peer from, final ByteBuf message)
    {
        ByteBufAccess.wrapReadable(view, message);
        assertThat(decoder.decode(view, 0, message.readableBytes())).isEqualTo(DecodeResult.OK);
        proxy.handler(path).onMessage(decoder, view, 0, message.readableBytes(), from);
        message.release();
        agent.doWork();
    }

    private void frame(final long epoch, final long sequence)
    {
        deliver(TCP, TestFrames.frame(LIVE, epoch, sequence, epochClock.time() * 1000, 100, null));
    }

    private void play(final long epoch, final long from, final long to)
    {
        for (long sequence = from; sequence < to; sequence++)
        {
            frame(epoch, sequence);
            advanceMs(FRAME_MS);
        }
    }

    private void advanceMs(final long ms)
    {
        epochClock.advance(ms);
        agent.doWork();
    }

    private record Entry(MountName mount, long epoch, long lastSequence)
    {
    }

    private static Entry entry(final MountName mount, final long epoch, final long lastSequence)
    {
        return new Entry(mount, epoch, lastSequence);
    }

    private ByteBuf beat(final long beatSequence, final Entry... entries)
    {
        return beat(beatSequence, epochClock.time() * 1000, entries);
    }

    private static ByteBuf beat(final long beatSequence, final long senderTimeUs, final Entry... entries)
    {
        final ByteBuf buf = Unpooled.directBuffer(1400);
        final HeartbeatEncoder encoder = new HeartbeatEncoder().wrap(TestFrames.view(buf), 0, INGEST)
            .senderTimeUs(senderTimeUs).heartbeatSequence(beatSequence);
        for (final Entry entry : entries)
        {
            encoder.addStream(entry.mount(), TestFrames.ENCODER_ID, entry.epoch(), entry.lastSequence());
        }
        buf.writerIndex(encoder.finish(null));
        return buf;
    }

    private double counter(final String name, final String... tags)
    {
        return TestMesh.counter(ctx.registry(), name, tags);
    }

    private double drops(final RelayDropReason reason)
    {
        return counter("seamcast.relay.drops", "reason", reason.tag());
    }

    /**
     * A subscriber's connection: records the frames and the heartbeat sequences it is sent.
     */
    private static final class RecordingPeer implements Peer
    {
        private final String name;
        private final MessageDecoder decoder = new MessageDecoder();
        private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        final List<long[]> frames = new ArrayList<>();
        final List<Long> heartbeats = new ArrayList<>();

        RecordingPeer(final String name)
        {
            this.name = name;
        }

        List<Long> sequencesOf(final long epoch)
        {
            return frames.stream().filter(f -> f[0] == epoch).map(f -> f[1]).toList();
        }

        @Override
        public String name()
        {
            return name;
        }

        @Override
        public String path()
        {
            return "tcp://127.0.0.1:9001";
        }

        @Override
        public boolean send(final DirectBuffer buffer, final int offset, final int length)
        {
            view.wrap(buffer, offset, length);
            assertThat(decoder.decode(view, 0, length)).isEqualTo(DecodeResult.OK);
            if (decoder.type() == MessageType.FRAME)
            {
                frames.add(new long[] {decoder.frame().epoch(), decoder.frame().sequence()});
            }
            else if (decoder.type() == MessageType.HEARTBEAT)
            {
                heartbeats.add(decoder.heartbeat().heartbeatSequence());
            }
            return true;
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    }

    /**
     * A forward link: records the heartbeats offered to it, stream heartbeats by sequence and link heartbeats by
     * their sender's name.
     */
    private static final class RecordingLink implements MessageLink
    {
        private final LinkAddress address;
        private final MessageDecoder decoder = new MessageDecoder();
        private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        final List<Long> heartbeatsWithEntries = new ArrayList<>();
        final List<String> linkHeartbeats = new ArrayList<>();

        RecordingLink(final String address)
        {
            this.address = LinkAddress.parse(address);
        }

        @Override
        public LinkAddress address()
        {
            return address;
        }

        @Override
        public boolean offer(final DirectBuffer buffer, final int offset, final int length)
        {
            view.wrap(buffer, offset, length);
            assertThat(decoder.decode(view, 0, length)).isEqualTo(DecodeResult.OK);
            if (decoder.type() == MessageType.HEARTBEAT)
            {
                if (decoder.heartbeat().streamCount() > 0)
                {
                    heartbeatsWithEntries.add(decoder.heartbeat().heartbeatSequence());
                }
                else
                {
                    final byte[] name = new byte[decoder.heartbeat().nodeNameLength()];
                    view.getBytes(decoder.heartbeat().nodeNameOffset(), name);
                    linkHeartbeats.add(new String(name, StandardCharsets.US_ASCII));
                }
            }
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
