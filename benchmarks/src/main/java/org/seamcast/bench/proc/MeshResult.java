package org.seamcast.bench.proc;

import org.seamcast.bench.load.LoadArithmetic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one {@link ProcessMeshBenchmark} run measured, and the figures made from it: per node CPU per copy (whole
 * window, and mean ± sd over slices), the same without its JIT compiler threads and their and its GC threads' share
 * of it, vCPU and RSS; the edge's missed playout slots, heap per mount and RSS; whether the load was what it claims
 * (the verdict).
 *
 * <p>The process CPU, JIT and GC included, stays the headline: it is what the node costs in the window. The JIT
 * compiler's part is shown apart because a node compiles its hot code once, in its first minutes, then runs for days.
 */
final class MeshResult
{
    static final double STEADY_MEAN_LATE_MS = 5.0;
    static final double STEADY_MAX_LATE_MS = 250.0;
    private static final double MIB = 1024.0 * 1024.0;

    final MeshOptions options;
    final String loadBefore;
    final String loadAfter;
    final long wallNs;
    final long[] relayCpuNs = new long[2];
    final ProcStat.CpuSplit[] relayCpu = new ProcStat.CpuSplit[2];
    final long[] relayIn = new long[2];
    final long[] relayOut = new long[2];
    final long[] relayRssBytes = new long[2];
    final long[] relayDrops = new long[2];
    final LoadArithmetic.Spread[] relaySpread = new LoadArithmetic.Spread[2];
    final long edgeCpuNs;
    final ProcStat.CpuSplit edgeCpu;
    final long edgeIn;
    final long edgePlayed;
    final long edgeFallbackFrames;
    final long edgeDrops;
    final long edgeRssBytes;
    final long edgeRssBaselineBytes;
    final long edgeHeapBaselineBytes;
    final long edgeHeapAfterBytes;
    final LoadArithmetic.Spread edgeSpread;
    final Map<String, Long> missed = new LinkedHashMap<>();
    final Map<String, Long> drops = new LinkedHashMap<>();
    final long loadgenCpuNs;
    final long sent;
    final long refused;
    final double meanLateMs;
    final double maxLateMs;
    final JitSettle.Outcome jitSettle;
    final Map<String, Path> profiles;
    final Path out;

