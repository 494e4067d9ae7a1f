package org.seamcast.it.edge;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.edge.listener.IcecastPush;
import org.seamcast.edge.listener.ListenerServer;
import org.seamcast.edge.listener.ListenerServerContext;
import org.seamcast.edge.listener.MountPoint;
import org.seamcast.edge.listener.StreamHeaders;
import org.seamcast.it.support.Command;
import org.seamcast.it.support.IcecastServer;
import org.seamcast.it.support.ReferenceAudio;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Icecast in front of an edge's listener server, as sites deploy it: a {@code <relay>} pulling one mount,
 * and a slave following the edge as its {@code <master-server>}. Audio read back from Icecast must be the frames
 * the edge played, byte for byte, and must decode cleanly.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IcecastFrontsEdgeTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path workDir;

    private static final StreamHeaders HEADERS = new StreamHeaders(
        "audio/mpeg", "Seamcast IT", "Test", "integration test", "http://seamcast.invalid", false,
        "samplerate=44100;channels=2;bitrate=128", 128);

    private static ReferenceAudio reference;
    private ListenerServer edge;
    private MountPoint mount;
    private Thread playout;
    private volatile boolean playing = true;

    @BeforeAll
    static void encodeReference()
    {
        reference = ReferenceAudio.mp3(workDir, 20);
    }

    @BeforeEach
    void startEdge()
    {
        edge = ListenerServer.start(new ListenerServerContext()
            .bindAddress(new InetSocketAddress("127.0.0.1", 0)).conclude());
        mount = edge.openMount("/live", HEADERS);
        mount.title("Seamcast - Integration");
        playout = new Thread(this::playInRealTime, "test-playout");
        playout.start();
    }

    @AfterEach
    void stopEdge() throws InterruptedException
    {
        playing = false;
        playout.join(5_000);
        edge.close();
    }

    @Test
    void shouldServeTheEdgeFramesThroughAnIcecastRelay() throws Exception
    {
        try (IcecastServer icecast = IcecastServer.builder()
            .relay("127.0.0.1", edge.localAddress().getPort(), "/live").start(workDir))
        {
            await("icecast relay connected to the edge").atMost(Duration.ofSeconds(20))
                .until(() -> mount.listenerCount() == 1);
            await("icecast serving the relayed mount").atMost(Duration.ofSeconds(20)).until(() -> icecast.serves("/live"));

            final byte[] recording = record(icecast.port(), "/live", 3 * 16_000 * 2);

            final List<Integer> frames = reference.matchFrames(recording);
            assertThat(frames.size()).isGreaterThan(80);
            assertContiguous(frames);
            assertDecodesCleanly(icecast.url("/live"));
        }
    }

    @Test
    void shouldCarryTheTitleThroughIcecastInIcyMetadata() throws Exception
    {
        try (IcecastServer icecast = IcecastServer.builder()
            .relay("127.0.0.1", edge.localAddress().getPort(), "/live").start(workDir))
        {
            await().atMost(Duration.ofSeconds(20)).until(() -> mount.listenerCount() == 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> icecast.serves("/live"));

            final String titles = readIcyTitles(icecast.port(), "/live", 4);

            assertThat(titles).contains("StreamTitle='Seamcast - Integration';");
        }
    }

    @Test
    void shouldBeMirroredByAnIcecastSlaveOfTheEdgeAsMasterServer() throws Exception
    {
        try (IcecastServer icecast = IcecastServer.builder()
            .masterServer("127.0.0.1", edge.localAddress().getPort(), 1).start(workDir))
        {
            await("icecast slave relaying the edge's mounts").atMost(Duration.ofSeconds(30))
                .until(() -> mount.listenerCount() == 1);
            await("icecast slave serving the mount").atMost(Duration.ofSeconds(20)).until(() -> icecast.serves("/live"));

            final byte[] recording = record(icecast.port(), "/live", 3 * 16_000 * 2);

            final List<Integer> frames = reference.matchFrames(recording);
            assertThat(frames.size()).isGreaterThan(80);
            assertContiguous(frames);
        }
    }

    @Test
    void shouldPushTheMountIntoIcecastAsASource() throws Exception
    {
        try (IcecastServer icecast = IcecastServer.builder().start(workDir);
            IcecastPush push = IcecastPush.start(edge, mount, URI.create(
                "icecast://source:" + IcecastServer.SOURCE_PASSWORD + "@127.0.0.1:" + icecast.port() + "/pushed")))
        {
            await("Icecast accepted the edge as source").atMost(Duration.ofSeconds(20)).until(push::isStreaming);
            await("Icecast serving the pushed mount").atMost(Duration.ofSeconds(20)).until(() -> icecast.serves("/pushed"));

            final byte[] recording = record(icecast.port(), "/pushed", 3 * 16_000 * 2);

            final List<Integer> frames = reference.matchFrames(recording);
            assertThat(frames.size()).isGreaterThan(80);
            assertContiguous(frames);
            assertThat(mount.listenerCount()).as("a push is not a listener").isZero();
        }
    }

    @Test
    void shouldReportARefusedPushAndKeepRetrying() throws Exception
    {
        try (IcecastServer icecast = IcecastServer.builder().start(workDir);
            IcecastPush push = IcecastPush.start(edge, mount, URI.create(
                "icecast://source:wrong@127.0.0.1:" + icecast.port() + "/pushed")))
        {
            await().atMost(Duration.ofSeconds(20)).until(() -> String.valueOf(push.problem()).contains("401"));
            assertThat(push.isStreaming()).isFalse();
        }
    }

    @Test
    void shouldDecodeCleanlyWhenAPlayerAsksTheEdgeForIcyMetadata()
    {
        assertDecodesCleanly("http://127.0.0.1:" + edge.localAddress().getPort() + "/live");
    }

    private void playInRealTime()
    {
        final List<byte[]> frames = reference.frames();
        final long frameNs = (long)(reference.frameDurationSeconds() * 1e9);
        final long start = System.nanoTime();
        long n = 0;
        while (playing)
        {
            final byte[] frame = frames.get((int)(n % frames.size()));
            mount.publish(new UnsafeBuffer(frame), 0, frame.length);
            n++;
            final long due = start + n * frameNs;
            while (playing && System.nanoTime() < due)
            {
                LockSupport.parkNanos(due - System.nanoTime());
            }
        }
    }

    private static void assertContiguous(final List<Integer> frames)
    {
        for (int i = 1; i < frames.size(); i++)
        {
            final int previous = frames.get(i - 1);
            final int current = frames.get(i);
            assertThat(current == previous + 1 || current == 0)
                .as("frame %d follows frame %d", current, previous).isTrue();
        }
    }

    private static byte[] record(final int port, final String mount, final int bytes) throws IOException
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + mount + " HTTP/1.0\r\nUser-Agent: seamcast-it\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            final String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.0 200").containsIgnoringCase("Content-Type: audio/mpeg");
            return in.readNBytes(bytes);
        }
    }

    private static String readIcyTitles(final int port, final String mount, final int blocks) throws IOException
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + mount + " HTTP/1.0\r\nIcy-MetaData: 1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            final String head = readHead(in);
            final int metaint = Integer.parseInt(head.lines()
                .filter(line -> line.toLowerCase().startsWith("icy-metaint:"))
                .findFirst().orElseThrow(() -> new AssertionError("no icy-metaint in " + head))
                .substring("icy-metaint:".length()).trim());
            final StringBuilder titles = new StringBuilder();
            for (int i = 0; i < blocks; i++)
            {
                in.readNBytes(metaint);
                final int length = in.read() * 16;
                titles.append(new String(in.readNBytes(length), StandardCharsets.UTF_8).replace("\0", ""));
            }
            return titles.toString();
        }
    }

    private static String readHead(final InputStream in) throws IOException
    {
        final StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n"))
        {
            final int b = in.read();
            if (b < 0)
            {
                break;
            }
            head.append((char)b);
        }
        return head.toString();
    }

    private static void assertDecodesCleanly(final String url)
    {
        final Command decode = Command.run(List.of(
            "ffmpeg", "-v", "error", "-nostdin", "-t", "3", "-i", url, "-f", "null", "-"));
        assertThat(decode.exitCode()).isZero();
        assertThat(decode.stderr()).isEmpty();
    }
}
