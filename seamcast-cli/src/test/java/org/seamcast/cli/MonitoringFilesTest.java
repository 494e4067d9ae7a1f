package org.seamcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.seamcast.transport.metrics.BuildInfo;
import org.seamcast.transport.metrics.PrometheusText;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The alert rules and the Grafana dashboard in {@code docs/monitoring} query only what Seamcast nodes export: the
 * demo mesh (two relays, two ingests fed by two live encoders, an edge) runs in this process, each node's
 * {@code /metrics} is scraped over HTTP once a mount plays, and every metric name and matched label in every
 * expression must be among the samples. Every node also follows Prometheus's naming conventions.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MonitoringFilesTest
{
    private static final Path MONITORING = Path.of("..", "docs", "monitoring");
    private static final Path ALERTS = MONITORING.resolve("seamcast-alerts.yml");
    private static final Path DASHBOARD = MONITORING.resolve("seamcast-dashboard.json");

    /** Series Prometheus makes itself, and labels it puts on every series of a target. */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up");
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job", "role");

    private static DemoMesh mesh;
    private static final Map<String, PrometheusText> SCRAPES = new LinkedHashMap<>();

    @BeforeAll
    static void runTheMeshUntilAMountPlays() throws Exception
    {
        mesh = new DemoMesh(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0), 1000, 5000);
        mesh.start();
        await("/live playing the primary with both encoders known").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> mesh.edge().mountStatus().stream()
                .anyMatch(m -> m.activeEncoder() == 1 && m.encoderStatus().size() == 2));
        System.gc();
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (final Map.Entry<String, InetSocketAddress> node : mesh.adminAddresses().entrySet())
        {
            final URI uri = URI.create("http://127.0.0.1:" + node.getValue().getPort() + "/metrics");
            await(node.getKey() + " scraped after a GC (GC pause meters appear at the first GC)")
                .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                {
                    final HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as(node.getKey()).isEqualTo(200);
                    SCRAPES.put(node.getKey(), PrometheusText.parse(response.body()));
                    return SCRAPES.get(node.getKey()).sampleNames().contains("jvm_gc_pause_seconds_count");
                });
        }
        assertThat(SCRAPES).containsOnlyKeys("relay-1", "relay-2", "ingest-a", "ingest-b", "edge");
    }

    @AfterAll
    static void stop()
    {
        if (mesh != null)
        {
            mesh.close();
        }
    }

    @Test
    void shouldAlertOnlyOnMetricsAndLabelsThatNodesExport() throws IOException
    {
        final List<Map<String, Object>> rules = alertRules();

        assertThat(rules).extracting(rule -> (String)rule.get("alert")).contains("SeamcastNodeDown",
            "SeamcastEdgeInFallback", "SeamcastEdgeNoRelayConnected", "SeamcastPathDown",
            "SeamcastEncoderOffsetCapped", "SeamcastEncoderDeadAir", "SeamcastHeadroomLow", "SeamcastRelayDropsRising",
            "SeamcastIngestStampOverflow");
        for (final Map<String, Object> rule : rules)
        {
            final String name = (String)rule.get("alert");
            assertThat(rule).as(name).containsKeys("expr", "for", "labels", "annotations");
            assertThat(((Map<?, ?>)rule.get("labels")).get("severity")).as(name).isIn("critical", "warning");
            assertThat(((Map<?, ?>)rule.get("annotations")).get("summary")).as(name).isNotNull();
            assertExported(name, (String)rule.get("expr"));
        }
    }

    @Test
    void shouldChartOnlyMetricsAndLabelsThatNodesExport() throws IOException
    {
        final JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        final List<String> titles = new ArrayList<>();
        int expressions = 0;
        for (final JsonNode panel : dashboard.get("panels"))
        {
            titles.add(panel.get("title").asText());
            for (final JsonNode target : panel.path("targets"))
            {
                assertExported(panel.get("title").asText(), target.get("expr").asText());
                expressions++;
            }
        }
        for (final JsonNode variable : dashboard.get("templating").get("list"))
        {
            final JsonNode query = variable.path("query").path("query");
            if (query.isTextual() && query.asText().startsWith("label_values("))
            {
                final String text = query.asText();
                assertExported("variable " + variable.get("name").asText(),
                    text.substring("label_values(".length(), text.lastIndexOf(',')));
            }
        }
        for (final JsonNode annotation : dashboard.get("annotations").get("list"))
        {
            assertExported("annotation " + annotation.get("name").asText(), annotation.get("expr").asText());
        }

        assertThat(expressions).isGreaterThanOrEqualTo(20);
        assertThat(titles).contains("Listeners", "Encoder playing", "Fallback", "Arrival headroom, all paths",
            "Headroom by path: 1st percentile and median", "Relay drops by reason", "CPU", "Heap used");
        assertThat(dashboard.get("uid").asText()).isEqualTo("seamcast-mesh");
    }

    @Test
    void shouldFollowPrometheusNamingOnEveryNode()
    {
        for (final Map.Entry<String, PrometheusText> scrape : SCRAPES.entrySet())
        {
            final String node = scrape.getKey();
            final PrometheusText metrics = scrape.getValue();
            assertThat(metrics.helps()).as(node + " HELP").allSatisfy((family, help) ->
                assertThat(help).as(node + " " + family).isNotBlank());
            assertThat(metrics.types().keySet()).as(node).allSatisfy(family ->
            {
                assertThat(family).as("base units only").doesNotContainPattern(
                    "_(ms|millis|milliseconds|us|micros|microseconds|kb|kbytes|kilobytes|percent)(_|$)");
                for (final String unit : List.of("bytes", "seconds", "messages", "frames"))
                {
                    assertThat(family.split("_" + unit + "(_|$)", -1)).as(family + ": unit " + unit + " once")
                        .hasSizeLessThanOrEqualTo(2);
                }
            });
            metrics.types().forEach((family, type) ->
            {
                if (type.equals("counter"))
                {
                    assertThat(family).as(node + " counter").endsWith("_total").doesNotEndWith("_total_total");
                    assertThat(metrics.sampleNames()).as(node).contains(family);
                }
            });
            final List<PrometheusText.Sample> buildInfo = metrics.samples("seamcast_build_info");
            assertThat(buildInfo).as(node).hasSize(1);
            assertThat(buildInfo.get(0).labels()).as(node).containsEntry("node", node)
                .containsEntry("version", BuildInfo.version())
                .containsEntry("node_role", node.substring(0, node.indexOf('-') < 0 ? node.length() : node.indexOf('-')));
            assertThat(metrics.sampleNames()).as(node).contains("process_cpu_usage", "jvm_memory_used_bytes",
                "jvm_gc_pause_seconds_count", "jvm_threads_live_threads", "process_uptime_seconds",
                "process_files_open_files", "jvm_classes_loaded_classes");
        }
        assertThat(SCRAPES.get("edge").sampleNames()).doesNotContain("seamcast_link_bytes_in_bytes_total")
            .contains("seamcast_link_in_bytes_total", "seamcast_link_out_bytes_total");
    }

    private static void assertExported(final String where, final String expression)
    {
        final Set<String> exported = new TreeSet<>(PROMETHEUS_SERIES);
        SCRAPES.values().forEach(scrape -> exported.addAll(scrape.sampleNames()));
        final Set<String> names = PromQlNames.metricNames(expression);
        assertThat(names).as("%s: metrics in %s", where, expression).isNotEmpty();
        assertThat(exported).as("%s: %s", where, expression).containsAll(names);
        PromQlNames.matchedLabels(expression).forEach((metric, labels) ->
        {
            final Set<String> present = new TreeSet<>(TARGET_LABELS);
            SCRAPES.values().forEach(scrape -> scrape.samples(metric).forEach(s -> present.addAll(s.labels().keySet())));
            assertThat(present).as("%s: labels of %s in %s", where, metric, expression).containsAll(labels);
        });
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> alertRules() throws IOException
    {
        try (Reader reader = Files.newBufferedReader(ALERTS))
        {
            final Map<String, Object> file = new Yaml().load(reader);
            final List<Map<String, Object>> rules = new ArrayList<>();
            for (final Map<String, Object> group : (List<Map<String, Object>>)file.get("groups"))
            {
                assertThat(group).containsKeys("name", "rules");
                rules.addAll((List<Map<String, Object>>)group.get("rules"));
            }
            return rules;
        }
    }
}
