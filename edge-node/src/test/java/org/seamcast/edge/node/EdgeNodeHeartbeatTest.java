package org.seamcast.edge.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.protocol.CodecType;
import org.seamcast.codec.protocol.FrameEncoder;
import org.seamcast.codec.protocol.HeartbeatEncoder;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.edge.listener.ListenerServerContext;
import org.seamcast.transport.ByteBufAccess;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.link.LinkAddress;

import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An edge fed over a listening UDP path, with a relay dialled over TCP for repairs, that hears the ingest's stream
 * heartbeats as a relay forwards them: the last frames before a silence, lost on every path, are asked for and played;
 * the path's delay is measured from the heartbeats; a path carrying only a relay's link heartbeats stays up.
 */
class EdgeNodeHeartbeatTest
{
    private static final MountName MOUNT = MountName.of("/live");
    private static final NodeName INGEST = NodeName.of("ingest-test");
    private static final NodeName RELAY = NodeName.of("relay-test");
    private static final int ENCODER = 1;
    private static final long EPOCH = 7;
    private static final int FRAME_US = 26_122;
    private static final int FRAMES = 80;
    private static final int TAIL_LOST = 3;
    private static final long BEAT_INTERVAL_MS = 250;

    /**
     * The edge's clock, which the sender stamps its frames and heartbeats on too: the wall clock
     * ({@code System.currentTimeMillis}) and the edge's offset monotonic clock may disagree by more than a loopback
     * delay, which once made the measured delay come out negative.
     */
    private final EpochNanoClock clock = new OffsetEpochNanoClock();
    private ScriptedRepairRelay repair;
    private MessageLink udp;
    private EdgeNode edge;
    private volatile long startUs;
    private volatile boolean beating = true;
    private Thread sender;

    @AfterEach
    void stop() throws InterruptedException
    {
        beating = false;
        if (sender != null)
        {
            sender.join(5_000);
        }
        if (edge != null)
        {
            edge.close();
        }
        if (udp != null)
        {
            udp.close();
        }
        if (repair != null)
        {
            repair.close();
        }
    }

    @Test
    void shouldAskForAndPlayTheLastFramesBeforeASilenceThatEveryPathLost() throws Exception
    {
        start();
        startUs = nowUs() + 300_000;
        sender = new Thread(this::sendLiveThenGoQuietBeatingEveryQuarterSecond, "test-udp-sender");
        sender.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.listeners().mount("/live") != null);

