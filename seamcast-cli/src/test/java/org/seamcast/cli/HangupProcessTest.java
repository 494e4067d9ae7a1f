package org.seamcast.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGHUP sent to a real relay process: it re-reads its config file, applies the new log level, says which other
 * changes need a restart and that keys are read at start, and keeps serving {@code /health}; SIGTERM still stops it
 * with status 0. A relay started ignoring SIGHUP (under nohup) says that a hang-up will not reload it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HangupProcessTest
{
    private static final Pattern ADMIN = Pattern.compile("admin on (http://[0-9.]+:[0-9]+)");

    @TempDir
    Path dir;

    @Test
    void shouldReloadTheLogLevelAndKeepServingOnSighup() throws Exception
    {
        final Path keys = Files.writeString(dir.resolve("mesh.keys"), "1:00112233445566778899aabbccddeeff\n");
        final Path config = dir.resolve("relay-1.conf");
        final String common = "name = relay-hup\nlisten = tcp://127.0.0.1:0\nadmin = 127.0.0.1:0\nkey-file = " + keys
            + "\n";
        Files.writeString(config, common + "ring-seconds = 10\nlog-level = info\n");
        final Path log = dir.resolve("relay.log");
        // the disposition of SIGHUP is inherited: a build run under nohup would start the relay ignoring it
        final Process process = relay(List.of("env", "--default-signal=HUP"), config, log);
        try
        {
            await("relay started").atMost(Duration.ofSeconds(30)).until(() -> ADMIN.matcher(text(log)).find());
            assertThat(text(log)).doesNotContain(HangupReload.IGNORED_LINE);
            final Matcher admin = ADMIN.matcher(text(log));
            assertThat(admin.find()).isTrue();
            final URI health = URI.create(admin.group(1) + "/health");
            assertThat(status(health)).isEqualTo(200);

            Files.writeString(config, common + "ring-seconds = 20\nlog-level = debug\n");
            hangUp(process);

            await("SIGHUP handled").atMost(Duration.ofSeconds(10)).until(() -> text(log).contains("SIGHUP: log level debug"));
            await().atMost(Duration.ofSeconds(5)).until(() -> text(log).contains(HangupReload.KEYS_LINE));
            assertThat(text(log)).contains("SIGHUP: ring-seconds changed from 10 to 20; restart to apply");
            assertThat(process.isAlive()).isTrue();
            assertThat(status(health)).isEqualTo(200);

            hangUp(process);
            await("second SIGHUP handled").atMost(Duration.ofSeconds(10))
                .until(() -> count(text(log), HangupReload.KEYS_LINE) == 2);
            assertThat(process.isAlive()).isTrue();
            assertThat(status(health)).isEqualTo(200);

            process.destroy();
            assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(text(log)).isZero();
        }
        finally
        {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldSaySoWhenStartedIgnoringSighup() throws Exception
    {
        final Path config = Files.writeString(dir.resolve("relay-2.conf"),
            "name = relay-nohup\nlisten = tcp://127.0.0.1:0\nadmin = 127.0.0.1:0\n");
        final Path log = dir.resolve("relay-nohup.log");
        final Process process = relay(List.of("nohup"), config, log);
        try
        {
            await("relay started").atMost(Duration.ofSeconds(30)).until(() -> ADMIN.matcher(text(log)).find());
            assertThat(text(log)).contains(HangupReload.IGNORED_LINE);
        }
        finally
        {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Process relay(final List<String> launcher, final Path config, final Path log) throws IOException
    {
        final List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"),
            SeamcastCommand.class.getName(), "relay", "--config", config.toString()));
        return new ProcessBuilder(command)
            .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(new File("/dev/null")).start();
    }

    private static void hangUp(final Process process) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder(List.of("kill", "-HUP", Long.toString(process.pid()))).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private static int status(final URI uri) throws IOException, InterruptedException
    {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int count(final String text, final String line)
    {
        int count = 0;
        for (int i = text.indexOf(line); i >= 0; i = text.indexOf(line, i + 1))
        {
            count++;
        }
        return count;
    }

    private static String text(final Path log)
    {
        try
        {
            return Files.readString(log);
        }
        catch (final IOException ex)
        {
            return "";
        }
    }
}
