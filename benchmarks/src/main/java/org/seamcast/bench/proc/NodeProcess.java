package org.seamcast.bench.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One process the benchmarks started (a node, Icecast, ffmpeg, a load process), with its output in a log file of
 * its own. Closing it ends it and whatever it started: SIGTERM, then SIGKILL after {@link #TERM_GRACE_MS}.
 */
final class NodeProcess implements AutoCloseable
{
    static final long TERM_GRACE_MS = 5_000;
    private static final int LOG_TAIL_LINES = 20;

    private final String name;
    private final Process process;
    private final Path log;

    private NodeProcess(final String name, final Process process, final Path log)
    {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} with {@code environment} added to this process's, stdout and stderr to {@code log};
     * stdin stays a pipe, so a load process that reads it sees its end when this JVM dies.
     */
    static NodeProcess start(
        final String name, final List<String> command, final Map<String, String> environment, final Path log)
    {
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try
        {
            return new NodeProcess(name, builder.start(), log);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot start " + name + " (" + command.get(0) + "): " + ex.getMessage(),
                ex);
        }
    }

    String name()
    {
        return name;
    }

    long pid()
    {
        return process.pid();
    }

    Process process()
    {
        return process;
    }

    /**
     * The pid of the process doing the work: this one, or its only child when it is a wrapper such as
     * {@code runuser}.
     */
    long workerPid()
    {
        return process.toHandle().children().findFirst().map(ProcessHandle::pid).orElse(process.pid());
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    Path log()
    {
        return log;
    }

    /**
     * The last lines of its log, to say why it failed.
     */
    String logTail()
    {
        try
        {
            final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        }
        catch (final IOException | UncheckedIOException ex)
        {
            return "(no log: " + ex.getMessage() + ")";
        }
    }

    /**
     * Throws, with the end of its log, when it has exited.
     */
    void checkAlive()
    {
        if (!process.isAlive())
        {
            throw new IllegalStateException(name + " exited with status " + process.exitValue() + "; the end of "
                + log + ":\n" + logTail());
        }
    }

    @Override
    public void close()
    {
        final List<ProcessHandle> all = new ArrayList<>(process.toHandle().descendants().toList());
        all.add(process.toHandle());
        for (final ProcessHandle handle : all)
        {
            handle.destroy();
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TERM_GRACE_MS);
        for (final ProcessHandle handle : all)
        {
            final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
            try
            {
                handle.onExit().get(Math.max(1, leftMs), TimeUnit.MILLISECONDS);
            }
            catch (final Exception ex)
            {
                handle.destroyForcibly();
            }
        }
    }

    @Override
    public String toString()
    {
        return name + " (pid " + process.pid() + ")";
    }
}
