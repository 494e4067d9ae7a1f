package org.seamcast.bench.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What Linux says about one process: its CPU time (user + system, {@code /proc/PID/stat} fields 14 and 15, every
 * thread of it, so GC and JIT count) and its resident memory ({@code VmRSS} of {@code /proc/PID/status}); and,
 * apart, the CPU time of its JVM's JIT compiler and GC threads ({@code /proc/PID/task/TID/stat}), so a figure can
 * say how much of the process's CPU was compiling code, which ends after warm-up, and collecting garbage, which does
 * not.
 *
 * <p>CPU time is counted by the kernel in clock ticks ({@code getconf CLK_TCK}, 100 a second on Linux): a figure
 * is exact to one tick, 10 ms, whatever the window.
 */
final class ProcStat
{
    static final long CLOCK_TICKS_PER_SECOND = clockTicksPerSecond();
    private static final int UTIME_FIELD = 14;
    private static final int STIME_FIELD = 15;
    private static final String[] JIT_THREAD_PREFIXES = {"C1 CompilerThre", "C2 CompilerThre"};
    private static final String[] GC_THREAD_PREFIXES = {"G1 ", "GC Thread"};

    private ProcStat()
    {
    }

    /**
     * What a thread of a JVM does, told by its name as the kernel keeps it ({@code comm}, cut to 15 characters):
     * HotSpot 17 names its compiler threads "C1 CompilerThread0", "C2 CompilerThread0" ..., and its G1 threads
     * "GC Thread#0", "G1 Main Marker", "G1 Conc#0", "G1 Refine#0", "G1 Service".
     */
    enum ThreadKind
    {
        /** A JIT compiler thread: its CPU is warm-up, it ends once the hot code is compiled. */
        JIT,
        /** A garbage collector thread: its CPU goes on as long as the load does. */
        GC,
        /** Everything else: the node's own threads, the VM thread, the I/O threads. */
        OTHER;

        static ThreadKind of(final String comm)
        {
            if (startsWithAny(comm, JIT_THREAD_PREFIXES))
            {
                return JIT;
            }
            return startsWithAny(comm, GC_THREAD_PREFIXES) ? GC : OTHER;
        }

