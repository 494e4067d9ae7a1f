package org.seamcast.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.transport.TestCertificates;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.tcp.ConnectionListener;
import org.seamcast.transport.tcp.TcpClientLink;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code seamcast relay --tls-cert --tls-key} listens with TLS: a peer that trusts the certificate connects, one
 * that does not is refused, and the relay counts the failed handshake.
 */
@Timeout(60)
class RelayTlsCommandTest
{
    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
    }

    @Test
    void shouldAcceptAPeerThatTrustsItsCertificateAndCountOneThatDoesNot() throws Exception
    {
        final Path[] certificate = TestCertificates.selfSigned(dir, "relay-1", "rsa:2048");
        final RelayCommand command = new RelayCommand();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = new CommandLine(command).setErr(new PrintWriter(err, true))
            .setOut(new PrintWriter(new StringWriter(), true));
        final CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> commandLine.execute(
            "--name", "relay-tls", "--listen", "tcp://127.0.0.1:0?tls=true", "--admin", "127.0.0.1:0",
            "--tls-cert", certificate[0].toString(), "--tls-key", certificate[1].toString()));
        closeables.add(command::stop);
        await().atMost(Duration.ofSeconds(20)).until(() -> command.node() != null || exit.isDone());
        assertThat(exit).as(err.toString()).isNotDone();
        final String url = "tcp://127.0.0.1:" + command.node().listenPort(0) + "?tls=true";

        final TcpClientLink trusting = dial("ingest-trusting", url, certificate[0]);
        final TcpClientLink untrusting = dial("ingest-untrusting", url, null);

        await().atMost(Duration.ofSeconds(10)).until(trusting::isConnected);
        await().atMost(Duration.ofSeconds(10)).until(() -> untrusting.problem() != null
            && untrusting.problem().contains("TLS handshake failed"));
        assertThat(untrusting.isConnected()).isFalse();
        final String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + command.node().adminAddress().getPort() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("seamcast_link_drops_total\\{path=\"tcp://127.0.0.1:0\\?tls=true\","
            + "reason=\"tls_handshake\"} [1-9]");

        command.stop();
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    }

    private TcpClientLink dial(final String name, final String url, final Path trust)
    {
        final TransportContext ctx = new TransportContext().nodeName(name).tlsTrustedCertificates(trust)
            .reconnectInitialDelayNs(50_000_000L).reconnectMaxDelayNs(500_000_000L).conclude();
        closeables.add(ctx);
        final TcpClientLink link = TcpClientLink.connect(ctx, LinkAddress.parse(url), (m, b, o, l, f) -> { },
            ConnectionListener.NONE);
        closeables.add(link);
        return link;
    }
}
