package org.seamcast.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class RelayCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldDocumentEveryOptionWithItsDefaultInHelp()
    {
        final int exitCode = run("relay", "--help");

        assertThat(exitCode).isZero();
        final String help = out.toString();
        for (final String option : new String[] {"--name", "--listen", "--upstream", "--forward", "--mount",
            "--ring-seconds", "--ring-log-bytes", "--max-streams", "--max-streams-per-source", "--max-subscribers", "--admin", "--key-file",
            "--heartbeat-interval-ms", "--idle-timeout-ms", "--slow-peer-cutoff-ms"})
        {
            assertThat(help).contains(option);
        }
        assertThat(help).contains("Default: 10").contains("Default: relay").contains("Default: none");
    }

    @Test
    void shouldRefuseABadLinkUrlNamingTheOption()
    {
        final int exitCode = run("relay", "--listen", "bogus://127.0.0.1:9001");

        assertThat(exitCode).isNotZero();
        assertThat(err.toString()).contains("--listen").contains("bogus");
    }

    @Test
    void shouldRefuseAnOutOfRangeValueNamingTheOptionAndItsLimit()
    {
        final int exitCode = run("relay", "--listen", "tcp://127.0.0.1:0", "--ring-seconds", "0");

        assertThat(exitCode).isNotZero();
        assertThat(err.toString()).contains("--ring-seconds=0 is not in 1..300");
    }

    @Test
    void shouldLetAnIngestCarryingManyMountsHaveMoreStreamsThanTheDefaultShare()
    {
        final RelayCommand raised = new RelayCommand();
        new CommandLine(raised).parseArgs("--listen", "tcp://127.0.0.1:0", "--max-streams", "4096",
            "--max-streams-per-source", "2000");
        assertThat(raised.context().conclude().maxStreamsPerSource()).isEqualTo(2000);

        final RelayCommand small = new RelayCommand();
        new CommandLine(small).parseArgs("--listen", "tcp://127.0.0.1:0", "--max-streams", "100");
        assertThat(small.context().conclude().maxStreamsPerSource()).as("never more than the table")
            .isEqualTo(100);

        assertThat(run("relay", "--listen", "tcp://127.0.0.1:0", "--max-streams-per-source", "0")).isNotZero();
        assertThat(err.toString()).contains("--max-streams-per-source=0 is not in 1..");
    }

    @Test
    void shouldRefuseARelayWithNothingToListenOnOrSubscribeTo()
    {
        final int exitCode = run("relay", "--name", "relay-1");

        assertThat(exitCode).isNotZero();
        assertThat(err.toString()).contains("--listen").contains("--upstream");
    }

    @Test
    void shouldServeHealthWhileRunningAndExitZeroWhenStopped() throws Exception
    {
        final RelayCommand command = new RelayCommand();
        final CommandLine commandLine = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        final CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(() -> commandLine.execute(
            "--name", "relay-test", "--listen", "tcp://127.0.0.1:0", "--listen", "udp://127.0.0.1:0",
            "--admin", "127.0.0.1:0"));
        await().atMost(Duration.ofSeconds(10)).until(() -> command.node() != null || exitCode.isDone());
        assertThat(exitCode).as(err.toString()).isNotDone();

        final int adminPort = command.node().adminAddress().getPort();
        final HttpResponse<String> health = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        final HttpResponse<String> metrics = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("seamcast_relay_subscribers").contains("seamcast_relay_drops_total");
        assertThat(out.toString()).contains("relay-test listening on tcp://127.0.0.1:");

        command.stop();
        assertThat(exitCode.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(command.node().problems()).isNotEmpty();
    }

    @Test
    void shouldCloseCleanlyAndExitZeroOnSigterm() throws Exception
    {
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Process process = new ProcessBuilder(java.toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"),
            SeamcastCommand.class.getName(), "relay", "--name", "relay-proc",
            "--listen", "tcp://127.0.0.1:0", "--admin", "127.0.0.1:0")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        try
        {
            final BufferedReader stdout = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            final CompletableFuture<String> banner = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    for (String line; (line = stdout.readLine()) != null; )
                    {
                        if (line.contains("admin on http://"))
                        {
                            return line;
                        }
                    }
                    return "";
                }
                catch (final IOException ex)
                {
                    return "";
                }
            });
            final String line = banner.get(20, TimeUnit.SECONDS);
            assertThat(line).contains("relay-proc listening on tcp://127.0.0.1:");
            final String admin = line.substring(line.indexOf("admin on ") + "admin on ".length()).trim();
            final HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(admin + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);

            process.destroy();
            assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    private int run(final String... args)
    {
        return SeamcastCommand.newCommandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    }
}
