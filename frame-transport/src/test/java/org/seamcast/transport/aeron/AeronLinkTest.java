package org.seamcast.transport.aeron;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.protocol.CodecType;
import org.seamcast.codec.protocol.FrameEncoder;
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
import org.seamcast.transport.tcp.ConnectionListener;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class AeronLinkTest
{
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final MessageHandler IGNORE = (message, buffer, offset, length, from) -> { };

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Long> received = new CopyOnWriteArrayList<>();
    private final List<Integer> receivedLengths = new CopyOnWriteArrayList<>();
    private final AtomicReference<Peer> lastPeer = new AtomicReference<>();
    private final MessageHandler collectFrames = (message, buffer, offset, length, from) ->
    {
        if (message.type() == MessageType.FRAME)
        {
            received.add(message.frame().sequence());
            receivedLengths.add(length);
            lastPeer.set(from);
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
    void shouldCarryEveryFrameInOrderOverReliableUnicast()
    {
        final InboundEndpoint receiver = track(Links.listen(context("relay-1", null),
            LinkAddress.parse("aeron+udp://127.0.0.1:0"), collectFrames, ConnectionListener.NONE));
        final int port = receiver.localPort();
        assertThat(port).isPositive();
        final MessageLink sender = track(Links.dial(context("ingest-1", null),
            LinkAddress.parse("aeron+udp://127.0.0.1:" + port), IGNORE, ConnectionListener.NONE));
        await().atMost(WAIT).until(sender::isConnected);
        assertThat(sender.problem()).isNull();

        long sequence = 0;
        while (sequence < 2_000)
        {
            if (sender.offer(TestMessages.frame(sequence)))
            {
                sequence++;
            }
            else
            {
                final long before = sequence;
                await().atMost(WAIT).until(() -> received.size() >= before - 100);
            }
        }

        await().atMost(WAIT).until(() -> received.size() == 2_000);
        assertThat(received).isSorted().doesNotHaveDuplicates().startsWith(0L).endsWith(1_999L);
        assertThat(receiver.metrics().messagesIn()).isEqualTo(2_000);
        assertThat(lastPeer.get().name()).startsWith("127.0.0.1:");
        assertThat(lastPeer.get().path()).isEqualTo("aeron+udp://127.0.0.1:0");
        final ByteBuf answer = TestMessages.frame(1);
        assertThat(lastPeer.get().send(answer)).isFalse();
        assertThat(answer.refCnt()).isZero();
    }

    @Test
    void shouldAcceptEveryOfferAcrossTermRotationsWhenTheReceiverKeepsUp()
    {
        final AeronReceiver receiver = track(AeronReceiver.bind(context("relay-1", null),
            LinkAddress.parse("aeron+udp://127.0.0.1:0"), collectFrames));
        final AeronPublicationLink sender = track(AeronPublicationLink.open(context("ingest-1", null),
            LinkAddress.parse("aeron+udp://127.0.0.1:" + receiver.localPort())));
        await().atMost(WAIT).until(sender::isConnected);
        final ByteBuf probe = TestMessages.frame(0);
        final int batch = AeronMedia.TERM_LENGTH_BYTES / 4 / (probe.readableBytes() + 32); // a quarter term at most
        probe.release();
        final int total = batch * 4 * 5; // five terms: four rotations

        final List<Long> refused = new ArrayList<>();
        for (long sequence = 0; sequence < total; sequence++)
        {
            if (!sender.offer(TestMessages.frame(sequence)))
            {
                refused.add(sequence);
            }
            if ((sequence + 1) % batch == 0)
            {
                final long sent = sequence + 1 - refused.size();
                await().atMost(WAIT).until(() -> received.size() == sent); // the window never fills
            }
        }

        assertThat(refused).as("offers refused (a term rotation must be retried, not dropped)").isEmpty();
        assertThat(sender.metrics().drops(DropReason.BACKPRESSURE)).isZero();
        assertThat(received).hasSize(total).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void shouldUseTheTermLengthTheAddressGivesAndCarryEveryMessageOverIt()
    {
        final AeronReceiver receiver = track(AeronReceiver.bind(context("relay-1", null),
            LinkAddress.parse("aeron+udp://127.0.0.1:0"), collectFrames));
        final AeronPublicationLink sender = track(AeronPublicationLink.open(context("ingest-1", null),
            LinkAddress.parse("aeron+udp://127.0.0.1:" + receiver.localPort() + "?term-length=1048576")));
        await().atMost(WAIT).until(sender::isConnected);

        assertThat(sender.termBufferLengthBytes()).isEqualTo(1 << 20);
        for (long sequence = 0; sequence < 1_000; sequence++)
        {
            assertThat(sender.offer(TestMessages.frame(sequence))).as("offer %d", sequence).isTrue();
            if (sequence % 250 == 249)
            {
                final long sent = sequence + 1;
                await().atMost(WAIT).until(() -> received.size() == sent);
            }
        }
        assertThat(received).hasSize(1_000).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void shouldReassembleMessagesLargerThanOneAeronFrameUpToTheDatagramLimit()
    {
        final AeronReceiver receiver = track(AeronReceiver.bind(context("relay-1", null),
            LinkAddress.parse("aeron+udp://127.0.0.1:0"), collectFrames));
        final AeronPublicationLink sender = track(AeronPublicationLink.open(context("ingest-1", null),
            LinkAddress.parse("aeron+udp://127.0.0.1:" + receiver.localPort())));
        await().atMost(WAIT).until(sender::isConnected);

        final ByteBuf largest = frame(1, 1_000, null);
        final int payloadForLimit = 1_000 + Protocol.MAX_DATAGRAM_LENGTH - largest.readableBytes();
        largest.release();
        assertThat(sender.offer(frame(1, payloadForLimit, null))).isTrue();
        final ByteBuf oversized = frame(2, payloadForLimit + 1, null);
        assertThat(sender.offer(oversized)).isFalse();
        assertThat(oversized.refCnt()).isZero();
        assertThat(sender.offer(frame(3, 100, null))).isTrue();

        await().atMost(WAIT).until(() -> received.size() == 2);
        assertThat(received).containsExactly(1L, 3L);
        assertThat(receivedLengths.get(0)).isEqualTo(Protocol.MAX_DATAGRAM_LENGTH);
        assertThat(sender.metrics().drops(DropReason.OVERSIZED)).isEqualTo(1);
    }

    @Test
    void shouldDropAndCountUnsignedMessagesWhenAKeyIsRequired()
    {
        final Keyring keyring = Keyring.of(1, KEY).withMacRequired(true);
        final MessageAuthenticator signer = keyring.newAuthenticator();
        final AeronReceiver receiver = track(AeronReceiver.bind(context("relay-1", keyring),
            LinkAddress.parse("aeron+udp://127.0.0.1:0"), collectFrames));
        final AeronPublicationLink sender = track(AeronPublicationLink.open(context("ingest-1", null),
            LinkAddress.parse("aeron+udp://127.0.0.1:" + receiver.localPort())));
        await().atMost(WAIT).until(sender::isConnected);

        final ByteBuf corrupt = frame(3, 200, signer);
        corrupt.setByte(60, corrupt.getByte(60) ^ 0x10);
        assertThat(sender.offer(frame(1, 200, null))).isTrue();
        assertThat(sender.offer(frame(2, 200, signer))).isTrue();
        assertThat(sender.offer(corrupt)).isTrue();
        assertThat(sender.offer(frame(4, 200, signer))).isTrue();

        await().atMost(WAIT).until(() -> received.contains(4L));
        assertThat(received).containsExactly(2L, 4L);
        assertThat(receiver.metrics().drops(DropReason.MAC_MISSING)).isEqualTo(1);
        assertThat(receiver.metrics().drops(DropReason.CRC_MISMATCH)).isEqualTo(1);
    }

    @Test
    void shouldDropAndCountWhileNoSubscriberIsConnected() throws IOException
    {
        final int deadPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            deadPort = probe.getLocalPort();
        }
        final AeronPublicationLink sender = track(AeronPublicationLink.open(context("ingest-1", null),
            LinkAddress.parse("aeron+udp://127.0.0.1:" + deadPort)));

        assertThat(sender.isConnected()).isFalse();
        assertThat(sender.problem()).contains("no Aeron subscriber");
        assertThat(sender.offer(TestMessages.frame(1))).isFalse();
        assertThat(sender.metrics().drops(DropReason.NOT_CONNECTED)).isEqualTo(1);
    }

    @Test
    void shouldRunOneSmallDriverPerNodeAndDeleteItsDirectoryWhenTheLastLinkCloses()
    {
        final TransportContext ctx = context("relay-1", null);
        final AeronReceiver receiver = AeronReceiver.bind(ctx, LinkAddress.parse("aeron+udp://127.0.0.1:0"), IGNORE);
        final AeronPublicationLink sender = AeronPublicationLink.open(ctx,
            LinkAddress.parse("aeron+udp://127.0.0.1:" + receiver.localPort()));
        final AeronMedia media = AeronMedia.acquire(ctx);
        final Path directory = media.directory();
        media.release();
        try
        {
            assertThat(directory).isDirectory();
            assertThat(directory.getFileName().toString())
                .startsWith("seamcast-aeron-relay-1-" + ProcessHandle.current().pid() + "-");
            assertThat(sender.termBufferLengthBytes()).isEqualTo(AeronMedia.TERM_LENGTH_BYTES);
        }
        finally
        {
            sender.close();
            assertThat(media.isRunning()).isTrue();
            receiver.close();
        }

        assertThat(media.isRunning()).isFalse();
        assertThat(Files.exists(directory)).isFalse();
    }

    @Test
    void shouldDeleteTheDirectoryOfThisNodeLeftByAProcessThatIsGone() throws IOException
    {
        long deadPid = 4_000_000;
        while (ProcessHandle.of(deadPid).isPresent())
        {
            deadPid++;
        }
        // names of this JVM's own: another build on the host runs this test with the same dead pid in /dev/shm
        final String tag = Long.toHexString(ProcessHandle.current().pid());
        final String node = "relay-orphan" + tag;
        final TransportContext ctx = context(node, null);
        final AeronMedia media = AeronMedia.acquire(ctx);
        final Path orphan = media.directory().resolveSibling(AeronMedia.directoryName(node, deadPid, 1));
        final Path otherNode =
            media.directory().resolveSibling(AeronMedia.directoryName("relay-other" + tag, deadPid, 1));
        media.release();
        try
        {
            Files.createDirectories(orphan.resolve("inner"));
            Files.createDirectories(otherNode);

            AeronMedia.acquire(ctx).release();

            assertThat(Files.exists(orphan)).isFalse();
            assertThat(Files.exists(otherNode)).isTrue();
        }
        finally
        {
            Files.deleteIfExists(orphan.resolve("inner"));
            Files.deleteIfExists(orphan);
            Files.deleteIfExists(otherNode);
        }
    }

    @Test
    void shouldLeaveNoDirectoryWhenTheDriverRefusesToStart() throws IOException
    {
        final String node = "relay-refused" + Long.toHexString(ProcessHandle.current().pid());
        final TransportContext ctx = context(node, null);
        // Aeron refuses a receiver window larger than the socket's receive buffer when the driver starts
        System.setProperty("aeron.rcv.initial.window.length", Integer.toString(64 * 1024 * 1024));
        try
        {
            assertThatThrownBy(() -> AeronMedia.acquire(ctx)).hasMessageContaining("initialWindowLength");
        }
        finally
        {
            System.clearProperty("aeron.rcv.initial.window.length");
        }

        try (var entries = Files.list(AeronMedia.baseDirectory()))
        {
            assertThat(entries.map(e -> e.getFileName().toString()))
                .noneMatch(name -> name.startsWith("seamcast-aeron-" + node + "-"));
        }
    }

    @Test
    void shouldRefuseAnEvenMulticastGroupNamingTheFix()
    {
        final TransportContext ctx = context("relay-1", null);
        assertThatThrownBy(() -> AeronPublicationLink.open(ctx, LinkAddress.parse("mcast://239.1.2.4:9100")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("odd")
            .hasMessageContaining("239.1.2.5");
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
