package org.seamcast.it.ingest;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.ingest.IngestContext;
import org.seamcast.ingest.IngestNode;
import org.seamcast.it.support.ExternalProcess;
import org.seamcast.it.support.ReferenceAudio;
import org.seamcast.it.support.RelaySubscriber;
import org.seamcast.transport.link.LinkAddress;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While real ffmpeg pushes a good stream to one mount, every kind of bad client hits the same ingest: a wrong
 * password, a second source on the busy mount, garbage instead of audio, a source that stalls mid-frame, and 500
 * connections that send nothing. Each gets a clear answer or is timed out, and the good mount loses no frame.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class IngestBadInputTest
{
    private static final String PASSWORD = "bad-input-pw";
    private static final long HEADER_TIMEOUT_MS = 2_000;
    private static final long SOURCE_TIMEOUT_MS = 1_500;

    @TempDir
    static Path workDir;

    private static ReferenceAudio reference;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private RelaySubscriber relay;
    private IngestNode ingest;
    private final List<ExternalProcess> processes = new ArrayList<>();

    @BeforeAll
    static void encodeReference()
    {
        ExternalProcess.requireTool("ffmpeg");
        reference = ReferenceAudio.mp3(workDir, 30);
    }

    @AfterEach
    void stop()
    {
        processes.forEach(ExternalProcess::close);
        if (ingest != null)
        {
            ingest.close();
        }
        if (relay != null)
        {
            relay.close();
        }
    }

    @Test
    void shouldAnswerOrTimeOutEveryBadClientWhileAGoodSourceLosesNoFrame() throws Exception
    {
        relay = RelaySubscriber.start("relay-bad-input");
        ingest = IngestNode.launch(new IngestContext()
            .nodeName("ingest-bad-input")
            .sourceListenAddress(new InetSocketAddress("127.0.0.1", 0))
            .sourcePassword(PASSWORD)
            .headerTimeoutMs(HEADER_TIMEOUT_MS)
            .sourceIdleTimeoutMs(SOURCE_TIMEOUT_MS)
            .registry(registry)
            .relay(LinkAddress.parse(relay.url())));
        await().atMost(Duration.ofSeconds(10)).until(() -> ingest.fanout().links().get(0).isConnected());
        final int port = ingest.sourceAddress().getPort();

        final ExternalProcess good = push("/good.mp3", PASSWORD, "good");
        await("good source live").atMost(Duration.ofSeconds(10)).until(() -> relay.frames("/good.mp3").size() > 10);

        // first, while the good source surely still plays: a second source on its busy mount, from ffmpeg and
        // from a raw client
        final ExternalProcess second = push("/good.mp3", PASSWORD, "second-source");
        assertThat(second.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(second.process().exitValue()).isNotZero();
        assertThat(request(port, "SOURCE /good.mp3 ICE/1.0\r\nAuthorization: " + basic(PASSWORD) + "\r\n\r\n"))
            .startsWith("HTTP/1.0 403").contains("Mountpoint in use");

        // 500 clients that connect and send nothing
        final List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 500; i++)
        {
            idle.add(connect(port));
        }

        // a wrong password, from ffmpeg and from a raw client
        final ExternalProcess wrongPassword = push("/other.mp3", "wrong", "wrong-password");
        assertThat(wrongPassword.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(wrongPassword.process().exitValue()).isNotZero();
        assertThat(request(port, "PUT /other.mp3 HTTP/1.1\r\nAuthorization: " + basic("wrong")
            + "\r\nContent-Type: audio/mpeg\r\nExpect: 100-continue\r\n\r\n")).startsWith("HTTP/1.0 401");

        // garbage instead of audio: cut off once it is clearly not MP3 or ADTS
        try (Socket garbage = connect(port))
        {
            send(garbage, "SOURCE /garbage.mp3 ICE/1.0\r\nAuthorization: " + basic(PASSWORD)
                + "\r\nContent-Type: audio/mpeg\r\n\r\n");
            assertThat(readHead(garbage.getInputStream())).startsWith("HTTP/1.0 200 OK");
            final byte[] noise = new byte[8 * 1024];
            final Random random = new Random(1);
            try
            {
                for (int i = 0; i < 64; i++)
                {
                    random.nextBytes(noise);
                    garbage.getOutputStream().write(noise);
                }
            }
            catch (final IOException expected)
            {
                // the ingest closed the connection while we were still writing
            }
            assertThat(readToEnd(garbage.getInputStream())).isEmpty();
        }

        // a source that stalls in the middle of a frame
        try (Socket stalled = connect(port))
        {
            send(stalled, "SOURCE /stalled.mp3 ICE/1.0\r\nAuthorization: " + basic(PASSWORD)
                + "\r\nContent-Type: audio/mpeg\r\n\r\n");
            assertThat(readHead(stalled.getInputStream())).startsWith("HTTP/1.0 200 OK");
            final byte[] file = Files.readAllBytes(reference.file());
            final int cut = reference.frames().subList(0, 20).stream().mapToInt(f -> f.length).sum() + 100;
            stalled.getOutputStream().write(file, 0, cut);
            final long startNs = System.nanoTime();
            assertThat(readToEnd(stalled.getInputStream())).as("closed, not answered").isEmpty();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs))
                .isBetween(SOURCE_TIMEOUT_MS - 200, SOURCE_TIMEOUT_MS + 3_000);
        }
        // its 20 frames came at once and nothing after: a burst the ingest holds until the source is closed, then
        // sends on to the relay
        await("the stalled source's frames at the relay").atMost(Duration.ofSeconds(10))
            .until(() -> relay.frames("/stalled.mp3").size() >= 19);
        assertThat(relay.frames("/stalled.mp3")).hasSizeBetween(19, 20);

        // every idle client was told 408 within the header timeout and closed
        for (final Socket socket : idle)
        {
            socket.setSoTimeout((int)(HEADER_TIMEOUT_MS + 5_000));
            assertThat(new String(readToEnd(socket.getInputStream()), StandardCharsets.ISO_8859_1))
                .startsWith("HTTP/1.0 408");
            socket.close();
        }

        assertThat(good.process().waitFor(60, TimeUnit.SECONDS)).as("good ffmpeg finished").isTrue();
        assertThat(good.process().exitValue()).as("good ffmpeg exit code; log %s", good.log()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> ingest.streams().liveCount() == 0);

        final List<RelaySubscriber.Message> frames = relay.frames("/good.mp3");
        assertThat(frames).as("every frame of the good source").hasSize(reference.frames().size());
        for (int i = 0; i < frames.size(); i++)
        {
            assertThat(frames.get(i).payload()).as("good frame %d", i).isEqualTo(reference.frames().get(i));
            assertThat(frames.get(i).sequence()).isEqualTo(i);
            assertThat(frames.get(i).epoch()).isEqualTo(frames.get(0).epoch());
        }
        assertThat(relay.frames("/other.mp3")).isEmpty();
        assertThat(relay.frames("/garbage.mp3")).isEmpty();
        assertThat(counter("refused", "unauthorized")).isGreaterThanOrEqualTo(2);
        assertThat(counter("refused", "busy")).isGreaterThanOrEqualTo(2);
        assertThat(counter("refused", "header_timeout")).isGreaterThanOrEqualTo(500);
        assertThat(counter("ended", "garbage")).isEqualTo(1);
        assertThat(counter("ended", "stalled")).isEqualTo(1);
    }

    private double counter(final String name, final String reason)
    {
        return registry.counter("seamcast.ingest.source." + name, "reason", reason).count();
    }

    private ExternalProcess push(final String mount, final String password, final String name)
    {
        final ExternalProcess process = ExternalProcess.start("ffmpeg-" + name, List.of("ffmpeg", "-v", "error",
            "-nostdin", "-re", "-i", reference.file().toString(), "-c", "copy", "-id3v2_version", "0",
            "-write_xing", "0", "-content_type", "audio/mpeg", "-f", "mp3",
            "icecast://source:" + password + "@127.0.0.1:" + ingest.sourceAddress().getPort() + mount),
            workDir.resolve("ffmpeg-" + name + ".log"));
        processes.add(process);
        return process;
    }

    private static Socket connect(final int port) throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String request(final int port, final String head) throws IOException
    {
        try (Socket socket = connect(port))
        {
            send(socket, head);
            return new String(readToEnd(socket.getInputStream()), StandardCharsets.ISO_8859_1);
        }
    }

    private static void send(final Socket socket, final String text) throws IOException
    {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
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

    private static byte[] readToEnd(final InputStream in) throws IOException
    {
        try
        {
            return in.readAllBytes();
        }
        catch (final java.net.SocketException reset)
        {
            return new byte[0];
        }
    }

    private static String basic(final String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString(("source:" + password).getBytes(StandardCharsets.UTF_8));
    }
}
