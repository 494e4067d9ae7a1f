package org.seamcast.transport.tcp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.transport.DropReason;
import org.seamcast.transport.TestCertificates;
import org.seamcast.transport.TestMessages;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * TCP links wrapped in TLS ({@code tcp://host:port?tls=true}) with a PEM certificate and key made by openssl.
 */
class TcpTlsTest
{
    @TempDir
    static Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Long> received = new CopyOnWriteArrayList<>();
    private Path certificate;
    private Path key;

    @BeforeEach
    void makeCertificate() throws Exception
    {
        certificate = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        if (!certificate.toFile().exists())
        {
            final Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", certificate.toString(), "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
                .redirectErrorStream(true).start();
            final String output = new String(openssl.getInputStream().readAllBytes());
            assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(openssl.exitValue()).as("openssl: %s", output).isZero();
        }
    }

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
    }

    @Test
    void shouldCarryFramesOverTlsToAServerWhoseCertificateIsTrusted()
    {
        final TcpServer server = tlsServer();
        final TcpClientLink client = TcpClientLink.connect(
            context("ingest-1").tlsTrustedCertificates(certificate).conclude(),
            LinkAddress.parse("tcp://127.0.0.1:" + server.localAddress().getPort() + "?tls=true"),
            (m, b, o, l, f) -> { }, ConnectionListener.NONE);
        closeables.add(client);
        await().atMost(Duration.ofSeconds(10)).until(client::isConnected);

        for (long sequence = 0; sequence < 50; sequence++)
        {
            client.offer(TestMessages.frame(sequence));
        }
        client.flush();

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 50);
        assertThat(received).isSorted();
    }

    @Test
    void shouldNotConnectAPlainTextClientToATlsServer()
    {
        final TcpServer server = tlsServer();
        final TcpClientLink plain = TcpClientLink.connect(context("ingest-plain").conclude(),
            LinkAddress.parse("tcp://127.0.0.1:" + server.localAddress().getPort()),
            (m, b, o, l, f) -> { }, ConnectionListener.NONE);
        closeables.add(plain);

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> !plain.isConnected());
        assertThat(received).isEmpty();
        assertThat(server.metrics().drops(DropReason.TLS_HANDSHAKE)).as("server counts the plain-text peer")
            .isPositive();
    }

    @Test
    void shouldNotConnectToAServerWhoseCertificateIsNotTrusted()
    {
        final TcpServer server = tlsServer();
        final TcpClientLink untrusting = TcpClientLink.connect(context("ingest-untrusting").conclude(),
            LinkAddress.parse("tcp://127.0.0.1:" + server.localAddress().getPort() + "?tls=true"),
            (m, b, o, l, f) -> { }, ConnectionListener.NONE);
        closeables.add(untrusting);

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> !untrusting.isConnected());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        {
            assertThat(untrusting.metrics().drops(DropReason.TLS_HANDSHAKE)).as("client counts").isPositive();
            assertThat(server.metrics().drops(DropReason.TLS_HANDSHAKE)).as("server counts").isPositive();
        });
        assertThat(untrusting.problem()).contains("TLS handshake failed");
    }

    @Test
    void shouldNotConnectToAServerWhoseTrustedCertificateIsForAnotherName()
    {
        final Path[] other = TestCertificates.selfSigned(dir, "elsewhere", "rsa:2048", "DNS:relay.elsewhere.example");
        final TransportContext serverCtx = context("relay-elsewhere").tlsCertificateChain(other[0])
            .tlsPrivateKey(other[1]).conclude();
        final TcpServer server = TcpServer.bind(serverCtx, LinkAddress.parse("tcp://127.0.0.1:0?tls=true"),
            (m, b, o, l, f) -> { }, ConnectionListener.NONE);
        closeables.add(server);
        final TcpClientLink client = TcpClientLink.connect(
            context("ingest-misnamed").tlsTrustedCertificates(other[0]).conclude(),
            LinkAddress.parse("tcp://127.0.0.1:" + server.localAddress().getPort() + "?tls=true"),
            (m, b, o, l, f) -> { }, ConnectionListener.NONE);
        closeables.add(client);

        // The drop is counted on the I/O thread before the closed connection's problem is recorded: wait for both.
        await().atMost(Duration.ofSeconds(10)).until(() -> client.metrics().drops(DropReason.TLS_HANDSHAKE) > 0
            && String.valueOf(client.problem()).contains("TLS handshake failed"));
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void shouldRefuseToListenWithTlsWithoutACertificate()
    {
        final TransportContext ctx = context("relay-no-cert").conclude();

        assertThatThrownBy(() -> TcpServer.bind(ctx, LinkAddress.parse("tcp://127.0.0.1:0?tls=true"),
            (m, b, o, l, f) -> { }, ConnectionListener.NONE))
            .hasMessageContaining("asks for TLS but no certificate and key are configured");
    }

    private TcpServer tlsServer()
    {
        final TransportContext ctx = context("relay-1").tlsCertificateChain(certificate).tlsPrivateKey(key).conclude();
        final TcpServer server = TcpServer.bind(ctx, LinkAddress.parse("tcp://127.0.0.1:0?tls=true"),
            (message, buffer, offset, length, from) ->
            {
                if (message.type() == MessageType.FRAME)
                {
                    received.add(message.frame().sequence());
                }
            },
            ConnectionListener.NONE);
        closeables.add(server);
        return server;
    }

    private TransportContext context(final String name)
    {
        final TransportContext ctx = new TransportContext().nodeName(name).registry(new SimpleMeterRegistry())
            .heartbeatIntervalMs(100).idleTimeoutMs(2_000)
            .reconnectInitialDelayNs(50_000_000L).reconnectMaxDelayNs(200_000_000L);
        closeables.add(ctx);
        return ctx;
    }
}
