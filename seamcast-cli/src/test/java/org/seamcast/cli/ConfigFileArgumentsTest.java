package org.seamcast.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigFileArgumentsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldTurnKeysIntoTheCommandsOptionsBeforeTheCommandLinesOwn() throws IOException
    {
        final Path file = write("""
            # edge at site 1
            name = edge-1
            relay = tcp://relay-1:9001
            relay = tcp://relay-2:9001

            playout-delay-ms = 1500
            """);

        final String[] args = ConfigFileArguments.expand(SeamcastCommand.newCommandLine(),
            new String[] {"edge", "--config", file.toString(), "--playout-delay-ms", "900"});

        assertThat(args).containsExactly("edge", "--name=edge-1", "--relay=tcp://relay-1:9001",
            "--relay=tcp://relay-2:9001", "--playout-delay-ms=1500", "--playout-delay-ms", "900");
    }

    @Test
    void shouldLetTheCommandLineOverrideTheFile() throws IOException
    {
        final Path file = write("relay = tcp://relay-1:9001\nplayout-delay-ms = 1500\n");
        final CommandLine commandLine = SeamcastCommand.newCommandLine();
        final String[] args = ConfigFileArguments.expand(commandLine,
            new String[] {"edge", "--config=" + file, "--playout-delay-ms", "900"});

        final CommandLine.ParseResult parsed = commandLine.parseArgs(args);

        final EdgeCommand edge = parsed.subcommand().commandSpec().commandLine().getCommand();
        assertThat(edge.playoutDelayMs).isEqualTo(900);
        assertThat(edge.relays).hasSize(1);
    }

    @Test
    void shouldRefuseAnUnknownKeyNamingTheFileLineAndKey() throws IOException
    {
        final Path file = write("name = edge-1\nrelya = tcp://relay-1:9001\n");

        assertThatThrownBy(() -> ConfigFileArguments.expand(SeamcastCommand.newCommandLine(),
            new String[] {"edge", "--config", file.toString()}))
            .hasMessageContaining("line 2").hasMessageContaining("unknown key 'relya'")
            .hasMessageContaining("seamcast edge");
    }

    @Test
    void shouldReadFlagsAsTrueOrFalse() throws IOException
    {
        final String[] args = ConfigFileArguments.expand(SeamcastCommand.newCommandLine(),
            new String[] {"demo", "--config", write("chaos = yes\n").toString()});
        assertThat(args).containsExactly("demo", "--chaos");

        assertThatThrownBy(() -> ConfigFileArguments.expand(SeamcastCommand.newCommandLine(),
            new String[] {"demo", "--config", write("chaos = maybe\n").toString()}))
            .hasMessageContaining("chaos = maybe is not true or false");
    }

    @Test
    void shouldRefuseAMissingFileAndExitWithAClearMessage()
    {
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = SeamcastCommand.newCommandLine();
        commandLine.setErr(new PrintWriter(err, true));

        final int status = SeamcastCommand.execute(commandLine, "edge", "--config", dir.resolve("nope.conf").toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read config file").contains("nope.conf");
    }

    @Test
    void shouldLeaveArgumentsWithoutAConfigAlone()
    {
        final String[] args = {"edge", "--relay", "tcp://r:1"};
        assertThat(ConfigFileArguments.expand(SeamcastCommand.newCommandLine(), args)).isSameAs(args);
    }

    private Path write(final String text) throws IOException
    {
        final Path file = Files.createTempFile(dir, "node", ".conf");
        Files.writeString(file, text);
        return file;
    }
}
