package org.seamcast.bench.proc;

import org.seamcast.bench.load.LoadArithmetic;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What one {@link ListenerBenchmark} run measured: each server's idle cost with one mount and no listener, and per
 * step its CPU per listener-second, both as a whole (CPU / (listeners x seconds)) and above its idle cost, its RSS,
 * and whether every listener kept up. The edge's figures come also without its JVM's JIT compiler threads, with their
 * and its GC threads' share of its CPU: compiling is part of a short window but ends after warm-up. icecast2 is C,
 * with neither.
 */
final class ListenerResult
{
    private static final double MIB = 1024.0 * 1024.0;

    final ListenerOptions options;
    final Path out;
    final Idle idle;
    final List<Step> steps;
    final String edgeUrl;
    final String icecastUrl;

    ListenerResult(
        final ListenerOptions options, final Path out, final Idle idle, final List<Step> steps, final String edgeUrl,
        final String icecastUrl)
    {
        this.options = options;
        this.out = out;
        this.idle = idle;
        this.steps = steps;
        this.edgeUrl = edgeUrl;
        this.icecastUrl = icecastUrl;
    }

    /**
     * Both servers with their one mount playing and nobody listening.
     */
    record Idle(long wallNs, ProcStat.CpuSplit edgeCpu, long icecastCpuNs, long edgeRssBytes, long icecastRssBytes,
        String loadBefore, String loadAfter, JitSettle.Outcome settle)
    {
        long edgeCpuNs()
        {
            return edgeCpu.totalNs();
        }

        double edgePercentOfCore()
        {
            return 100.0 * LoadArithmetic.vcpus(edgeCpuNs(), wallNs);
        }

        double edgePercentOfCoreExclJit()
        {
            return 100.0 * LoadArithmetic.vcpus(edgeCpu.exclJitNs(), wallNs);
        }

        double icecastPercentOfCore()
        {
            return 100.0 * LoadArithmetic.vcpus(icecastCpuNs, wallNs);
        }
    }

    /**
     * One listener count, the same on both servers.
     */
    record Step(int listeners, long wallNs, ProcStat.CpuSplit edgeCpu, long icecastCpuNs, long loadCpuNs,
        long edgeRssBytes, long icecastRssBytes, ListenerMark edgeMark, ListenerMark icecastMark, String loadBefore,
        String loadAfter, JitSettle.Outcome settle)
    {
        long edgeCpuNs()
        {
            return edgeCpu.totalNs();
        }

        double listenerSeconds()
        {
            return listeners * (wallNs / 1e9);
        }

        static double microsPerListenerSecond(final long cpuNs, final double listenerSeconds)
        {
            return cpuNs / 1_000.0 / listenerSeconds;
        }

        double edgeMicros()
        {
            return microsPerListenerSecond(edgeCpuNs(), listenerSeconds());
        }

        /**
         * As {@link #edgeMicros()}, without the edge's JIT compiler threads.
         */
        double edgeMicrosExclJit()
        {
            return microsPerListenerSecond(edgeCpu.exclJitNs(), listenerSeconds());
        }

        double icecastMicros()
        {
            return microsPerListenerSecond(icecastCpuNs, listenerSeconds());
        }

        /**
         * Above the idle cost: (CPU - idle vCPU x window) per listener-second.
         */
        double edgeMarginalMicros(final Idle idle)
        {
            return microsPerListenerSecond(edgeCpuNs() - Math.round(idleVcpus(idle.edgeCpuNs(), idle) * wallNs),
                listenerSeconds());
        }

        /**
         * As {@link #edgeMarginalMicros(Idle)}, without the edge's JIT compiler threads, here and when idle.
         */
        double edgeMarginalMicrosExclJit(final Idle idle)
        {
            return microsPerListenerSecond(edgeCpu.exclJitNs()
                - Math.round(idleVcpus(idle.edgeCpu().exclJitNs(), idle) * wallNs), listenerSeconds());
        }

        double icecastMarginalMicros(final Idle idle)
        {
            return microsPerListenerSecond(icecastCpuNs - Math.round(idleVcpus(idle.icecastCpuNs, idle) * wallNs),
                listenerSeconds());
        }

        private static double idleVcpus(final long cpuNs, final Idle idle)
        {
            return LoadArithmetic.vcpus(cpuNs, idle.wallNs);
        }

        String keptUp(final ListenerMark mark)
        {
            return mark.keptUp(listeners) ? "all kept up"
                : String.format(Locale.ROOT, "NOT all kept up: %d open, %d below %.0f B/s, %d closed, %d not 200",
                    mark.open(), mark.below(), ListenerBenchmark.STREAM_BYTES_PER_SECOND * ListenerBenchmark.KEEP_UP_SHARE,
                    mark.closed(), mark.bad());
        }
    }

    String table()
    {
        final StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Listeners: edge (%s) against icecast2 (%s), one 128 kbit/s MP3 "
            + "stream; options %s; logs in %s%n", edgeUrl, icecastUrl, options.describe(), out));
        text.append(String.format(Locale.ROOT, "idle, one mount, no listener, %.1f s (load average %s -> %s): edge "
            + "%.2f %% of a core (%.2f excl. JIT; JIT %.1f %%, GC %.1f %% of its CPU), RSS %.1f MiB; icecast2 %.2f %% "
            + "of a core, RSS %.1f MiB %s%n", idle.wallNs() / 1e9, idle.loadBefore(), idle.loadAfter(),
            idle.edgePercentOfCore(), idle.edgePercentOfCoreExclJit(), idle.edgeCpu().jitPercent(),
            idle.edgeCpu().gcPercent(), idle.edgeRssBytes() / MIB, idle.icecastPercentOfCore(),
            idle.icecastRssBytes() / MIB, idle.settle().describe()));
        for (final Step step : steps)
        {
            text.append(String.format(Locale.ROOT, "%n%d listeners each, %.1f s (load average %s -> %s); listener "
                + "process %.3f vCPU %s%n", step.listeners(), step.wallNs() / 1e9, step.loadBefore(), step.loadAfter(),
                LoadArithmetic.vcpus(step.loadCpuNs(), step.wallNs()), step.settle().describe()));
            text.append(String.format(Locale.ROOT, "  edge:     %.3f vCPU, %.1f us CPU per listener-second (%.1f above "
                + "idle; excl. JIT %.1f (%.1f); JIT %.1f %%, GC %.1f %% of its CPU), RSS %.1f MiB, slowest listener "
                + "%.0f B/s, %s%n",
                LoadArithmetic.vcpus(step.edgeCpuNs(), step.wallNs()), step.edgeMicros(),
                step.edgeMarginalMicros(idle), step.edgeMicrosExclJit(), step.edgeMarginalMicrosExclJit(idle),
                step.edgeCpu().jitPercent(), step.edgeCpu().gcPercent(), step.edgeRssBytes() / MIB,
                step.edgeMark().minBytesPerSecond(), step.keptUp(step.edgeMark())));
            text.append(String.format(Locale.ROOT, "  icecast2: %.3f vCPU, %.1f us CPU per listener-second (%.1f above "
                + "idle), RSS %.1f MiB, slowest listener %.0f B/s, %s%n",
                LoadArithmetic.vcpus(step.icecastCpuNs(), step.wallNs()), step.icecastMicros(),
                step.icecastMarginalMicros(idle), step.icecastRssBytes() / MIB, step.icecastMark().minBytesPerSecond(),
                step.keptUp(step.icecastMark())));
        }
        return text.toString();
    }
}
