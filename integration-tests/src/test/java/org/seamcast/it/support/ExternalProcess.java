package org.seamcast.it.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child process a test starts (ffmpeg, icecast2, a seamcast node) with a bounded lifetime: closed by the test,
 * and killed by a shutdown hook if the test JVM ends first, so no server outlives its test.
 */
public final class ExternalProcess implements AutoCloseable
{
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static
    {
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            for (final Process process : LIVE)
            {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }, "kill-test-processes"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private ExternalProcess(final String name, final Process process, final Path log)
    {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command}, its stdout and stderr going to {@code log}.
     */
    public static ExternalProcess start(final String name, final List<String> command, final Path log)
    {
        return start(name, command, log, ProcessBuilder.Redirect.from(new File("/dev/null")));
    }

    /**
     * Starts {@code command} like {@link #start(String, List, Path)}, its stdin a pipe the caller writes to through
     * {@link Process#getOutputStream()} of {@link #process()}.
     */
    public static ExternalProcess startWithInput(final String name, final List<String> command, final Path log)
    {
        return start(name, command, log, ProcessBuilder.Redirect.PIPE);
    }

    private static ExternalProcess start(
        final String name, final List<String> command, final Path log, final ProcessBuilder.Redirect input)
    {
        requireTool(command.get(0));
        try
        {
            final Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(input)
                .start();
            LIVE.add(process);
            return new ExternalProcess(name, process, log);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot start " + name + ": " + command + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Fails with a clear message when a tool the test needs is not installed: such a test never skips.
     */
    public static void requireTool(final String tool)
    {
        if (tool.contains("/"))
        {
            if (!new File(tool).canExecute())
            {
                throw new IllegalStateException(tool + " is not installed; .ci/run installs it (apt-get install)");
            }
            return;
        }
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
        {
            if (new File(dir, tool).canExecute())
            {
                return;
            }
        }
        throw new IllegalStateException(tool + " is not on PATH; .ci/run installs it (apt-get install)");
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    public Process process()
    {
        return process;
    }

    public Path log()
    {
        return log;
    }

    /**
     * Kills the process at once (kill -9), as an operator proving failover would.
     */
    public void kill()
    {
        final List<ProcessHandle> tree = process.descendants().toList();
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        waitFor();
    }

    /**
     * Stops the process and everything it started: SIGTERM to the whole tree, then kill -9 to whatever is still
     * alive after five seconds. A shell pipeline's children ({@code tail | ffmpeg}) are signalled too, since a
     * shell that dies of SIGTERM leaves them running as orphans that load the machine for later tests.
     */
    @Override
    public void close()
    {
        final List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (final ProcessHandle handle : concat(process.toHandle(), tree))
        {
            try
            {
                handle.onExit().get(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (final TimeoutException | ExecutionException ex)
            {
                handle.destroyForcibly();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                handle.destroyForcibly();
            }
        }
        waitFor();
    }

    private static List<ProcessHandle> concat(final ProcessHandle first, final List<ProcessHandle> rest)
    {
        final List<ProcessHandle> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private void waitFor()
    {
        try
        {
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                throw new IllegalStateException(name + " did not die after kill -9");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(process);
    }

    @Override
    public String toString()
    {
        return name + " (pid " + process.pid() + ", log " + log + ")";
    }
}
