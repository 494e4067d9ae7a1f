package org.seamcast.transport.udp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.protocol.CodecType;
import org.seamcast.codec.protocol.FrameEncoder;
import org.seamcast.codec.protocol.KeyRole;
import org.seamcast.codec.protocol.Keyring;
import org.seamcast.codec.protocol.MessageAuthenticator;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.codec.protocol.Protocol;
import org.seamcast.transport.ByteBufAccess;
import org.seamcast.transport.DropReason;
import org.seamcast.transport.InboundEndpoint;
import org.seamcast.transport.MessageHandler;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.Peer;
import org.seamcast.transport.TestMessages;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.Links;
import org.seamcast.transport.link.NettyTransport;
import org.seamcast.transport.tcp.ConnectionListener;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class UdpLinkTest
{
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Long> received = new CopyOnWriteArrayList<>();
    private final MessageHandler collectFrames = (message, buffer, offset, length, from) ->
    {
        if (message.type() == MessageType.FRAME)
        {
            received.add(message.frame().sequence());
        }
    };

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
    }

    @Test
    void shouldCarryEveryFrameInOrderThroughUrlsOnBothEnds()
    {
        final InboundEndpoint receiver = track(Links.listen(context("relay-1", null),
            LinkAddress.parse("udp://127.0.0.1:0"), collectFrames, ConnectionListener.NONE));
        final MessageLink sender = track(Links.dial(context("ingest-1", null),
            LinkAddress.parse("udp://127.0.0.1:" + receiver.localPort()), (m, b, o, l, f) -> { },
            ConnectionListener.NONE));
        assertThat(sender.isConnected()).isTrue();
        assertThat(sender.problem()).isNull();

        for (long sequence = 0; sequence < 200; sequence++)
        {
            assertThat(sender.offer(TestMessages.frame(sequence))).isTrue();
            if (sequence % 10 == 9)
            {
                sender.flush();
            }
        }

        await().atMost(WAIT).until(() -> received.size() == 200);
        assertThat(received).isSorted().doesNotHaveDuplicates().startsWith(0L).endsWith(199L);
        assertThat(receiver.metrics().messagesIn()).isEqualTo(200);
    }

    @Test
    void shouldPackSeveralMessagesIntoDatagramsOfAtMost1400Bytes() throws IOException
    {
        try (DatagramSocket raw = rawSocket())
        {
            final UdpSenderLink sender = track(UdpSenderLink.open(context("ingest-1", null),
                LinkAddress.parse("udp://127.0.0.1:" + raw.getLocalPort())));
            final int messageLength = TestMessages.frame(0).readableBytes();
            final int perDatagram = Protocol.MAX_DATAGRAM_LENGTH / messageLength;
            assertThat(perDatagram).isGreaterThan(1);

            final int messages = 3 * perDatagram + 1;
            for (long sequence = 0; sequence < messages; sequence++)
            {
                assertThat(sender.offer(TestMessages.frame(sequence))).isTrue();
            }
            sender.flush();

            final List<Integer> datagramLengths = new ArrayList<>();
            final byte[] bytes = new byte[65_536];
            for (int i = 0; i < 4; i++)
            {
                final DatagramPacket packet = new DatagramPacket(bytes, bytes.length);
                raw.receive(packet);
                datagramLengths.add(packet.getLength());
            }
            assertThat(datagramLengths).containsExactly(perDatagram * messageLength, perDatagram * messageLength,
                perDatagram * messageLength, messageLength);
            assertThat(sender.metrics().messagesOut()).isEqualTo(messages);
        }
    }

    @Test
    void shouldDropAndCountAMessageTooLargeForADatagram()
    {
        final InboundEndpoint receiver = track(UdpReceiver.bind(context("relay-1", null),
            LinkAddress.parse("udp://127.0.0.1:0"), collectFrames));
        final UdpSenderLink sender = track(UdpSenderLink.open(context("ingest-1", null),
            LinkAddress.parse("udp://127.0.0.1:" + receiver.localPort())));

        final ByteBuf oversized = frame(5, 1_400, null);
        assertThat(oversized.readableBytes()).isGreaterThan(Protocol.MAX_DATAGRAM_LENGTH);
        assertThat(sender.offer(oversized)).isFalse();
        assertThat(oversized.refCnt()).isZero();
        assertThat(sender.metrics().drops(DropReason.OVERSIZED)).isEqualTo(1);

        final ByteBuf largest = frame(6, 1_000, null);
        final int room = Protocol.MAX_DATAGRAM_LENGTH - largest.readableBytes();
        largest.release();
        final ByteBuf exactFit = frame(6, 1_000 + room, null);
        assertThat(exactFit.readableBytes()).isEqualTo(Protocol.MAX_DATAGRAM_LENGTH);
        assertThat(sender.offer(exactFit)).isTrue();
        sender.flush();

        await().atMost(WAIT).until(() -> received.contains(6L));
        assertThat(received).containsExactly(6L);
    }

    @Test
    void shouldDropCorruptUnsignedAndForeignDatagramsWhileValidOnesStillArrive() throws IOException
    {
        final Keyring keyring = Keyring.of(1, KEY).withMacRequired(true);
        final MessageAuthenticator signer = keyring.newAuthenticator();
        final MessageAuthenticator foreignSigner = Keyring.of(1, OTHER_KEY).newAuthenticator();
        final UdpReceiver receiver = track(UdpReceiver.bind(context("relay-1", keyring),
            LinkAddress.parse("udp://127.0.0.1:0"), collectFrames));
        final Random random = new Random(7);

        try (DatagramSocket raw = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            final byte[] garbage = new byte[300];
            random.nextBytes(garbage);
            send(raw, receiver, garbage);

            send(raw, receiver, TestMessages.bytes(frame(1, 200, null)));

            send(raw, receiver, TestMessages.bytes(frame(2, 200, foreignSigner)));

            final byte[] corrupt = TestMessages.bytes(frame(3, 200, signer));
            corrupt[100] ^= 0x01;
            send(raw, receiver, corrupt);

            send(raw, receiver, concat(TestMessages.bytes(frame(4, 200, signer)), garbage));

            send(raw, receiver, concat(TestMessages.bytes(frame(5, 200, null)),
                TestMessages.bytes(frame(6, 200, signer))));

            send(raw, receiver, new byte[1_500]);

            send(raw, receiver, concat(TestMessages.bytes(frame(7, 200, signer)),
                TestMessages.bytes(frame(8, 200, signer))));
        }

        await().atMost(WAIT).until(() -> received.contains(8L));
        assertThat(received).containsExactly(4L, 7L, 8L);
        assertThat(receiver.metrics().drops(DropReason.BAD_MAGIC)).isEqualTo(2);
        assertThat(receiver.metrics().drops(DropReason.MAC_MISSING)).isEqualTo(2);
        assertThat(receiver.metrics().drops(DropReason.MAC_MISMATCH)).isEqualTo(1);
        assertThat(receiver.metrics().drops(DropReason.CRC_MISMATCH)).isEqualTo(1);
        assertThat(receiver.metrics().drops(DropReason.OVERSIZED)).isEqualTo(1);
        assertThat(receiver.metrics().messagesIn()).isEqualTo(3);
    }

    @Test
    void shouldRefuseAudioByKeyRoleAndNeverTakeUnverifiedAudioOverADatagram() throws IOException
    {
        final Keyring ingestKeys = Keyring.of(1, KEY, KeyRole.INGEST);
        final Keyring edgeKeys = Keyring.of(2, OTHER_KEY, KeyRole.EDGE);
        final UdpReceiver relay = track(UdpReceiver.bind(context("relay-1", ingestKeys.withKey(2, OTHER_KEY,
            KeyRole.EDGE)), LinkAddress.parse("udp://127.0.0.1:0"), collectFrames));
        final UdpReceiver edge = track(UdpReceiver.bind(context("edge-1", edgeKeys),
            LinkAddress.parse("udp://127.0.0.1:0"), collectFrames));

        try (DatagramSocket raw = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            send(raw, relay, TestMessages.bytes(frame(1, 200, edgeKeys.newAuthenticator())));
            send(raw, edge, TestMessages.bytes(frame(2, 200, ingestKeys.newAuthenticator())));
            send(raw, relay, TestMessages.bytes(frame(3, 200, ingestKeys.newAuthenticator())));
        }

        await().atMost(WAIT).until(() -> received.contains(3L));
        assertThat(received).containsExactly(3L);
        assertThat(relay.metrics().drops(DropReason.KEY_NOT_PERMITTED)).isEqualTo(1);
        assertThat(edge.metrics().drops(DropReason.UNKNOWN_KEY_ID)).isEqualTo(1);
    }

    @Test
    void shouldCountAHandlerThatThrowsAndCarryOnWithTheNextMessage() throws IOException
    {
        final UdpReceiver receiver = track(UdpReceiver.bind(context("relay-1", null),
            LinkAddress.parse("udp://127.0.0.1:0"), (message, buffer, offset, length, from) ->
            {
                if (message.frame().sequence() == 1)
                {
                    throw new IllegalStateException("handler bug on purpose");
                }
                received.add(message.frame().sequence());
            }));
        try (DatagramSocket raw = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            send(raw, receiver, concat(TestMessages.bytes(TestMessages.frame(1)),
                TestMessages.bytes(TestMessages.frame(2))));
        }

        await().atMost(WAIT).until(() -> received.contains(2L));
        assertThat(receiver.metrics().drops(DropReason.HANDLER_ERROR)).isEqualTo(1);
    }

    @Test
    void shouldNameThePeerAfterTheSenderAndRefuseToAnswer() throws IOException
    {
        final AtomicReference<Peer> peer = new AtomicReference<>();
        final UdpReceiver receiver = track(UdpReceiver.bind(context("relay-1", null),
            LinkAddress.parse("udp://127.0.0.1:0"), (message, buffer, offset, length, from) -> peer.set(from)));
        try (DatagramSocket raw = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            send(raw, receiver, TestMessages.bytes(TestMessages.frame(1)));
            await().atMost(WAIT).until(() -> peer.get() != null);

            assertThat(peer.get().name()).isEqualTo("127.0.0.1:" + raw.getLocalPort());
        }
        assertThat(peer.get().path()).isEqualTo("udp://127.0.0.1:0").isEqualTo(receiver.path());
        final ByteBuf answer = TestMessages.frame(2);
        assertThat(peer.get().send(answer)).isFalse();
        assertThat(answer.refCnt()).isZero();
        assertThat(receiver.metrics().drops(DropReason.NOT_CONNECTED)).isEqualTo(1);
    }

    @Test
    void shouldTakeEveryDatagramOfABurstReadSeveralAtATimeAndStillCountTheBadOnes() throws IOException
    {
        // a loop that looks at most every 100 ms, as a relay's does every batch: the burst waits in the socket and
        // is read many datagrams a system call
        final TransportContext ctx = new TransportContext().nodeName("relay-1").registry(new SimpleMeterRegistry())
            .ioPollPeriodUs(100_000).conclude();
        closeables.add(ctx);
        final UdpReceiver receiver = track(
            UdpReceiver.bind(ctx, LinkAddress.parse("udp://127.0.0.1:0"), collectFrames));
        assertThat(receiver.datagramsPerRead()).as("epoll reads with recvmmsg")
            .isEqualTo(ctx.nettyTransport() == NettyTransport.EPOLL ?
                UdpReceiver.DATAGRAMS_PER_READ : 1);

        final List<Long> sent = new ArrayList<>();
        try (DatagramSocket raw = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            for (long sequence = 0; sequence < 300; sequence++)
            {
                if (sequence == 100)
                {
                    send(raw, receiver, new byte[UdpReceiver.READ_BUFFER_BYTES + 500]);
                }
                if (sequence == 201)
                {
                    send(raw, receiver, new byte[300]);
                }
                send(raw, receiver, TestMessages.bytes(frame(sequence, 100 + (int)(sequence % 7) * 150, null)));
                sent.add(sequence);
            }
        }

        await().atMost(WAIT).until(() -> received.size() == sent.size());
        assertThat(received).containsExactlyElementsOf(sent);
        assertThat(receiver.metrics().drops(DropReason.OVERSIZED)).isEqualTo(1);
        assertThat(receiver.metrics().drops(DropReason.BAD_MAGIC)).isEqualTo(1);
        assertThat(receiver.metrics().messagesIn()).isEqualTo(300);
    }

    @Test
    void shouldAskForTheConfiguredSocketReceiveBuffer()
    {
        final TransportContext ctx = new TransportContext().nodeName("relay-1").registry(new SimpleMeterRegistry())
            .udpReceiveBufferBytes(128 * 1024).conclude();
        closeables.add(ctx);
        final UdpReceiver receiver = track(
            UdpReceiver.bind(ctx, LinkAddress.parse("udp://127.0.0.1:0"), collectFrames));

        // Linux doubles the value asked for to account for bookkeeping, and caps it at net.core.rmem_max.
        assertThat(receiver.receiveBufferBytes()).isGreaterThanOrEqualTo(Math.min(128 * 1024, 200 * 1024));
    }

    @Test
    void shouldNeverBlockOrFailWhenNobodyIsListening() throws IOException
    {
        final int deadPort;
        try (DatagramSocket probe = rawSocket())
        {
            deadPort = probe.getLocalPort();
        }
        final UdpSenderLink sender = track(UdpSenderLink.open(context("ingest-1", null),
            LinkAddress.parse("udp://127.0.0.1:" + deadPort)));

        for (long sequence = 0; sequence < 2_000; sequence++)
        {
            sender.offer(TestMessages.frame(sequence));
            sender.flush();
        }

        assertThat(sender.isConnected()).isTrue();
        assertThat(sender.metrics().messagesOut() + sender.metrics().drops(DropReason.BACKPRESSURE)).isEqualTo(2_000);
    }

    private static DatagramSocket rawSocket() throws IOException
    {
        final DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static void send(final DatagramSocket socket, final UdpReceiver receiver, final byte[] datagram)
        throws IOException
    {
        socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(),
            receiver.localPort()));
    }

    private static byte[] concat(final byte[] first, final byte[] second)
    {
        final byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    static ByteBuf frame(final long sequence, final int payloadLength, final MessageAuthenticator signer)
    {
        final byte[] payload = new byte[payloadLength];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)(sequence * 31 + i);
        }
        final ByteBuf buf = Unpooled.directBuffer(payloadLength + 256);
        final int length = new FrameEncoder()
            .wrap(ByteBufAccess.wrap(new UnsafeBuffer(0, 0), buf, 0, buf.capacity()), 0, TestMessages.MOUNT)
            .encoderId(1).priority(0).epoch(42).sequence(sequence).timestampUs(1_000_000L + sequence * 26_122)
            .codec(CodecType.MP3).sampleRate(44_100).samplesInFrame(1152).cleanSwitch(true)
            .payload(payload, 0, payload.length)
            .finish(signer);
        buf.writerIndex(length);
        return buf;
    }

    private TransportContext context(final String name, final Keyring keyring)
    {
        final TransportContext ctx = new TransportContext()
            .nodeName(name)
            .keyring(keyring)
            .registry(new SimpleMeterRegistry())
            .conclude();
        closeables.add(ctx);
        return ctx;
    }

    private <T extends AutoCloseable> T track(final T closeable)
    {
        closeables.add(closeable);
        return closeable;
    }
}
