package org.seamcast.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A Seamcast node as operators run it: {@code java -jar seamcast.jar <subcommand> ...} in its own process, so a
 * test can kill it with {@code kill -9} and start it again.
 */
public final class SeamcastProcess implements AutoCloseable
{
    private final String name;
    private final List<String> args;
    private final Path log;
    private final NetworkNamespace namespace;
    private ExternalProcess process;

    private SeamcastProcess(final String name, final List<String> args, final Path log, final NetworkNamespace namespace)
    {
        this.name = name;
        this.args = args;
        this.log = log;
        this.namespace = namespace;
    }

    /**
     * Starts {@code seamcast args...}, logging to {@code dir/name.log}, and waits until {@code readyLine} appears
     * in the log.
     */
    public static SeamcastProcess start(final Path dir, final String name, final String readyLine, final String... args)
    {
        return startIn(null, dir, name, readyLine, args);
    }

    /**
     * As {@link #start}, inside {@code namespace} (none when null).
     */
    public static SeamcastProcess startIn(
        final NetworkNamespace namespace, final Path dir, final String name, final String readyLine,
        final String... args)
    {
        final SeamcastProcess node = new SeamcastProcess(name, List.of(args), dir.resolve(name + ".log"), namespace);
        node.launch(readyLine);
        return node;
    }

    private void launch(final String readyLine)
    {
        final String jar = System.getProperty("seamcast.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar)))
        {
            throw new IllegalStateException("seamcast.jar not found at " + jar
                + "; the integration tests run after `mvn verify` has packaged seamcast-cli");
        }
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(System.getProperty("seamcast.jvmArgs", "").trim().split("\\s+")));
        command.add("-Xmx256m");
        // Nodes run without Netty's leak detector unless asked; the tests ask.
        command.add("-Dio.netty.leakDetection.level=simple");
        // Collections and safepoints with their pauses, beside the node's log: what stalled a thread, if one was.
        final Path gcLog = log.resolveSibling(log.getFileName().toString().replaceFirst("\\.log$", "") + ".gc.log");
        command.add("-Xlog:gc,safepoint:file=" + gcLog + ":uptime,tags:filecount=0");
        command.add("-jar");
        command.add(jar);
        command.addAll(args);
        command.removeIf(String::isEmpty);
        try
        {
            final long now = System.currentTimeMillis();
            for (final Path previous : List.of(log, gcLog))
            {
                if (Files.exists(previous))
                {
                    Files.move(previous, previous.resolveSibling(previous.getFileName() + "." + now));
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
        process = ExternalProcess.start(name, namespace == null ? command : namespace.wrap(command), log);
        try
        {
            await(name + " ready (" + readyLine + ")").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !process.isAlive() || logContains(readyLine));
        }
        catch (final RuntimeException ex)
        {
            process.close();
            throw new IllegalStateException(name + " did not start: " + logText(), ex);
        }
        if (!process.isAlive())
        {
            throw new IllegalStateException(name + " exited at start: " + logText());
        }
    }

    private boolean logContains(final String text)
    {
        return logText().contains(text);
    }

    /**
     * What the node has printed so far.
     */
    public String logText()
    {
        try
        {
            return Files.exists(log) ? Files.readString(log) : "";
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    public boolean isAlive()
    {
        return process != null && process.isAlive();
    }

    /**
     * {@code kill -9}: no shutdown hook runs, sockets are reset by the kernel.
     */
    public void kill()
    {
        process.kill();
    }

    /**
     * Starts the same command again after a kill.
     */
    public void restart(final String readyLine)
    {
        launch(readyLine);
    }

    /**
     * SIGTERM, then the exit status (the node should close cleanly and exit 0).
     */
    public int terminate()
    {
        process.process().destroy();
        try
        {
            if (!process.process().waitFor(15, java.util.concurrent.TimeUnit.SECONDS))
            {
                process.kill();
                return -1;
            }
            return process.process().exitValue();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return -1;
        }
        finally
        {
            process.close();
        }
    }

    @Override
    public void close()
    {
        if (process != null)
        {
            process.close();
        }
    }

    @Override
    public String toString()
    {
        return name;
    }
}
