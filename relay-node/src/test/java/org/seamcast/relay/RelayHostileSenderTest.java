package org.seamcast.relay;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.seamcast.codec.protocol.Keyring;
import org.seamcast.codec.protocol.MessageAuthenticator;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.Protocol;
import org.seamcast.transport.link.LinkAddress;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.protocol.DecodeResult;
import org.seamcast.codec.protocol.Handshake;
import org.seamcast.codec.protocol.HandshakeResult;
import org.seamcast.codec.protocol.HandshakeRole;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.NodeName;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seamcast.relay.TestMesh.counter;
import static org.seamcast.relay.TestMesh.gauge;

/**
 * A relay with a shared key under attack from every side while a good stream flows through it.
 */
@Timeout(60)
class RelayHostileSenderTest
{
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int BIG_FRAMES_PER_GOOD_FRAME = 8;
    private static final MountName GOOD = MountName.of("/good");
    private static final MountName BIG = MountName.of("/big");
    private static final byte[] KEY = "a shared key of 32 bytes for hmac".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WRONG_KEY = "not the key the relay was given!".getBytes(StandardCharsets.US_ASCII);

    private final TestMesh mesh = new TestMesh();

    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception
    {
        mesh.close();
    }

    @Test
    void shouldKeepAGoodStreamWholeWhileDroppingAndCountingEveryHostileInput() throws Exception
    {
        final Path keyFile = dir.resolve("mesh.key");
        Files.writeString(keyFile, "# test key\n0:" + HexFormat.of().formatHex(KEY) + "\n");
        final RelayContext ctx = TestMesh.relayContext("relay-1")
            .listen(LinkAddress.parse("tcp://127.0.0.1:0"))
            .keyFile(keyFile);
        ctx.transport().writeHighWaterMarkBytes(64 * 1024).slowPeerCutoffMs(200).idleTimeoutMs(10_000);
        final RelayNode relay = mesh.relay(ctx);
        final int port = relay.listenPort(0);
        final Keyring keyring = Keyring.of(0, KEY);
        final MessageAuthenticator signer = keyring.newAuthenticator();
        final MessageAuthenticator wrongSigner = Keyring.of(0, WRONG_KEY).newAuthenticator();

        final TestMesh.Sender good = mesh.sender("ingest-good", keyring, port);
        final TestMesh.Sender big = mesh.sender("ingest-big", keyring, port);
        final TestMesh.Sender forger = mesh.sender("forger", keyring, port);
        final TestMesh.Subscriber edge = mesh.subscriber("edge-1", keyring, port,
            s -> TestFrames.subscribe(-1, keyring.newAuthenticator(), GOOD));
        stallingSubscriber(keyring, port);
        TestMesh.await(WAIT).until(() -> gauge(relay, "seamcast.relay.subscribers") == 2);
        TestMesh.await(WAIT).until(() -> good.isConnected() && big.isConnected() && forger.isConnected());

        rawSocket(port, randomBytes(64 * 1024));
        rawSocket(port, header(0xFFFF));
        final byte[] maxLengthThenGarbage = randomBytes(Protocol.MAX_MESSAGE_LENGTH);
        System.arraycopy(header(Protocol.MAX_MESSAGE_LENGTH), 0, maxLengthThenGarbage, 0, Protocol.HEADER_LENGTH);
        rawSocket(port, maxLengthThenGarbage);

        long sequence = 0;
        for (; sequence < 1_000 && gauge(relay, "seamcast.relay.subscribers") > 1 || sequence < 100; sequence++)
        {
            for (int i = 1; i < BIG_FRAMES_PER_GOOD_FRAME; i++)
            {
                big.send(TestFrames.frame(BIG, BIG_FRAMES_PER_GOOD_FRAME * sequence + i, Protocol.MAX_PAYLOAD_LENGTH,
                    signer));
            }
            good.send(TestFrames.frame(GOOD, sequence, 200, signer));
            forger.send(TestFrames.frame(GOOD, sequence + 1, 300, null));
            forger.send(TestFrames.frame(GOOD, sequence + 2, 300, wrongSigner));
            big.send(TestFrames.frame(BIG, BIG_FRAMES_PER_GOOD_FRAME * sequence, Protocol.MAX_PAYLOAD_LENGTH, signer));
            final long sent = sequence + 1;
            TestMesh.await(WAIT).until(() -> edge.sequences.size() >= sent);
        }

        final long frames = sequence;
        assertThat(edge.sequences).containsExactlyElementsOf(
            LongStream.range(0, frames).boxed().collect(Collectors.toList()));
        assertThat(edge.frames).allMatch(frame -> frame.startsWith("/good#"));
        TestMesh.await(WAIT).until(() -> gauge(relay, "seamcast.relay.subscribers") == 1);

        assertThat(linkDrops(relay, "bad_magic")).isPositive();
        assertThat(linkDrops(relay, "bad_length")).isPositive();
        assertThat(linkDrops(relay, "crc_mismatch")).isPositive();
        assertThat(linkDrops(relay, "mac_missing")).isEqualTo(frames);
        assertThat(linkDrops(relay, "mac_mismatch")).isEqualTo(frames);
        assertThat(linkDrops(relay, "backpressure") + relay.drops(RelayDropReason.SUBSCRIBER_BACKPRESSURE))
            .isPositive();
        assertThat(counter(relay, "seamcast.relay.frames.accepted", "mount", "/good")).isEqualTo(frames);
        assertThat(relay.problems()).isEmpty();
    }

