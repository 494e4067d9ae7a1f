package org.seamcast.relay;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.codec.protocol.StreamPositionCursor;
import org.seamcast.transport.InboundEndpoint;
import org.seamcast.transport.MessageHandler;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.Links;
import org.seamcast.transport.tcp.ConnectionListener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seamcast.relay.TestMesh.counter;
import static org.seamcast.relay.TestMesh.gauge;

@Timeout(30)
class RelayTieringTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TestMesh mesh = new TestMesh();

    @AfterEach
    void close() throws Exception
    {
        mesh.close();
    }

    @Test
    void shouldGiveASubscriberOfADownstreamRelayTheUpstreamFramesOnceEvenWithADirectCopy()
    {
        final RelayNode relayA = mesh.relay("relay-a", 1);
        final RelayNode relayB = mesh.relay(TestMesh.relayContext("relay-b")
            .listen(LinkAddress.parse("tcp://127.0.0.1:0"))
            .upstream(LinkAddress.parse("tcp://127.0.0.1:" + relayA.listenPort(0))));
        final TestMesh.Subscriber edge = mesh.subscriber("edge-1", null, relayB.listenPort(0),
            s -> TestFrames.subscribe(-1, null, TestFrames.LIVE));
        final TestMesh.Sender toA = mesh.sender("ingest-1", null, relayA.listenPort(0));
        final TestMesh.Sender toB = mesh.sender("ingest-1-direct", null, relayB.listenPort(0));
        TestMesh.await(WAIT).until(() -> gauge(relayA, "seamcast.relay.subscribers") == 1 &&
            gauge(relayB, "seamcast.relay.subscribers") == 1 && toA.isConnected() && toB.isConnected());
        assertThat(relayB.problems()).isEmpty();

        sendAnnounceAndFrames(toA, 0, 100);
        TestMesh.await(WAIT).until(() -> edge.sequences.size() == 100);
        sendAnnounceAndFrames(toB, 50, 150);
        sendAnnounceAndFrames(toA, 100, 150);
        TestMesh.await(WAIT).until(() -> edge.sequences.size() == 150 &&
            counter(relayB, "seamcast.relay.frames.in") == 250);

        assertThat(edge.sequences).containsExactlyElementsOf(range(0, 150));
        assertThat(edge.announces).hasSize(1);
        final String upstreamPath = "tcp://127.0.0.1:" + relayA.listenPort(0);
        assertThat(counter(relayB, "seamcast.relay.frames.in", "path", upstreamPath)).isEqualTo(150);
        assertThat(counter(relayB, "seamcast.relay.frames.duplicate")).isEqualTo(100);
    }

    @Test
    void shouldForwardEveryAcceptedFrameOnceToAForwardLink()
    {
        final RelayNode site = mesh.relay("relay-site", 1);
        final RelayNode relay = mesh.relay(TestMesh.relayContext("relay-1")
            .listen(LinkAddress.parse("tcp://127.0.0.1:0"))
            .listen(LinkAddress.parse("tcp://127.0.0.1:0"))
            .forward(LinkAddress.parse("tcp://127.0.0.1:" + site.listenPort(0))));
        final TestMesh.Subscriber edge = mesh.subscriber("edge-site", null, site.listenPort(0),
            s -> TestFrames.subscribe(-1, null));
        final TestMesh.Sender sender = mesh.sender("ingest-1", null, relay.listenPort(0), relay.listenPort(1));
        TestMesh.await(WAIT).until(() -> gauge(site, "seamcast.relay.subscribers") == 1 && sender.isConnected() &&
            site.listeners().get(0).metrics().messagesIn() > 0);

        sendAnnounceAndFrames(sender, 0, 80);
        TestMesh.await(WAIT).until(() -> edge.sequences.size() == 80);
        assertThat(edge.sequences).containsExactlyElementsOf(range(0, 80));
        assertThat(counter(relay, "seamcast.relay.frames.out", "path", "tcp://127.0.0.1:" + site.listenPort(0)))
            .isEqualTo(80);
        assertThat(counter(site, "seamcast.relay.frames.duplicate")).isZero();
    }

    @Test
    void shouldResubscribeUpstreamAfterAReconnectResumingEveryStreamItHolds() throws Exception
    {
        final List<String> subscribes = new CopyOnWriteArrayList<>();
        final TransportContext upstreamCtx = mesh.transport("fake-upstream", null);
        final MessageHandler recordSubscribes = (message, buffer, offset, length, from) ->
        {
            if (message.type() == MessageType.SUBSCRIBE)
            {
                final StringBuilder entry = new StringBuilder("mounts=" + message.subscribe().mountCount());
                final StreamPositionCursor resume = message.subscribe().resumePoints();
                while (resume.next())
                {
                    entry.append(' ').append(resume.encoderId()).append('/').append(resume.epoch()).append('/')
                        .append(resume.sequence());
                }
                subscribes.add(entry.toString());
            }
        };
        final InboundEndpoint first = Links.listen(upstreamCtx, LinkAddress.parse("tcp://127.0.0.1:0"),
            recordSubscribes, ConnectionListener.NONE);
        final int upstreamPort = first.localPort();
        final RelayNode relay = mesh.relay(TestMesh.relayContext("relay-b")
            .listen(LinkAddress.parse("tcp://127.0.0.1:0"))
            .upstream(LinkAddress.parse("tcp://127.0.0.1:" + upstreamPort)));
        TestMesh.await(WAIT).until(() -> subscribes.size() == 1);
        assertThat(subscribes.get(0)).isEqualTo("mounts=0");

        final TestMesh.Sender direct = mesh.sender("ingest-1", null, relay.listenPort(0));
        TestMesh.await(WAIT).until(direct::isConnected);
        sendAnnounceAndFrames(direct, 0, 10);
        TestMesh.await(WAIT).until(() -> counter(relay, "seamcast.relay.frames.accepted") == 10);

        first.close();
        TestMesh.await(WAIT).until(() -> !relay.problems().isEmpty());
        mesh.track(Links.listen(upstreamCtx, LinkAddress.parse("tcp://127.0.0.1:" + upstreamPort), recordSubscribes,
            ConnectionListener.NONE));
        TestMesh.await(WAIT).until(() -> subscribes.size() == 2);
        assertThat(subscribes.get(1)).isEqualTo("mounts=0 " + TestFrames.ENCODER_ID + "/" + TestFrames.EPOCH + "/10");
        TestMesh.await(WAIT).until(() -> relay.problems().isEmpty());
    }

    @Test
    void shouldReportUnhealthyWhileNoUpstreamIsConnected()
    {
        final RelayNode relay = mesh.relay(TestMesh.relayContext("relay-b")
            .listen(LinkAddress.parse("tcp://127.0.0.1:0"))
            .upstream(LinkAddress.parse("tcp://127.0.0.1:1")));
        assertThat(relay.problems()).singleElement().asString().startsWith("no upstream connected");
    }

    private static void sendAnnounceAndFrames(final TestMesh.Sender sender, final long from, final long to)
    {
        sender.send(TestFrames.announce(TestFrames.LIVE, null));
        for (long sequence = from; sequence < to; sequence++)
        {
            sender.send(TestFrames.frame(sequence));
        }
    }

    private static List<Long> range(final long from, final long to)
    {
        return LongStream.range(from, to).boxed().collect(Collectors.toList());
    }
}
