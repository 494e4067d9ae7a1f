package org.seamcast.it.mesh;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.it.support.FreePort;
import org.seamcast.it.support.IcecastServer;
import org.seamcast.it.support.LiveEncoder;
import org.seamcast.it.support.ReferenceAudio;
import org.seamcast.it.support.SeamcastProcess;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The mesh as a site runs it, every node its own process: a real ffmpeg encoder pushing to an ingest, two relays,
 * an edge, and a real Icecast relaying the edge to listeners. A relay is killed with kill -9 and restarted while a
 * listener records from Icecast with ICY metadata: the audio must be the encoder's frames with no break, and a
 * title set at the ingest must reach the listener in the ICY stream.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MeshBehindIcecastTest
{
    private static final String MOUNT = "/live";
    private static final String PASSWORD = "it-source-pw";
    private static final String TITLE = "Seamcast Session - End to End";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;

    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception
    {
        for (int i = running.size() - 1; i >= 0; i--)
        {
            running.get(i).close();
        }
    }

    @Test
    void shouldCarryAudioAndTitlesFromEncoderToIcecastListenersThroughAKilledRelay() throws Exception
    {
        final ReferenceAudio reference = ReferenceAudio.mp3(workDir, 90);
        final long t0Ms = System.currentTimeMillis();
        final int relay1Port = FreePort.pick();
        final int relay2Port = FreePort.pick();
        final int ingestPort = FreePort.pick();
        final int edgePort = FreePort.pick();

        final SeamcastProcess relay1 = start("relay-1", "listening on", "relay", "--name", "relay-1",
            "--listen", "tcp://127.0.0.1:" + relay1Port, "--listen", "udp://127.0.0.1:" + relay1Port, "--admin", "127.0.0.1:0");
        start("relay-2", "listening on", "relay", "--name", "relay-2",
            "--listen", "tcp://127.0.0.1:" + relay2Port, "--listen", "udp://127.0.0.1:" + relay2Port, "--admin", "127.0.0.1:0");
        start("ingest", "sources on", "ingest", "--name", "ingest-a", "--encoder-id", "1", "--priority", "0",
            "--listen", "127.0.0.1:" + ingestPort, "--admin", "none", "--source-password", PASSWORD,
            "--relay", "tcp://127.0.0.1:" + relay1Port, "--relay", "udp://127.0.0.1:" + relay2Port);
        start("edge", "listeners on", "edge", "--name", "edge-1",
            "--relay", "tcp://127.0.0.1:" + relay1Port, "--relay", "tcp://127.0.0.1:" + relay2Port,
            "--listen", "127.0.0.1:" + edgePort, "--admin", "127.0.0.1:0", "--playout-delay-ms", "1500");
        running.add(LiveEncoder.start("encoder-a", reference, t0Ms, ingestPort, MOUNT, PASSWORD, workDir));
        await("the edge playing the mount").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
            .until(() -> status(edgePort, MOUNT) == 200);
        final IcecastServer icecast = IcecastServer.builder().relay("127.0.0.1", edgePort, MOUNT).start(workDir);
        running.add(icecast);
        await("Icecast relaying the edge's mount").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
            .until(() -> icecast.serves(MOUNT));

        final AtomicLong recorded = new AtomicLong();
        final CompletableFuture<IcyRecording> listening =
            CompletableFuture.supplyAsync(() -> recordIcy(icecast.port(), 24, recorded));
        await("5 s recorded").atMost(Duration.ofSeconds(30)).until(() -> recorded.get() > 5 * 16_000);
        relay1.kill();
        setTitle(ingestPort);
        await("10 s recorded").atMost(Duration.ofSeconds(30)).until(() -> recorded.get() > 10 * 16_000);
        relay1.restart("listening on");

        final IcyRecording heard = listening.get(60, TimeUnit.SECONDS);
        final ReferenceAudio.Analysis analysis = reference.analyse(heard.audio);
        assertThat(analysis.heardFrames()).isGreaterThan(600);
        assertThat(analysis.discontinuities()).isEmpty();
        assertThat(analysis.foreignBytes()).isZero();
        assertThat(heard.titles).contains(TITLE);
    }

    private SeamcastProcess start(final String name, final String ready, final String... args)
    {
        final SeamcastProcess process = SeamcastProcess.start(workDir, name, ready, args);
        running.add(process);
        return process;
    }

    private static int status(final int port, final String mount) throws Exception
    {
        final HttpResponse<Void> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + mount)).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding());
        return response.statusCode();
    }

    private static void setTitle(final int ingestPort) throws Exception
    {
        final String auth = Base64.getEncoder().encodeToString(("source:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + ingestPort + "/admin/metadata?mode=updinfo&mount=" + MOUNT + "&song="
                    + TITLE.replace(" ", "%20")))
                .header("Authorization", "Basic " + auth).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** Audio and titles read from an Icecast listener connection that asked for ICY metadata. */
    private record IcyRecording(byte[] audio, List<String> titles)
    {
    }

    private static IcyRecording recordIcy(final int port, final int seconds, final AtomicLong recorded)
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(("GET " + MOUNT + " HTTP/1.0\r\nIcy-MetaData: 1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            final StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n"))
            {
                head.append((char)in.read());
            }
            final int metaint = Integer.parseInt(head.toString().lines()
                .filter(line -> line.toLowerCase().startsWith("icy-metaint:")).findFirst()
                .orElseThrow(() -> new AssertionError("no icy-metaint from Icecast: " + head))
                .substring("icy-metaint:".length()).trim());
            final ByteArrayOutputStream audio = new ByteArrayOutputStream();
            final List<String> titles = new ArrayList<>();
            final long bytes = seconds * 16_000L;
            while (audio.size() < bytes)
            {
                audio.writeBytes(in.readNBytes(metaint));
                recorded.set(audio.size());
                final int length = in.read() * 16;
                if (length > 0)
                {
                    final String text = new String(in.readNBytes(length), StandardCharsets.UTF_8).replace("\0", "");
                    final int start = text.indexOf("StreamTitle='");
                    if (start >= 0)
                    {
                        titles.add(text.substring(start + "StreamTitle='".length(), text.indexOf("';", start)));
                    }
                }
            }
            return new IcyRecording(audio.toByteArray(), titles);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("recording from Icecast failed", ex);
        }
    }
}