    MeshResult(
        final MeshOptions options,
        final String loadBefore,
        final String loadAfter,
        final List<ProcessMeshBenchmark.Snapshot> snapshots,
        final Metrics edgeBefore,
        final Metrics edgeAfter,
        final List<LoadgenStatus> loadgenLines,
        final long edgeHeapBaselineBytes,
        final long edgeHeapAfterBytes,
        final long edgeRssBaselineBytes,
        final JitSettle.Outcome jitSettle,
        final Map<String, Path> profiles,
        final Path out)
    {
        this.options = options;
        this.jitSettle = jitSettle;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.profiles = profiles;
        this.out = out;
        final ProcessMeshBenchmark.Snapshot first = snapshots.get(0);
        final ProcessMeshBenchmark.Snapshot last = snapshots.get(snapshots.size() - 1);
        wallNs = last.processes().get(ProcessMeshBenchmark.EDGE_NAME)
            .wallNsSince(first.processes().get(ProcessMeshBenchmark.EDGE_NAME));
        final int slices = snapshots.size() - 1;
        final double[][] relaySlices = new double[2][slices];
        final double[] edgeSlices = new double[slices];
        for (int s = 1; s <= slices; s++)
        {
            final ProcessMeshBenchmark.Snapshot a = snapshots.get(s - 1);
            final ProcessMeshBenchmark.Snapshot b = snapshots.get(s);
            long copiesToEdge = 0;
            for (int r = 0; r < 2; r++)
            {
                final String name = ProcessMeshBenchmark.RELAY_NAMES[r];
                relaySlices[r][s - 1] = LoadArithmetic.microsPerCopy(cpuNs(a, b, name),
                    delta(a.relays().get(r), b.relays().get(r), "seamcast_relay_frames_in_total"));
                copiesToEdge += delta(a.relays().get(r), b.relays().get(r), "seamcast_relay_frames_out_total");
            }
            edgeSlices[s - 1] = LoadArithmetic.microsPerCopy(cpuNs(a, b, ProcessMeshBenchmark.EDGE_NAME),
                copiesToEdge);
        }
        for (int r = 0; r < 2; r++)
        {
            final String name = ProcessMeshBenchmark.RELAY_NAMES[r];
            final Metrics before = first.relays().get(r);
            final Metrics after = last.relays().get(r);
            relayCpuNs[r] = cpuNs(first, last, name);
            relayCpu[r] = cpuSplit(first, last, name);
            relayIn[r] = delta(before, after, "seamcast_relay_frames_in_total");
            relayOut[r] = delta(before, after, "seamcast_relay_frames_out_total");
            relayDrops[r] = delta(before, after, "seamcast_relay_drops_total")
                + delta(before, after, "seamcast_link_drops_total");
            relayRssBytes[r] = last.processes().get(name).rssBytes();
            for (final String counter : List.of("seamcast_relay_drops_total", "seamcast_link_drops_total"))
            {
                after.changedSince(before, counter).forEach((labels, n) -> drops.put(name + " " + counter + labels, n));
            }
            relaySpread[r] = LoadArithmetic.spread(relaySlices[r]);
        }
        edgeCpuNs = cpuNs(first, last, ProcessMeshBenchmark.EDGE_NAME);
        edgeCpu = cpuSplit(first, last, ProcessMeshBenchmark.EDGE_NAME);
        edgeIn = delta(edgeBefore, edgeAfter, "seamcast_link_in_messages_total");
        edgePlayed = delta(edgeBefore, edgeAfter, "seamcast_edge_frames_played_total");
        edgeFallbackFrames = delta(edgeBefore, edgeAfter, "seamcast_edge_fallback_frames_total");
        edgeDrops = delta(edgeBefore, edgeAfter, "seamcast_edge_inbox_drops_total")
            + delta(edgeBefore, edgeAfter, "seamcast_link_drops_total");
        edgeAfter.changedSince(edgeBefore, "seamcast_link_drops_total")
            .forEach((labels, n) -> drops.put("edge seamcast_link_drops_total" + labels, n));
        edgeRssBytes = last.processes().get(ProcessMeshBenchmark.EDGE_NAME).rssBytes();
        this.edgeRssBaselineBytes = edgeRssBaselineBytes;
        this.edgeHeapBaselineBytes = edgeHeapBaselineBytes;
        this.edgeHeapAfterBytes = edgeHeapAfterBytes;
        edgeSpread = LoadArithmetic.spread(edgeSlices);
        for (final String event : ProcessMeshBenchmark.MISSED_SLOT_EVENTS)
        {
            final long count = Math.round(edgeAfter.sum("seamcast_edge_events_total", "event", event)
                - edgeBefore.sum("seamcast_edge_events_total", "event", event));
            if (count != 0)
            {
                missed.put(event, count);
            }
        }
        if (edgeFallbackFrames != 0)
        {
            missed.put("fallback frames", edgeFallbackFrames);
        }
        loadgenCpuNs = cpuNs(first, last, ProcessMeshBenchmark.LOADGEN_NAME);
        if (loadgenLines.size() >= 2)
        {
            final LoadgenStatus a = loadgenLines.get(0);
            final LoadgenStatus b = loadgenLines.get(loadgenLines.size() - 1);
            sent = b.sent() - a.sent();
            refused = b.refused() - a.refused();
            meanLateMs = sent == 0 ? Double.NaN : (b.lateNsTotal() - a.lateNsTotal()) / 1e6 / sent;
            long max = 0;
            for (final LoadgenStatus line : loadgenLines.subList(1, loadgenLines.size()))
            {
                max = Math.max(max, line.maxLateNs());
            }
            maxLateMs = max / 1e6;
        }
        else
        {
            sent = 0;
            refused = 0;
            meanLateMs = Double.NaN;
            maxLateMs = Double.NaN;
        }
    }

