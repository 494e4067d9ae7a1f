package org.seamcast.it.transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.it.support.Command;
import org.seamcast.it.support.FreePort;
import org.seamcast.it.support.SeamcastProcess;
import org.seamcast.transport.TestCertificates;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real processes over {@code tcp://…?tls=true}: a relay listening with a certificate made by openssl, an ingest and
 * an edge that trust it carry audio through it, and an edge that does not trust it never connects, says why in its
 * log and {@code /health}, and both ends count the failed handshake.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TlsMeshTest
{
    private static final Pattern TLS_DROPS = Pattern.compile(
        "seamcast_link_drops_total\\{path=\"tcp://127\\.0\\.0\\.1:\\d+\\?tls=true\",reason=\"tls_handshake\"} [1-9]");
    private static final int AUDIO_BYTES = 16 * 1024;

    @TempDir
    Path dir;

    private final List<SeamcastProcess> running = new ArrayList<>();

    @AfterEach
    void stopEverything()
    {
        for (int i = running.size() - 1; i >= 0; i--)
        {
            running.get(i).close();
        }
    }

    @Test
    void shouldCarryAudioOverTlsToPeersThatTrustTheRelayAndCountOneThatDoesNot() throws Exception
    {
        final Path[] certificate = TestCertificates.selfSigned(dir, "relay-1", "rsa:2048");
        final Path tone = dir.resolve("tone.mp3");
        Command.output(List.of("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
            "sine=frequency=440:sample_rate=44100:duration=20", "-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k",
            tone.toString()));
        final int relayPort = FreePort.pick();
        final int relayAdmin = FreePort.pick();
        final String relayUrl = "tcp://127.0.0.1:" + relayPort + "?tls=true";

        start("relay-1", "listening on", "relay", "--name", "relay-1", "--listen", relayUrl,
            "--admin", "127.0.0.1:" + relayAdmin,
            "--tls-cert", certificate[0].toString(), "--tls-key", certificate[1].toString());
        final int ingestAdmin = FreePort.pick();
        start("ingest-a", "sources on", "ingest", "--name", "ingest-a", "--listen", "none",
            "--admin", "127.0.0.1:" + ingestAdmin, "--relay", relayUrl, "--tls-trust", certificate[0].toString(),
            "--file", tone.toString(), "--mount", "/live", "--loop");
        final int trustingListen = FreePort.pick();
        final int trustingAdmin = FreePort.pick();
        start("edge-trusting", "listeners on", "edge", "--name", "edge-trusting", "--relay", relayUrl,
            "--tls-trust", certificate[0].toString(), "--listen", "127.0.0.1:" + trustingListen,
            "--admin", "127.0.0.1:" + trustingAdmin, "--playout-delay-ms", "500");
        final int untrustingAdmin = FreePort.pick();
        final SeamcastProcess untrusting = start("edge-untrusting", "listeners on", "edge", "--name",
            "edge-untrusting", "--relay", relayUrl, "--listen", "127.0.0.1:" + FreePort.pick(),
            "--admin", "127.0.0.1:" + untrustingAdmin, "--playout-delay-ms", "500");

        await("the ingest sending over TLS").atMost(Duration.ofSeconds(30))
            .until(() -> get(admin(ingestAdmin, "/health")).startsWith("200 "));
        await("the trusting edge connected").atMost(Duration.ofSeconds(30))
            .until(() -> get(admin(trustingAdmin, "/health")).startsWith("200 "));
        await("the trusting edge playing /live").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> assertThat(audioBytes(URI.create("http://127.0.0.1:" + trustingListen + "/live")))
                .isGreaterThanOrEqualTo(AUDIO_BYTES));

        await("the untrusting edge's failure counted at both ends").atMost(Duration.ofSeconds(30))
            .untilAsserted(() ->
            {
                assertThat(get(admin(untrustingAdmin, "/metrics"))).containsPattern(TLS_DROPS);
                assertThat(get(admin(relayAdmin, "/metrics"))).containsPattern(TLS_DROPS);
            });
        assertThat(get(admin(untrustingAdmin, "/health"))).startsWith("503 ").contains("no relay connected")
            .contains("TLS handshake failed");
        assertThat(untrusting.logText()).contains("TLS handshake failed")
            .contains("the trusted certificates (--tls-trust) must hold the peer's or its issuer's");
        assertThat(untrusting.isAlive()).isTrue();
    }

    private SeamcastProcess start(final String name, final String readyLine, final String... args)
    {
        final SeamcastProcess process = SeamcastProcess.start(dir, name, readyLine, args);
        running.add(process);
        return process;
    }

    private static URI admin(final int port, final String path)
    {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String get(final URI uri)
    {
        try
        {
            final HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body();
        }
        catch (final IOException ex)
        {
            return "unreachable: " + ex;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static int audioBytes(final URI uri) throws IOException, InterruptedException
    {
        final HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
        try (InputStream body = response.body())
        {
            return body.readNBytes(AUDIO_BYTES).length;
        }
    }
}
