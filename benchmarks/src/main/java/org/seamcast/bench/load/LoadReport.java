package org.seamcast.bench.load;

import com.fasterxml.jackson.core.JsonGenerator;
import org.seamcast.transport.http.Json;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run of {@link MeshLoadHarness} measured: the nodes' counters and the thread groups' CPU over the window
 * and over each slice, and the table, JSON and verdict made from them.
 */
final class LoadReport
{
    static final String[] GROUP_NAMES = {"relay-a", "relay-b", "edge", "loadgen", "subscribers", "other"};
    static final int RELAY_A = 0;
    static final int RELAY_B = 1;
    static final int EDGE = 2;
    static final int LOADGEN = 3;
    static final int SUBSCRIBERS = 4;
    static final int OTHER = 5;
    private static final int FRACTION_DIGITS = 4;
    private static final double STEADY_MEAN_LATE_MS = 5.0;
    private static final double STEADY_MAX_LATE_MS = 250.0;

    private LoadReport()
    {
    }

    /**
     * The nodes' counters at one instant.
     */
    record Counts(
        long[] relayIn,
        long[] relayOut,
        long[] relayDrops,
        long edgeIn,
        long edgePlayed,
        long edgeDrops,
        long subscriberFrames,
        long framesSent,
        long sendsRefused,
        long sendLateNsTotal,
        Map<String, Long> details)
    {
        Counts minus(final Counts before)
        {
            final long[] in = new long[relayIn.length];
            final long[] out = new long[relayIn.length];
            final long[] drops = new long[relayIn.length];
            for (int r = 0; r < relayIn.length; r++)
            {
                in[r] = relayIn[r] - before.relayIn[r];
                out[r] = relayOut[r] - before.relayOut[r];
                drops[r] = relayDrops[r] - before.relayDrops[r];
            }
            final Map<String, Long> changed = new TreeMap<>();
            for (final Map.Entry<String, Long> entry : details.entrySet())
            {
                final long delta = entry.getValue() - before.details.getOrDefault(entry.getKey(), 0L);
                if (delta != 0)
                {
                    changed.put(entry.getKey(), delta);
                }
            }
            return new Counts(in, out, drops, edgeIn - before.edgeIn, edgePlayed - before.edgePlayed,
                edgeDrops - before.edgeDrops, subscriberFrames - before.subscriberFrames,
                framesSent - before.framesSent, sendsRefused - before.sendsRefused,
                sendLateNsTotal - before.sendLateNsTotal, changed);
        }
    }

    /**
     * CPU and counts over one interval (a slice, or the whole window).
     */
    record Figures(long wallNs, long[] groupCpuNs, long processCpuNs, Counts counts)
    {
        double relayMicrosPerCopyIn(final int relay)
        {
            return LoadArithmetic.microsPerCopy(groupCpuNs[relay], counts.relayIn()[relay]);
        }

        double relayMicrosPerCopyOut(final int relay)
        {
            return LoadArithmetic.microsPerCopy(groupCpuNs[relay], counts.relayOut()[relay]);
        }

        double edgeMicrosPerCopyIn()
        {
            return LoadArithmetic.microsPerCopy(groupCpuNs[EDGE], counts.edgeIn());
        }

        double meshMicrosPerCopyIn()
        {
            return LoadArithmetic.microsPerCopy(groupCpuNs[RELAY_A] + groupCpuNs[RELAY_B],
                counts.relayIn()[RELAY_A] + counts.relayIn()[RELAY_B]);
        }

        double vcpus(final int group)
        {
            return LoadArithmetic.vcpus(groupCpuNs[group], wallNs);
        }

        double processVcpus()
        {
            return LoadArithmetic.vcpus(processCpuNs, wallNs);
        }

        double perSecond(final long count)
        {
            return LoadArithmetic.perSecond(count, wallNs);
        }
    }

