package org.seamcast.bench.load;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.edge.listener.ListenerServerContext;
import org.seamcast.edge.node.EdgeContext;
import org.seamcast.edge.node.EdgeNode;
import org.seamcast.relay.RelayContext;
import org.seamcast.relay.RelayNode;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.Links;
import org.seamcast.transport.tcp.ConnectionListener;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A real mesh under a real-time load, in one process, to measure CPU per frame copy: two relays, {@code mounts} x
 * 2 simulated encoders each sending one 128 kbit/s MP3 FRAME every 26.12 ms to both relays (Davecast's shape:
 * 2 encoders x 2 replicas per mount), an edge subscribed to both relays, and optionally bare counting
 * subscribers. Over a steady window it reads the nodes' own frame counters and the CPU time of each node's
 * threads (grouped by thread name), and prints CPU per frame copy received and fanned out at each relay, per copy
 * received at the edge, the process's CPU in vCPUs, and the edge's heap per mount.
 *
 * <pre>
 *   java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
 *        --add-opens java.base/java.nio=ALL-UNNAMED -cp benchmarks/target/seamcast-benchmarks.jar \
 *        org.seamcast.bench.load.MeshLoadHarness --mounts 250 --seconds 30
 * </pre>
 *
 * <p>Loopback only; it stops by itself after the warm-up and the window, and closes every node and link it opened.
 * The load generator's CPU (encoding, its link I/O) is reported apart and not counted against the relays.
 */
public final class MeshLoadHarness
{
    private static final String[] RELAY_NAMES = {"relay-a", "relay-b"};
    private static final String EDGE_NAME = "edge-1";
    private static final String LOADGEN_NAME = "loadgen";
    private static final String SUBSCRIBERS_NAME = "subscribers";
    private static final String[] GROUP_NAMES = {"relay-a", "relay-b", "edge", "loadgen", "subscribers", "other"};
    private static final int RELAY_A = 0;
    private static final int RELAY_B = 1;
    private static final int EDGE = 2;
    private static final int LOADGEN = 3;
    private static final int SUBSCRIBERS = 4;
    private static final int OTHER = 5;
    private static final double STEADY_MEAN_LATE_MS = 5.0;
    private static final double STEADY_MAX_LATE_MS = 250.0;
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private final LoadOptions options;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final RelayNode[] relays = new RelayNode[2];
    private final List<CountingSubscriber> subscribers = new ArrayList<>();
    private EdgeNode edge;
    private PacedSender sender;
    private MessageLink[][] senderLinks;

    private MeshLoadHarness(final LoadOptions options)
    {
        this.options = options;
    }

