package org.seamcast.it.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.it.support.Command;
import org.seamcast.it.support.ReferenceAudio;
import org.seamcast.it.support.SeamcastProcess;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's first command, run as a real process with chaos every few seconds: relays killed and restarted,
 * the primary and the backup encoder killed and restarted. What a listener records must be the bundled
 * programme with nothing foreign in it and no frame missing or heard twice: relay kills cost nothing, and the
 * demo's two encoders play the same file, byte for byte, so every encoder switch is exact too. It must decode
 * cleanly.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DemoChaosTest
{
    private static final int RECORD_SECONDS = 34;
    private static final Pattern LISTEN = Pattern.compile("listen:\\s+http://127\\.0\\.0\\.1:(\\d+)/live");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;

    @Test
    void shouldPlayTheProgrammeWithoutAFrameMissingWhileRelaysAndEncodersAreKilled() throws Exception
    {
        final ReferenceAudio programme = ReferenceAudio.of(
            Path.of("..", "seamcast-cli", "src", "main", "resources", "demo", "seamcast-demo.mp3").toAbsolutePath(),
            1152.0 / 44_100);
        try (SeamcastProcess demo = SeamcastProcess.start(workDir, "demo", "listen:", "demo",
            "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--chaos", "--chaos-period-seconds", "4",
            "--duration-seconds", "90", "--status-interval-ms", "1000"))
        {
            final Matcher port = LISTEN.matcher(demo.logText());
            assertThat(port.find()).as("listener URL in %s", demo.logText()).isTrue();

            final int listenPort = Integer.parseInt(port.group(1));
            await("the edge playing /live").atMost(Duration.ofSeconds(20)).until(() -> isPlaying(listenPort));

            final byte[] recording = record(listenPort, RECORD_SECONDS);

            final ReferenceAudio.Analysis heard = programme.analyse(recording);
            assertThat(heard.heardFrames()).as("frames heard in %d s", RECORD_SECONDS)
                .isGreaterThan((int)(RECORD_SECONDS * 0.9 / programme.frameDurationSeconds()));
            // Relay kills cost nothing; the encoders are byte-identical, so their offset is learned from their frames
            // and a planned switch waits until it is confirmed after a restart: every switch is exact.
            final int switches = occurrences(demo.logText(), "SWITCH mount=/live")
                + occurrences(demo.logText(), "SWITCH_BACK mount=/live");
            assertThat(heard.discontinuities()).as("with %d encoder switches", switches).isEmpty();
            assertThat(heard.missingFrames()).isZero();
            assertThat(heard.repeatedFrames()).isZero();
            assertThat(heard.foreignBytes()).isZero();
            assertThat(demo.logText()).contains("chaos: killed relay-1", "chaos: restarted relay-1",
                "chaos: killed studio-a", "chaos: restarted studio-a", "chaos: killed relay-2");
            assertThat(demo.logText()).contains("SWITCH mount=/live encoder=2");

            final Path file = workDir.resolve("heard.mp3");
            Files.write(file, recording);
            final Command decode = Command.run(List.of("ffmpeg", "-v", "error", "-nostdin", "-i", file.toString(),
                "-f", "null", "-"));
            assertThat(decode.exitCode()).isZero();
            assertThat(decode.stderr()).isEmpty();

            assertThat(demo.terminate()).as("exit status after SIGTERM").isZero();
        }
    }

    private static int occurrences(final String text, final String what)
    {
        int count = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length()))
        {
            count++;
        }
        return count;
    }

    private static boolean isPlaying(final int port) throws Exception
    {
        final java.net.http.HttpResponse<Void> head = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/live"))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
        return head.statusCode() == 200;
    }

    private static byte[] record(final int port, final int seconds) throws IOException
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /live HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            final StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n"))
            {
                head.append((char)in.read());
            }
            assertThat(head.toString()).startsWith("HTTP/1.0 200 OK");
            return in.readNBytes(seconds * 16_000);
        }
    }
}
