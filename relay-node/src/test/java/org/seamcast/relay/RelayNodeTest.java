package org.seamcast.relay;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.transport.ThreadingMode;
import org.seamcast.transport.link.LinkAddress;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seamcast.relay.TestMesh.counter;
import static org.seamcast.relay.TestMesh.gauge;

@Timeout(30)
class RelayNodeTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TestMesh mesh = new TestMesh();

    @AfterEach
    void close() throws Exception
    {
        mesh.close();
    }

    @ParameterizedTest
    @EnumSource(value = ThreadingMode.class, names = {"IO_LOOP", "DEDICATED"})
    void shouldRelayEachFrameOncePerRelayInOrderAndCountEveryDuplicate(final ThreadingMode mode)
    {
        final RelayNode relay1 = mesh.relay("relay-1", 2, mode);
        final RelayNode relay2 = mesh.relay("relay-2", 2, mode);
        final TestMesh.Sender sender = mesh.sender("ingest-1", null,
            relay1.listenPort(0), relay1.listenPort(1), relay2.listenPort(0), relay2.listenPort(1));
        final TestMesh.Subscriber edgeVia1 = mesh.subscriber("edge-1a", null, relay1.listenPort(0),
            s -> TestFrames.subscribe(-1, null));
        final TestMesh.Subscriber edgeVia2 = mesh.subscriber("edge-1b", null, relay2.listenPort(1),
            s -> TestFrames.subscribe(-1, null, TestFrames.LIVE));
        awaitSubscribed(relay1, 1);
        awaitSubscribed(relay2, 1);
        TestMesh.await(WAIT).until(sender::isConnected);

        final int frames = 300;
        for (long sequence = 0; sequence < frames; sequence++)
        {
            sender.send(TestFrames.frame(sequence));
        }

        final List<Long> expected = LongStream.range(0, frames).boxed().collect(Collectors.toList());
        TestMesh.await(WAIT).until(() -> edgeVia1.sequences.size() >= frames && edgeVia2.sequences.size() >= frames);
        TestMesh.await(WAIT).until(() -> counter(relay1, "seamcast.relay.frames.in") == 2 * frames &&
            counter(relay2, "seamcast.relay.frames.in") == 2 * frames);
        assertThat(edgeVia1.sequences).containsExactlyElementsOf(expected);
        assertThat(edgeVia2.sequences).containsExactlyElementsOf(expected);
        for (final RelayNode relay : List.of(relay1, relay2))
        {
            assertThat(counter(relay, "seamcast.relay.frames.duplicate")).isEqualTo(frames);
            assertThat(counter(relay, "seamcast.relay.frames.accepted", "mount", "/live", "encoder", "1"))
                .isEqualTo(frames);
            assertThat(counter(relay, "seamcast.relay.frames.out", "path", "subscribers")).isEqualTo(frames);
            for (int path = 0; path < 2; path++)
            {
                final String tag = "tcp://127.0.0.1:" + relay.listenPort(path);
                assertThat(counter(relay, "seamcast.relay.frames.in", "path", tag)).isEqualTo(frames);
            }
        }
    }

    @Test
    void shouldRelayOnceTheCopiesOfAFrameThatArriveOverTcpAndUdp()
    {
        relayOnceOverTcpAnd("udp");
    }

    @Test
    void shouldRelayOnceTheCopiesOfAFrameThatArriveOverTcpAndAeron()
    {
        relayOnceOverTcpAnd("aeron+udp");
    }

    private void relayOnceOverTcpAnd(final String scheme)
    {
        final RelayNode relay = mesh.relay(TestMesh.relayContext("relay-1")
            .listen(LinkAddress.parse("tcp://127.0.0.1:0"))
            .listen(LinkAddress.parse(scheme + "://127.0.0.1:0")));
        final String otherPath = scheme + "://127.0.0.1:" + relay.listenPort(1);
        final TestMesh.Sender sender = mesh.sender("ingest-1", null,
            List.of("tcp://127.0.0.1:" + relay.listenPort(0), otherPath));
        final TestMesh.Subscriber edge = mesh.subscriber("edge-1", null, relay.listenPort(0),
            s -> TestFrames.subscribe(-1, null, TestFrames.LIVE));
        awaitSubscribed(relay, 1);
        TestMesh.await(WAIT).until(sender::isConnected);

        final int frames = 200;
        for (long sequence = 0; sequence < frames; sequence++)
        {
            sender.send(TestFrames.frame(sequence));
        }
        TestMesh.await(WAIT).until(() -> edge.sequences.size() >= frames);
        TestMesh.await(WAIT).until(() -> counter(relay, "seamcast.relay.frames.in", "path", otherPath) > 0);
        TestMesh.await(WAIT).until(() -> counter(relay, "seamcast.relay.frames.duplicate") ==
            counter(relay, "seamcast.relay.frames.in") - frames);
        assertThat(edge.sequences).containsExactlyElementsOf(
            LongStream.range(0, frames).boxed().collect(Collectors.toList()));
        assertThat(counter(relay, "seamcast.relay.frames.accepted")).isEqualTo(frames);
    }

    @Test
    void shouldSendTheLatestAnnounceToANewSubscriberBeforeItsFrames()
    {
        final RelayNode relay = mesh.relay("relay-1", 1);
        final TestMesh.Sender sender = mesh.sender("ingest-1", null, relay.listenPort(0));
        TestMesh.await(WAIT).until(sender::isConnected);
        sender.send(TestFrames.announce(TestFrames.LIVE, null));
        sender.send(TestFrames.announce(TestFrames.LIVE, null));
        sender.send(TestFrames.frame(0));
        TestMesh.await(WAIT).until(() -> counter(relay, "seamcast.relay.frames.in") == 1);
        assertThat(counter(relay, "seamcast.relay.control.suppressed", "type", "announce")).isEqualTo(1);

        final TestMesh.Subscriber edge = mesh.subscriber("edge-1", null, relay.listenPort(0),
            s -> TestFrames.subscribe(0, null, TestFrames.LIVE));
        TestMesh.await(WAIT).until(() -> edge.sequences.size() == 1);
        assertThat(edge.announces).containsExactly("/live");
    }

    @Test
    void shouldForwardStreamHeartbeatsToSubscribersOfTheirMountOnlyAndHoldBackRepeats()
    {
        final RelayNode relay = mesh.relay(TestMesh.relayContext("relay-1")
            .listen(LinkAddress.parse("tcp://127.0.0.1:0")));
        final TestMesh.Sender sender = mesh.sender("ingest-1", null, relay.listenPort(0));
        final TestMesh.Subscriber live = mesh.subscriber("edge-live", null, relay.listenPort(0),
            s -> TestFrames.subscribe(-1, null, TestFrames.LIVE));
        final TestMesh.Subscriber other = mesh.subscriber("edge-other", null, relay.listenPort(0),
            s -> TestFrames.subscribe(-1, null, MountName.of("/other")));
        awaitSubscribed(relay, 2);
        TestMesh.await(WAIT).until(sender::isConnected);

        sender.send(TestFrames.frame(0));
        TestMesh.await(WAIT).until(() -> live.sequences.size() == 1);
        sender.send(TestFrames.heartbeat("ingest-1", TestFrames.LIVE, 0));
        sender.send(TestFrames.heartbeat("ingest-1", TestFrames.LIVE, 0));
        sender.send(TestFrames.frame(1));
        TestMesh.await(WAIT).until(() -> live.sequences.size() == 2);

        assertThat(live.streamHeartbeats).hasValue(1);
        assertThat(other.streamHeartbeats).hasValue(0);
        assertThat(other.sequences).isEmpty();
        assertThat(counter(relay, "seamcast.relay.control.suppressed", "type", "heartbeat")).isEqualTo(1);
    }

    @Test
    void shouldRefuseAndCountStreamsBeyondTheLimitWhileTheOthersFlow()
    {
        final RelayNode relay = mesh.relay(TestMesh.relayContext("relay-1")
            .listen(LinkAddress.parse("tcp://127.0.0.1:0"))
            .maxStreams(1));
        final TestMesh.Sender sender = mesh.sender("ingest-1", null, relay.listenPort(0));
        final TestMesh.Subscriber edge = mesh.subscriber("edge-1", null, relay.listenPort(0),
            s -> TestFrames.subscribe(-1, null));
        awaitSubscribed(relay, 1);
        TestMesh.await(WAIT).until(sender::isConnected);

        for (long sequence = 0; sequence < 20; sequence++)
        {
            sender.send(TestFrames.frame(sequence));
            sender.send(TestFrames.frame(MountName.of("/other"), sequence, 100, null));
        }
        TestMesh.await(WAIT).until(() -> relay.drops(RelayDropReason.TOO_MANY_STREAMS) == 20 &&
            edge.sequences.size() == 20);
        assertThat(edge.frames).allMatch(frame -> frame.startsWith("/live#"));
        assertThat(gauge(relay, "seamcast.relay.streams")).isEqualTo(1);
    }

    @Test
    void shouldResumeAReconnectingSubscriberWithExactlyTheFramesItMissed()
    {
        final RelayNode relay = mesh.relay("relay-1", 1);
        final TestMesh.Sender sender = mesh.sender("ingest-1", null, relay.listenPort(0));
        final TestMesh.Subscriber first = mesh.subscriber("edge-1", null, relay.listenPort(0),
            s -> TestFrames.subscribe(-1, null, TestFrames.LIVE));
        awaitSubscribed(relay, 1);
        TestMesh.await(WAIT).until(sender::isConnected);
        for (long sequence = 0; sequence < 50; sequence++)
        {
            sender.send(TestFrames.frame(sequence));
        }
        TestMesh.await(WAIT).until(() -> first.sequences.size() == 50);
        first.link.close();
        awaitSubscribed(relay, 0);

        for (long sequence = 50; sequence < 120; sequence++)
        {
            sender.send(TestFrames.frame(sequence));
        }
        TestMesh.await(WAIT).until(() -> counter(relay, "seamcast.relay.frames.in") == 120);

        final long next = first.sequences.get(first.sequences.size() - 1) + 1;
        final TestMesh.Subscriber resumed = mesh.subscriber("edge-1", null, relay.listenPort(0),
            s -> TestFrames.subscribe(next, null, TestFrames.LIVE));
        TestMesh.await(WAIT).until(() -> resumed.sequences.size() == 70);
        for (long sequence = 120; sequence < 130; sequence++)
        {
            sender.send(TestFrames.frame(sequence));
        }
        TestMesh.await(WAIT).until(() -> resumed.sequences.size() == 80);
        assertThat(resumed.sequences).containsExactlyElementsOf(
            LongStream.range(50, 130).boxed().collect(Collectors.toList()));
        assertThat(counter(relay, "seamcast.relay.frames.replayed", "reason", "resume")).isEqualTo(70);
    }

    @Test
    void shouldAnswerRetransmitRequestsFromTheRing()
    {
        final RelayNode relay = mesh.relay("relay-1", 1);
        final TestMesh.Sender sender = mesh.sender("ingest-1", null, relay.listenPort(0));
        final TestMesh.Subscriber edge = mesh.subscriber("edge-1", null, relay.listenPort(0),
            s -> TestFrames.subscribe(-1, null));
        awaitSubscribed(relay, 1);
        TestMesh.await(WAIT).until(sender::isConnected);
        for (long sequence = 0; sequence < 100; sequence++)
        {
            sender.send(TestFrames.frame(sequence));
        }
        TestMesh.await(WAIT).until(() -> edge.sequences.size() == 100);

        edge.peer.send(TestFrames.retransmit(TestFrames.LIVE, new long[] {10, 90, 5_000}, new int[] {5, 20, 3}));
        edge.peer.flush();

        TestMesh.await(WAIT).until(() -> edge.sequences.size() == 115);
        assertThat(edge.sequences.subList(100, 115)).containsExactly(
            10L, 11L, 12L, 13L, 14L, 90L, 91L, 92L, 93L, 94L, 95L, 96L, 97L, 98L, 99L);
        assertThat(counter(relay, "seamcast.relay.frames.replayed", "reason", "retransmit")).isEqualTo(15);
    }

    @Test
    void shouldFlowAgainAfterARelayIsKilledAndRestartedOnTheSamePort()
    {
        final RelayNode relay = mesh.relay("relay-1", 1);
        final int port = relay.listenPort(0);
        final TestMesh.Sender sender = mesh.sender("ingest-1", null, port);
        final TestMesh.Subscriber edge = mesh.subscriber("edge-1", null, port, s -> TestFrames.subscribe(-1, null));
        awaitSubscribed(relay, 1);
        TestMesh.await(WAIT).until(sender::isConnected);
        for (long sequence = 0; sequence < 10; sequence++)
        {
            sender.send(TestFrames.frame(sequence));
        }
        TestMesh.await(WAIT).until(() -> edge.sequences.size() == 10);

        relay.close();
        TestMesh.await(WAIT).until(() -> !sender.isConnected() && !edge.link.isConnected());

        final RelayNode restarted = mesh.relay(TestMesh.relayContext("relay-1")
            .listen(LinkAddress.parse("tcp://127.0.0.1:" + port)));
        awaitSubscribed(restarted, 1);
        TestMesh.await(WAIT).until(sender::isConnected);
        for (long sequence = 10; sequence < 20; sequence++)
        {
            sender.send(TestFrames.frame(sequence));
        }
        TestMesh.await(WAIT).until(() -> edge.sequences.size() == 20);
        assertThat(edge.sequences).containsExactlyElementsOf(
            LongStream.range(0, 20).boxed().collect(Collectors.toList()));
        assertThat(sender.links.get(0).isConnected()).isTrue();
    }

    static void awaitSubscribed(final RelayNode relay, final int subscribers)
    {
        TestMesh.await(WAIT).until(() -> gauge(relay, "seamcast.relay.subscribers") == subscribers);
    }
}
