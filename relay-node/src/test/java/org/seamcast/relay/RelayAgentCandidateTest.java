package org.seamcast.relay;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.protocol.CodecType;
import org.seamcast.codec.protocol.DecodeResult;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.codec.protocol.MetadataEncoder;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.transport.AgentWakeup;
import org.seamcast.transport.ByteBufAccess;
import org.seamcast.transport.Peer;
import org.seamcast.transport.link.LinkAddress;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay core's rules for candidates, stream limits and freshness, on a virtual clock: messages go in through the
 * {@link InboundProxy} as an I/O thread would hand them, {@link RelayAgent#doWork()} is called by the test, and a
 * subscriber's peer records what it is sent.
 */
class RelayAgentCandidateTest
{
    private static final MountName LIVE = TestFrames.LIVE;
    private static final int TCP = 0;
    private static final int UDP = 1;
    private static final long FRAME_MS = 26;
    private static final long START_MS = 1_750_000_000_000L;

    private final CachedEpochClock epochClock = new CachedEpochClock();
    private final MessageDecoder decoder = new MessageDecoder();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final RecordingPeer ingest = new RecordingPeer("ingest-1");
    private final RecordingPeer edge = new RecordingPeer("edge-1");
    private RelayContext ctx;
    private InboundProxy proxy;
    private RelayAgent agent;

    @BeforeEach
    void start()
    {
        epochClock.update(START_MS);
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
        proxy.listener(TCP, false).onEstablished(ingest);
        proxy.listener(TCP, false).onEstablished(edge);
        deliver(TCP, edge, TestFrames.subscribe(-1, null, LIVE));
    }

    private void launch()
    {
        launch(new RelayContext());
    }

    @AfterEach
    void close()
    {
        if (ctx != null)
        {
            ctx.transport().close();
        }
    }

    private static ManyToOneRingBuffer queue(final int bytes)
    {
        return new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(bytes + RingBufferDescriptor.TRAILER_LENGTH)));
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
        frame(TCP, ingest, LIVE, epoch, sequence);
    }

    private void frame(final int path, final Peer from, final MountName mount, final long epoch, final long sequence)
    {
        deliver(path, from, TestFrames.frame(mount, epoch, sequence, epochClock.time() * 1000, 100, null));
    }

    private void advanceMs(final long ms)
    {
        epochClock.advance(ms);
        agent.doWork();
    }

    /**
     * Sends frames {@code from..to-1} of an epoch one frame interval apart.
     */
    private void play(final long epoch, final long from, final long to)
    {
        for (long sequence = from; sequence < to; sequence++)
        {
            frame(epoch, sequence);
            advanceMs(FRAME_MS);
        }
    }

    private double drops(final RelayDropReason reason)
    {
        return TestMesh.counter(ctx.registry(), "seamcast.relay.drops", "reason", reason.tag());
    }

    private double counter(final String name, final String... tags)
    {
        return TestMesh.counter(ctx.registry(), name, tags);
    }

    private static List<Long> range(final long from, final long to)
    {
        return LongStream.range(from, to).boxed().collect(Collectors.toList());
    }

    @Test
    void shouldHoldALaterEpochUntilItHasKeptComingForTheProofTimeThenSendItsHeldFramesInOrder()
    {
        launch();
        final long oldEpoch = START_MS - 60_000;
        final long newEpoch = START_MS;
        play(oldEpoch, 0, 20);
        deliver(TCP, ingest, announce(newEpoch));

        final long proofFrames = RelayContext.DEFAULT_CANDIDATE_PROOF_MS / FRAME_MS;
        for (long sequence = 0; sequence < proofFrames; sequence++)
        {
            frame(newEpoch, sequence);
            assertThat(edge.epochs()).as("after frame %d of the candidate", sequence).containsOnly(oldEpoch);
            advanceMs(FRAME_MS);
        }
        play(newEpoch, proofFrames, proofFrames + 5);
        play(oldEpoch, 20, 21);

        assertThat(edge.events.indexOf("announce " + newEpoch)).isNotNegative()
            .isLessThan(edge.events.indexOf("frame " + newEpoch + " 0"));
        assertThat(edge.sequencesOf(newEpoch)).containsExactlyElementsOf(range(0, proofFrames + 5));
        assertThat(edge.sequencesOf(oldEpoch)).as("the old epoch, displaced, is only a candidate now")
            .containsExactlyElementsOf(range(0, 20));
        assertThat(counter("seamcast.relay.candidates", "outcome", "promoted")).isEqualTo(1);
        assertThat(counter("seamcast.relay.frames.accepted")).isEqualTo(20 + proofFrames + 5);
    }

    @Test
    void shouldPromoteAnEarlierEpochOnlyOnceTheCurrentStreamHasFallenSilent()
    {
        launch();
        final long current = START_MS;
        final long earlier = START_MS - 3_600_000;
        for (long sequence = 0; sequence < 60; sequence++)
        {
            frame(current, sequence);
            frame(earlier, sequence);
            advanceMs(FRAME_MS);
        }
        assertThat(edge.epochs()).containsOnly(current);

        play(earlier, 60, 60 + RelayContext.DEFAULT_CANDIDATE_PROOF_MS / FRAME_MS + 2);

        assertThat(edge.sequencesOf(earlier)).startsWith(0L).contains(60L);
        assertThat(counter("seamcast.relay.candidates", "outcome", "promoted")).isEqualTo(1);
    }

    @Test
    void shouldRefuseASecondCandidateWhileTheFirstIsProvingAndLetItInOnceTheFirstStalls()
    {
        launch();
        final long epoch = START_MS - 10_000;
        play(epoch, 0, 10);
        frame(START_MS + 1, 0);
        frame(START_MS + 2, 0);
        assertThat(drops(RelayDropReason.CANDIDATE_BUSY)).isEqualTo(1);

        advanceMs(RelayContext.DEFAULT_CANDIDATE_STALL_MS + 1);
        for (long sequence = 0; sequence < 30; sequence++)
        {
            frame(epoch, 10 + sequence);
            frame(START_MS + 2, sequence);
            advanceMs(FRAME_MS);
        }
        assertThat(edge.sequencesOf(START_MS + 2)).containsExactlyElementsOf(range(0, 30));
        assertThat(edge.epochs()).doesNotContain(START_MS + 1);
        assertThat(counter("seamcast.relay.candidates", "outcome", "abandoned")).isEqualTo(1);
    }

    @Test
    void shouldStartTheProofAgainAfterAStall()
    {
        launch();
        final long epoch = START_MS - 10_000;
        play(epoch, 0, 100);
        for (long sequence = 0; sequence < 10; sequence++)
        {
            frame(START_MS, sequence);
            advanceMs(RelayContext.DEFAULT_CANDIDATE_STALL_MS + 1);
        }
        assertThat(edge.epochs()).containsOnly(epoch);
        assertThat(counter("seamcast.relay.frames.candidate")).isEqualTo(10);
    }

    @Test
    void shouldCountAFrameTooFarFromTheCandidatesRunWithoutLettingItMoveTheRun()
    {
        launch();
        final long epoch = START_MS - 10_000;
        frame(epoch, 0);
        frame(START_MS, 0);
        frame(START_MS, StreamCandidate.MAX_SEQUENCE_GAP + 1);
        frame(START_MS, 1L << 60);
        assertThat(drops(RelayDropReason.NOT_CONTINUOUS)).isEqualTo(2);

        play(START_MS, 1, 1 + RelayContext.DEFAULT_CANDIDATE_PROOF_MS / FRAME_MS + 2);
        assertThat(edge.sequencesOf(START_MS)).startsWith(0L, 1L, 2L);
    }

    @Test
    void shouldLetTheLiveStreamJumpFurtherTheLongerItWasSilent()
    {
        launch();
        final long epoch = START_MS;
        play(epoch, 0, 10);
        final long jumpFrames = RelayContext.DEFAULT_SEQUENCE_JUMP_MS * 44_100 / (1000L * 1152);
        frame(epoch, 9 + jumpFrames + 2);
        assertThat(edge.sequencesOf(epoch)).hasSize(10);
        assertThat(counter("seamcast.relay.frames.candidate")).isEqualTo(1);

        advanceMs(20_000);
        final long afterSilence = 9 + (RelayContext.DEFAULT_SEQUENCE_JUMP_MS + 20_000) * 44_100 / (1000L * 1152);
        frame(epoch, afterSilence - 1);
        assertThat(edge.sequencesOf(epoch)).hasSize(11).endsWith(afterSilence - 1);
    }

    @Test
    void shouldFollowAJumpOnlyOnceItHasProvenItselfAndTheOldRunHasStopped()
    {
        launch();
        final long epoch = START_MS;
        play(epoch, 0, 10);
        final long jumped = 1_000_000;
        for (long sequence = 0; sequence < 30; sequence++)
        {
            frame(epoch, 10 + sequence);
            frame(epoch, jumped + sequence);
            advanceMs(FRAME_MS);
        }
        assertThat(edge.sequencesOf(epoch)).containsExactlyElementsOf(range(0, 40));

        play(epoch, jumped + 30, jumped + 60);
        assertThat(edge.sequencesOf(epoch)).contains(jumped + 59).doesNotContain(jumped + 29);
    }

    @Test
    void shouldRefuseAnEpochMoreThanADayAheadOfTheWallClock()
    {
        launch();
        frame(START_MS + RelayContext.DEFAULT_MAX_EPOCH_LEAD_MS + 1, 0);
        frame(-1L, 0);
        deliver(TCP, ingest, announce(START_MS + RelayContext.DEFAULT_MAX_EPOCH_LEAD_MS + 1));
        frame(START_MS + RelayContext.DEFAULT_MAX_EPOCH_LEAD_MS, 0);

        assertThat(drops(RelayDropReason.EPOCH_IN_FUTURE)).isEqualTo(3);
        assertThat(edge.epochs()).containsExactly(START_MS + RelayContext.DEFAULT_MAX_EPOCH_LEAD_MS);
    }

    @Test
    void shouldDropStaleDatagramsButTakeOldFramesOverTcp()
    {
        launch();
        final long epoch = START_MS;
        final long stamp = epochClock.time() * 1000;
        play(epoch, 0, 5);
        deliver(UDP, ingest, TestFrames.frame(LIVE, epoch, 5, stamp - 30_001_000, 100, null));
        deliver(UDP, ingest, TestFrames.frame(LIVE, epoch, 6, epochClock.time() * 1000 + 5_001_000, 100, null));
        deliver(UDP, ingest, TestFrames.frame(LIVE, epoch, 7, epochClock.time() * 1000 - 29_000_000, 100, null));
        deliver(TCP, ingest, TestFrames.frame(LIVE, epoch, 8, stamp - 3_600_000_000L, 100, null));

        assertThat(drops(RelayDropReason.TIMESTAMP_OUT_OF_RANGE)).isEqualTo(2);
        assertThat(edge.sequencesOf(epoch)).containsExactly(0L, 1L, 2L, 3L, 4L, 7L, 8L);
    }

    @Test
    void shouldDropAReplayedOlderTitle()
    {
        launch();
        play(START_MS, 0, 2);
        deliver(TCP, ingest, metadata(START_MS, 2_000_000, "Second"));
        deliver(TCP, ingest, metadata(START_MS, 1_000_000, "First"));

        assertThat(drops(RelayDropReason.STALE_METADATA)).isEqualTo(1);
        assertThat(edge.types.stream().filter(t -> t == MessageType.METADATA).count()).isEqualTo(1);
    }

    @Test
    void shouldLimitEachSourceToItsShareAndLetIdleStreamsGiveWay()
    {
        launch(new RelayContext().maxStreams(8).maxStreamsPerSource(3));
        final RecordingPeer junk = new RecordingPeer("10.0.0.66:4000");
        for (int i = 0; i < 6; i++)
        {
            frame(UDP, junk, MountName.of("/junk-" + i), START_MS, 0);
        }
        assertThat(drops(RelayDropReason.TOO_MANY_STREAMS_FOR_SOURCE)).isEqualTo(3);

        play(START_MS, 0, 3);
        assertThat(edge.sequencesOf(START_MS)).containsExactly(0L, 1L, 2L);

        advanceMs(RelayContext.DEFAULT_STREAM_EVICTABLE_IDLE_MS + 1);
        frame(UDP, junk, MountName.of("/junk-new"), START_MS, 0);
        assertThat(counter("seamcast.relay.streams.evicted")).isEqualTo(1);
        assertThat(drops(RelayDropReason.TOO_MANY_STREAMS_FOR_SOURCE)).isEqualTo(3);
    }

    @Test
    void shouldLetAnIdleStreamGiveWayWhenTheWholeTableIsFull()
    {
        launch(new RelayContext().maxStreams(4).maxStreamsPerSource(4));
        for (int i = 0; i < 4; i++)
        {
            frame(TCP, ingest, MountName.of("/other-" + i), START_MS, 0);
        }
        frame(START_MS, 0);
        assertThat(drops(RelayDropReason.TOO_MANY_STREAMS)).isEqualTo(1);

        advanceMs(RelayContext.DEFAULT_STREAM_EVICTABLE_IDLE_MS + 1);
        frame(START_MS, 0);
        assertThat(edge.sequencesOf(START_MS)).containsExactly(0L);
        assertThat(counter("seamcast.relay.streams.evicted")).isEqualTo(1);
    }

    @Test
    void shouldForgetTheStreamOfACandidateThatGaveUp()
    {
        launch();
        play(START_MS - 10_000, 0, 5);
        frame(START_MS, 0);
        assertThat(TestMesh.gauge(ctx.registry(), "seamcast.relay.streams")).isEqualTo(2);

        advanceMs(1_500);
        assertThat(TestMesh.gauge(ctx.registry(), "seamcast.relay.streams")).isEqualTo(1);
    }

    @Test
    void shouldSendWhatACandidateHeldWhenTheStreamItWaitedOnIsForgotten()
    {
        launch(new RelayContext().streamIdleTimeoutMs(1_000).candidateProofFrames(1_000));
        final long earlier = START_MS - 10_000;
        play(START_MS, 0, 5);
        play(earlier, 0, 100);

        assertThat(edge.sequencesOf(earlier)).containsExactlyElementsOf(range(0, 100));
        assertThat(counter("seamcast.relay.candidates", "outcome", "promoted")).isEqualTo(1);
    }

    @Test
    void shouldNotResumeOrRetransmitAnUnprovenCandidate()
    {
        launch();
        play(START_MS - 10_000, 0, 5);
        frame(START_MS, 0);
        frame(START_MS, 1);
        final RecordingPeer late = new RecordingPeer("edge-2");
        proxy.listener(TCP, false).onEstablished(late);
        deliver(TCP, late, TestFrames.subscribeResuming(LIVE, START_MS - 10_000, 0, START_MS, 0));
        deliver(TCP, late, TestFrames.retransmit(LIVE, START_MS, new long[] {0}, new int[] {2}));

        assertThat(late.sequencesOf(START_MS - 10_000)).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(late.epochs()).doesNotContain(START_MS);
        assertThat(drops(RelayDropReason.UNKNOWN_STREAM)).isEqualTo(1);
    }

    private static ByteBuf announce(final long epoch)
    {
        final ByteBuf buf = io.netty.buffer.Unpooled.directBuffer(2048);
        final UnsafeBuffer bytes = ByteBufAccess.wrap(new UnsafeBuffer(0, 0), buf, 0, buf.capacity());
        final int length = new org.seamcast.codec.protocol.AnnounceEncoder().wrap(bytes, 0, LIVE)
            .encoderId(TestFrames.ENCODER_ID).epoch(epoch).priority(0).codec(CodecType.MP3).sampleRate(44_100)
            .channels(2).finish(null);
        buf.writerIndex(length);
        return buf;
    }

    private static ByteBuf metadata(final long epoch, final long timestampUs, final String title)
    {
        final ByteBuf buf = io.netty.buffer.Unpooled.directBuffer(2048);
        final UnsafeBuffer bytes = ByteBufAccess.wrap(new UnsafeBuffer(0, 0), buf, 0, buf.capacity());
        final int length = new MetadataEncoder().wrap(bytes, 0, LIVE).encoderId(TestFrames.ENCODER_ID).epoch(epoch)
            .timestampUs(timestampUs).streamTitle(title).finish(null);
        buf.writerIndex(length);
        return buf;
    }

    /**
     * A connection the relay core writes to: it decodes and records what it is sent.
     */
    private static final class RecordingPeer implements Peer
    {
        private final String name;
        private final MessageDecoder decoder = new MessageDecoder();
        private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        final List<MessageType> types = new ArrayList<>();
        final List<long[]> frames = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        RecordingPeer(final String name)
        {
            this.name = name;
        }

        List<Long> epochs()
        {
            return frames.stream().map(f -> f[0]).collect(Collectors.toList());
        }

        List<Long> sequencesOf(final long epoch)
        {
            return frames.stream().filter(f -> f[0] == epoch).map(f -> f[1]).collect(Collectors.toList());
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
            types.add(decoder.type());
            if (decoder.type() == MessageType.FRAME)
            {
                frames.add(new long[] {decoder.frame().epoch(), decoder.frame().sequence()});
                events.add("frame " + decoder.frame().epoch() + " " + decoder.frame().sequence());
            }
            else if (decoder.type() == MessageType.ANNOUNCE)
            {
                events.add("announce " + decoder.announce().epoch());
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
}
