package org.seamcast.it.packaging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.it.support.Command;
import org.seamcast.it.support.Distribution;
import org.seamcast.it.support.ExternalProcess;
import org.seamcast.it.support.FreePort;
import org.seamcast.it.support.RunbookBlocks;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code docs/operations.md} followed as written gives a working two-site mesh on one host: its titled blocks are the
 * files the release ships, its key-generation block makes a key file the nodes accept, the units its start block
 * enables run every node from the runbook's config files, its two encoder commands feed the ingests, and then every
 * node's {@code /health} answers 200, both edges play {@code /live}, and every Prometheus target serves metrics.
 * Only ports (to free ones) and {@code /etc/seamcast}, {@code /opt} (to temporary directories) are changed.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RunbookSiteTest
{
    private static final List<String> CONFIGS = List.of("relay-1.conf", "relay-2.conf", "ingest-a.conf",
        "ingest-b.conf", "edge-1.conf", "edge-2.conf");
    private static final List<String> ENCODERS = List.of("encoder-a.sh", "encoder-b.sh");
    private static final String PROMETHEUS = "prometheus.yml";
    private static final Pattern PORT = Pattern.compile("(?<=:)(\\d{4,5})\\b");
    private static final Pattern UNIT_INSTANCE = Pattern.compile("seamcast-(ingest|relay|edge)@([a-z0-9-]+)");
    private static final Pattern TARGET = Pattern.compile("'([0-9.]+:\\d+)'");
    private static final Map<String, String> READY = Map.of(
        "relay", "listening on", "ingest", "sources on", "edge", "listeners on");
    private static final int AUDIO_BYTES = 32 * 1024;

    @TempDir
    Path dir;

    private final List<ExternalProcess> running = new ArrayList<>();
    private final Map<String, Path> logs = new LinkedHashMap<>();
    private final Map<Integer, Integer> ports = new TreeMap<>();

    @AfterEach
    void stopEverything()
    {
        for (int i = running.size() - 1; i >= 0; i--)
        {
            running.get(i).close();
        }
    }

    @Test
    void shouldRunTheRunbooksTwoSiteMeshOnOneHostWithEveryNodeHealthy() throws Exception
    {
        final Map<String, String> blocks = RunbookBlocks.read(Path.of(System.getProperty("seamcast.docs"),
            "operations.md"));
        final Distribution dist = Distribution.unpack(dir.resolve("unpacked"));
        assertTheReleaseShipsTheRunbooksFiles(blocks, dist);

        final Path opt = Files.createDirectories(dir.resolve("opt"));
        Files.createSymbolicLink(opt.resolve("seamcast"), dist.home());
        final Path etc = Files.createDirectories(dir.resolve("etc"));
        for (final String title : concat(CONFIGS, ENCODERS, List.of(PROMETHEUS)))
        {
            freePortsFor(RunbookBlocks.get(blocks, title));
        }

        runScript(rewrite(RunbookBlocks.get(blocks, "make-mesh-keys.sh"), opt, etc));
        assertThat(Files.readString(etc.resolve("mesh.keys"))).matches("1:[0-9a-f]{64}\n");
        for (final String config : CONFIGS)
        {
            Files.writeString(etc.resolve(config), rewrite(RunbookBlocks.get(blocks, config), opt, etc));
        }

        for (final String line : RunbookBlocks.get(blocks, "start-site.sh").split("\n"))
        {
            startUnits(dist, line, opt, etc);
        }
        for (final String encoder : ENCODERS)
        {
            running.add(ExternalProcess.start(encoder, List.of("bash", "-c",
                rewrite(RunbookBlocks.get(blocks, encoder), opt, etc)), log(encoder)));
        }

        for (final String config : CONFIGS)
        {
            final URI health = URI.create("http://" + option(etc.resolve(config), "admin") + "/health");
            await(config + " healthy at " + health).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(get(health)).as(this::allLogs).startsWith("200 "));
        }
        for (final String edge : List.of("edge-1.conf", "edge-2.conf"))
        {
            final URI live = URI.create("http://" + option(etc.resolve(edge), "listen") + "/live");
            await(edge + " playing /live").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(audioBytes(live)).as(this::allLogs).isGreaterThanOrEqualTo(AUDIO_BYTES));
        }
        final Matcher targets = TARGET.matcher(rewrite(RunbookBlocks.get(blocks, PROMETHEUS), opt, etc));
        int scraped = 0;
        while (targets.find())
        {
            assertThat(get(URI.create("http://" + targets.group(1) + "/metrics"))).startsWith("200 ")
                .contains("seamcast_link_in_messages_total");
            scraped++;
        }
        assertThat(scraped).isEqualTo(CONFIGS.size());

        for (int i = running.size() - 1; i >= 0; i--)
        {
            final ExternalProcess node = running.get(i);
            node.process().destroy();
            assertThat(node.process().waitFor(20, TimeUnit.SECONDS)).as(node.toString()).isTrue();
            if (!ENCODERS.contains(nameOf(node)))
            {
                assertThat(node.process().exitValue()).as(node + " exit status after SIGTERM").isZero();
            }
        }
    }

    private static void assertTheReleaseShipsTheRunbooksFiles(final Map<String, String> blocks, final Distribution dist)
        throws IOException
    {
        for (final String config : CONFIGS)
        {
            assertThat(Files.readString(dist.resolve("conf/" + config))).as(config)
                .isEqualTo(RunbookBlocks.get(blocks, config));
        }
        final String relayUnit = RunbookBlocks.get(blocks, "seamcast-relay@.service");
        for (final String role : READY.keySet())
        {
            assertThat(Files.readString(dist.resolve("systemd/seamcast-" + role + "@.service"))).as(role)
                .isEqualTo(relayUnit.replace("relay", role));
        }
    }

    /**
     * Starts the nodes one {@code systemctl enable --now} line names, as their units would, and waits for all.
     */
    private void startUnits(final Distribution dist, final String line, final Path opt, final Path etc)
        throws IOException
    {
        final Matcher units = UNIT_INSTANCE.matcher(line);
        while (units.find())
        {
            final String role = units.group(1);
            final String name = units.group(2);
            final String execStart = Files.readAllLines(dist.resolve("systemd/seamcast-" + role + "@.service"))
                .stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow()
                .substring("ExecStart=".length()).replace("%i", name);
            running.add(Distribution.start(name, Arrays.asList(rewrite(execStart, opt, etc).split(" ")),
                Map.of("SEAMCAST_JAVA_OPTS", "-Xmx192m"), false, log(name), READY.get(role)));
        }
    }

    private void freePortsFor(final String text)
    {
        final Matcher port = PORT.matcher(text);
        while (port.find())
        {
            ports.computeIfAbsent(Integer.parseInt(port.group(1)), p -> FreePort.pick());
        }
    }

    private String rewrite(final String text, final Path opt, final Path etc)
    {
        final StringBuilder out = new StringBuilder();
        final Matcher port = PORT.matcher(text.replace("/etc/seamcast/", etc + "/").replace("/opt/", opt + "/"));
        while (port.find())
        {
            final Integer free = ports.get(Integer.parseInt(port.group(1)));
            port.appendReplacement(out, free == null ? port.group(1) : Integer.toString(free));
        }
        port.appendTail(out);
        return out.toString();
    }

    private void runScript(final String script)
    {
        final Command result = Command.run(List.of("bash", "-euc", script));
        assertThat(result.exitCode()).as(script + "\n" + result.stderr()).isZero();
    }

    private static String option(final Path config, final String key) throws IOException
    {
        return Files.readAllLines(config).stream().filter(l -> l.startsWith(key + " = ")).findFirst().orElseThrow()
            .substring(key.length() + 3).strip().replace("0.0.0.0", "127.0.0.1");
    }

    private Path log(final String name)
    {
        final Path log = dir.resolve(name + ".log");
        logs.put(name, log);
        return log;
    }

    private String nameOf(final ExternalProcess process)
    {
        return process.toString().substring(0, process.toString().indexOf(" (pid"));
    }

    private String allLogs()
    {
        final StringBuilder text = new StringBuilder();
        logs.forEach((name, log) -> text.append("--- ").append(name).append('\n').append(Distribution.text(log)));
        return text.toString();
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

    @SafeVarargs
    private static List<String> concat(final List<String>... lists)
    {
        final List<String> all = new ArrayList<>();
        for (final List<String> list : lists)
        {
            all.addAll(list);
        }
        return all;
    }
}
