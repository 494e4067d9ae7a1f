package org.seamcast.edge.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.protocol.CodecType;
import org.seamcast.codec.protocol.FrameEncoder;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.edge.listener.ListenerServerContext;
import org.seamcast.transport.ByteBufAccess;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.link.LinkAddress;

import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An edge fed the way a site with multicast or UDP distribution feeds it: the frames come over a listening UDP
 * source that loses some of them, and the relay behind it is dialled over TCP only for repairs. The edge must merge
 * the UDP path, ask the repair link for exactly what UDP lost, and play every frame once, in order.
 */
class EdgeNodeSourcesTest
{
    private static final MountName MOUNT = MountName.of("/live");
    private static final int FRAME_US = 26_122;
    private static final int FRAMES = 120;

    private ScriptedRepairRelay repair;
    private MessageLink udp;
    private EdgeNode edge;
    private volatile long startUs;

    @AfterEach
    void stop()
    {
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
    void shouldRepairWhatAListeningUdpSourceLostOverARepairOnlyTcpLink() throws Exception
    {
        repair = new ScriptedRepairRelay("relay-test", this::frame);
        final int udpPort = freeUdpPort();
        edge = EdgeNode.start(new EdgeContext()
            .nodeName("edge-test")
            .relay(LinkAddress.parse("udp://127.0.0.1:" + udpPort))
            .repair(repair.address())
            .playoutDelayMs(400)
            .adminAddress(new InetSocketAddress("127.0.0.1", 0))
            .listeners(new ListenerServerContext().bindAddress(new InetSocketAddress("127.0.0.1", 0)).burstBytes(0)));
        udp = repair.dial(LinkAddress.parse("udp://127.0.0.1:" + udpPort));
        await().atMost(Duration.ofSeconds(10)).until(() -> repair.edgeConnected() && udp.isConnected());

        startUs = System.currentTimeMillis() * 1000 + 300_000;
        final Thread sender = new Thread(this::sendLiveOverUdpLosingEveryFifth, "test-udp-sender");
        sender.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.listeners().mount("/live") != null);
        try (Socket listener = new Socket("127.0.0.1", edge.listenerAddress().getPort()))
        {
            listener.setSoTimeout(10_000);
            listener.getOutputStream().write("GET /live HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            final InputStream in = listener.getInputStream();
            final StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n"))
            {
                head.append((char)in.read());
            }

            final List<Integer> heard = EdgeNodeTest.readFrames(in, FRAMES - 1);

            final int first = heard.get(0);
            assertThat(heard).as("%s", edge.statusJson())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(first, FRAMES).boxed().toList());
            assertThat(first).isLessThan(40);
        }
        sender.join(10_000);
        assertThat(repair.subscriptions).as("a repair link never subscribes").isEmpty();
        assertThat(repair.asked).as("only what UDP lost was asked for").allMatch(s -> s % 5 == 2);
        assertThat(edge.statusJson()).contains("\"kind\":\"listening\"").contains("\"kind\":\"repair\"");
    }

    private void sendLiveOverUdpLosingEveryFifth()
    {
        for (int sequence = 0; sequence < FRAMES; sequence++)
        {
            final long dueMs = (startUs + (long)sequence * FRAME_US - 200_000) / 1000;
            while (System.currentTimeMillis() < dueMs)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            if (sequence % 5 != 2)
            {
                udp.offer(frame(sequence));
                udp.flush();
            }
        }
    }

    private ByteBuf frame(final long sequence)
    {
        final byte[] payload = EdgeNodeTest.frame(1, (int)sequence);
        final ByteBuf message = Unpooled.directBuffer(1400);
        final int length = new FrameEncoder()
            .wrap(ByteBufAccess.wrap(new UnsafeBuffer(0, 0), message, 0, message.capacity()), 0, MOUNT)
            .encoderId(1).priority(0).epoch(7).sequence(sequence)
            .timestampUs(startUs + sequence * FRAME_US)
            .codec(CodecType.MP3).sampleRate(44_100).samplesInFrame(1152).cleanSwitch(true)
            .payload(payload, 0, payload.length)
            .finish(null);
        message.writerIndex(length);
        return message;
    }

    private static int freeUdpPort() throws Exception
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