    @Test
    void shouldNotLetOneStreamsFloodStarveAnother() throws Exception
    {
        final RelayNode relay = mesh.relay(TestMesh.relayContext("relay-1")
            .listen(LinkAddress.parse("tcp://127.0.0.1:0"))
            .inboundQueueBytes(RelayContext.MIN_QUEUE_BYTES));
        final int port = relay.listenPort(0);
        final MountName flood = MountName.of("/flood");
        final TestMesh.Sender good = mesh.sender("ingest-good", null, port);
        final TestMesh.Sender flooder = mesh.sender("ingest-flood", null, port);
        final TestMesh.Subscriber edge = mesh.subscriber("edge-1", null, port,
            s -> TestFrames.subscribe(-1, null, GOOD));
        final TestMesh.Subscriber floodEdge = mesh.subscriber("edge-2", null, port,
            s -> TestFrames.subscribe(-1, null, flood));
        TestMesh.await(WAIT).until(() -> gauge(relay, "seamcast.relay.subscribers") == 2);
        TestMesh.await(WAIT).until(() -> good.isConnected() && flooder.isConnected());

        final int goodFrames = 100;
        final Thread floodThread = new Thread(() ->
        {
            for (long sequence = 0; sequence < 200_000 && !Thread.currentThread().isInterrupted(); sequence++)
            {
                flooder.send(TestFrames.frame(flood, sequence, 1_000, null));
            }
        }, "flooder");
        floodThread.start();
        try
        {
            for (long sequence = 0; sequence < goodFrames; sequence++)
            {
                good.send(TestFrames.frame(GOOD, sequence, 200, null));
                final long sent = sequence + 1;
                TestMesh.await(WAIT).until(() -> edge.sequences.size() >= sent);
            }
        }
        finally
        {
            floodThread.interrupt();
            floodThread.join(10_000);
        }
        assertThat(edge.frames.stream().filter(f -> f.startsWith("/good#")).count()).isEqualTo(goodFrames);
        assertThat(counter(relay, "seamcast.relay.frames.accepted", "mount", "/flood")).isGreaterThan(goodFrames);
        assertThat(relay.drops(RelayDropReason.STREAM_FLOOD)).isPositive();
        assertThat(relay.drops(RelayDropReason.INBOUND_QUEUE_FULL)).isZero();
    }

    private static double linkDrops(final RelayNode relay, final String reason)
    {
        return counter(relay, "seamcast.link.drops", "reason", reason);
    }

    /**
     * A peer that handshakes with the key, subscribes to every mount, then never reads again; its receive buffer
     * is tiny, so the relay's writes to it back up at once.
     */
    private void stallingSubscriber(final Keyring keyring, final int port) throws IOException
    {
        final MessageAuthenticator authenticator = keyring.newAuthenticator();
        final Socket socket = new Socket();
        mesh.track(socket);
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket.setSoTimeout(5_000);
        final Handshake handshake = new Handshake(
            HandshakeRole.CONNECTOR, NodeName.of("edge-stalled"), authenticator, new SecureRandom());
        final UnsafeBuffer out = new UnsafeBuffer(new byte[Protocol.MAX_MESSAGE_LENGTH]);
        final OutputStream output = socket.getOutputStream();
        output.write(out.byteArray(), 0, handshake.encodeHello(out, 0));
        final DataInputStream input = new DataInputStream(socket.getInputStream());
        final MessageDecoder decoder = new MessageDecoder(authenticator);
        final UnsafeBuffer in = new UnsafeBuffer(new byte[Protocol.MAX_MESSAGE_LENGTH]);
        while (!handshake.isComplete())
        {
            input.readFully(in.byteArray(), 0, Protocol.HEADER_LENGTH);
            final int length = MessageDecoder.totalLength(in, 0);
            input.readFully(in.byteArray(), Protocol.HEADER_LENGTH, length - Protocol.HEADER_LENGTH);
            assertThat(decoder.decode(in, 0, length)).isEqualTo(DecodeResult.OK);
            if (decoder.type() == MessageType.HELLO)
            {
                assertThat(handshake.onHello(decoder.hello())).isEqualTo(HandshakeResult.OK);
                output.write(out.byteArray(), 0, handshake.encodeHelloAuth(out, 0));
            }
            else if (decoder.type() == MessageType.HELLO_AUTH)
            {
                assertThat(handshake.onHelloAuth(decoder.helloAuth())).isEqualTo(HandshakeResult.OK);
            }
        }
        final ByteBuf subscribe = TestFrames.subscribe(-1, keyring.newAuthenticator());
        final byte[] bytes = new byte[subscribe.readableBytes()];
        subscribe.readBytes(bytes);
        subscribe.release();
        output.write(bytes);
        output.flush();
    }

    private static void rawSocket(final int port, final byte[] bytes) throws IOException
    {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port))
        {
            final OutputStream out = socket.getOutputStream();
            try
            {
                out.write(bytes);
                out.flush();
            }
            catch (final IOException closedByRelay)
            {
                // the relay may close the connection before all the garbage is written: that is the point
            }
        }
    }

    private static byte[] header(final int totalLength)
    {
        return new byte[] {Protocol.MAGIC_0, Protocol.MAGIC_1, (byte)Protocol.VERSION, 1, 0, 0,
            (byte)totalLength, (byte)(totalLength >>> 8)};
    }

    private static byte[] randomBytes(final int length)
    {
        final byte[] bytes = new byte[length];
        new Random(7).nextBytes(bytes);
        bytes[0] = 0x00;
        return bytes;
    }
}