        private static boolean startsWithAny(final String text, final String[] prefixes)
        {
            for (final String prefix : prefixes)
            {
                if (text.startsWith(prefix))
                {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * User + system CPU of one thread since it started.
     *
     * @param tid   its thread id, the name of its {@code /proc/PID/task} directory.
     * @param kind  what it does, from its name.
     * @param cpuNs its CPU since it started.
     */
    record ThreadCpu(long tid, ThreadKind kind, long cpuNs)
    {
    }

    /**
     * One look at a process.
     *
     * @param nanoTime  {@link System#nanoTime()} when it was taken.
     * @param cpuNs     user + system CPU of all its threads since it started.
     * @param rssBytes  resident set size now.
     * @param threads   its JIT compiler and GC threads alive then, with their CPU; its other threads are not kept.
     */
    record Sample(long nanoTime, long cpuNs, long rssBytes, List<ThreadCpu> threads)
    {
        long cpuNsSince(final Sample before)
        {
            return cpuNs - before.cpuNs;
        }

        long wallNsSince(final Sample before)
        {
            return nanoTime - before.nanoTime;
        }

        /**
         * CPU of the threads of {@code kind} since {@code before}, thread by thread: a thread started in between
         * counts from zero, and one that ended in between is lost, since the kernel keeps no figure for it (HotSpot
         * ends a compiler thread it no longer needs, but never the first C1 and C2 ones); so this is never more than
         * those threads used.
         */
        long cpuNsSince(final Sample before, final ThreadKind kind)
        {
            long sum = 0;
            for (final ThreadCpu thread : threads)
            {
                if (thread.kind() == kind)
                {
                    final long earlier = before.threadCpuNs(thread.tid(), kind);
                    sum += earlier <= thread.cpuNs() ? thread.cpuNs() - earlier : thread.cpuNs();
                }
            }
            return sum;
        }

        /**
         * The process's CPU since {@code before}, with its JIT and GC threads' share of it.
         */
        CpuSplit cpuSplitSince(final Sample before)
        {
            return new CpuSplit(cpuNsSince(before), cpuNsSince(before, ThreadKind.JIT),
                cpuNsSince(before, ThreadKind.GC));
        }

        private long threadCpuNs(final long tid, final ThreadKind kind)
        {
            for (final ThreadCpu thread : threads)
            {
                if (thread.tid() == tid && thread.kind() == kind)
                {
                    return thread.cpuNs();
                }
            }
            return 0;
        }
    }

    /**
     * A process's CPU over a window, and how much of it its JIT compiler threads and its GC threads used.
     *
     * @param totalNs user + system CPU of every thread: the headline figure.
     * @param jitNs   of that, the JIT compiler threads'.
     * @param gcNs    of that, the GC threads'.
     */
    record CpuSplit(long totalNs, long jitNs, long gcNs)
    {
        /**
         * The CPU without the JIT compiler threads: what the process costs once its code is compiled. Never below
         * zero, though the threads are read a moment after the process.
         */
        long exclJitNs()
        {
            return Math.max(0, totalNs - jitNs);
        }

        double jitPercent()
        {
            return percentOfTotal(jitNs);
        }

        double gcPercent()
        {
            return percentOfTotal(gcNs);
        }

        private double percentOfTotal(final long ns)
        {
            return totalNs <= 0 ? Double.NaN : 100.0 * ns / totalNs;
        }
    }

    /**
     * @throws IllegalStateException when the process is gone, naming it.
     */
    static Sample sample(final long pid)
    {
        final Path dir = Path.of("/proc/" + pid);
        try
        {
            final long nanoTime = System.nanoTime();
            final long cpuNs = cpuNs(Files.readString(dir.resolve("stat"), StandardCharsets.US_ASCII));
            final List<ThreadCpu> threads = jitAndGcThreads(dir.resolve("task"));
            return new Sample(nanoTime, cpuNs, rssBytes(Files.readString(dir.resolve("status"))), threads);
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
     * The JIT compiler and GC threads under {@code /proc/PID/task}; a thread that ends between the listing and the
     * reading of its stat is left out.
     */
    private static List<ThreadCpu> jitAndGcThreads(final Path taskDir) throws IOException
    {
        final List<ThreadCpu> threads = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(taskDir))
        {
            for (final Path task : tasks)
            {
                final String statLine = readIfThere(task.resolve("stat"));
                if (statLine != null)
                {
                    final ThreadCpu thread = thread(statLine);
                    if (thread.kind() != ThreadKind.OTHER)
                    {
                        threads.add(thread);
                    }
                }
            }
        }
        catch (final DirectoryIteratorException ex)
        {
            throw ex.getCause();
        }
        return threads;
    }

    /**
     * The text of a file of a thread's {@code /proc} directory, or null when the thread has ended: the kernel says
     * "no such file" or, when it ended while being read, "no such process".
     */
    private static String readIfThere(final Path file) throws IOException
    {
        try
        {
            return Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final IOException ex)
        {
            if (Files.exists(file.getParent()))
            {
                throw ex;
            }
            return null;
        }
    }

    /**
     * The thread of a {@code /proc/PID/task/TID/stat} line: its id (field 1), what it does from its name (field 2,
     * in parentheses, which may itself hold spaces and parentheses) and its utime + stime.
     */
    static ThreadCpu thread(final String statLine)
    {
        final int open = statLine.indexOf('(');
        final int close = statLine.lastIndexOf(')');
        return new ThreadCpu(Long.parseLong(statLine.substring(0, open).trim()),
            ThreadKind.of(statLine.substring(open + 1, close)), cpuNs(statLine));
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
