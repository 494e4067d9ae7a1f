package org.seamcast.cli;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.codec.audio.ChannelMode;
import org.seamcast.codec.audio.MpegVersion;
import org.seamcast.codec.audio.SilenceFrames;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.tcp.ConnectionListener;
import org.seamcast.transport.tcp.TcpServer;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code seamcast ingest} as its own process: it sends a file's frames to a relay, and SIGTERM closes it cleanly.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IngestCommandProcessTest
{
    @TempDir
    Path dir;

    @Test
    void shouldSendFramesUntilSigtermThenCloseCleanly() throws Exception
    {
        final int frameLength = SilenceFrames.mp3FrameLength(MpegVersion.MPEG_1, 44_100, 128);
        final byte[] bytes = new byte[40 * frameLength];
        for (int i = 0; i < 40; i++)
        {
            SilenceFrames.writeMp3(MpegVersion.MPEG_1, 44_100, ChannelMode.STEREO, 128, new UnsafeBuffer(bytes),
                i * frameLength);
        }
        final Path file = Files.write(dir.resolve("silence.mp3"), bytes);
        final AtomicInteger frames = new AtomicInteger();
        final Path log = dir.resolve("ingest.log");
        try (TransportContext ctx = new TransportContext().nodeName("relay-stand-in").conclude();
            TcpServer relay = TcpServer.bind(ctx, LinkAddress.parse("tcp://127.0.0.1:0"),
                (message, buffer, offset, length, from) ->
                {
                    if (message.type() == MessageType.FRAME)
                    {
                        frames.incrementAndGet();
                    }
                }, ConnectionListener.NONE))
        {
            final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                SeamcastCommand.class.getName(), "ingest",
                "--name", "ingest-process", "--listen", "none", "--admin", "none",
                "--relay", "tcp://127.0.0.1:" + relay.localPort(),
                "--file", file.toString(), "--mount", "/loop.mp3", "--loop"));
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(new File("/dev/null")).start();
            try
            {
                await().atMost(Duration.ofSeconds(30)).until(() -> frames.get() > 50);
                process.destroy();
                assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
                assertThat(Files.readString(log)).contains("ingest ingest-process stopped");
                assertThat(process.exitValue()).as("exit status after SIGTERM").isZero();
            }
            finally
            {
                process.destroyForcibly();
            }
        }
    }
}