    public static void main(final String[] args) throws Exception
    {
        final LoadOptions options;
        try
        {
            options = LoadOptions.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        new MeshLoadHarness(options).run();
    }

    private void run() throws Exception
    {
        final String loadBefore = loadAverage();
        final Result result;
        try
        {
            start();
            awaitConnected();
            sender.start();
            Thread.sleep(TimeUnit.SECONDS.toMillis(options.warmupSeconds));
            result = measure(loadBefore);
        }
        finally
        {
            closeAll();
        }
        final String report = result.table();
        System.out.print(report);
        if (options.json != null)
        {
            Files.writeString(options.json, result.json());
        }
    }

    private void start()
    {
        final int encoders = options.mounts * 2;
        for (int r = 0; r < relays.length; r++)
        {
            final RelayContext ctx = new RelayContext()
                .nodeName(RELAY_NAMES[r])
                .listen(LinkAddress.parse("tcp://127.0.0.1:0"))
                .maxStreams(Math.max(RelayContext.DEFAULT_MAX_STREAMS, 2 * encoders));
            if (options.udp)
            {
                ctx.listen(LinkAddress.parse("udp://127.0.0.1:0"));
            }
            relays[r] = RelayNode.launch(ctx);
            opened.add(relays[r]);
        }
        if (options.edge)
        {
            final EdgeContext ctx = new EdgeContext()
                .nodeName(EDGE_NAME)
                .adminAddress(null)
                .maxMounts(Math.max(EdgeContext.DEFAULT_MAX_MOUNTS, options.mounts))
                .listeners(new ListenerServerContext().bindAddress(new InetSocketAddress("127.0.0.1", 0)));
            for (final RelayNode relay : relays)
            {
                ctx.relay(tcpAddress(relay));
            }
            edge = EdgeNode.start(ctx);
            opened.add(edge);
        }
        if (options.subscribers > 0)
        {
            final TransportContext transport = new TransportContext().nodeName(SUBSCRIBERS_NAME).conclude();
            opened.add(transport);
            for (final RelayNode relay : relays)
            {
                for (int i = 0; i < options.subscribers; i++)
                {
                    final CountingSubscriber subscriber = new CountingSubscriber(transport, tcpAddress(relay));
                    subscribers.add(subscriber);
                    opened.add(subscriber);
                }
            }
        }

        final TransportContext loadgen = new TransportContext().nodeName(LOADGEN_NAME).conclude();
        opened.add(loadgen);
        final MountName[] mounts = new MountName[options.mounts];
        final MessageLink[][] links = new MessageLink[encoders][relays.length];
        for (int m = 0; m < mounts.length; m++)
        {
            mounts[m] = MountName.of(String.format(Locale.ROOT, "/bench-%04d.mp3", m));
        }
        for (int e = 0; e < encoders; e++)
        {
            for (int r = 0; r < relays.length; r++)
            {
                if (!options.linkPerEncoder && e >= 2)
                {
                    links[e][r] = links[e & 1][r];
                    continue;
                }
                final LinkAddress address = options.udp
                    ? LinkAddress.parse("udp://127.0.0.1:" + relays[r].listenPort(1)) : tcpAddress(relays[r]);
                links[e][r] = Links.dial(loadgen, address, (message, buffer, offset, length, from) -> { },
                    ConnectionListener.NONE);
                opened.add(links[e][r]);
            }
        }
        sender = new PacedSender(mounts, links, options.payloadBytes, LoadArithmetic.MP3_FRAME_INTERVAL_NS,
            TimeUnit.MICROSECONDS.toNanos(options.tickUs));
        opened.add(() -> sender.stop());
        senderLinks = links;
    }

    private static LinkAddress tcpAddress(final RelayNode relay)
    {
        return LinkAddress.parse("tcp://127.0.0.1:" + relay.listenPort(0));
    }

    private void awaitConnected() throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + CONNECT_TIMEOUT_NS;
        while (!allConnected())
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("links not all connected after "
                    + TimeUnit.NANOSECONDS.toSeconds(CONNECT_TIMEOUT_NS) + " s");
            }
            Thread.sleep(50);
        }
        Thread.sleep(500);
    }

    private boolean allConnected()
    {
        for (final MessageLink[] encoderLinks : senderLinks)
        {
            for (final MessageLink link : encoderLinks)
            {
                if (!link.isConnected())
                {
                    return false;
                }
            }
        }
        if (edge != null)
        {
            for (final MessageLink link : edge.links())
            {
                if (!link.isConnected())
                {
                    return false;
                }
            }
        }
        for (final CountingSubscriber subscriber : subscribers)
        {
            if (!subscriber.isConnected())
            {
                return false;
            }
        }
        return true;
    }

    private Result measure(final String loadBefore) throws InterruptedException
    {
        final ThreadCpuSampler sampler = new ThreadCpuSampler(new String[][] {
            relayPrefixes(RELAY_NAMES[0]),
            relayPrefixes(RELAY_NAMES[1]),
            {"edge-playout", "seamcast-io-" + EDGE_NAME + "-", "seamcast-listeners"},
            {PacedSender.THREAD_NAME, "seamcast-io-" + LOADGEN_NAME + "-"},
            {"seamcast-io-" + SUBSCRIBERS_NAME + "-"},
        });
        final int slices = (options.seconds + options.sliceSeconds - 1) / options.sliceSeconds;
        final ThreadCpuSampler.Sample[] samples = new ThreadCpuSampler.Sample[slices + 1];
        final Counts[] counts = new Counts[slices + 1];
        samples[0] = sampler.sample();
        counts[0] = counts();
        sender.takeMaxLateNs();
        for (int s = 1; s <= slices; s++)
        {
            final long sliceMs = Math.min(options.sliceSeconds, options.seconds - (s - 1L) * options.sliceSeconds)
                * 1_000L;
            Thread.sleep(sliceMs);
            samples[s] = sampler.sample();
            counts[s] = counts();
        }
        final String loadAfter = loadAverage();
        final long maxLateNs = sender.takeMaxLateNs();

        long edgeHeapBytes = -1;
        if (edge != null)
        {
            final long withEdge = heapUsedAfterGc();
            edge.close();
            opened.remove(edge);
            edge = null;
            edgeHeapBytes = withEdge - heapUsedAfterGc();
        }

        final List<Figures> perSlice = new ArrayList<>();
        for (int s = 1; s <= slices; s++)
        {
            perSlice.add(new Figures(samples[s].nanoTime() - samples[s - 1].nanoTime(),
                sampler.groupCpuNs(samples[s - 1], samples[s]),
                samples[s].processCpuNs() - samples[s - 1].processCpuNs(),
                counts[s].minus(counts[s - 1])));
        }
        final Figures whole = new Figures(samples[slices].nanoTime() - samples[0].nanoTime(),
            sampler.groupCpuNs(samples[0], samples[slices]),
            samples[slices].processCpuNs() - samples[0].processCpuNs(),
            counts[slices].minus(counts[0]));
        return new Result(options, loadBefore, loadAfter, whole, perSlice, edgeHeapBytes, maxLateNs,
            ThreadCpuSampler.threadCpuNs(samples[0], samples[slices]));
    }

    private static String[] relayPrefixes(final String name)
    {
        return new String[] {"seamcast-relay-" + name, "seamcast-io-" + name + "-"};
    }

    private Counts counts()
    {
        final long[] relayIn = new long[relays.length];
        final long[] relayOut = new long[relays.length];
        final long[] relayDrops = new long[relays.length];
        for (int r = 0; r < relays.length; r++)
        {
            final MeterRegistry registry = relays[r].context().registry();
            relayIn[r] = sum(registry, "seamcast.relay.frames.in");
            relayOut[r] = sum(registry, "seamcast.relay.frames.out");
            // a copy refused by a back-pressured subscriber counts at the relay and again at its link: once here
            relayDrops[r] = sum(registry, "seamcast.relay.drops") + sum(registry, "seamcast.link.drops")
                - tagged(registry, "seamcast.link.drops", "reason", "backpressure");
        }
        long edgeIn = 0;
        long edgePlayed = 0;
        long edgeDrops = 0;
        if (edge != null)
        {
            final MeterRegistry registry = edge.registry();
            edgeIn = sum(registry, "seamcast.link.messages.in");
            edgePlayed = sum(registry, "seamcast.edge.frames.played");
            edgeDrops = sum(registry, "seamcast.edge.inbox.drops") + sum(registry, "seamcast.link.drops");
        }
        long subscriberFrames = 0;
        for (final CountingSubscriber subscriber : subscribers)
        {
            subscriberFrames += subscriber.frames();
        }
        final Map<String, Long> details = new TreeMap<>();
        for (int r = 0; r < relays.length; r++)
        {
            final MeterRegistry registry = relays[r].context().registry();
            byTag(details, RELAY_NAMES[r] + " drops", registry, "seamcast.relay.drops", "reason");
            byTag(details, RELAY_NAMES[r] + " link drops", registry, "seamcast.link.drops", "reason");
        }
        if (edge != null)
        {
            byTag(details, "edge events", edge.registry(), "seamcast.edge.events", "event");
            byTag(details, "edge link drops", edge.registry(), "seamcast.link.drops", "reason");
            details.put("edge fallback frames", sum(edge.registry(), "seamcast.edge.fallback.frames"));
        }
        return new Counts(relayIn, relayOut, relayDrops, edgeIn, edgePlayed, edgeDrops, subscriberFrames,
            sender.framesOffered(), sender.offersRefused(), sender.lateNsTotal(), details);
    }

    private static void byTag(
        final Map<String, Long> details, final String label, final MeterRegistry registry, final String name,
        final String tag)
    {
        for (final Counter counter : registry.find(name).counters())
        {
            details.merge(label + " " + counter.getId().getTag(tag), Math.round(counter.count()), Long::sum);
        }
        for (final FunctionCounter counter : registry.find(name).functionCounters())
        {
            details.merge(label + " " + counter.getId().getTag(tag), Math.round(counter.count()), Long::sum);
        }
    }

    private static long tagged(final MeterRegistry registry, final String name, final String tag, final String value)
    {
        double total = 0;
        for (final Counter counter : registry.find(name).tag(tag, value).counters())
        {
            total += counter.count();
        }
        return Math.round(total);
    }

    private static long sum(final MeterRegistry registry, final String name)
    {
        double total = 0;
        for (final Counter counter : registry.find(name).counters())
        {
            total += counter.count();
        }
        for (final FunctionCounter counter : registry.find(name).functionCounters())
        {
            total += counter.count();
        }
        return Math.round(total);
    }

    private static long heapUsedAfterGc() throws InterruptedException
    {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static String loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (final IOException | RuntimeException ex)
        {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private void closeAll()
    {
        for (int i = opened.size() - 1; i >= 0; i--)
        {
            try
            {
                opened.get(i).close();
            }
            catch (final Exception ex)
            {
                System.err.println("closing " + opened.get(i) + " failed: " + ex);
            }
        }
        opened.clear();
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
            final StringBuilder out = new StringBuilder("{");
            field(out, "options", '"' + options.describe() + '"');
            field(out, "verdict", '"' + verdict() + '"');
            field(out, "loadAverageBefore", '"' + loadBefore + '"');
            field(out, "loadAverageAfter", '"' + loadAfter + '"');
            field(out, "windowSeconds", num(whole.wallNs() / 1e9));
            field(out, "slices", Integer.toString(slices.size()));
            for (final int r : new int[] {RELAY_A, RELAY_B})
            {
                final int relay = r;
                final String p = GROUP_NAMES[r].replace("-", "");
                field(out, p + "Vcpu", num(whole.vcpus(r)));
                field(out, p + "InPerSecond", num(whole.perSecond(c.relayIn()[r])));
                field(out, p + "OutPerSecond", num(whole.perSecond(c.relayOut()[r])));
                field(out, p + "Drops", Long.toString(c.relayDrops()[r]));
                field(out, p + "MicrosPerCopyIn", num(whole.relayMicrosPerCopyIn(r)));
                field(out, p + "MicrosPerCopyInSd", num(spread(f -> f.relayMicrosPerCopyIn(relay)).sd()));
                field(out, p + "MicrosPerCopyOut", num(whole.relayMicrosPerCopyOut(r)));
                field(out, p + "MicrosPerCopyOutSd", num(spread(f -> f.relayMicrosPerCopyOut(relay)).sd()));
            }
            field(out, "edgeVcpu", num(whole.vcpus(EDGE)));
            field(out, "edgeInPerSecond", num(whole.perSecond(c.edgeIn())));
            field(out, "edgePlayedPerSecond", num(whole.perSecond(c.edgePlayed())));
            field(out, "edgeDrops", Long.toString(c.edgeDrops()));
            field(out, "edgeMicrosPerCopyIn", num(whole.edgeMicrosPerCopyIn()));
            field(out, "edgeMicrosPerCopyInSd", num(spread(Figures::edgeMicrosPerCopyIn).sd()));
            field(out, "edgeHeapBytes", Long.toString(edgeHeapBytes));
            field(out, "sendMeanLateMs", num(c.framesSent() == 0 ? Double.NaN : c.sendLateNsTotal() / 1e6 / c.framesSent()));
            field(out, "sendMaxLateMs", num(sendMaxLateNs / 1e6));
            field(out, "subscribersVcpu", num(whole.vcpus(SUBSCRIBERS)));
            field(out, "loadgenVcpu", num(whole.vcpus(LOADGEN)));
            field(out, "otherVcpu", num(whole.vcpus(OTHER)));
            field(out, "processVcpu", num(whole.processVcpus()));
            out.setLength(out.length() - 1);
            return out.append("}\n").toString();
        }

        private static void field(final StringBuilder out, final String name, final String value)
        {
            out.append('"').append(name).append("\":").append(value).append(',');
        }

        private static String num(final double value)
        {
            return Double.isNaN(value) ? "null" : String.format(Locale.ROOT, "%.4f", value);
        }
    }
}