    private static long cpuNs(
        final ProcessMeshBenchmark.Snapshot a, final ProcessMeshBenchmark.Snapshot b, final String name)
    {
        return b.processes().get(name).cpuNsSince(a.processes().get(name));
    }

    private static ProcStat.CpuSplit cpuSplit(
        final ProcessMeshBenchmark.Snapshot a, final ProcessMeshBenchmark.Snapshot b, final String name)
    {
        return b.processes().get(name).cpuSplitSince(a.processes().get(name));
    }

    private static long delta(final Metrics before, final Metrics after, final String name)
    {
        return after.count(name) - before.count(name);
    }

    double vcpus(final long cpuNs)
    {
        return LoadArithmetic.vcpus(cpuNs, wallNs);
    }

    double perSecond(final long count)
    {
        return LoadArithmetic.perSecond(count, wallNs);
    }

    double relayMicrosPerCopy(final int relay)
    {
        return LoadArithmetic.microsPerCopy(relayCpuNs[relay], relayIn[relay]);
    }

    double edgeMicrosPerCopy()
    {
        return LoadArithmetic.microsPerCopy(edgeCpuNs, edgeIn);
    }

    /**
     * As {@link #relayMicrosPerCopy(int)}, without the relay's JIT compiler threads.
     */
    double relayMicrosPerCopyExclJit(final int relay)
    {
        return LoadArithmetic.microsPerCopy(relayCpu[relay].exclJitNs(), relayIn[relay]);
    }

    /**
     * As {@link #edgeMicrosPerCopy()}, without the edge's JIT compiler threads.
     */
    double edgeMicrosPerCopyExclJit()
    {
        return LoadArithmetic.microsPerCopy(edgeCpu.exclJitNs(), edgeIn);
    }

    /**
     * Heap the edge holds for its mounts: its live objects under load (jcmd's class histogram, after a full GC)
     * minus before any mount existed, per mount.
     */
    double edgeHeapKibPerMount()
    {
        return (edgeHeapAfterBytes - edgeHeapBaselineBytes) / 1024.0 / options.mounts;
    }

    double edgeRssGrowthKibPerMount()
    {
        return (edgeRssBytes - edgeRssBaselineBytes) / 1024.0 / options.mounts;
    }

    /**
     * "steady" when the load was what it claims (the generator kept real time, nothing dropped), otherwise why not.
     */
    String verdict()
    {
        final List<String> problems = new ArrayList<>();
        if (Double.isNaN(meanLateMs) || meanLateMs > STEADY_MEAN_LATE_MS)
        {
            problems.add(String.format(Locale.ROOT, "load generator %.1f ms late on average", meanLateMs));
        }
        if (Double.isNaN(maxLateMs) || maxLateMs > STEADY_MAX_LATE_MS)
        {
            problems.add(String.format(Locale.ROOT, "load generator %.0f ms late at most", maxLateMs));
        }
        if (refused > 0)
        {
            problems.add(refused + " sends refused by the load generator's links");
        }
        for (int r = 0; r < 2; r++)
        {
            if (relayDrops[r] > 0)
            {
                problems.add(ProcessMeshBenchmark.RELAY_NAMES[r] + " dropped " + relayDrops[r]);
            }
        }
        if (edgeDrops > 0)
        {
            problems.add("edge dropped " + edgeDrops);
        }
        return problems.isEmpty() ? "steady" : "NOT steady: " + String.join("; ", problems);
    }

    /**
     * "none", or each missed-slot event of the window with its count.
     */
    String misses()
    {
        if (missed.isEmpty())
        {
            return "none";
        }
        final List<String> parts = new ArrayList<>();
        missed.forEach((event, count) -> parts.add(event + " " + count));
        return "MISSED: " + String.join(", ", parts);
    }

