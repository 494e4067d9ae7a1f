package org.seamcast.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class HangupReloadTest
{
    @TempDir
    Path dir;

    private final Logger seamcast = (Logger)LoggerFactory.getLogger(LogLevel.SEAMCAST_LOGGER);

    @AfterEach
    void restoreLevel()
    {
        LogLevel.INFO.apply();
    }

    @Test
    void shouldApplyTheFilesNewLogLevel() throws IOException
    {
        final Path config = Files.writeString(dir.resolve("relay-1.conf"),
            "listen = tcp://127.0.0.1:0\nlog-level = info\n");
        final HangupReload reload = new HangupReload(SeamcastCommand.newCommandLine(),
            new String[] {"relay", "--config", config.toString()});

        Files.writeString(config, "listen = tcp://127.0.0.1:0\nlog-level = debug\n");
        reload.reload();
        assertThat(seamcast.getLevel()).isEqualTo(Level.DEBUG);

        Files.writeString(config, "listen = tcp://127.0.0.1:0\n");
        reload.reload();
        assertThat(seamcast.getLevel()).as("a removed key goes back to the default").isEqualTo(Level.INFO);
    }

    @Test
    void shouldLeaveALevelGivenOnTheCommandLineAlone() throws IOException
    {
        final Path config = Files.writeString(dir.resolve("edge-1.conf"), "relay = tcp://127.0.0.1:9001\n");
        final HangupReload reload = new HangupReload(SeamcastCommand.newCommandLine(),
            new String[] {"edge", "--config", config.toString(), "--log-level", "warn"});
        LogLevel.WARN.apply();

        Files.writeString(config, "relay = tcp://127.0.0.1:9001\nlog-level = trace\n");
        reload.reload();

        assertThat(seamcast.getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void shouldKeepRunningSettingsWhenTheFileIsRefusedOrGone() throws IOException
    {
        final Path config = Files.writeString(dir.resolve("ingest-a.conf"), "name = ingest-a\nlog-level = warn\n");
        final HangupReload reload = new HangupReload(SeamcastCommand.newCommandLine(),
            new String[] {"ingest", "--config", config.toString()});
        LogLevel.WARN.apply();

        Files.writeString(config, "name = ingest-a\nlog-level = loud\nnot-an-option = 1\n");
        assertThatCode(reload::reload).doesNotThrowAnyException();
        Files.delete(config);
        assertThatCode(reload::reload).doesNotThrowAnyException();

        assertThat(seamcast.getLevel()).isEqualTo(Level.WARN);
    }
}
