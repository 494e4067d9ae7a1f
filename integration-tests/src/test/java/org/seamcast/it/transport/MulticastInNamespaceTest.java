package org.seamcast.it.transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.it.support.Command;
import org.seamcast.it.support.ExternalProcess;

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
 * receivers must get every frame from the one publication, which only multicast can do. The host's own network is
 * never touched. Needs root (CI runs as root): if the namespace cannot be made the test fails, it never skips.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MulticastInNamespaceTest
{
    private static final int FRAMES = 500;
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path workDir;

    private final List<ExternalProcess> processes = new ArrayList<>();
    private String namespace;

    @BeforeEach
    void createNamespace()
    {
        namespace = "seamcast-mc-" + Integer.toHexString(RANDOM.nextInt() & 0x7FFFFFFF);
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
        final String group = "239.255." + RANDOM.nextInt(256) + "." + (RANDOM.nextInt(128) * 2 + 1);
        final String url = "mcast://" + group + ":" + (20_000 + RANDOM.nextInt(20_000)) + "?interface=127.0.0.1";

        final ExternalProcess receiverA = probe("receive", url, "mc-rx-a");
        final ExternalProcess receiverB = probe("receive", url, "mc-rx-b");
        awaitLine(receiverA, "READY");
        awaitLine(receiverB, "READY");
        final ExternalProcess sender = probe("send", url, "mc-tx");

        awaitLine(receiverA, "RECEIVED");
        awaitLine(receiverB, "RECEIVED");
        final String sent = awaitLine(sender, "SENT");

        for (final ExternalProcess receiver : List.of(receiverA, receiverB))
        {
            final String report = awaitLine(receiver, "RECEIVED");
            assertThat(report).as("%s\n%s", receiver, log(receiver))
                .contains(" distinct=" + FRAMES + " ")
                .contains(" drops=0 ")
                .contains(" outOfOrder=0 ")
                .containsPattern(" from=127\\.0\\.0\\.1:[0-9]+$");
            await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.isAlive());
            assertThat(receiver.process().exitValue()).as("%s\n%s", receiver, log(receiver)).isZero();
        }
        assertThat(sent).contains(" count=" + FRAMES);
    }

    private ExternalProcess probe(final String mode, final String url, final String node)
    {
        final List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
            Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(childJvmFlags());
        command.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp", System.getProperty("java.class.path"),
            MulticastProbe.class.getName(), mode, url, Integer.toString(FRAMES), node));
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
