package org.seamcast.bench.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What Linux says about one process: its CPU time (user + system, {@code /proc/PID/stat} fields 14 and 15, every
 * thread of it, so GC and JIT count) and its resident memory ({@code VmRSS} of {@code /proc/PID/status}).
 *
 * <p>CPU time is counted by the kernel in clock ticks ({@code getconf CLK_TCK}, 100 a second on Linux): a figure
 * is exact to one tick, 10 ms, whatever the window.
 */
final class ProcStat
{
    static final long CLOCK_TICKS_PER_SECOND = clockTicksPerSecond();
    private static final int UTIME_FIELD = 14;
    private static final int STIME_FIELD = 15;

    private ProcStat()
    {
    }

    /**
     * One look at a process.
     *
     * @param nanoTime  {@link System#nanoTime()} when it was taken.
     * @param cpuNs     user + system CPU of all its threads since it started.
     * @param rssBytes  resident set size now.
     */
    record Sample(long nanoTime, long cpuNs, long rssBytes)
    {
        long cpuNsSince(final Sample before)
        {
            return cpuNs - before.cpuNs;
        }

        long wallNsSince(final Sample before)
        {
            return nanoTime - before.nanoTime;
        }
    }

    /**
     * @throws IllegalStateException when the process is gone, naming it.
     */
    static Sample sample(final long pid)
    {
        try
        {
            return new Sample(System.nanoTime(), cpuNs(Files.readString(Path.of("/proc/" + pid + "/stat"),
                StandardCharsets.US_ASCII)), rssBytes(Files.readString(Path.of("/proc/" + pid + "/status"))));
        }
        catch (final NoSuchFileException ex)
        {
            throw new IllegalStateException("process " + pid + " has exited");
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read /proc/" + pid + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * utime + stime of a {@code /proc/PID/stat} line, in ns. The command name (field 2) is in parentheses and may
     * hold spaces, so fields are counted from the last ')'.
     */
    static long cpuNs(final String statLine)
    {
        final String[] rest = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split(" ");
        final long ticks = Long.parseLong(rest[UTIME_FIELD - 3]) + Long.parseLong(rest[STIME_FIELD - 3]);
        return ticks * TimeUnit.SECONDS.toNanos(1) / CLOCK_TICKS_PER_SECOND;
    }

    /**
     * VmRSS of a {@code /proc/PID/status} text in bytes, or -1 when it has none (a zombie).
     */
    static long rssBytes(final String status)
    {
        for (final String line : status.split("\n"))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1_024L;
            }
        }
        return -1;
    }

    /**
     * The load average line of {@code /proc/loadavg}: 1, 5 and 15 minutes.
     */
    static String loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }

    private static long clockTicksPerSecond()
    {
        try
        {
            final Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            final String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
        }
        catch (final IOException | NumberFormatException ex)
        {
            return 100;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
