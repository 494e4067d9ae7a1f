package org.seamcast.relay;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.transport.link.LinkAddress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seamcast.relay.TestMesh.counter;
import static org.seamcast.relay.TestMesh.gauge;

/**
 * A running relay that receives a live stream over TCP while an attacker sends it single unsigned UDP datagrams
 * (the mesh has no key, so nothing else stops them): no one message may displace, stall or fork the live stream,
 * and a legitimately restarted ingest must still take over quickly.
 */
@Timeout(60)
class RelayForgedStreamTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long FRAME_INTERVAL_MS = 26;
    private static final MountName LIVE = TestFrames.LIVE;

    private final TestMesh mesh = new TestMesh();
    private RelayNode relay;
    private TestMesh.Sender ingest;
    private TestMesh.Sender attacker;
    private TestMesh.Subscriber edge;

    @AfterEach
    void close() throws Exception
    {
        mesh.close();
    }

    private void start(final RelayContext ctx)
    {
        relay = mesh.relay(ctx
            .listen(LinkAddress.parse("tcp://127.0.0.1:0"))
            .listen(LinkAddress.parse("udp://127.0.0.1:0")));
        ingest = mesh.sender("ingest-1", null, relay.listenPort(0));
        attacker = mesh.sender("attacker", null, List.of("udp://127.0.0.1:" + relay.listenPort(1)));
        edge = mesh.subscriber("edge-1", null, relay.listenPort(0), s -> TestFrames.subscribe(-1, null, LIVE));
        RelayNodeTest.awaitSubscribed(relay, 1);
        TestMesh.await(WAIT).until(ingest::isConnected);
    }

    private void start()
    {
        start(TestMesh.relayContext("relay-1"));
    }

    private void sendLive(final long epoch, final long from, final long to)
    {
        for (long sequence = from; sequence < to; sequence++)
        {
            ingest.send(TestFrames.frame(LIVE, epoch, sequence, TestFrames.nowUs(), 200, null));
        }
    }

    private void sendLivePaced(final long epoch, final long from, final long to) throws InterruptedException
    {
        for (long sequence = from; sequence < to; sequence++)
        {
            ingest.send(TestFrames.frame(LIVE, epoch, sequence, TestFrames.nowUs(), 200, null));
            Thread.sleep(FRAME_INTERVAL_MS);
        }
    }

    /**
     * Sends one datagram and waits until the relay core has seen it, so what follows is really sent after it.
     */
    private void sendForged(final long epoch, final long sequence, final long timestampUs)
    {
        final String udpPath = "udp://127.0.0.1:" + relay.listenPort(1);
        final double before = counter(relay, "seamcast.relay.frames.in", "path", udpPath);
        attacker.send(TestFrames.frame(LIVE, epoch, sequence, timestampUs, 200, null));
        TestMesh.await(WAIT).until(() -> counter(relay, "seamcast.relay.frames.in", "path", udpPath) > before);
    }

    private static List<Long> range(final long from, final long to)
    {
        return LongStream.range(from, to).boxed().collect(Collectors.toList());
    }

    private static double drops(final RelayNode relay, final String reason)
    {
        return counter(relay, "seamcast.relay.drops", "reason", reason);
    }

    @Test
    void shouldRefuseAndCountAForgedFrameWhoseEpochIsFarInTheFuture()
    {
        start();
        final long epoch = System.currentTimeMillis();
        sendLive(epoch, 0, 20);
        TestMesh.await(WAIT).until(() -> edge.sequences.size() >= 20);
        sendForged(1L << 62, 0, TestFrames.nowUs());
        sendLive(epoch, 20, 40);

        TestMesh.await(WAIT).until(() -> edge.sequences.size() >= 40);
        assertThat(edge.epochs).containsOnly(epoch);
        assertThat(edge.sequences).containsExactlyElementsOf(range(0, 40));
        assertThat(drops(relay, "epoch_in_future")).isEqualTo(1);
    }

    @Test
    void shouldKeepRelayingTheLiveStreamAfterAForgedSequenceFarAhead()
    {
        start();
        final long epoch = System.currentTimeMillis();
        sendLive(epoch, 0, 50);
        TestMesh.await(WAIT).until(() -> edge.sequences.size() >= 50);
        sendForged(epoch, 1L << 60, TestFrames.nowUs());
        sendLive(epoch, 50, 100);

        TestMesh.await(WAIT).until(() -> edge.sequences.size() >= 100);
        assertThat(edge.sequences).containsExactlyElementsOf(range(0, 100));
        assertThat(counter(relay, "seamcast.relay.frames.accepted", "mount", "/live")).isEqualTo(100);
        assertThat(counter(relay, "seamcast.relay.frames.candidate")).isEqualTo(1);
    }

    @Test
    void shouldNotLetOneFrameOfAnUnknownEpochDisplaceTheLiveStream() throws InterruptedException
    {
        start();
        final long epoch = System.currentTimeMillis();
        sendLive(epoch, 0, 50);
        TestMesh.await(WAIT).until(() -> edge.sequences.size() >= 50);
        sendForged(epoch + 60_000, 0, TestFrames.nowUs());
        sendLivePaced(epoch, 50, 80);

        TestMesh.await(WAIT).until(() -> edge.sequences.size() >= 80);
        assertThat(edge.epochs).containsOnly(epoch);
        assertThat(edge.sequences).containsExactlyElementsOf(range(0, 80));
        assertThat(counter(relay, "seamcast.relay.frames.candidate")).isEqualTo(1);
    }

    @Test
    void shouldTakeOverARestartedIngestWithinASecondAndKeepBothEpochsResumable() throws InterruptedException
    {
        start();
        final long oldEpoch = System.currentTimeMillis();
        sendLivePaced(oldEpoch, 0, 40);
        TestMesh.await(WAIT).until(() -> edge.sequences.size() >= 40);

        final long newEpoch = System.currentTimeMillis();
        final long restartNs = System.nanoTime();
        sendLivePaced(newEpoch, 0, 60);
        TestMesh.await(WAIT).until(() -> edge.sequences.size() >= 100);

        final int firstNew = edge.epochs.indexOf(newEpoch);
        assertThat(firstNew).isEqualTo(40);
        final long takeOverMs = TimeUnit.NANOSECONDS.toMillis(edge.frameNanos.get(firstNew) - restartNs);
        assertThat(takeOverMs).as("new epoch relayed %d ms after its first frame", takeOverMs).isLessThan(1_200);
        assertThat(edge.sequences.subList(0, 40)).containsExactlyElementsOf(range(0, 40));
        assertThat(edge.sequences.subList(40, 100)).containsExactlyElementsOf(range(0, 60));
        assertThat(edge.epochs.subList(40, 100)).containsOnly(newEpoch);

        final TestMesh.Subscriber resumed = mesh.subscriber("edge-2", null, relay.listenPort(0),
            s -> TestFrames.subscribeResuming(LIVE, oldEpoch, 30, newEpoch, 50));
        TestMesh.await(WAIT).until(() -> resumed.sequences.size() >= 20);
        assertThat(resumed.sequences).containsExactlyElementsOf(
            LongStream.concat(LongStream.range(30, 40), LongStream.range(50, 60)).boxed().collect(Collectors.toList()));

        edge.peer.send(TestFrames.retransmit(LIVE, oldEpoch, new long[] {5}, new int[] {3}));
        edge.peer.send(TestFrames.retransmit(LIVE, newEpoch, new long[] {0}, new int[] {2}));
        edge.peer.flush();
        TestMesh.await(WAIT).until(() -> edge.sequences.size() >= 105);
        assertThat(edge.sequences.subList(100, 105)).containsExactly(5L, 6L, 7L, 0L, 1L);
    }

    @Test
    void shouldLimitJunkFromOneSourceToItsShareSoANewEpochIsNeverRefused()
    {
        start();
        final TestMesh.Sender junk = mesh.sender("junk", null, relay.listenPort(0));
        TestMesh.await(WAIT).until(junk::isConnected);
        final int junkStreams = RelayContext.DEFAULT_MAX_STREAMS + 100;
        for (int i = 0; i < junkStreams; i++)
        {
            junk.send(TestFrames.frame(MountName.of("/junk-" + i), System.currentTimeMillis(), 0,
                TestFrames.nowUs(), 100, null));
        }
        TestMesh.await(WAIT).until(() -> counter(relay, "seamcast.relay.frames.in") >= junkStreams);

        final long epoch = System.currentTimeMillis();
        sendLive(epoch, 0, 20);
        TestMesh.await(WAIT).until(() -> edge.sequences.size() >= 20);
        assertThat(edge.sequences).containsExactlyElementsOf(range(0, 20));
        assertThat(drops(relay, "too_many_streams_for_source")).isPositive();
        assertThat(gauge(relay, "seamcast.relay.streams")).isLessThan(RelayContext.DEFAULT_MAX_STREAMS);
    }

    @Test
    void shouldStillAgeOutStaleStreams()
    {
        start(TestMesh.relayContext("relay-1").streamIdleTimeoutMs(1_000));
        for (int i = 0; i < 10; i++)
        {
            ingest.send(TestFrames.frame(MountName.of("/short-" + i), 7, 0, TestFrames.nowUs(), 100, null));
        }
        TestMesh.await(WAIT).until(() -> gauge(relay, "seamcast.relay.streams") == 10);
        TestMesh.await(WAIT).until(() -> gauge(relay, "seamcast.relay.streams") == 0);
    }

    @Test
    void shouldDropADatagramReplayedAfterItsTimestampWentStaleButRelayOldFramesOverTcp()
    {
        start();
        final long epoch = System.currentTimeMillis();
        sendLive(epoch, 0, 20);
        TestMesh.await(WAIT).until(() -> edge.sequences.size() >= 20);
        final long recordedUs = TestFrames.nowUs() - TimeUnit.MINUTES.toMicros(2);
        final long previousEpoch = epoch - TimeUnit.MINUTES.toMillis(3);
        sendForged(previousEpoch, 500, recordedUs);
        sendForged(epoch, 3, TestFrames.nowUs());

        final MountName archive = MountName.of("/archive");
        final TestMesh.Subscriber archiveEdge = mesh.subscriber("edge-archive", null, relay.listenPort(0),
            s -> TestFrames.subscribe(-1, null, archive));
        RelayNodeTest.awaitSubscribed(relay, 2);
        ingest.send(TestFrames.frame(archive, previousEpoch, 0, recordedUs, 200, null));
        TestMesh.await(WAIT).until(() -> archiveEdge.sequences.size() == 1);

        sendLive(epoch, 20, 40);
        TestMesh.await(WAIT).until(() -> edge.sequences.size() >= 40);
        assertThat(edge.sequences).containsExactlyElementsOf(range(0, 40));
        assertThat(edge.epochs).containsOnly(epoch);
        assertThat(drops(relay, "timestamp_out_of_range")).isEqualTo(1);
        assertThat(counter(relay, "seamcast.relay.frames.duplicate")).isEqualTo(1);
    }

    @Test
    void shouldRelayAFrameOfTheLiveStreamAfterALongSilenceWithoutProof() throws InterruptedException
    {
        start();
        final long epoch = System.currentTimeMillis();
        sendLive(epoch, 0, 10);
        TestMesh.await(WAIT).until(() -> edge.sequences.size() >= 10);
        Thread.sleep(1_500);
        final long jumpFramesAllowedWithoutSilence = 10_000 / 27;
        final long resumeAt = 10 + 1_400 / FRAME_INTERVAL_MS + jumpFramesAllowedWithoutSilence;
        final List<Long> expected = new ArrayList<>(range(0, 10));
        expected.add(resumeAt);
        sendLive(epoch, resumeAt, resumeAt + 1);
        TestMesh.await(WAIT).until(() -> edge.sequences.size() >= 11);
        assertThat(edge.sequences).containsExactlyElementsOf(expected);
    }
}
