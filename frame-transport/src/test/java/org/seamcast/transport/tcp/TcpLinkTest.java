package org.seamcast.transport.tcp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.protocol.Handshake;
import org.seamcast.codec.protocol.HandshakeRole;
import org.seamcast.codec.protocol.KeyRole;
import org.seamcast.codec.protocol.Keyring;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.transport.ByteBufAccess;
import org.seamcast.transport.DropReason;
import org.seamcast.transport.MessageHandler;
import org.seamcast.transport.Peer;
import org.seamcast.transport.TestMessages;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TcpLinkTest
{
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

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
    void shouldCarryFramesInOrderAfterTheHandshake()
    {
        final TcpServer server = server(context("relay-1", null), collectFrames, ConnectionListener.NONE);
        final TcpClientLink client = client(context("ingest-1", null), server, (m, b, o, l, f) -> { });
        await().atMost(Duration.ofSeconds(5)).until(client::isConnected);

        for (long sequence = 0; sequence < 100; sequence++)
        {
            assertThat(client.offer(TestMessages.frame(sequence))).isTrue();
        }
        client.flush();

        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 100);
        assertThat(received).isSorted().doesNotHaveDuplicates().startsWith(0L).endsWith(99L);
        assertThat(server.metrics().messagesIn()).isGreaterThanOrEqualTo(100);
    }

    @Test
    void shouldCopyMessagesIntoBatchesWithoutAllocatingPerMessage()
    {
        final TcpServer server = server(context("relay-1", null), collectFrames, ConnectionListener.NONE);
        final TcpClientLink client = client(context("ingest-1", null), server, (m, b, o, l, f) -> { });
        await().atMost(Duration.ofSeconds(5)).until(client::isConnected);
        final ByteBuf frame = TestMessages.frame(7);
        final UnsafeBuffer bytes = ByteBufAccess.wrapReadable(new UnsafeBuffer(0, 0), frame);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();

        final int warmUp = offerInFlushesOf(20, 2_000, client, bytes, frame.readableBytes());
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == warmUp);
        final long before = threads.getThreadAllocatedBytes(threadId);
        final int accepted = offerInFlushesOf(20, 5_000, client, bytes, frame.readableBytes());
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        frame.release();

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == warmUp + accepted);
        assertThat(received).containsOnly(7L);
        assertThat(allocated).as("bytes allocated by the sender for %d messages (one batch per flush)", accepted)
            .isLessThan(5_000L * 8);
    }

    private static int offerInFlushesOf(
        final int perFlush, final int messages, final TcpClientLink client, final UnsafeBuffer bytes, final int length)
    {
        int accepted = 0;
        for (int i = 1; i <= messages; i++)
        {
            if (client.offer(bytes, 0, length))
            {
                accepted++;
            }
            if (i % perFlush == 0)
            {
                client.flush();
            }
        }
        client.flush();
        return accepted;
    }

    @Test
    void shouldDeliverEveryPayloadByteForByteUnderLoad()
    {
        final List<String> corrupt = new CopyOnWriteArrayList<>();
        final TcpServer server = server(context("relay-1", null), (message, buffer, offset, length, from) ->
        {
            if (message.type() == MessageType.FRAME)
            {
                final long sequence = message.frame().sequence();
                final byte[] expected = TestMessages.payload(sequence);
                final byte[] actual = new byte[message.frame().payloadLength()];
                buffer.getBytes(message.frame().payloadOffset(), actual);
                if (!java.util.Arrays.equals(expected, actual))
                {
                    corrupt.add("sequence " + sequence);
                }
                received.add(sequence);
            }
        }, ConnectionListener.NONE);
        final TcpClientLink client = client(context("ingest-1", null), server, (m, b, o, l, f) -> { });
        await().atMost(Duration.ofSeconds(5)).until(client::isConnected);

        for (long sequence = 0; sequence < 5_000; sequence++)
        {
            // The sender outruns a receiver starved of CPU: past the write high water mark an offer is refused
            // (counted as back-pressure) and this sender offers the frame again once the link drains.
            final long next = sequence;
            if (!client.offer(TestMessages.frame(next)))
            {
                client.flush();
                await("back-pressure on frame " + next + " to clear").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(1)).until(() -> client.offer(TestMessages.frame(next)));
            }
            if (sequence % 7 == 0)
            {
                client.flush();
            }
        }
        client.flush();

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 5_000);
        assertThat(corrupt).isEmpty();
    }

    @Test
    void shouldDeliverEveryAcceptedMessageOfABurstLargerThanTheOutboundQueue()
    {
        final TcpServer server = server(context("relay-1", null), collectFrames, ConnectionListener.NONE);
        final TcpClientLink client = client(context("ingest-1", null), server, (m, b, o, l, f) -> { });
        await().atMost(Duration.ofSeconds(5)).until(client::isConnected);

        // Enough frames to fill more batches than the queue holds, all offered before any flush.
        final ByteBuf sample = TestMessages.frame(0);
        final int frameLength = sample.readableBytes();
        sample.release();
        final long burst = (long)(TcpConnection.OUTBOUND_CAPACITY + 4) * (TcpConnection.BATCH_CAPACITY / frameLength);
        final List<Long> accepted = new ArrayList<>();
        for (long sequence = 0; sequence < burst; sequence++)
        {
            if (client.offer(TestMessages.frame(sequence)))
            {
                accepted.add(sequence);
            }
        }
        client.flush();

        assertThat((long)accepted.size()).as("more batches than the queue holds were taken before any flush")
            .isGreaterThan((long)TcpConnection.OUTBOUND_CAPACITY * (TcpConnection.BATCH_CAPACITY / frameLength));
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= accepted.size());
        assertThat(received).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(accepted);
    }

    @Test
    void shouldFlushTheOverflowOfABurstOfferedWhileTheEventLoopIsBusy() throws Exception
    {
        // Heartbeats far apart: one would flush whatever was left written and not flushed, and hide the bug.
        final TcpServer server = server(context("relay-1", null).heartbeatIntervalMs(30_000).idleTimeoutMs(60_000),
            collectFrames, ConnectionListener.NONE);
        final TransportContext clientCtx = context("ingest-1", null).ioThreads(1)
            .heartbeatIntervalMs(30_000).idleTimeoutMs(60_000);
        final TcpClientLink client = client(clientCtx, server, (m, b, o, l, f) -> { });
        await().atMost(Duration.ofSeconds(5)).until(client::isConnected);

        // The client's only event loop is held while the burst is offered, so the queue's drain is still pending
        // when the overflow's writes are handed to the loop: those come after the drain's flush and need their own.
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch held = new CountDownLatch(1);
        clientCtx.eventLoopGroup().next().execute(() ->
        {
            held.countDown();
            awaitQuietly(release);
        });
        assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();

        final List<Long> accepted = new ArrayList<>();
        for (long sequence = 0; sequence < TcpConnection.OUTBOUND_CAPACITY + 200; sequence++)
        {
            if (client.offer(TestMessages.frame(sequence)))
            {
                accepted.add(sequence);
            }
            client.flush();
        }
        release.countDown();

        assertThat(accepted).as("some of the burst went past the queue").hasSizeGreaterThan(
            TcpConnection.OUTBOUND_CAPACITY);
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= accepted.size());
        assertThat(received).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(accepted);
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldLetTheServerAnswerThroughThePeer()
    {
        final AtomicReference<Peer> subscriber = new AtomicReference<>();
        final TcpServer server = server(context("relay-1", null), (m, b, o, l, f) -> { }, new ConnectionListener()
        {
            @Override
            public void onEstablished(final Peer peer)
            {
                subscriber.set(peer);
            }
        });
        client(context("edge-1", null), server, collectFrames);
        await().atMost(Duration.ofSeconds(5)).until(() -> subscriber.get() != null);

        assertThat(subscriber.get().name()).isEqualTo("edge-1");
        for (long sequence = 0; sequence < 10; sequence++)
        {
            subscriber.get().send(TestMessages.frame(sequence));
        }
        subscriber.get().flush();

        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 10);
    }

    @Test
    void shouldAuthenticateWithASharedKeyAndRefuseAPeerWithout()
    {
        final Keyring keyring = Keyring.of(1, KEY).withMacRequired(true);
        final TcpServer server = server(context("relay-1", keyring), collectFrames, ConnectionListener.NONE);
        final TcpClientLink good = client(context("ingest-good", keyring), server, (m, b, o, l, f) -> { });
        final TcpClientLink keyless = client(context("ingest-keyless", null), server, (m, b, o, l, f) -> { });
        final TcpClientLink wrongKey = client(
            context("ingest-wrong", Keyring.of(1, OTHER_KEY).withMacRequired(true)), server, (m, b, o, l, f) -> { });

        await().atMost(Duration.ofSeconds(5)).until(good::isConnected);
        await().atMost(Duration.ofSeconds(5))
            .until(() -> server.metrics().drops(DropReason.MAC_MISSING) + server.metrics().drops(DropReason.UNAUTHENTICATED)
                + server.metrics().drops(DropReason.MAC_MISMATCH) >= 2);
        assertThat(keyless.isConnected()).isFalse();
        assertThat(wrongKey.isConnected()).isFalse();
        assertThat(keyless.offer(TestMessages.frame(1))).isFalse();

        good.offer(TestMessages.frame(TestMessages.MOUNT, 5, keyring.newAuthenticator()));
        good.flush();
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains(5L));
    }

    @Test
    void shouldReconnectWithBackoffAfterTheConnectionIsKilled()
    {
        final TransportContext serverCtx = context("relay-1", null);
        final AtomicReference<Peer> peer = new AtomicReference<>();
        final TcpServer server = server(serverCtx, collectFrames, new ConnectionListener()
        {
            @Override
            public void onEstablished(final Peer p)
            {
                peer.set(p);
            }
        });
        final TcpClientLink client = client(context("ingest-1", null), server, (m, b, o, l, f) -> { });
        await().atMost(Duration.ofSeconds(5)).until(client::isConnected);
        final Peer first = peer.get();

        first.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> peer.get() != first && client.isConnected());

        client.offer(TestMessages.frame(77));
        client.flush();
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains(77L));
        assertThat(client.metrics().reconnects()).isEqualTo(1);
    }

    @Test
    void shouldFreeTheBatchOfAConnectionReplacedBetweenAnOfferAndTheFlush()
    {
        final AtomicReference<Peer> peer = new AtomicReference<>();
        final TcpServer server = server(context("relay-1", null), collectFrames, new ConnectionListener()
        {
            @Override
            public void onEstablished(final Peer p)
            {
                peer.set(p);
            }
        });
        final TcpClientLink client = client(context("ingest-1", null), server, (m, b, o, l, f) -> { });
        await().atMost(Duration.ofSeconds(5)).until(client::isConnected);
        final TcpConnection first = client.connection();
        final Peer firstPeer = peer.get();
        assertThat(client.offer(TestMessages.frame(1))).isTrue();
        final ByteBuf stranded = first.pendingBatch();
        assertThat(stranded).isNotNull();

        firstPeer.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.connection() != first && client.isConnected());
        client.flush();

        await().atMost(Duration.ofSeconds(5)).until(() -> stranded.refCnt() == 0);
        assertThat(first.pendingBatch()).isNull();
        assertThat(client.offer(TestMessages.frame(2))).isTrue();
        client.flush();
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains(2L));
    }

    @Test
    void shouldKeepTryingWhileTheServerIsDownAndConnectWhenItComesUp() throws Exception
    {
        final TransportContext serverCtx = context("relay-1", null);
        serverCtx.conclude();
        final TcpServer first = TcpServer.bind(serverCtx, LinkAddress.parse("tcp://127.0.0.1:0"), collectFrames,
            ConnectionListener.NONE);
        final int port = first.localAddress().getPort();
        first.close();
        final TcpClientLink client = TcpClientLink.connect(context("ingest-1", null).conclude(),
            LinkAddress.parse("tcp://127.0.0.1:" + port), (m, b, o, l, f) -> { }, ConnectionListener.NONE);
        closeables.add(client);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.problem().startsWith("cannot connect"));

        final TcpServer second = TcpServer.bind(serverCtx, LinkAddress.parse("tcp://127.0.0.1:" + port),
            collectFrames, ConnectionListener.NONE);
        closeables.add(second);

        await().atMost(Duration.ofSeconds(10)).until(client::isConnected);
        assertThat(client.problem()).isNull();
    }

    @Test
    void shouldCarryAnIngestsAudioToAnEdgeHoldingOnlyItsOwnKeyButRefuseAudioSignedWithIt()
    {
        final Keyring ingestKeys = Keyring.of(1, KEY, KeyRole.INGEST);
        final Keyring edgeKeys = Keyring.of(2, OTHER_KEY, KeyRole.EDGE);
        final Keyring relayKeys = Keyring.of(1, KEY, KeyRole.INGEST).withKey(2, OTHER_KEY, KeyRole.EDGE);
        final List<Boolean> verified = new CopyOnWriteArrayList<>();
        final List<MessageType> atRelay = new CopyOnWriteArrayList<>();
        final TcpServer relay = server(context("relay-1", relayKeys),
            (message, buffer, offset, length, from) ->
            {
                if (message.type() != MessageType.HEARTBEAT)
                {
                    atRelay.add(message.type());
                }
            }, new ConnectionListener()
            {
                @Override
                public void onEstablished(final Peer peer)
                {
                    peer.send(TestMessages.frame(TestMessages.MOUNT, 7, ingestKeys.newAuthenticator()));
                    peer.flush();
                }
            });
        final TcpClientLink edge = client(context("edge-1", edgeKeys), relay, (message, buffer, offset, length, from) ->
        {
            if (message.type() == MessageType.FRAME)
            {
                received.add(message.frame().sequence());
                verified.add(message.isMacVerified());
            }
        });
        final TcpClientLink ingest = client(context("ingest-1", ingestKeys), relay, (m, b, o, l, f) -> { });
        await().atMost(Duration.ofSeconds(5)).until(() -> edge.isConnected() && ingest.isConnected());
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
        assertThat(verified).as("audio the edge holds no key for, from a relay it authenticated").containsExactly(false);

        edge.offer(TestMessages.frame(TestMessages.MOUNT, 8, edgeKeys.newAuthenticator()));
        edge.offer(subscribe(edgeKeys));
        edge.flush();
        ingest.offer(TestMessages.frame(TestMessages.MOUNT, 9, ingestKeys.newAuthenticator()));
        ingest.flush();
        await().atMost(Duration.ofSeconds(5)).until(() -> atRelay.size() == 2);
        assertThat(atRelay).containsExactlyInAnyOrder(MessageType.SUBSCRIBE, MessageType.FRAME);
        assertThat(relay.metrics().drops(DropReason.KEY_NOT_PERMITTED)).isEqualTo(1);
    }

    private static ByteBuf subscribe(final Keyring keyring)
    {
        final ByteBuf buf = io.netty.buffer.Unpooled.directBuffer(256);
        buf.writerIndex(new org.seamcast.codec.protocol.SubscribeEncoder()
            .wrap(org.seamcast.transport.ByteBufAccess.wrap(new UnsafeBuffer(0, 0), buf, 0, buf.capacity()), 0)
            .finish(keyring.newAuthenticator()));
        return buf;
    }

    @Test
    void shouldCloseAPeerThatNeverCompletesTheHandshake() throws IOException
    {
        final TransportContext ctx = context("relay-1", null).handshakeTimeoutMs(300);
        final TcpServer server = server(ctx, collectFrames, ConnectionListener.NONE);
        try (Socket silent = new Socket("127.0.0.1", server.localAddress().getPort()))
        {
            silent.setSoTimeout(5_000);
            final byte[] hello = silent.getInputStream().readNBytes(8);
            assertThat(hello[0]).isEqualTo((byte)'S');
            silent.getInputStream().readAllBytes();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.metrics().drops(DropReason.UNAUTHENTICATED) == 1);
    }

    @Test
    void shouldDropThenCutOffAPeerThatStopsReadingWithoutSlowingOthers() throws IOException
    {
        final TransportContext ctx = context("relay-1", null)
            .writeHighWaterMarkBytes(64 * 1024).slowPeerCutoffMs(200).idleTimeoutMs(60_000);
        final List<Peer> peers = new CopyOnWriteArrayList<>();
        final TcpServer server = server(ctx, (m, b, o, l, f) -> { }, new ConnectionListener()
        {
            @Override
            public void onEstablished(final Peer peer)
            {
                peers.add(peer);
            }
        });
        client(context("edge-good", null), server, collectFrames);
        try (Socket stalled = handshakenRawSocket(server, "edge-stalled"))
        {
            await().atMost(Duration.ofSeconds(5)).until(() -> peers.size() == 2);
            final Peer good = peers.stream().filter(p -> p.name().equals("edge-good")).findFirst().orElseThrow();
            final Peer slow = peers.stream().filter(p -> p.name().equals("edge-stalled")).findFirst().orElseThrow();

            long filler = 0;
            while (server.metrics().drops(DropReason.BACKPRESSURE) == 0 && filler < 1_000_000)
            {
                slow.send(TestMessages.frame(filler++));
                slow.flush();
            }
            assertThat(server.metrics().drops(DropReason.BACKPRESSURE)).isEqualTo(1);
            await("stalled peer cut off").atMost(Duration.ofSeconds(20)).until(() ->
            {
                for (int i = 0; i < 500; i++)
                {
                    slow.send(TestMessages.frame(i));
                }
                slow.flush();
                return server.metrics().drops(DropReason.NOT_CONNECTED) > 0;
            });

            for (long sequence = 0; sequence < 1_000; sequence++)
            {
                assertThat(good.send(TestMessages.frame(sequence))).isTrue();
                if (sequence % 100 == 99)
                {
                    good.flush();
                    final long expected = sequence + 1;
                    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == expected);
                }
            }
            assertThat(received).hasSize(1_000).isSorted();
            assertThat(stalled.isClosed()).isFalse();
        }
    }

    private Socket handshakenRawSocket(final TcpServer server, final String name) throws IOException
    {
        final Socket socket = new Socket("127.0.0.1", server.localAddress().getPort());
        socket.setReceiveBufferSize(4096);
        final Handshake handshake = new Handshake(HandshakeRole.CONNECTOR, NodeName.of(name), null, new SecureRandom());
        final UnsafeBuffer hello = new UnsafeBuffer(new byte[256]);
        final int length = handshake.encodeHello(hello, 0);
        final OutputStream out = socket.getOutputStream();
        out.write(hello.byteArray(), 0, length);
        out.flush();
        return socket;
    }

    private TransportContext context(final String name, final Keyring keyring)
    {
        final TransportContext ctx = new TransportContext()
            .nodeName(name)
            .keyring(keyring)
            .registry(new SimpleMeterRegistry())
            .heartbeatIntervalMs(100)
            .idleTimeoutMs(2_000)
            .reconnectInitialDelayNs(20_000_000L)
            .reconnectMaxDelayNs(200_000_000L);
        closeables.add(ctx);
        return ctx;
    }

    private TcpServer server(final TransportContext ctx, final MessageHandler handler, final ConnectionListener listener)
    {
        if (ctx.eventLoopGroup() == null)
        {
            ctx.conclude();
        }
        final TcpServer server = TcpServer.bind(ctx, LinkAddress.parse("tcp://127.0.0.1:0"), handler, listener);
        closeables.add(server);
        return server;
    }

    private TcpClientLink client(final TransportContext ctx, final TcpServer server, final MessageHandler handler)
    {
        ctx.conclude();
        final TcpClientLink link = TcpClientLink.connect(ctx,
            LinkAddress.parse("tcp://127.0.0.1:" + server.localAddress().getPort()), handler, ConnectionListener.NONE);
        closeables.add(link);
        return link;
    }
}
