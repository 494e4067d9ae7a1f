package org.seamcast.it.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.it.support.FreePort;
import org.seamcast.it.support.IcecastServer;
import org.seamcast.it.support.IcyTitleListener;
import org.seamcast.it.support.LiveEncoder;
import org.seamcast.it.support.ReferenceAudio;
import org.seamcast.it.support.SeamcastProcess;

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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Titles as a station sets them, every node its own process: two live ffmpeg encoders (primary and backup) each
 * pushing to its own ingest, a relay, an edge serving listeners and pushing the mount into a real Icecast. Automation
 * sets a title at one ingest only; it must reach the edge's listeners whichever encoder plays, stay put while both
 * ingests repeat their titles, and reach Icecast's status page and its listeners through the push.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StationTitlesTest
{
    private static final String MOUNT = "/live";
    private static final String PASSWORD = "it-source-pw";
    private static final String ADMIN_PASSWORD = "it-admin-pw";
    private static final Pattern ACTIVE_ENCODER = Pattern.compile("\"activeEncoder\":(-?\\d+)");
    private static final Duration POLL = Duration.ofMillis(20);

    @TempDir
    static Path workDir;

    private final List<AutoCloseable> running = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private int primaryIngestPort;
    private int backupIngestPort;
    private int edgePort;
    private int edgeAdminPort;
    private IcecastServer icecast;

    @BeforeAll
    void startStation()
    {
        final ReferenceAudio reference = ReferenceAudio.mp3(workDir, 150);
        final long t0Ms = System.currentTimeMillis();
        final int relayPort = FreePort.pick();
        primaryIngestPort = FreePort.pick();
        backupIngestPort = FreePort.pick();
        edgePort = FreePort.pick();
        edgeAdminPort = FreePort.pick();
        icecast = IcecastServer.builder().start(workDir);
        running.add(icecast);

        start("relay", "listening on", "relay", "--name", "relay-1", "--listen", "tcp://127.0.0.1:" + relayPort,
            "--admin", "127.0.0.1:0");
        start("ingest-primary", "sources on", "ingest", "--name", "ingest-a", "--encoder-id", "1", "--priority", "0",
            "--listen", "127.0.0.1:" + primaryIngestPort, "--admin", "none", "--source-password", PASSWORD,
            "--admin-password", ADMIN_PASSWORD, "--relay", "tcp://127.0.0.1:" + relayPort);
        start("ingest-backup", "sources on", "ingest", "--name", "ingest-b", "--encoder-id", "2", "--priority", "1",
            "--listen", "127.0.0.1:" + backupIngestPort, "--admin", "none", "--source-password", PASSWORD,
            "--admin-password", ADMIN_PASSWORD, "--relay", "tcp://127.0.0.1:" + relayPort);
        start("edge", "listeners on", "edge", "--name", "edge-1", "--relay", "tcp://127.0.0.1:" + relayPort,
            "--listen", "127.0.0.1:" + edgePort, "--admin", "127.0.0.1:" + edgeAdminPort,
            "--playout-delay-ms", "1000",
            "--push", MOUNT + "=icecast://source:" + IcecastServer.SOURCE_PASSWORD + "@127.0.0.1:" + icecast.port()
                + MOUNT);
        running.add(LiveEncoder.start("encoder-primary", reference, t0Ms, primaryIngestPort, MOUNT, PASSWORD, workDir));
        running.add(LiveEncoder.start("encoder-backup", reference, t0Ms, backupIngestPort, MOUNT, PASSWORD, workDir));

        await("the edge playing the primary").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
            .until(() -> activeEncoder() == 1);
        await("Icecast serving the pushed mount").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
            .until(() -> icecast.serves(MOUNT));
    }

    @AfterAll
    void stopStation() throws Exception
    {
        for (int i = running.size() - 1; i >= 0; i--)
        {
            running.get(i).close();
        }
    }

    @Test
    void shouldGiveEdgeListenersATitleSetAtTheBackupsIngestWhileThePrimaryPlaysAndKeepItThroughRepeats()
        throws Exception
    {
        try (IcyTitleListener listener = IcyTitleListener.start(edgePort, MOUNT, StandardCharsets.UTF_8))
        {
            setTitle(primaryIngestPort, "/admin/metadata?mode=updinfo&mount=" + MOUNT + "&song=Older%20on%20primary",
                "source", PASSWORD);
            await("the primary's title on the edge").atMost(Duration.ofSeconds(15))
                .until(() -> "Older on primary".equals(listener.lastTitle()));

            setTitle(backupIngestPort, "/admin/metadata?mode=updinfo&mount=" + MOUNT
                + "&artist=Bj%F6rk&title=J%F3ga&charset=ISO-8859-1", "admin", ADMIN_PASSWORD);
            final long setNs = System.nanoTime();

            final String expected = "Bj\u00f6rk - J\u00f3ga";
            await("the backup's title on the edge").atMost(Duration.ofSeconds(15)).pollInterval(POLL)
                .until(() -> expected.equals(listener.lastTitle()));
            report("backup's ingest -> edge listener's ICY stream", setNs);
            assertThat(activeEncoder()).as("the primary still plays").isEqualTo(1);
            final int heard = listener.titles().size();
            await("both ingests repeat their titles every 500 ms; the newest stays")
                .during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(200))
                .until(() -> listener.titles().size() == heard && expected.equals(edgeTitle()));
            final JsonNode mount = edgeMount();
            assertThat(mount.get("titleEncoder").asInt()).isEqualTo(2);
            assertThat(mount.get("encoders").get(0).get("title").asText()).isEqualTo("Older on primary");
            assertThat(mount.get("encoders").get(1).get("title").asText()).isEqualTo(expected);
            assertThat(listener.failure()).isNull();
        }
    }

    @Test
    void shouldPushTheTitleIntoIcecastsStatusAndItsListenersIcyStream() throws Exception
    {
        try (IcyTitleListener listener = IcyTitleListener.start(icecast.port(), MOUNT, StandardCharsets.ISO_8859_1))
        {
            final String title = "Caf\u00e9 del Mar - Pushed to Icecast";
            setTitle(primaryIngestPort, "/admin.cgi?mode=updinfo&pass=" + PASSWORD
                + "&song=Caf%C3%A9%20del%20Mar%20-%20Pushed%20to%20Icecast", null, null);
            final long setNs = System.nanoTime();

            await("the title in Icecast's /status-json.xsl").atMost(Duration.ofSeconds(20)).pollInterval(POLL)
                .until(() -> title.equals(icecastTitle()));
            report("primary's ingest -> pushed Icecast's /status-json.xsl", setNs);
            await("the title in the ICY stream of a listener on Icecast").atMost(Duration.ofSeconds(20))
                .pollInterval(POLL).until(() -> title.equals(listener.lastTitle()));
            report("primary's ingest -> ICY stream of a listener on Icecast", setNs);
            await("the edge's status").atMost(Duration.ofSeconds(5))
                .until(() -> title.equals(edgeTitle()));
            assertThat(listener.failure()).isNull();
        }
    }

    private static void report(final String path, final long setNs)
    {
        System.out.printf("StationTitlesTest: title %s within %d ms%n", path, (System.nanoTime() - setNs) / 1_000_000);
    }

    private void start(final String name, final String ready, final String... args)
    {
        running.add(SeamcastProcess.start(workDir, name, ready, args));
    }

    private void setTitle(final int ingestPort, final String pathAndQuery, final String user, final String password)
        throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + ingestPort + pathAndQuery)).timeout(Duration.ofSeconds(5));
        if (user != null)
        {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("<return>1</return>");
    }

    private int activeEncoder() throws Exception
    {
        final Matcher matcher = ACTIVE_ENCODER.matcher(get("http://127.0.0.1:" + edgeAdminPort + "/status.json"));
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    private JsonNode edgeMount() throws Exception
    {
        return new ObjectMapper().readTree(get("http://127.0.0.1:" + edgeAdminPort + "/status.json"))
            .get("mounts").get(0);
    }

    private String edgeTitle() throws Exception
    {
        return edgeMount().get("title").asText();
    }

    private String icecastTitle() throws Exception
    {
        final JsonNode source = new ObjectMapper().readTree(get(icecast.url("/status-json.xsl")))
            .get("icestats").get("source");
        return source == null || source.get("title") == null ? null : source.get("title").asText();
    }

    private String get(final String url) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }
}
