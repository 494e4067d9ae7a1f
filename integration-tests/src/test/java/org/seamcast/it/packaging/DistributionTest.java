package org.seamcast.it.packaging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.it.support.Command;
import org.seamcast.it.support.Distribution;
import org.seamcast.it.support.ExternalProcess;
import org.seamcast.it.support.FreePort;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The release tarball unpacked into an empty directory runs a node the way its systemd unit would: the unit's
 * ExecStart through the {@code /opt/seamcast} symlink, with the example config, Java found through JAVA_HOME alone,
 * SIGHUP reaching the JVM through the launcher, SIGTERM ending it with status 0, and a refused config ending it
 * with status 2.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DistributionTest
{
    private static final List<String> ROLES = List.of("ingest", "relay", "edge");
    private static final List<String> CONFIGS = List.of("relay-1.conf", "relay-2.conf", "ingest-a.conf",
        "ingest-b.conf", "edge-1.conf", "edge-2.conf");

    @TempDir
    Path dir;

    private final List<ExternalProcess> running = new ArrayList<>();

    @AfterEach
    void stopEverything()
    {
        running.forEach(ExternalProcess::close);
    }

    @Test
    void shouldHoldTheLauncherTheJarTheExampleConfigsAndAUnitPerRole() throws IOException
    {
        final Distribution dist = Distribution.unpack(dir.resolve("unpacked"));

        assertThat(dist.home().getFileName().toString()).matches("seamcast-[0-9].*");
        assertThat(Files.isExecutable(dist.resolve("bin/seamcast"))).isTrue();
        assertThat(dist.resolve("lib/seamcast.jar")).isRegularFile();
        assertThat(dist.resolve("docs/operations.md")).isRegularFile();
        try (Stream<Path> conf = Files.list(dist.resolve("conf")))
        {
            assertThat(conf.map(path -> path.getFileName().toString()).sorted())
                .containsExactlyElementsOf(CONFIGS.stream().sorted().toList());
        }
        for (final String role : ROLES)
        {
            final String unit = Files.readString(dist.resolve("systemd/seamcast-" + role + "@.service"));
            assertThat(unit).as(role)
                .contains("ExecStart=/opt/seamcast/bin/seamcast " + role + " --config /etc/seamcast/%i.conf\n")
                .contains("User=seamcast\n", "RestartPreventExitStatus=2\n", "ExecReload=/bin/kill -HUP $MAINPID\n");
        }
    }

    @Test
    void shouldRunARelayFromItsUnitAndExampleConfigAndKeepItThroughSighup() throws Exception
    {
        final Distribution dist = Distribution.unpack(dir.resolve("unpacked"));
        final Path opt = Files.createDirectories(dir.resolve("opt"));
        Files.createSymbolicLink(opt.resolve("seamcast"), dist.home());
        final Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("mesh.keys"), "1:" + HexFormat.of().formatHex(new byte[32]).replace('0', '7')
            + "\n");
        final int linkPort = FreePort.pick();
        final int adminPort = FreePort.pick();
        Files.writeString(etc.resolve("relay-1.conf"), Files.readString(dist.resolve("conf/relay-1.conf"))
            .replace(":9001", ":" + linkPort).replace(":9101", ":" + adminPort)
            .replace("/etc/seamcast/", etc + "/"));
        final List<String> execStart = execStart(dist, "relay", "relay-1", opt, etc);
        final Path log = dir.resolve("relay-1.log");

        final ExternalProcess relay = Distribution.start("relay-1", execStart, Map.of(
                "PATH", launcherOnlyPath().toString(),
                "JAVA_HOME", System.getProperty("java.home"),
                "SEAMCAST_JAVA_OPTS", "-Xmx128m"),
            true, log, "listening on");
        running.add(relay);
        final URI health = URI.create("http://127.0.0.1:" + adminPort + "/health");
        await("relay-1 healthy").atMost(Duration.ofSeconds(20)).until(() -> status(health) == 200);
        assertThat(Distribution.text(log)).contains("relay-1 listening on tcp://0.0.0.0:" + linkPort);

        Distribution.signal(relay, "HUP");
        await("SIGHUP handled").atMost(Duration.ofSeconds(10))
            .until(() -> Distribution.text(log).contains("SIGHUP: keys are read at start; restart to rotate"));
        assertThat(relay.isAlive()).isTrue();
        assertThat(status(health)).isEqualTo(200);

        relay.process().destroy();
        assertThat(relay.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(relay.process().exitValue()).as(Distribution.text(log)).isZero();
    }

    @Test
    void shouldExitTwoForARefusedConfigSoItsUnitDoesNotRestartIt() throws IOException
    {
        final Distribution dist = Distribution.unpack(dir.resolve("unpacked"));
        final Path bad = Files.writeString(dir.resolve("edge-1.conf"), Files.readString(dist.resolve("conf/edge-1.conf"))
            + "playout-delay = 1500\n");

        final Command result = Command.run(List.of(dist.resolve("bin/seamcast").toString(), "edge", "--config",
            bad.toString()));

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(2);
        assertThat(result.stderr()).contains("line 10: unknown key 'playout-delay'");
    }

    /**
     * The unit's ExecStart for instance {@code name}, with /opt/seamcast and /etc/seamcast moved to {@code opt} and
     * {@code etc}.
     */
    private static List<String> execStart(final Distribution dist, final String role, final String name,
        final Path opt, final Path etc) throws IOException
    {
        final String line = Files.readAllLines(dist.resolve("systemd/seamcast-" + role + "@.service")).stream()
            .filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        return Arrays.asList(line.substring("ExecStart=".length())
            .replace("/opt/seamcast/", opt + "/seamcast/")
            .replace("/etc/seamcast/", etc + "/")
            .replace("%i", name)
            .split(" "));
    }

    /**
     * A PATH with only what the launcher needs besides Java (bash, readlink, dirname), so Java must come from
     * JAVA_HOME.
     */
    private Path launcherOnlyPath() throws IOException
    {
        final Path bin = Files.createDirectories(dir.resolve("path"));
        for (final String tool : List.of("bash", "readlink", "dirname"))
        {
            Files.createSymbolicLink(bin.resolve(tool), which(tool));
        }
        return bin;
    }

    private static Path which(final String tool)
    {
        for (final String entry : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
        {
            final Path candidate = Path.of(entry, tool);
            if (Files.isExecutable(candidate))
            {
                return candidate;
            }
        }
        throw new IllegalStateException(tool + " is not on PATH");
    }

    private static int status(final URI uri)
    {
        try
        {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        }
        catch (final IOException ex)
        {
            return -1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
