package org.seamcast.ingest.pull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.audio.ChannelMode;
import org.seamcast.codec.audio.MpegVersion;
import org.seamcast.codec.audio.SilenceFrames;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.ingest.RecordingLink;
import org.seamcast.ingest.send.RelayFanout;
import org.seamcast.ingest.stamp.EpochSource;
import org.seamcast.ingest.stream.StreamHub;
import org.seamcast.transport.AgentThreads;
import org.seamcast.transport.ThreadingMode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pull client against tiny loopback HTTP servers: a redirect, an ICY server that sends a few seconds of audio
 * with in-band metadata and then goes silent without closing (a dead server), and a server that never answers.
 */
class HttpPullSourceTest
{
    private static final int FRAME_LENGTH = SilenceFrames.mp3FrameLength(MpegVersion.MPEG_1, 44_100, 128);
    private static final int META_INT = 1000;

    private final RecordingLink relay = new RecordingLink("tcp://127.0.0.1:9001");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RelayFanout fanout = new RelayFanout(List.of(relay), 4096, registry);
    private final AgentThreads senders = AgentThreads.start(ThreadingMode.SHARED, fanout.senders(),
        Throwable::printStackTrace);
    private final SystemEpochNanoClock clock = new SystemEpochNanoClock();
    private final StreamHub hub = new StreamHub(NodeName.of("ingest-test"), 2, 0, null, fanout, clock,
        new EpochSource(() -> clock.nanoTime() / 1_000_000), registry, 500);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
        senders.close();
        fanout.close();
    }

    @Test
    void shouldFollowARedirectStripIcyMetadataAndReconnectWhenTheServerGoesSilent() throws IOException
    {
        final TinyServer stream = serve(socket ->
        {
            write(socket, "ICY 200 OK\r\nicy-metaint: " + META_INT + "\r\nContent-Type: audio/mpeg\r\n"
                + "icy-name: Tiny FM\r\n\r\n");
            write(socket, interleave(silence(30), "StreamTitle='Hello - World';"));
            // then silence on the wire, connection left open: a dead server
        });
        final TinyServer redirect = serve(socket -> write(socket,
            "HTTP/1.0 302 Found\r\nLocation: http://127.0.0.1:" + stream.port() + "/stream\r\n\r\n"));

        final HttpPullSource pull = new HttpPullSource(URI.create("http://127.0.0.1:" + redirect.port() + "/live"),
            "/pulled.mp3", new HttpPullSource.Settings(1_000, 500, 10, 50, 5), hub, registry).start();
        closeables.add(pull);

        await().atMost(Duration.ofSeconds(10)).until(() -> relay.frames("/pulled.mp3").size() >= 29);
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.ofType(MessageType.METADATA).stream()
            .anyMatch(m -> "Hello - World".equals(m.title())));
        await("reconnected after the read timeout").atMost(Duration.ofSeconds(10))
            .until(() -> relay.frames("/pulled.mp3").stream().map(RecordingLink.Received::epoch).distinct()
                .count() >= 2);
        assertThat(registry.counter("seamcast.ingest.pull.failures", "mount", "/pulled.mp3").count())
            .isGreaterThanOrEqualTo(1);
        assertThat(relay.frames("/pulled.mp3")).allSatisfy(frame -> assertThat(frame.payload()).hasSize(FRAME_LENGTH));
        assertThat(stream.requests()).allSatisfy(request -> assertThat(request).containsIgnoringCase("Icy-MetaData: 1"));
        assertThat(relay.ofType(MessageType.ANNOUNCE).get(0).icyName()).isEqualTo("Tiny FM");
    }

    @Test
    void shouldTimeOutAServerThatNeverAnswersAndKeepTrying() throws IOException
    {
        final TinyServer mute = serve(socket ->
        {
        });
        final HttpPullSource pull = new HttpPullSource(URI.create("http://127.0.0.1:" + mute.port() + "/live"),
            "/mute.mp3", new HttpPullSource.Settings(1_000, 300, 10, 50, 5), hub, registry).start();
        closeables.add(pull);
        await().atMost(Duration.ofSeconds(10)).until(() -> mute.requests().size() >= 3);
        assertThat(pull.problem()).contains("no response head");
        assertThat(hub.liveCount()).isZero();
    }

    private TinyServer serve(final Consumer<Socket> behaviour) throws IOException
    {
        final TinyServer server = new TinyServer(behaviour);
        closeables.add(server);
        return server;
    }

    private static void write(final Socket socket, final String text)
    {
        write(socket, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void write(final Socket socket, final byte[] bytes)
    {
        try
        {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }
        catch (final IOException ex)
        {
            // the client went away: fine for these servers
        }
    }

    private static byte[] silence(final int frames)
    {
        final byte[] bytes = new byte[frames * FRAME_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (int i = 0; i < frames; i++)
        {
            SilenceFrames.writeMp3(MpegVersion.MPEG_1, 44_100, ChannelMode.STEREO, 128, buffer, i * FRAME_LENGTH);
        }
        return bytes;
    }

    private static byte[] interleave(final byte[] audio, final String metadata)
    {
        final byte[] meta = metadata.getBytes(StandardCharsets.UTF_8);
        final int blocks = (meta.length + 15) / 16;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int offset = 0; offset < audio.length; offset += META_INT)
        {
            final int length = Math.min(META_INT, audio.length - offset);
            out.write(audio, offset, length);
            if (length == META_INT)
            {
                out.write(blocks);
                out.write(meta, 0, meta.length);
                out.write(new byte[blocks * 16 - meta.length], 0, blocks * 16 - meta.length);
            }
        }
        return out.toByteArray();
    }

    /**
     * Accepts connections, records each request head, runs the behaviour, and keeps the socket open until closed.
     */
    private static final class TinyServer implements AutoCloseable
    {
        private final ServerSocket server;
        private final List<String> requests = new CopyOnWriteArrayList<>();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final Thread thread;

        TinyServer(final Consumer<Socket> behaviour) throws IOException
        {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() ->
            {
                while (!server.isClosed())
                {
                    try
                    {
                        final Socket socket = server.accept();
                        sockets.add(socket);
                        requests.add(readHead(socket.getInputStream()));
                        behaviour.accept(socket);
                    }
                    catch (final IOException ex)
                    {
                        // closed
                    }
                }
            }, "tiny-http");
            thread.setDaemon(true);
            thread.start();
        }

        int port()
        {
            return server.getLocalPort();
        }

        List<String> requests()
        {
            return requests;
        }

        private static String readHead(final InputStream in) throws IOException
        {
            final StringBuilder head = new StringBuilder();
            int b;
            while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0)
            {
                head.append((char)b);
            }
            return head.toString();
        }

        @Override
        public void close() throws Exception
        {
            server.close();
            for (final Socket socket : sockets)
            {
                socket.close();
            }
            thread.join(5_000);
        }
    }
}
