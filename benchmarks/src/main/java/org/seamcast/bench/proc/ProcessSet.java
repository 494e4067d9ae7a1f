package org.seamcast.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every process one benchmark run started, ended together when the run ends however it ends: on {@link #close()},
 * or from a shutdown hook when the JVM is interrupted. Each pid is also appended to a pid file, so
 * {@code scripts/benchmarks.sh} can end what is left should this JVM be killed outright.
 */
final class ProcessSet implements AutoCloseable
{
    private final Path dir;
    private final Path pidFile;
    private final List<NodeProcess> processes = new ArrayList<>();
    private final Thread hook = new Thread(this::closeAll, "seamcast-bench-cleanup");

    /**
     * @param dir where each process's log goes ({@code NAME.log}).
     */
    ProcessSet(final Path dir, final Path pidFile)
    {
        this.dir = dir;
        this.pidFile = pidFile;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    Path dir()
    {
        return dir;
    }

    NodeProcess start(final String name, final List<String> command)
    {
        return start(name, command, Map.of());
    }

    synchronized NodeProcess start(final String name, final List<String> command, final Map<String, String> env)
    {
        final NodeProcess process = NodeProcess.start(name, command, env, dir.resolve(name + ".log"));
        processes.add(process);
        if (pidFile != null)
        {
            try
            {
                Files.writeString(pidFile, process.pid() + " " + name + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            }
            catch (final IOException ex)
            {
                System.err.println("cannot record pid " + process.pid() + " in " + pidFile + ": " + ex.getMessage());
            }
        }
        return process;
    }

    /**
     * Ends one process before the others (a load process between two phases).
     */
    synchronized void stop(final NodeProcess process)
    {
        process.close();
        processes.remove(process);
    }

    private synchronized void closeAll()
    {
        for (int i = processes.size() - 1; i >= 0; i--)
        {
            processes.get(i).close();
        }
        processes.clear();
    }

    @Override
    public void close()
    {
        closeAll();
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ex)
        {
            // the JVM is already shutting down and the hook runs
        }
    }
}
