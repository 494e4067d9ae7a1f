package org.seamcast.it.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * Fails a test class that leaves something behind for the next one: a child process (an ffmpeg orphaned by its
 * shell, an Icecast), a node thread still running in the test JVM, or a network namespace of ours. What it finds
 * is killed or deleted first (only this JVM's: another test run on the machine is left alone), so one leaking class
 * fails alone instead of loading the machine under the classes
 * after it (a CPU-starved receiver is how a multicast test came to lose frames in CI).
 *
 * <p>Registered for every class of this module through {@code META-INF/services} and JUnit's extension
 * auto-detection ({@code junit-platform.properties}).
 */
public final class LeftoverCheck implements AfterAllCallback
{
    /** Threads our nodes start are named {@code seamcast-…}; Netty's event loops wind down within seconds. */
    private static final String THREAD_PREFIX = "seamcast-";


    private static final Duration WIND_DOWN = Duration.ofSeconds(15);

    @Override
    public void afterAll(final ExtensionContext context)
    {
        final List<String> left = new ArrayList<>();
        for (final ProcessHandle child : ProcessHandle.current().descendants().toList())
        {
            final String command = child.info().commandLine().orElse("?");
            if (child.isAlive())
            {
                left.add("process " + child.pid() + ": " + command);
                child.destroyForcibly();
            }
        }
        try
        {
            await("threads of stopped nodes to end").atMost(WIND_DOWN).pollInterval(Duration.ofMillis(100))
                .until(() -> nodeThreads().isEmpty());
        }
        catch (final RuntimeException timedOut)
        {
            nodeThreads().forEach(thread -> left.add("thread " + thread.getName() + " " + thread.getState()));
        }
        for (final String namespace : namespaces())
        {
            left.add("network namespace " + namespace);
            Command.run(List.of("ip", "netns", "delete", namespace));
        }
        if (!left.isEmpty())
        {
            throw new AssertionError(context.getDisplayName() + " left behind (now removed):\n  "
                + String.join("\n  ", left));
        }
    }

    private static List<Thread> nodeThreads()
    {
        final List<Thread> threads = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.isAlive() && thread.getName().startsWith(THREAD_PREFIX))
            {
                threads.add(thread);
            }
        }
        return threads;
    }

    private static List<String> namespaces()
    {
        final Command list = Command.run(List.of("ip", "netns", "list"));
        final List<String> ours = new ArrayList<>();
        if (list.exitCode() != 0)
        {
            return ours;
        }
        for (final String line : list.stdout().split("\n"))
        {
            final String name = line.trim().split("\\s+")[0];
            if (name.startsWith(NetworkNamespace.namePrefix()))
            {
                ours.add(name);
            }
        }
        return ours;
    }
}
