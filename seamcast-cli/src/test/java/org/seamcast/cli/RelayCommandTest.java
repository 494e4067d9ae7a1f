package org.seamcast.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
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
            "--ring-seconds", "--ring-bytes", "--max-streams", "--max-subscribers", "--admin", "--key-file",
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

    private int run(final String... args)
    {
        return SeamcastCommand.newCommandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    }
}
