package org.seamcast.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.ingest.IngestContext;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IngestCommandTest
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
    void shouldDocumentEveryOptionAndItsDefaultInHelp()
    {
        assertThat(run("ingest", "--help")).isZero();
        final String help = out.toString();
        final CommandLine ingest = SeamcastCommand.newCommandLine().getSubcommands().get("ingest");
        for (final CommandLine.Model.OptionSpec option : ingest.getCommandSpec().options())
        {
            assertThat(help).contains(option.longestName());
            assertThat(option.description()).as(option.longestName()).isNotEmpty();
            if (option.defaultValue() != null)
            {
                assertThat(String.join(" ", option.description())).as(option.longestName())
                    .contains("Default: " + option.defaultValue());
            }
        }
        assertThat(help.replaceAll("\\s+", " ")).contains("Default: 500").contains("Default: DEDICATED")
            .contains("Default: 1024");
    }

    @Test
    void shouldRefuseBadOptionsAtStartNamingThem()
    {
        final List<String> base = List.of("ingest", "--name", "ingest-a", "--listen", "127.0.0.1:0",
            "--admin", "none", "--source-password", "pw");
        assertRefused(with(base, "--relay", "tcp://127.0.0.1:9001", "--priority", "300"), "priority=300");
        assertRefused(with(base, "--relay", "tcp://127.0.0.1:9001", "--announce-interval-ms", "5000"),
            "announceIntervalMs=5000");
        assertRefused(with(base, "--relay", "smoke://127.0.0.1:9001"), "--relay");
        assertRefused(with(base), "--relay");
        assertRefused(with(base, "--relay", "tcp://127.0.0.1:9001", "--mount", "/a"), "--mount must follow");
        assertRefused(with(base, "--relay", "tcp://127.0.0.1:9001", "--pull", "http://127.0.0.1:1/x"),
            "has no --mount");
        assertRefused(with(base, "--relay", "tcp://127.0.0.1:9001", "--pull", "ftp://h/x", "--mount", "/a"),
            "scheme=ftp");
        assertRefused(with(base, "--relay", "tcp://127.0.0.1:9001", "--file", "/no/such.mp3", "--mount", "/a"),
            "/no/such.mp3");
        assertRefused(List.of("ingest", "--name", "a", "--relay", "tcp://127.0.0.1:9001", "--admin", "none"),
            "no password");
        assertRefused(with(base, "--relay", "tcp://127.0.0.1:9001", "--admin-user", "a:b", "--admin-password", "x"),
            "adminUser='a:b'");
        assertRefused(with(base, "--relay", "tcp://127.0.0.1:9001", "--admin-password", ""), "adminPassword is empty");
    }

    @Test
    void shouldHaveNoAdministratorUntilAPasswordIsGivenAndCallThemAdminByDefault()
    {
        final IngestCommand command = new IngestCommand();
        new CommandLine(command).parseArgs("--name", "ingest-a", "--source-password", "pw",
            "--relay", "tcp://127.0.0.1:9001");
        final IngestContext none = command.context().conclude();
        assertThat(none.adminUser()).isEqualTo("admin");
        assertThat(none.adminPassword()).isNull();

        final IngestCommand configured = new IngestCommand();
        new CommandLine(configured).parseArgs("--name", "ingest-a", "--source-password", "pw",
            "--relay", "tcp://127.0.0.1:9001", "--admin-user", "automation", "--admin-password", "s3cret");
        final IngestContext ctx = configured.context().conclude();
        assertThat(ctx.adminUser()).isEqualTo("automation");
        assertThat(ctx.adminPassword()).isEqualTo("s3cret");
    }

    @Test
    void shouldPairEachPullAndFileWithTheMountAfterIt(@TempDir final Path dir) throws IOException
    {
        final Path file = Files.write(dir.resolve("a.mp3"), new byte[] {0});
        final IngestCommand command = new IngestCommand();
        new CommandLine(command).parseArgs("--name", "ingest-a", "--source-password", "pw",
            "--relay", "tcp://127.0.0.1:9001", "--relay", "udp://127.0.0.1:9002",
            "--pull", "http://127.0.0.1:8000/live", "--mount", "/pulled",
            "--file", file.toString(), "--mount", "/played", "--loop",
            "--mount-password", "/studio=secret");
        final IngestContext ctx = command.context().conclude();
        assertThat(ctx.pulls()).singleElement().satisfies(pull ->
        {
            assertThat(pull.url().toString()).isEqualTo("http://127.0.0.1:8000/live");
            assertThat(pull.mount()).isEqualTo("/pulled");
        });
        assertThat(ctx.files()).singleElement().satisfies(input ->
        {
            assertThat(input.mount()).isEqualTo("/played");
            assertThat(input.loop()).isTrue();
        });
        assertThat(ctx.relays()).hasSize(2);
        assertThat(ctx.mountPasswords()).containsEntry("/studio", "secret");
        assertThat(ctx.sourceListenAddress().getPort()).isEqualTo(8001);
    }

    private void assertRefused(final List<String> args, final String expected)
    {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertThat(run(args.toArray(String[]::new))).as(String.join(" ", args)).isEqualTo(2);
        assertThat(err.toString()).as(String.join(" ", args)).contains(expected);
    }

    private static List<String> with(final List<String> base, final String... more)
    {
        final List<String> args = new ArrayList<>(base);
        args.addAll(List.of(more));
        return args;
    }
}
