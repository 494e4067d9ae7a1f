package org.seamcast.it.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.it.support.Command;
import org.seamcast.it.support.FreePort;
import org.seamcast.it.support.Listener;
import org.seamcast.it.support.LiveEncoder;
import org.seamcast.it.support.NetworkNamespace;
import org.seamcast.it.support.RecordingScore;
import org.seamcast.it.support.ReferenceAudio;
import org.seamcast.it.support.SeamcastProcess;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The edges of one site fed by multicast, every node a process from the packaged jar: a live ffmpeg encoder → an
 * ingest on the host → a relay in the site's network namespace, forwarding to a multicast group on the site's
 * bridge → two edges, each in a namespace of its own joined to that bridge, listening to the group and dialling the
 * relay over TCP for repairs only. nftables drops 10 % of the group's datagrams arriving at edge 1. Both edges'
 * listeners must hear every frame once, in order; both edges see their multicast path up and measure its delay from
 * the ingest's stream heartbeats, which the relay forwards to the group.
 *
 * <pre>
 *   ffmpeg ─► ingest ─tcp─► [site: relay ─mcast 239.255.77.1─► br0 ]──veth──► [edge 1 (10 % input loss)]
 *                                    ▲                              └─veth──► [edge 2]
 *                                    └──────── tcp repairs (10.77.0.1) ◄────── both edges
 * </pre>
 *
 * Runs without keys: with per-role keys an edge holds no audio key, so it could not verify the ingest's audio over
 * multicast (docs/operations.md). Needs root (CI runs as root): it fails, never skips, when a namespace cannot be made.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MulticastSiteTest
{
    private static final String MOUNT = "/live";
    private static final String PASSWORD = "site-source-pw";
    private static final String GROUP = "239.255.77.1";
    private static final String BRIDGE = "br0";
    private static final String BRIDGE_NET = "10.77.0.";
    private static final String RELAY_BRIDGE_ADDRESS = BRIDGE_NET + "1";
    private static final int EDGES = 2;
    private static final int LOSS_PERCENT = 10;
    private static final long PLAYOUT_DELAY_MS = 1_500;
    private static final int LISTEN_SECONDS = 30;
    /** About 5 s of MP3: the listeners join live (no burst) after it, so what is scored is the site, not warm-up. */
    private static final int WARM_UP_FRAMES = 190;
    private static final int BYTES_PER_SECOND = 128_000 / 8;
    private static final Pattern EVENT_COUNT = Pattern.compile(
        "seamcast_edge_events_total\\{event=\"(\\w+)\",mount=\"/live\"} (\\d+)");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop()
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            try
            {
                resources.get(i).close();
            }
            catch (final Exception ex)
            {
                // keep closing the rest
            }
        }
    }

    @Test
    void shouldGiveBothEdgesOfAMulticastSiteEveryFrameWhileOneLosesATenthOfTheGroupsDatagrams() throws Exception
    {
        final ReferenceAudio reference = ReferenceAudio.mp3(workDir, 120);
        final NetworkNamespace site = own(NetworkNamespace.create("site"));
        ip("-n", site.name(), "link", "add", BRIDGE, "type", "bridge", "mcast_snooping", "0");
        ip("-n", site.name(), "addr", "add", RELAY_BRIDGE_ADDRESS + "/24", "dev", BRIDGE);
        ip("-n", site.name(), "link", "set", BRIDGE, "up");
        final NetworkNamespace[] edgeNamespaces = new NetworkNamespace[EDGES];
        for (int i = 0; i < EDGES; i++)
        {
            edgeNamespaces[i] = own(NetworkNamespace.create("edge" + (i + 1)));
            joinBridge(site, edgeNamespaces[i], i);
        }

        final int relayPort = FreePort.pick();
        final int relayAdminPort = FreePort.pick();
        final int groupPort = FreePort.pick();
        final String group = "mcast://" + GROUP + ":" + groupPort;
        own(SeamcastProcess.startIn(site, workDir, "relay", "listening on", "relay", "--name", "relay-site",
            "--listen", "tcp://0.0.0.0:" + relayPort, "--admin", "0.0.0.0:" + relayAdminPort,
            "--forward", group + "?interface=" + RELAY_BRIDGE_ADDRESS));
        final int ingestPort = FreePort.pick();
        own(SeamcastProcess.start(workDir, "ingest", "sources on", "ingest", "--name", "ingest-1", "--encoder-id", "1",
            "--priority", "0", "--listen", "127.0.0.1:" + ingestPort, "--admin", "none",
            "--source-password", PASSWORD, "--relay", "tcp://" + site.address() + ":" + relayPort));
        final int edgePort = FreePort.pick();
        final int edgeAdminPort = FreePort.pick();
        for (int i = 0; i < EDGES; i++)
        {
            own(SeamcastProcess.startIn(edgeNamespaces[i], workDir, "edge-" + (i + 1), "listeners on", "edge",
                "--name", "edge-" + (i + 1), "--relay", group + "?interface=" + edgeBridgeAddress(i),
                "--repair", "tcp://" + RELAY_BRIDGE_ADDRESS + ":" + relayPort,
                "--listen", "0.0.0.0:" + edgePort, "--admin", "0.0.0.0:" + edgeAdminPort,
                "--playout-delay-ms", Long.toString(PLAYOUT_DELAY_MS), "--burst-bytes", "0"));
        }
        edgeNamespaces[0].loseUdpTo(groupPort, LOSS_PERCENT);

        own(LiveEncoder.start("encoder", reference, System.currentTimeMillis(), ingestPort, MOUNT, PASSWORD, workDir));
        final Listener[] listeners = new Listener[EDGES];
        for (int i = 0; i < EDGES; i++)
        {
            final String playing = "http://" + edgeNamespaces[i].address() + ":" + edgePort + MOUNT;
            final String statusJson = "http://" + edgeNamespaces[i].address() + ":" + edgeAdminPort + "/status.json";
            await("edge " + (i + 1) + " playing").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                .until(() -> status(playing, "HEAD") == 200);
            await("edge " + (i + 1) + " past its first seconds of playout, when a JVM still warms up")
                .atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                .until(() -> new ObjectMapper().readTree(get(statusJson)).path("mounts").path(0).path("framesPlayed")
                    .asLong() >= WARM_UP_FRAMES);
            listeners[i] = own(Listener.start("edge-" + (i + 1), edgeNamespaces[i].address(), edgePort, MOUNT));
        }
        for (final Listener listener : listeners)
        {
            await(LISTEN_SECONDS + " s heard on " + listener).atMost(Duration.ofSeconds(LISTEN_SECONDS * 3L + 20))
                .pollInterval(Duration.ofMillis(250))
                .failFast("the listener was dropped", () -> listener.droppedBecause() != null)
                .until(() -> listener.bytes() >= LISTEN_SECONDS * BYTES_PER_SECOND);
        }

        final StringBuilder report = new StringBuilder("multicast site, " + LOSS_PERCENT
            + " % of the group's datagrams dropped at edge 1 (" + edgeNamespaces[0].droppedPackets() + " dropped):");
        final RecordingScore.Score[] scores = new RecordingScore.Score[EDGES];
        final JsonNode[] paths = new JsonNode[EDGES];
        final String[] metrics = new String[EDGES];
        for (int i = 0; i < EDGES; i++)
        {
            final String admin = "http://" + edgeNamespaces[i].address() + ":" + edgeAdminPort;
            paths[i] = new ObjectMapper().readTree(get(admin + "/status.json")).path("paths").path(0);
            metrics[i] = get(admin + "/metrics");
            listeners[i].close();
            scores[i] = new RecordingScore(List.of(reference)).score(listeners[i].audio());
            report.append("\n  edge ").append(i + 1).append(": ").append(scores[i].heardFrames())
                .append(" frames heard, ").append(scores[i].missingFrames()).append(" missing, ")
                .append(scores[i].repeatedFrames()).append(" repeated, ").append(scores[i].foreignFrames())
                .append(" foreign; gaps ").append(eventCount(metrics[i], "gap")).append(", retransmit requests ")
                .append(eventCount(metrics[i], "retransmit")).append(", tail gaps ")
                .append(eventCount(metrics[i], "tail_gap")).append(", late ").append(eventCount(metrics[i], "late"))
                .append(", skips ").append(eventCount(metrics[i], "skip")).append("; multicast path ")
                .append(paths[i].path("connected").asBoolean() ? "up" : "DOWN").append(", delay ")
                .append(paths[i].path("delayMs").asText()).append(" ms");
        }
        final String relayMetrics = get("http://" + site.address() + ":" + relayAdminPort + "/metrics");
        report.append("\n  relay: forward_not_sent ").append(relayDrops(relayMetrics, "forward_not_sent"))
            .append(" (link: not_connected ").append(linkDrops(relayMetrics, group, "not_connected"))
            .append(", backpressure ").append(linkDrops(relayMetrics, group, "backpressure"))
            .append(", oversized ").append(linkDrops(relayMetrics, group, "oversized")).append(")")
            .append(", heartbeats forwarded ").append(metricValue(relayMetrics,
                "seamcast_relay_control_forwarded_total{type=\"heartbeat\"}"));
        System.out.println(report);

        for (int i = 0; i < EDGES; i++)
        {
            assertThat(listeners[i].droppedBecause()).as("edge %d's listener", i + 1).isNull();
            assertThat(scores[i].heardFrames()).as("edge %d: %s", i + 1, scores[i]).isGreaterThan(LISTEN_SECONDS * 30);
            assertThat(scores[i].missingFrames()).as("edge %d: %s\n%s", i + 1, scores[i], report).isZero();
            assertThat(scores[i].repeatedFrames()).as("edge %d: %s", i + 1, scores[i]).isZero();
            assertThat(scores[i].foreignFrames()).as("edge %d: %s", i + 1, scores[i]).isZero();
            assertThat(paths[i].path("kind").asText()).isEqualTo("listening");
            assertThat(paths[i].path("connected").asBoolean()).as("edge %d's multicast path: %s", i + 1, paths[i])
                .isTrue();
            assertThat(paths[i].path("delayMs").isNumber()).as("edge %d's multicast path: %s", i + 1, paths[i])
                .isTrue();
            assertThat(metrics[i]).contains("seamcast_edge_path_delay_seconds{path=\"" + group);
        }
        assertThat(edgeNamespaces[0].droppedPackets()).as("the loss rule dropped datagrams").isGreaterThan(0);
        assertThat(edgeNamespaces[1].droppedPackets()).isZero();
    }

    /**
     * Links {@code edge} to the site's bridge with a veth pair, {@code 10.77.0.(11 + index)} on the edge's end.
     */
    private static void joinBridge(final NetworkNamespace site, final NetworkNamespace edge, final int index)
    {
        final String siteEnd = "site" + index;
        final String edgeEnd = "mc" + index;
        ip("-n", site.name(), "link", "add", siteEnd, "type", "veth", "peer", "name", edgeEnd, "netns", edge.name());
        ip("-n", site.name(), "link", "set", siteEnd, "master", BRIDGE);
        ip("-n", site.name(), "link", "set", siteEnd, "up");
        ip("-n", edge.name(), "addr", "add", edgeBridgeAddress(index) + "/24", "dev", edgeEnd);
        ip("-n", edge.name(), "link", "set", edgeEnd, "up");
    }

    private static String edgeBridgeAddress(final int index)
    {
        return BRIDGE_NET + (11 + index);
    }

    private static long eventCount(final String metrics, final String event)
    {
        final Matcher matcher = EVENT_COUNT.matcher(metrics);
        while (matcher.find())
        {
            if (matcher.group(1).equals(event))
            {
                return Long.parseLong(matcher.group(2));
            }
        }
        return -1;
    }

    private static long relayDrops(final String metrics, final String reason)
    {
        return metricValue(metrics, "seamcast_relay_drops_total{reason=\"" + reason + "\"}");
    }

    private static long linkDrops(final String metrics, final String path, final String reason)
    {
        for (final String line : metrics.split("\n"))
        {
            if (line.startsWith("seamcast_link_drops_total{") && line.contains("path=\"" + path) &&
                line.contains("reason=\"" + reason + "\""))
            {
                return (long)Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    private static long metricValue(final String metrics, final String series)
    {
        for (final String line : metrics.split("\n"))
        {
            if (line.startsWith(series + " "))
            {
                return (long)Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return -1;
    }

    private <T extends AutoCloseable> T own(final T resource)
    {
        resources.add(resource);
        return resource;
    }

    private static void ip(final String... arguments)
    {
        final List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        final Command result = Command.run(command);
        if (result.exitCode() != 0)
        {
            fail(String.join(" ", command) + " exited " + result.exitCode() + ": " + result.stderr().trim());
        }
    }

    private static String get(final String url) throws Exception
    {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int status(final String url, final String method)
    {
        try
        {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        }
        catch (final Exception ex)
        {
            return -1;
        }
    }
}