    String table()
    {
        final StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Seamcast mesh, separate processes: %d mounts x 2 encoders x 2 relays "
            + "over %s, edge D = %d ms%n", options.mounts, options.transport, options.playoutDelayMs));
        text.append(String.format(Locale.ROOT, "options: %s; logs in %s%n", options.describe(), out));
        text.append(String.format(Locale.ROOT, "window %.1f s; load average %s before, %s after%n", wallNs / 1e9,
            loadBefore, loadAfter));
        text.append(String.format(Locale.ROOT, "load generator: %.0f frames/s per relay (expected %.0f), %.2f ms late "
            + "on average, %.1f ms at most, %d refused, %.3f vCPU%n", perSecond(sent),
            ProcessMeshBenchmark.expectedCopiesPerSecondPerRelay(options.mounts), meanLateMs, maxLateMs, refused,
            vcpus(loadgenCpuNs)));
        text.append("verdict: ").append(verdict()).append('\n');
        text.append("missed playout slots in the window: ").append(misses()).append('\n');
        drops.forEach((what, n) -> text.append("  dropped: ").append(what).append(' ').append(n).append('\n'));
        if (jitSettle.asked())
        {
            text.append(jitSettle.describe()).append('\n');
        }
        text.append(String.format(Locale.ROOT, "%n%-8s %7s %10s %10s %8s %22s %10s %6s %6s %9s%n", "process", "vCPU",
            "copies/s", "out/s", "drops", "us CPU/copy [slices]", "excl. JIT", "JIT %", "GC %", "RSS MiB"));
        for (int r = 0; r < 2; r++)
        {
            text.append(String.format(Locale.ROOT, "%-8s %7.3f %10.0f %10.0f %8d %22s %10.2f %6.1f %6.1f %9.1f%n",
                ProcessMeshBenchmark.RELAY_NAMES[r], vcpus(relayCpuNs[r]), perSecond(relayIn[r]),
                perSecond(relayOut[r]), relayDrops[r],
                String.format(Locale.ROOT, "%.2f [%s]", relayMicrosPerCopy(r), relaySpread[r].format(2)),
                relayMicrosPerCopyExclJit(r), relayCpu[r].jitPercent(), relayCpu[r].gcPercent(),
                relayRssBytes[r] / MIB));
        }
        text.append(String.format(Locale.ROOT, "%-8s %7.3f %10.0f %10.0f %8d %22s %10.2f %6.1f %6.1f %9.1f%n", "edge",
            vcpus(edgeCpuNs), perSecond(edgeIn), perSecond(edgePlayed), edgeDrops,
            String.format(Locale.ROOT, "%.2f [%s]", edgeMicrosPerCopy(), edgeSpread.format(2)),
            edgeMicrosPerCopyExclJit(), edgeCpu.jitPercent(), edgeCpu.gcPercent(), edgeRssBytes / MIB));
        text.append(String.format(Locale.ROOT, "(edge out/s = frames played; expected %.0f)%n",
            ProcessMeshBenchmark.expectedCopiesPerSecondPerRelay(options.mounts) / 2));
        text.append(SuiteReport.JIT_NOTE).append('\n');
        text.append(String.format(Locale.ROOT, "edge live heap: %.1f MiB with no mount, %.1f MiB loaded: %.0f KiB "
            + "per mount; RSS %.1f MiB before the load, %.1f MiB loaded (%.0f KiB more per mount)%n",
            edgeHeapBaselineBytes / MIB, edgeHeapAfterBytes / MIB, edgeHeapKibPerMount(), edgeRssBaselineBytes / MIB,
            edgeRssBytes / MIB, edgeRssGrowthKibPerMount()));
        profiles.forEach((name, path) -> text.append("profile ").append(name).append(": ").append(path).append('\n'));
        return text.toString();
    }
}
