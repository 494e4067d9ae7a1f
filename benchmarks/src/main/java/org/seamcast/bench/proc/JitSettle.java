package org.seamcast.bench.proc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code --settle-jit}: after the warm-up, wait until the nodes' JIT compiler threads are quiet before the window
 * starts. A node that runs for days compiles its hot code once; a window that starts while it still compiles
 * charges that to every copy. Quiet is judged against what the nodes do, not only against a core: an edge playing one
 * mount uses about 1 % of a core, so 2 % of a core of compiling is most of its CPU, where it is a few per cent of a
 * loaded mesh's. The wait is bounded ({@link #MAX_WAIT_MS}) and reported, and so is what the compiler threads still
 * used at its end: a window that starts unsettled says so.
 */
final class JitSettle
{
    /** Quiet: the compiler threads of all the nodes together used less than this share of one CPU ... */
    static final double QUIET_PERCENT_OF_CORE = 2.0;
    /** ... and less than this share of the nodes' own CPU ... */
    static final double QUIET_PERCENT_OF_NODES = 10.0;
    /** ... over this long. */
    static final long LOOK_BACK_MS = 5_000;
    static final long MAX_WAIT_MS = 300_000;
    private static final long POLL_MS = 1_000;

    private JitSettle()
    {
    }

    /**
     * How the wait went.
     *
     * @param asked             whether {@code --settle-jit} was given; when not, nothing was waited for.
     * @param waitedNs          how long the window waited after the warm-up.
     * @param settled           whether the compiler threads went quiet within {@link #MAX_WAIT_MS}.
     * @param jitPercentOfCore  what they used over the last {@link #LOOK_BACK_MS} of the wait, % of one CPU.
     * @param jitPercentOfNodes the same, % of the nodes' CPU.
     */
    record Outcome(boolean asked, long waitedNs, boolean settled, double jitPercentOfCore, double jitPercentOfNodes)
    {
        static final Outcome NOT_ASKED = new Outcome(false, 0, false, Double.NaN, Double.NaN);

        /**
         * "" when not asked, else the wait in a few words.
         */
        String describe()
        {
            if (!asked)
            {
                return "";
            }
            return String.format(Locale.ROOT, "JIT %s after %.0f s more (compiler threads %.1f %% of a core, %.0f %% "
                + "of the nodes' CPU over the last %d s)", settled ? "settled" : "NOT settled", waitedNs / 1e9,
                jitPercentOfCore, jitPercentOfNodes, TimeUnit.MILLISECONDS.toSeconds(LOOK_BACK_MS));
        }
    }

    /**
     * Looks at the nodes' compiler threads every second until, over the last {@link #LOOK_BACK_MS}, they used less
     * than {@link #QUIET_PERCENT_OF_CORE} of one CPU and less than {@link #QUIET_PERCENT_OF_NODES} of the nodes' CPU
     * together, or {@link #MAX_WAIT_MS} has passed.
     *
     * @param nodes    the processes whose compiler threads must be quiet.
     * @param mustLive the processes that must stay alive meanwhile.
     * @param scrape   run at every look: what the window will ask the nodes (their {@code /metrics}), so the code
     *                 that answers is compiled before the window, as in a node a monitoring server scrapes all along.
     */
    static Outcome await(final List<NodeProcess> nodes, final List<NodeProcess> mustLive, final Runnable scrape)
    {
        final long lookBackNs = TimeUnit.MILLISECONDS.toNanos(LOOK_BACK_MS);
        final long startNs = System.nanoTime();
        final ArrayDeque<List<ProcStat.Sample>> looks = new ArrayDeque<>();
        looks.addLast(look(nodes));
        while (true)
        {
            Await.sleepMs(POLL_MS, mustLive);
            scrape.run();
            final List<ProcStat.Sample> newest = look(nodes);
            looks.addLast(newest);
            while (looks.size() > 2 && ageNs(secondOldest(looks), newest) >= lookBackNs)
            {
                looks.removeFirst();
            }
            final long waitedNs = System.nanoTime() - startNs;
            if (ageNs(looks.getFirst(), newest) >= lookBackNs)
            {
                final double percent = jitPercentOfCore(looks.getFirst(), newest);
                final double ofNodes = jitPercentOfNodes(looks.getFirst(), newest);
                if (isQuiet(percent, ofNodes))
                {
                    return new Outcome(true, waitedNs, true, percent, ofNodes);
                }
                if (waitedNs >= TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MS))
                {
                    return new Outcome(true, waitedNs, false, percent, ofNodes);
                }
            }
        }
    }

    /**
     * @param jitPercentOfCore  the compiler threads' CPU, % of one CPU.
     * @param jitPercentOfNodes the same, % of the nodes' own CPU (compiling included).
     * @return whether that is quiet enough for a window to start.
     */
    static boolean isQuiet(final double jitPercentOfCore, final double jitPercentOfNodes)
    {
        return jitPercentOfCore < QUIET_PERCENT_OF_CORE && jitPercentOfNodes < QUIET_PERCENT_OF_NODES;
    }

    /**
     * What the compiler threads of all the nodes used together between two looks at them, % of all the nodes' CPU
     * (their compiler threads' included) between the same looks.
     */
    static double jitPercentOfNodes(final List<ProcStat.Sample> before, final List<ProcStat.Sample> after)
    {
        long jitNs = 0;
        long cpuNs = 0;
        for (int i = 0; i < after.size(); i++)
        {
            jitNs += after.get(i).cpuNsSince(before.get(i), ProcStat.ThreadKind.JIT);
            cpuNs += after.get(i).cpuNsSince(before.get(i));
        }
        return cpuNs <= 0 ? 0.0 : 100.0 * jitNs / cpuNs;
    }

    /**
     * What the compiler threads of all the nodes used together between two looks at them (the same nodes in the
     * same order), % of one CPU over the wall-clock time between the looks at the first node.
     */
    static double jitPercentOfCore(final List<ProcStat.Sample> before, final List<ProcStat.Sample> after)
    {
        long jitNs = 0;
        for (int i = 0; i < after.size(); i++)
        {
            jitNs += after.get(i).cpuNsSince(before.get(i), ProcStat.ThreadKind.JIT);
        }
        final long wallNs = ageNs(before, after);
        return wallNs <= 0 ? Double.NaN : 100.0 * jitNs / wallNs;
    }

    private static List<ProcStat.Sample> look(final List<NodeProcess> nodes)
    {
        final List<ProcStat.Sample> samples = new ArrayList<>(nodes.size());
        for (final NodeProcess node : nodes)
        {
            samples.add(ProcStat.sample(node.pid()));
        }
        return samples;
    }

    private static List<ProcStat.Sample> secondOldest(final ArrayDeque<List<ProcStat.Sample>> looks)
    {
        final Iterator<List<ProcStat.Sample>> iterator = looks.iterator();
        iterator.next();
        return iterator.next();
    }

    private static long ageNs(final List<ProcStat.Sample> before, final List<ProcStat.Sample> after)
    {
        return after.get(0).wallNsSince(before.get(0));
    }
}
