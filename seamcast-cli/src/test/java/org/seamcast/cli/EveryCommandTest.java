package org.seamcast.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every subcommand shares: {@code --config}, {@code --log-level} and {@code --version} in its help, one
 * spelling of every address option, and admin endpoints on loopback unless told otherwise.
 */
class EveryCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @ParameterizedTest
    @ValueSource(strings = {"probe", "ingest", "relay", "edge", "demo"})
    void shouldListConfigLogLevelAndVersionInHelp(final String command)
    {
        assertThat(run(command, "--help")).isZero();

        assertThat(out.toString()).contains("--config=FILE", "--log-level=LEVEL", "--version", "--help");
    }

    @ParameterizedTest
    @ValueSource(strings = {"probe", "ingest", "relay", "edge", "demo"})
    void shouldPrintTheReleaseVersion(final String command)
    {
        assertThat(run(command, "--version")).isZero();

        assertThat(out.toString().strip()).isEqualTo("seamcast " + SeamcastCommand.version())
            .doesNotContain("unknown");
    }

    @Test
    void shouldAcceptTheSameAddressSpellingsOnEveryNodeCommand()
    {
        final RelayCommand relay = parse(RelayCommand.class, "relay", "--listen", "tcp://127.0.0.1:0", "--admin",
            ":9101");
        final EdgeCommand edge = parse(EdgeCommand.class, "edge", "--relay", "tcp://127.0.0.1:9001", "--admin",
            ":9101", "--listen", "[::1]:8100");
        final IngestCommand ingest = parse(IngestCommand.class, "ingest", "--name", "a", "--relay",
            "tcp://127.0.0.1:9001", "--admin", ":9101", "--listen", "localhost:8001");

        final InetSocketAddress everyInterface = new InetSocketAddress("0.0.0.0", 9101);
        assertThat(relay.node.admin).isEqualTo(everyInterface);
        assertThat(edge.node.admin).isEqualTo(everyInterface);
        assertThat(ingest.node.admin).isEqualTo(everyInterface);
        assertThat(edge.listen).isEqualTo(new InetSocketAddress("::1", 8100));
        assertThat(ingest.listen.getHostString()).isEqualTo("localhost");
    }

    @Test
    void shouldServeNoAdminEndpointWhenToldNone()
    {
        assertThat(parse(RelayCommand.class, "relay", "--listen", "tcp://127.0.0.1:0", "--admin", "none").node.admin)
            .isNull();
        assertThat(parse(EdgeCommand.class, "edge", "--relay", "tcp://127.0.0.1:9001", "--admin", "none").node.admin)
            .isNull();
        assertThat(parse(IngestCommand.class, "ingest", "--name", "a", "--relay", "tcp://127.0.0.1:9001",
            "--admin", "none", "--listen", "none").node.admin).isNull();
    }

    @Test
    void shouldBindAdminEndpointsToLoopbackByDefault()
    {
        final InetSocketAddress relay = parse(RelayCommand.class, "relay", "--listen", "tcp://127.0.0.1:0").node.admin;
        final InetSocketAddress edge = parse(EdgeCommand.class, "edge", "--relay", "tcp://127.0.0.1:9001").node.admin;
        final InetSocketAddress ingest = parse(IngestCommand.class, "ingest", "--name", "a", "--relay",
            "tcp://127.0.0.1:9001").node.admin;

        assertThat(relay).isEqualTo(new InetSocketAddress("127.0.0.1", 9101));
        assertThat(edge).isEqualTo(new InetSocketAddress("127.0.0.1", 8101));
        assertThat(ingest).isEqualTo(new InetSocketAddress("127.0.0.1", 8002));
    }

    @Test
    void shouldRefuseNoneWhereAnAddressIsNeededNamingTheOption()
    {
        assertThat(run("edge", "--relay", "tcp://127.0.0.1:9001", "--listen", "none")).isEqualTo(2);

        assertThat(err.toString()).contains("--listen").contains("'none' is not host:port");
    }

    @Test
    void shouldRefuseAnUnknownLogLevelNamingTheLevels()
    {
        assertThat(run("relay", "--listen", "tcp://127.0.0.1:0", "--log-level", "loud")).isEqualTo(2);

        assertThat(err.toString()).contains("'loud' is not one of error, warn, info, debug, trace");
    }

    private <T> T parse(final Class<T> type, final String... args)
    {
        final CommandLine.ParseResult result = SeamcastCommand.newCommandLine().parseArgs(args);
        return type.cast(result.subcommand().commandSpec().userObject());
    }

    private int run(final String... args)
    {
        return SeamcastCommand.execute(SeamcastCommand.newCommandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true)), args);
    }
}
