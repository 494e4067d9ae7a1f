package org.seamcast.bench.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of the JVM's threads, grouped by thread name prefix (a node's duty agent and I/O threads are named
 * after the node), and of the whole process (which adds GC and JIT threads the thread bean does not list).
 */
final class ThreadCpuSampler
{
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
    private final String[][] groups;

    /**
     * @param groups for each group, the thread name prefixes that belong to it; a thread in none is "other".
     */
    ThreadCpuSampler(final String[][] groups)
    {
        if (!threads.isThreadCpuTimeSupported())
        {
            throw new IllegalStateException("this JVM cannot measure per-thread CPU time");
        }
        threads.setThreadCpuTimeEnabled(true);
        this.groups = groups;
    }

    Sample sample()
    {
        final long[] ids = threads.getAllThreadIds();
        final ThreadInfo[] infos = threads.getThreadInfo(ids);
        final Map<Long, Long> cpuNsById = new HashMap<>();
        final Map<Long, Integer> groupById = new HashMap<>();
        final Map<Long, String> nameById = new HashMap<>();
        for (int i = 0; i < ids.length; i++)
        {
            final long cpuNs = threads.getThreadCpuTime(ids[i]);
            if (infos[i] != null && cpuNs >= 0)
            {
                cpuNsById.put(ids[i], cpuNs);
                groupById.put(ids[i], LoadArithmetic.groupOf(infos[i].getThreadName(), groups));
                nameById.put(ids[i], infos[i].getThreadName());
            }
        }
        return new Sample(System.nanoTime(), os.getProcessCpuTime(), cpuNsById, groupById, nameById);
    }

    /**
     * CPU ns per group (index {@code groups.length} is "other") between two samples; a thread started in between
     * counts from zero, a thread that ended in between is lost (none of the measured ones does).
     */
    long[] groupCpuNs(final Sample from, final Sample to)
    {
        final long[] cpuNs = new long[groups.length + 1];
        for (final Map.Entry<Long, Long> entry : to.cpuNsById.entrySet())
        {
            final long before = from.cpuNsById.getOrDefault(entry.getKey(), 0L);
            cpuNs[to.groupById.get(entry.getKey())] += entry.getValue() - before;
        }
        return cpuNs;
    }

    /**
     * CPU ns per thread name between two samples, for the breakdown of a group into its threads.
     */
    static Map<String, Long> threadCpuNs(final Sample from, final Sample to)
    {
        final Map<String, Long> cpuNs = new TreeMap<>();
        for (final Map.Entry<Long, Long> entry : to.cpuNsById.entrySet())
        {
            final long before = from.cpuNsById.getOrDefault(entry.getKey(), 0L);
            cpuNs.merge(to.nameById.get(entry.getKey()), entry.getValue() - before, Long::sum);
        }
        return cpuNs;
    }

    /**
     * One look at every thread's CPU time and the process's.
     */
    record Sample(
        long nanoTime,
        long processCpuNs,
        Map<Long, Long> cpuNsById,
        Map<Long, Integer> groupById,
        Map<Long, String> nameById)
    {
    }
}