        try (Socket listener = listen())
        {
            final List<Integer> heard = EdgeNodeTest.readFrames(listener.getInputStream(), FRAMES - 1);

            final int first = heard.get(0);
            assertThat(heard).as("%s", edge.statusJson())
                .containsExactlyElementsOf(IntStream.range(first, FRAMES).boxed().toList());
        }
        assertThat(repair.asked).as("only the tail was asked for")
            .containsExactlyInAnyOrder(IntStream.range(FRAMES - TAIL_LOST, FRAMES).mapToObj(s -> (long)s)
                .toArray(Long[]::new));
    }

    @Test
    void shouldMeasureEachPathsDelayFromTheHeartbeatsAndExposeIt() throws Exception
    {
        start();
        startUs = nowUs() + 300_000;
        sender = new Thread(this::sendLiveThenGoQuietBeatingEveryQuarterSecond, "test-udp-sender");
        sender.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> pathStatus(0).path("delayMs").isNumber());

        final double delayMs = pathStatus(0).path("delayMs").asDouble();
        assertThat(delayMs).as("loopback, sender and edge on one clock").isBetween(0.0, 200.0);
        assertThat(pathStatus(1).path("delayMs").isNull()).as("the repair path carries no heartbeat").isTrue();
        final String metrics = get("/metrics");
        assertThat(metrics).contains("seamcast_edge_path_delay_seconds{path=\"udp://127.0.0.1:");
    }

    @Test
    void shouldKeepAListeningPathUpWhileOnlyLinkHeartbeatsArrive() throws Exception
    {
        start();
        sender = new Thread(this::sendLinkHeartbeatsOnly, "test-link-beats");
        sender.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> pathStatus(0).path("connected").asBoolean());
        final long livenessMs = EdgePath.LISTEN_LIVENESS_NS / 1_000_000;
        await("up for longer than the liveness window").during(Duration.ofMillis(livenessMs + 500))
            .atMost(Duration.ofMillis(livenessMs + 5_000))
            .until(() -> pathStatus(0).path("connected").asBoolean());

        assertThat(edge.listeners().mount("/live")).as("link heartbeats open no mount").isNull();
    }

    private void start()
    {
        repair = new ScriptedRepairRelay(RELAY.toString(), this::frame);
        final int udpPort = freeUdpPort();
        edge = EdgeNode.start(new EdgeContext()
            .nodeName("edge-test")
            .relay(LinkAddress.parse("udp://127.0.0.1:" + udpPort))
            .repair(repair.address())
            .playoutDelayMs(600)
            .clock(clock)
            .adminAddress(new InetSocketAddress("127.0.0.1", 0))
            .listeners(new ListenerServerContext().bindAddress(new InetSocketAddress("127.0.0.1", 0)).burstBytes(0)));
        udp = repair.dial(LinkAddress.parse("udp://127.0.0.1:" + udpPort));
        await().atMost(Duration.ofSeconds(10)).until(() -> repair.edgeConnected() && udp.isConnected());
    }

    /**
     * Frames 0..FRAMES-1 of a live stream, of which the last {@value #TAIL_LOST} never arrive, then silence; a stream
     * heartbeat every quarter second throughout, naming the last sequence sent, as a relay forwards an ingest's.
     */
    private void sendLiveThenGoQuietBeatingEveryQuarterSecond()
    {
        long nextBeatMs = nowUs() / 1000;
        long beatSequence = 0;
        long lastSent = -1;
        int sequence = 0;
        while (beating)
        {
            final long nowMs = nowUs() / 1000;
            if (sequence < FRAMES && nowMs >= (startUs + (long)sequence * FRAME_US - 200_000) / 1000)
            {
                if (sequence < FRAMES - TAIL_LOST)
                {
                    udp.offer(frame(sequence));
                }
                lastSent = sequence++;
            }
            if (nowMs >= nextBeatMs && lastSent >= 0)
            {
                udp.offer(streamBeat(beatSequence++, lastSent));
                nextBeatMs = nowMs + BEAT_INTERVAL_MS;
            }
            udp.flush();
            LockSupport.parkNanos(1_000_000);
        }
    }

    private void sendLinkHeartbeatsOnly()
    {
        long beatSequence = 0;
        while (beating)
        {
            udp.offer(linkBeat(beatSequence++));
            udp.flush();
            LockSupport.parkNanos(BEAT_INTERVAL_MS * 1_000_000);
        }
    }

    private ByteBuf frame(final long sequence)
    {
        final byte[] payload = EdgeNodeTest.frame(ENCODER, (int)sequence);
        final ByteBuf message = Unpooled.directBuffer(1400);
        final int length = new FrameEncoder()
            .wrap(ByteBufAccess.wrap(new UnsafeBuffer(0, 0), message, 0, message.capacity()), 0, MOUNT)
            .encoderId(ENCODER).priority(0).epoch(EPOCH).sequence(sequence)
            .timestampUs(startUs + sequence * FRAME_US)
            .codec(CodecType.MP3).sampleRate(44_100).samplesInFrame(1152).cleanSwitch(true)
            .payload(payload, 0, payload.length)
            .finish(null);
        message.writerIndex(length);
        return message;
    }

    private long nowUs()
    {
        return clock.nanoTime() / 1000;
    }

    private ByteBuf streamBeat(final long beatSequence, final long lastSent)
    {
        final ByteBuf message = Unpooled.directBuffer(1400);
        final int length = new HeartbeatEncoder()
            .wrap(ByteBufAccess.wrap(new UnsafeBuffer(0, 0), message, 0, message.capacity()), 0, INGEST)
            .senderTimeUs(nowUs()).heartbeatSequence(beatSequence)
            .addStream(MOUNT, ENCODER, EPOCH, lastSent)
            .finish(null);
        message.writerIndex(length);
        return message;
    }

    private ByteBuf linkBeat(final long beatSequence)
    {
        final ByteBuf message = Unpooled.directBuffer(1400);
        final int length = new HeartbeatEncoder()
            .wrap(ByteBufAccess.wrap(new UnsafeBuffer(0, 0), message, 0, message.capacity()), 0, RELAY)
            .senderTimeUs(nowUs()).heartbeatSequence(beatSequence)
            .finish(null);
        message.writerIndex(length);
        return message;
    }

    private Socket listen() throws Exception
    {
        final Socket listener = new Socket("127.0.0.1", edge.listenerAddress().getPort());
        listener.setSoTimeout(10_000);
        listener.getOutputStream().write("GET /live HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        final InputStream in = listener.getInputStream();
        final StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n"))
        {
            head.append((char)in.read());
        }
        return listener;
    }

    private JsonNode pathStatus(final int id) throws Exception
    {
        return new ObjectMapper().readTree(edge.statusJson()).path("paths").path(id);
    }

    private String get(final String path) throws Exception
    {
        final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + edge.adminAddress().getPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final java.net.SocketException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
