package org.seamcast.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.transport.TestCertificates;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every node command exits 2 when its configuration is refused, which systemd's {@code RestartPreventExitStatus=2}
 * does not restart, and 1 when it cannot start for a reason a restart may cure (an address in use).
 */
@Timeout(60)
class ExitStatusTest
{
    @TempDir
    static Path dir;

    private static Path[] relayCertificate;
    private static Path[] otherCertificate;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void makeCertificates()
    {
        relayCertificate = TestCertificates.selfSigned(dir, "relay-1", "ec");
        otherCertificate = TestCertificates.selfSigned(dir, "other", "ec");
    }

    @Test
    void shouldExitTwoForAnUnknownConfigFileKeyOnEveryNodeCommand() throws IOException
    {
        final Path config = Files.writeString(dir.resolve("typo.conf"), "name = n\nrelya = tcp://127.0.0.1:9001\n");
        for (final String command : List.of("ingest", "relay", "edge"))
        {
            assertRefused(List.of(command, "--config", config.toString()), "unknown key 'relya'");
        }
    }

    @Test
    void shouldExitTwoForAnUnreadableTrustFileOnEveryNodeCommandNamingTheOption()
    {
        final String missing = dir.resolve("missing.pem").toString();

        assertRefused(List.of("relay", "--listen", "tcp://127.0.0.1:0", "--admin", "none", "--tls-trust", missing),
            "--tls-trust " + missing + " cannot be read");
        assertRefused(List.of("edge", "--relay", "tcp://127.0.0.1:9?tls=true", "--listen", "127.0.0.1:0",
            "--admin", "none", "--tls-trust", missing), "--tls-trust " + missing + " cannot be read");
        assertRefused(List.of("ingest", "--name", "ingest-a", "--relay", "tcp://127.0.0.1:9?tls=true",
            "--listen", "127.0.0.1:0", "--source-password", "pw", "--admin", "none", "--tls-trust", missing),
            "--tls-trust " + missing + " cannot be read");
    }

    @Test
    void shouldExitTwoForAKeyThatIsNotTheCertificatesNamingBothOptions()
    {
        assertRefused(List.of("relay", "--listen", "tcp://127.0.0.1:0?tls=true", "--admin", "none",
                "--tls-cert", relayCertificate[0].toString(), "--tls-key", otherCertificate[1].toString()),
            "--tls-key " + otherCertificate[1] + " does not belong to --tls-cert " + relayCertificate[0]);
    }

    @Test
    void shouldExitTwoForATlsListenAddressWithoutACertificate()
    {
        assertRefused(List.of("relay", "--listen", "tcp://127.0.0.1:0?tls=true", "--admin", "none"),
            "--listen tcp://127.0.0.1:0?tls=true asks for TLS: give --tls-cert and --tls-key");
    }

    @Test
    void shouldExitTwoForAnOutOfRangeValueOnEveryNodeCommand()
    {
        assertRefused(List.of("relay", "--listen", "tcp://127.0.0.1:0", "--ring-seconds", "0"), "--ring-seconds=0");
        assertRefused(List.of("edge", "--relay", "tcp://127.0.0.1:9", "--playout-delay-ms", "5",
            "--listen", "127.0.0.1:0", "--admin", "none"), "playoutDelayMs=5");
        assertRefused(List.of("ingest", "--name", "ingest-a", "--relay", "tcp://127.0.0.1:9", "--priority", "300",
            "--listen", "127.0.0.1:0", "--source-password", "pw", "--admin", "none"), "priority=300");
    }

    @Test
    void shouldExitOneWhenAnAddressIsTakenSoASupervisorTriesAgain() throws IOException
    {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()))
        {
            final String address = "127.0.0.1:" + taken.getLocalPort();

            assertThat(run("relay", "--listen", "tcp://127.0.0.1:0", "--admin", address)).as(err.toString())
                .isEqualTo(ExitStatus.FAILED);
            assertThat(run("edge", "--relay", "tcp://127.0.0.1:9", "--listen", address, "--admin", "none"))
                .as(err.toString()).isEqualTo(ExitStatus.FAILED);
            assertThat(run("ingest", "--name", "ingest-a", "--relay", "tcp://127.0.0.1:9", "--listen", address,
                "--source-password", "pw", "--admin", "none")).as(err.toString()).isEqualTo(ExitStatus.FAILED);
            assertThat(err.toString()).contains(String.valueOf(taken.getLocalPort()));
        }
    }

    private void assertRefused(final List<String> args, final String expected)
    {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertThat(run(args.toArray(String[]::new))).as(String.join(" ", args) + "\n" + err)
            .isEqualTo(ExitStatus.CONFIG_REFUSED);
        assertThat(err.toString()).as(String.join(" ", args)).contains(expected);
    }

    private int run(final String... args)
    {
        return SeamcastCommand.execute(SeamcastCommand.newCommandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true)), args);
    }
}
