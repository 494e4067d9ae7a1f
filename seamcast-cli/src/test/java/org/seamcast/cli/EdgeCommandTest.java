package org.seamcast.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine commandLine = SeamcastCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void shouldDocumentEveryOptionWithItsDefault()
    {
        assertThat(run("edge", "--help")).isZero();

        assertThat(out.toString()).contains("--relay", "--mount", "--listen", "--admin", "--playout-delay-ms",
            "--hold-time-ms", "--burst-bytes", "--icy-metaint", "--max-listeners", "--redirect",
            "--max-queued-bytes", "--fallback-file", "--link-poll-ms", "--playout-threads", "--max-mounts", "(default: 500)", "(default: 0.0.0.0:8100)", "Default: 127.0.0.1:8101", "Default: edge");
    }

    @Test
    void shouldRefuseAMissingRelay()
    {
        assertThat(run("edge")).isNotZero();

        assertThat(err.toString()).contains("--relay");
    }

    @Test
    void shouldRefuseABadRelayAddressNamingIt()
    {
        assertThat(run("edge", "--relay", "http://relay:9001")).isNotZero();

        assertThat(err.toString()).contains("unknown scheme 'http'");
    }

    @Test
    void shouldRefuseAnOutOfRangeSettingNamingItAtStart()
    {
        assertThat(run("edge", "--relay", "tcp://127.0.0.1:9", "--playout-delay-ms", "5",
            "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0")).isNotZero();

        assertThat(err.toString()).contains("playoutDelayMs=5 is not in 20..60000");
    }

    @Test
    void shouldRefuseOutOfRangePlayoutThreadsAndMountLimitsNamingThem()
    {
        assertThat(run("edge", "--relay", "tcp://127.0.0.1:9", "--playout-threads", "0",
            "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0")).isNotZero();
        assertThat(err.toString()).contains("playoutThreads=0 is not in 1..64");

        assertThat(run("edge", "--relay", "tcp://127.0.0.1:9", "--max-mounts", "0",
            "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0")).isNotZero();
        assertThat(err.toString()).contains("maxMounts=0 is not in 1..100000");
    }

    @Test
    void shouldRefuseALinkPollPeriodTooLongForItsPlayoutDelay()
    {
        assertThat(run("edge", "--relay", "tcp://127.0.0.1:9", "--link-poll-ms", "201",
            "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0")).isNotZero();
        assertThat(err.toString()).contains("linkPollMs=201 is not in 0..200");

        assertThat(run("edge", "--relay", "tcp://127.0.0.1:9", "--link-poll-ms", "100", "--playout-delay-ms", "150",
            "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0")).isNotZero();
        assertThat(err.toString()).contains("linkPollMs=100 must be at most half of playoutDelayMs=150");
    }

    @Test
    void shouldRefuseAnUnreadableKeyFileNamingIt()
    {
        assertThat(run("edge", "--relay", "tcp://127.0.0.1:9", "--key-file", "/nonexistent/mesh.keys",
            "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0")).isEqualTo(EdgeCommand.EXIT_BAD_CONFIGURATION);

        assertThat(err.toString()).contains("keyFile /nonexistent/mesh.keys cannot be read");
    }

    @Test
    void shouldRefuseAFallbackFileThatCannotBeReadOrIsNotMountEqualsFileNamingIt()
    {
        assertThat(run("edge", "--relay", "tcp://127.0.0.1:9", "--fallback-file", "/live=/nonexistent/ident.mp3",
            "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0")).isEqualTo(EdgeCommand.EXIT_BAD_CONFIGURATION);
        assertThat(err.toString()).contains("fallback file /live=/nonexistent/ident.mp3 cannot be read");

        assertThat(run("edge", "--relay", "tcp://127.0.0.1:9", "--fallback-file", "ident.mp3",
            "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0")).isEqualTo(EdgeCommand.EXIT_BAD_CONFIGURATION);
        assertThat(err.toString()).contains("--fallback-file 'ident.mp3' is not /MOUNT=FILE");
    }

    @Test
    void shouldReadAnEncoderOffsetAsTheLagOfThatEncoderOnThatMount()
    {
        final org.seamcast.edge.node.EdgeContext ctx = new org.seamcast.edge.node.EdgeContext();

        EdgeCommand.parseEncoderOffset(ctx, "/live:2=300");
        EdgeCommand.parseEncoderOffset(ctx, "/news.mp3:7=-40");

        assertThat(ctx.encoderLagsMs()).containsEntry(org.seamcast.codec.protocol.MountName.of("/live"),
            java.util.Map.of(2, 300L));
        assertThat(ctx.encoderLagsMs()).containsEntry(org.seamcast.codec.protocol.MountName.of("/news.mp3"),
            java.util.Map.of(7, -40L));
    }

    @Test
    void shouldRefuseAMalformedEncoderOffsetNamingIt()
    {
        assertThat(run("edge", "--relay", "tcp://127.0.0.1:9", "--encoder-offset", "/live=300",
            "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0")).isEqualTo(EdgeCommand.EXIT_BAD_CONFIGURATION);
        assertThat(err.toString()).contains("--encoder-offset '/live=300' is not /MOUNT:ENCODER=MS");

        assertThat(run("edge", "--relay", "tcp://127.0.0.1:9", "--encoder-offset", "/live:2=999999",
            "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0")).isEqualTo(EdgeCommand.EXIT_BAD_CONFIGURATION);
        assertThat(err.toString()).contains("encoder offset /live:2=999999 ms outside +/-60000 ms");
    }
}
