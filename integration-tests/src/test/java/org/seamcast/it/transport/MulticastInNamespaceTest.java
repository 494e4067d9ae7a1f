package org.seamcast.it.transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.it.support.Command;
import org.seamcast.it.support.ExternalProcess;
import org.seamcast.it.support.NetworkNamespace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Aeron multicast for real: a network namespace of its own with {@code lo} up, multicast on and a route for
 * 224.0.0.0/4, and inside it two receiver JVMs that join one group and a sender JVM that publishes to it once. Both
 * receivers must get every frame from the one publication, which only multicast can do. The sender publishes only
 * once both receivers say their image is connected, because a receiver that joins later starts at the
 * publication's current position (the race that lost half the frames on a busy machine). The host's own network is
 * never touched. Needs root (CI runs as root): if the namespace cannot be made the test fails, it never skips.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MulticastInNamespaceTest
{
    private static final int FRAMES = 500;
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;

    private final List<ExternalProcess> processes = new ArrayList<>();
    private String namespace;

    @BeforeEach
    void createNamespace()
    {
        namespace = NetworkNamespace.namePrefix() + "mc-" + Integer.toHexString(RANDOM.nextInt() & 0x7FFFFFFF);
        final Command add = Command.run(List.of("ip", "netns", "add", namespace));
        if (add.exitCode() != 0)
        {
            final String who = ProcessHandle.current().info().user().orElse("?");
            namespace = null;
            fail("cannot create network namespace for the multicast test (running as " + who
                + "; it needs root or CAP_SYS_ADMIN, as CI has): ip netns add exited " + add.exitCode() + ": "
                + add.stderr().trim());
        }
        ip("-n", namespace, "link", "set", "lo", "up");
        ip("-n", namespace, "link", "set", "lo", "multicast", "on");
        ip("-n", namespace, "route", "add", "224.0.0.0/4", "dev", "lo");
    }

    @AfterEach
    void removeNamespace()
    {
        try
        {
            for (final ExternalProcess process : processes)
            {
                process.close();
            }
        }
        finally
        {
            if (namespace != null)
            {
                final Command delete = Command.run(List.of("ip", "netns", "delete", namespace));
                assertThat(delete.exitCode()).as("ip netns delete %s: %s", namespace, delete.stderr()).isZero();
            }
        }
    }

    @Test
    void shouldDeliverEveryFrameOfOnePublicationToTwoReceiversInTheGroup()
    {
        final String url = randomGroup();
        final Path go = workDir.resolve("go");
        final ExternalProcess sender = probe("mc-tx", "send", url, Integer.toString(FRAMES), "mc-tx", go.toString());
        final ExternalProcess receiverA = probe("mc-rx-a", "receive", url, Integer.toString(FRAMES), "mc-rx-a");
        final ExternalProcess receiverB = probe("mc-rx-b", "receive", url, Integer.toString(FRAMES), "mc-rx-b");
        awaitLine(sender, "CONNECTED");
        awaitLine(receiverA, "JOINED");
        awaitLine(receiverB, "JOINED");
        touch(go);

        assertEveryFrameReceived(sender, receiverA, receiverB);
    }

    /**
     * A receiver that stops reading (starved of CPU, paused by GC) holds the publication back instead of being
     * left further behind than the sender can repair; once it reads again it gets every frame. With Aeron's
     * default flow control (the fastest receiver sets the pace) the sender finished without it and the slow
     * receiver never got the rest.
     */
    @Test
    void shouldHoldThePublicationForASlowReceiverUntilItCatchesUp()
    {
        final String url = randomGroup();
        final Path go = workDir.resolve("go");
        final Path release = workDir.resolve("release");
        final ExternalProcess sender = probe("mc-tx", "send", url, Integer.toString(FRAMES), "mc-tx", go.toString());
        final ExternalProcess fast = probe("mc-rx-fast", "receive", url, Integer.toString(FRAMES), "mc-rx-fast");
        final ExternalProcess slow = probe("mc-rx-slow", "receive", url, Integer.toString(FRAMES), "mc-rx-slow",
            release.toString());
        awaitLine(sender, "CONNECTED");
        awaitLine(fast, "JOINED");
        awaitLine(slow, "JOINED");
        touch(go);

        await("the sender held back by the stalled receiver, or done without it").atMost(Duration.ofSeconds(90))
            .until(() -> line(sender, "HELD_BACK") != null || line(sender, "SENT") != null);
        assertThat(line(sender, "SENT")).as("the sender finished while a receiver was stalled:\n%s", log(sender))
            .isNull();
        touch(release);

        assertEveryFrameReceived(sender, fast, slow);
    }

    private static String randomGroup()
    {
        final String group = "239.255." + RANDOM.nextInt(256) + "." + (RANDOM.nextInt(128) * 2 + 1);
        return "mcast://" + group + ":" + (20_000 + RANDOM.nextInt(20_000)) + "?interface=127.0.0.1";
    }

    private static void assertEveryFrameReceived(final ExternalProcess sender, final ExternalProcess... receivers)
    {
        for (final ExternalProcess receiver : receivers)
        {
            final String report = awaitLine(receiver, "RECEIVED");
            assertThat(report).as("%s\n%s\nsender:\n%s", receiver, log(receiver), log(sender))
                .contains(" distinct=" + FRAMES + " ")
                .contains(" drops=0 ")
                .contains(" outOfOrder=0 ")
                .containsPattern(" from=127\\.0\\.0\\.1:[0-9]+$");
            await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.isAlive());
            assertThat(receiver.process().exitValue()).as("%s\n%s", receiver, log(receiver)).isZero();
        }
        assertThat(awaitLine(sender, "SENT")).contains(" count=" + FRAMES);
    }

    private ExternalProcess probe(final String node, final String... arguments)
    {
        final List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
            Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(childJvmFlags());
        command.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp", System.getProperty("java.class.path"),
            MulticastProbe.class.getName()));
        command.addAll(List.of(arguments));
        final ExternalProcess process = ExternalProcess.start(node, command, workDir.resolve(node + ".log"));
        processes.add(process);
        return process;
    }

    /**
     * The module-access flags this JVM was started with (the parent pom's {@code seamcast.jvmArgs}, from
     * Surefire's argLine), which Agrona and Netty need in the child too.
     */
    private static List<String> childJvmFlags()
    {
        final List<String> flags = new ArrayList<>();
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-exports") || argument.startsWith("--add-opens"))
            {
                flags.add(argument);
            }
        }
        if (flags.isEmpty())
        {
            flags.add("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
            flags.add("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
            flags.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
        }
        return flags;
    }

    private static String awaitLine(final ExternalProcess process, final String prefix)
    {
        await(prefix + " from " + process).atMost(Duration.ofSeconds(90))
            .failFast("process exited without " + prefix,
                () -> !process.isAlive() && line(process, prefix) == null)
            .until(() -> line(process, prefix) != null);
        return line(process, prefix);
    }

    private static String line(final ExternalProcess process, final String prefix)
    {
        for (final String line : log(process).split("\n"))
        {
            if (line.startsWith(prefix))
            {
                return line.trim();
            }
        }
        return null;
    }

    private static String log(final ExternalProcess process)
    {
        try
        {
            return Files.exists(process.log()) ? Files.readString(process.log(), StandardCharsets.UTF_8) : "";
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void touch(final Path file)
    {
        try
        {
            Files.createFile(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void ip(final String... arguments)
    {
        final List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        final Command result = Command.run(command);
        if (result.exitCode() != 0)
        {
            fail(String.join(" ", command) + " exited " + result.exitCode() + ": " + result.stderr().trim());
        }
    }
}