    /**
     * Everything one run measured, and its table and JSON.
     */
    record Result(
        LoadOptions options,
        String loadBefore,
        String loadAfter,
        Figures whole,
        List<Figures> slices,
        long edgeHeapBytes,
        long sendMaxLateNs,
        Map<String, Long> threadCpuNs)
    {
        private LoadArithmetic.Spread spread(final java.util.function.ToDoubleFunction<Figures> figure)
        {
            final double[] values = new double[slices.size()];
            for (int i = 0; i < values.length; i++)
            {
                values[i] = figure.applyAsDouble(slices.get(i));
            }
            return LoadArithmetic.spread(values);
        }

        String table()
        {
            final Counts c = whole.counts();
            final double seconds = whole.wallNs() / 1e9;
            final StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "Seamcast mesh load: %d mounts x 2 encoders x 2 relays over %s, "
                + "%d-byte frames every %.3f ms%n", options.mounts, options.udp ? "udp" : "tcp", options.payloadBytes,
                LoadArithmetic.MP3_FRAME_INTERVAL_NS / 1e6));
            out.append(String.format(Locale.ROOT, "options: %s%n", options.describe()));
            out.append(String.format(Locale.ROOT, "window %.1f s in %d slices; load average %s before, %s after; "
                + "%d CPUs; figures are whole-window value [mean ± sd over slices]%n", seconds, slices.size(),
                loadBefore, loadAfter, Runtime.getRuntime().availableProcessors()));
            out.append(String.format(Locale.ROOT, "expected frames per relay %.0f/s; sent %.0f/s, refused %d; "
                + "frames left %.2f ms after their due time on average, %.2f ms at most%n",
                LoadArithmetic.expectedFrames(options.mounts * 2, 1_000_000_000L, LoadArithmetic.MP3_FRAME_INTERVAL_NS),
                whole.perSecond(c.framesSent()), c.sendsRefused(),
                c.framesSent() == 0 ? Double.NaN : c.sendLateNsTotal() / 1e6 / c.framesSent(), sendMaxLateNs / 1e6));
            out.append(String.format(Locale.ROOT, "verdict: %s%n", verdict()));
            out.append(String.format(Locale.ROOT, "%n%-12s %8s %12s %12s %10s  %-22s %-22s%n",
                "threads", "vCPU", "in/s", "out/s", "drops", "us CPU/copy in", "us CPU/copy out"));
            for (final int r : new int[] {RELAY_A, RELAY_B})
            {
                final int relay = r;
                out.append(String.format(Locale.ROOT, "%-12s %8.3f %12.0f %12.0f %10d  %-22s %-22s%n",
                    GROUP_NAMES[r], whole.vcpus(r), whole.perSecond(c.relayIn()[r]), whole.perSecond(c.relayOut()[r]),
                    c.relayDrops()[r],
                    fmt(whole.relayMicrosPerCopyIn(r)) + " [" + spread(f -> f.relayMicrosPerCopyIn(relay)).format(2) + "]",
                    fmt(whole.relayMicrosPerCopyOut(r)) + " [" + spread(f -> f.relayMicrosPerCopyOut(relay)).format(2)
                        + "]"));
            }
            if (options.edge)
            {
                out.append(String.format(Locale.ROOT, "%-12s %8.3f %12.0f %12.0f %10d  %-22s %-22s%n",
                    GROUP_NAMES[EDGE], whole.vcpus(EDGE), whole.perSecond(c.edgeIn()), whole.perSecond(c.edgePlayed()),
                    c.edgeDrops(),
                    fmt(whole.edgeMicrosPerCopyIn()) + " [" + spread(Figures::edgeMicrosPerCopyIn).format(2) + "]",
                    "(out = frames played)"));
            }
            if (options.subscribers > 0)
            {
                out.append(String.format(Locale.ROOT, "%-12s %8.3f %12.0f %12s %10s%n", GROUP_NAMES[SUBSCRIBERS],
                    whole.vcpus(SUBSCRIBERS), whole.perSecond(c.subscriberFrames()), "", ""));
            }
            out.append(String.format(Locale.ROOT, "%-12s %8.3f %12s %12.0f %10d  (load generator, not the mesh)%n",
                GROUP_NAMES[LOADGEN], whole.vcpus(LOADGEN), "", whole.perSecond(c.framesSent() * 2),
                c.sendsRefused()));
            out.append(String.format(Locale.ROOT, "%-12s %8.3f  (other Java threads)%n", GROUP_NAMES[OTHER],
                whole.vcpus(OTHER)));
            out.append(String.format(Locale.ROOT, "%-12s %8.3f  [%s]  (all threads incl. GC and JIT)%n",
                "process", whole.processVcpus(), spread(Figures::processVcpus).format(3)));
            out.append(String.format(Locale.ROOT, "%nrelays together: %.3f vCPU, %s us CPU per copy received "
                + "[%s]%n", whole.vcpus(RELAY_A) + whole.vcpus(RELAY_B), fmt(whole.meshMicrosPerCopyIn()),
                spread(Figures::meshMicrosPerCopyIn).format(2)));
            out.append(String.format(Locale.ROOT, "threads above 0.005 vCPU:%n"));
            for (final Map.Entry<String, Long> entry : threadCpuNs.entrySet())
            {
                final double vcpus = LoadArithmetic.vcpus(entry.getValue(), whole.wallNs());
                if (vcpus >= 0.005)
                {
                    out.append(String.format(Locale.ROOT, "  %-34s %8.3f vCPU%n", entry.getKey(), vcpus));
                }
            }
            out.append(String.format(Locale.ROOT, "counters that moved in the window:%n"));
            for (final Map.Entry<String, Long> entry : c.details().entrySet())
            {
                out.append(String.format(Locale.ROOT, "  %s: %d%n", entry.getKey(), entry.getValue()));
            }
            if (edgeHeapBytes >= 0)
            {
                out.append(String.format(Locale.ROOT, "edge heap after GC (with the edge minus after closing it): "
                    + "%.1f MiB, %.1f KiB per mount%n", edgeHeapBytes / 1048576.0,
                    edgeHeapBytes / 1024.0 / options.mounts));
            }
            return out.toString();
        }

        /**
         * "steady" when the load was what it claims to be: the sender kept real time and no copy was dropped
         * anywhere; otherwise what went wrong, so an overloaded run is not read as a figure.
         */
        String verdict()
        {
            final Counts c = whole.counts();
            final List<String> problems = new ArrayList<>();
            final double meanLateMs = c.framesSent() == 0 ? 0 : c.sendLateNsTotal() / 1e6 / c.framesSent();
            if (meanLateMs > STEADY_MEAN_LATE_MS)
            {
                problems.add(String.format(Locale.ROOT, "sender %.1f ms late on average > %.1f ms", meanLateMs,
                    STEADY_MEAN_LATE_MS));
            }
            if (sendMaxLateNs / 1e6 > STEADY_MAX_LATE_MS)
            {
                problems.add(String.format(Locale.ROOT, "sender %.0f ms late at most > %.0f ms", sendMaxLateNs / 1e6,
                    STEADY_MAX_LATE_MS));
            }
            if (c.sendsRefused() > 0)
            {
                problems.add(c.sendsRefused() + " sends refused by the load generator's links");
            }
            for (int r = 0; r < c.relayDrops().length; r++)
            {
                if (c.relayDrops()[r] > 0)
                {
                    problems.add(GROUP_NAMES[r] + " dropped " + c.relayDrops()[r]);
                }
            }
            if (c.edgeDrops() > 0)
            {
                problems.add("edge dropped " + c.edgeDrops());
            }
            return problems.isEmpty() ? "steady" : "NOT steady: " + String.join("; ", problems);
        }

        private static String fmt(final double value)
        {
            return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
        }

        String json()
        {
            final Counts c = whole.counts();
            return Json.render(g ->
            {
                g.writeStartObject();
                g.writeStringField("options", options.describe());
                g.writeStringField("verdict", verdict());
                g.writeStringField("loadAverageBefore", loadBefore);
                g.writeStringField("loadAverageAfter", loadAfter);
                number(g, "windowSeconds", whole.wallNs() / 1e9);
                g.writeNumberField("slices", slices.size());
                for (final int r : new int[] {RELAY_A, RELAY_B})
                {
                    final int relay = r;
                    final String p = GROUP_NAMES[r].replace("-", "");
                    number(g, p + "Vcpu", whole.vcpus(r));
                    number(g, p + "InPerSecond", whole.perSecond(c.relayIn()[r]));
                    number(g, p + "OutPerSecond", whole.perSecond(c.relayOut()[r]));
                    g.writeNumberField(p + "Drops", c.relayDrops()[r]);
                    number(g, p + "MicrosPerCopyIn", whole.relayMicrosPerCopyIn(r));
                    number(g, p + "MicrosPerCopyInSd", spread(f -> f.relayMicrosPerCopyIn(relay)).sd());
                    number(g, p + "MicrosPerCopyOut", whole.relayMicrosPerCopyOut(r));
                    number(g, p + "MicrosPerCopyOutSd", spread(f -> f.relayMicrosPerCopyOut(relay)).sd());
                }
                number(g, "edgeVcpu", whole.vcpus(EDGE));
                number(g, "edgeInPerSecond", whole.perSecond(c.edgeIn()));
                number(g, "edgePlayedPerSecond", whole.perSecond(c.edgePlayed()));
                g.writeNumberField("edgeDrops", c.edgeDrops());
                number(g, "edgeMicrosPerCopyIn", whole.edgeMicrosPerCopyIn());
                number(g, "edgeMicrosPerCopyInSd", spread(Figures::edgeMicrosPerCopyIn).sd());
                g.writeNumberField("edgeHeapBytes", edgeHeapBytes);
                number(g, "sendMeanLateMs",
                    c.framesSent() == 0 ? Double.NaN : c.sendLateNsTotal() / 1e6 / c.framesSent());
                number(g, "sendMaxLateMs", sendMaxLateNs / 1e6);
                number(g, "subscribersVcpu", whole.vcpus(SUBSCRIBERS));
                number(g, "loadgenVcpu", whole.vcpus(LOADGEN));
                number(g, "otherVcpu", whole.vcpus(OTHER));
                number(g, "processVcpu", whole.processVcpus());
                g.writeEndObject();
            }) + "\n";
        }

        /**
         * Writes {@code value} with four decimals, or null when it is not a number (nothing was measured).
         */
        private static void number(final JsonGenerator g, final String name, final double value) throws IOException
        {
            if (Double.isNaN(value) || Double.isInfinite(value))
            {
                g.writeNullField(name);
            }
            else
            {
                g.writeNumberField(name, BigDecimal.valueOf(value).setScale(FRACTION_DIGITS, RoundingMode.HALF_UP));
            }
        }
    }
}
