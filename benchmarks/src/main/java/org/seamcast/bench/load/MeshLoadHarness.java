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
        final LoadReport.Result result;
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
            TimeUnit.MICROSECONDS.toNanos(options.tickUs), 0);
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

    private LoadReport.Result measure(final String loadBefore) throws InterruptedException
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
        final LoadReport.Counts[] counts = new LoadReport.Counts[slices + 1];
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

        final List<LoadReport.Figures> perSlice = new ArrayList<>();
        for (int s = 1; s <= slices; s++)
        {
            perSlice.add(new LoadReport.Figures(samples[s].nanoTime() - samples[s - 1].nanoTime(),
                sampler.groupCpuNs(samples[s - 1], samples[s]),
                samples[s].processCpuNs() - samples[s - 1].processCpuNs(),
                counts[s].minus(counts[s - 1])));
        }
        final LoadReport.Figures whole = new LoadReport.Figures(samples[slices].nanoTime() - samples[0].nanoTime(),
            sampler.groupCpuNs(samples[0], samples[slices]),
            samples[slices].processCpuNs() - samples[0].processCpuNs(),
            counts[slices].minus(counts[0]));
        return new LoadReport.Result(options, loadBefore, loadAfter, whole, perSlice, edgeHeapBytes, maxLateNs,
            ThreadCpuSampler.threadCpuNs(samples[0], samples[slices]));
    }

    private static String[] relayPrefixes(final String name)
    {
        return new String[] {"seamcast-relay-" + name, "seamcast-io-" + name + "-"};
    }

    private LoadReport.Counts counts()
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
            edgeIn = sum(registry, "seamcast.link.in.messages");
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
        return new LoadReport.Counts(relayIn, relayOut, relayDrops, edgeIn, edgePlayed, edgeDrops, subscriberFrames,
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
}
