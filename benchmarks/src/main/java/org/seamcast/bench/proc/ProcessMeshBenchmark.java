package org.seamcast.bench.proc;

import org.seamcast.bench.load.LoadArithmetic;
import org.seamcast.bench.load.LoadGenerator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The mesh as it is deployed: two relays and an edge as separate processes of the packaged launcher
 * ({@code bin/seamcast relay}, {@code bin/seamcast edge}, their real options and JVM settings), loaded by a
 * {@link LoadGenerator} process (mounts x 2 encoders to both relays), and measured from outside: each process's CPU
 * ({@code /proc/PID/stat}, so GC and JIT count, and their threads' share apart) and RSS, the nodes' counters from
 * their {@code /metrics}, and the edge's playout events (a missed slot is reported, never hidden). With
 * {@code --settle-jit} the window waits after the warm-up until the nodes' JIT compiler threads are quiet.
 *
 * <pre>
 *   java -jar benchmarks/target/seamcast-benchmarks.jar ... (see docs/benchmarks.md)
 *   java -cp benchmarks/target/seamcast-benchmarks.jar org.seamcast.bench.proc.ProcessMeshBenchmark --mounts 250
 * </pre>
 *
 * <p>Every process it starts is ended when it returns or fails, and listed in {@code --out}/pids.
 */
public final class ProcessMeshBenchmark
{
    static final String[] RELAY_NAMES = {"relay-a", "relay-b"};
    static final String EDGE_NAME = "edge";
    static final String LOADGEN_NAME = "loadgen";
    static final List<String> MISSED_SLOT_EVENTS = List.of("skip", "empty_slot", "fallback_start", "switch", "late");
    /**
     * Term length of the load generator's Aeron publications: each carries an encoder of every mount (4.6 MB/s at
     * 250 mounts), which fills the default 128 KiB term 36 times a second.
     */
    static final int LOADGEN_AERON_TERM_LENGTH = 1024 * 1024;
    private static final long START_TIMEOUT_MS = 60_000;

    private final MeshOptions options;
    private final Installation installation;
    private final Path out;

    ProcessMeshBenchmark(final MeshOptions options, final Installation installation, final Path out)
    {
        this.options = options;
        this.installation = installation;
        this.out = out;
    }

    public static void main(final String[] args)
    {
        try
        {
            final MeshOptions options = MeshOptions.parse(args);
            final Installation installation = Installation.at(options.home);
            final Path out = options.out != null ? options.out : defaultOut("mesh");
            final MeshResult result = new ProcessMeshBenchmark(options, installation, out).run();
            System.out.print(result.table());
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.exit(2);
        }
        catch (final IllegalStateException ex)
        {
            System.err.println("error: " + ex.getMessage());
            System.exit(1);
        }
    }

    static Path defaultOut(final String kind)
    {
        return Path.of("benchmarks/target/bench-runs",
            kind + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    MeshResult run()
    {
        createDirectories(out);
        try (ProcessSet processes = new ProcessSet(out, out.resolve("pids")))
        {
            return run(processes);
        }
    }

    private MeshResult run(final ProcessSet processes)
    {
        final int[] relayPorts = new int[RELAY_NAMES.length];
        final int[] relayAdmin = new int[RELAY_NAMES.length];
        final NodeProcess[] relays = new NodeProcess[RELAY_NAMES.length];
        for (int r = 0; r < relays.length; r++)
        {
            relayPorts[r] = Ports.pickFree();
            relayAdmin[r] = Ports.pickFree();
            final List<String> args = new ArrayList<>(List.of("--name", RELAY_NAMES[r],
                "--listen", "tcp://" + Ports.HOST + ":" + relayPorts[r],
                "--admin", Ports.HOST + ":" + relayAdmin[r],
                // each load-generator link is one source carrying an encoder of every mount
                "--max-streams", Integer.toString(Math.max(1024, 4 * options.mounts)),
                "--max-streams-per-source", Integer.toString(Math.max(256, 2 * options.mounts))));
            if (!"tcp".equals(options.transport))
            {
                args.addAll(List.of("--listen", options.ingressScheme() + Ports.HOST + ":" + relayPorts[r]));
            }
            relays[r] = processes.start(RELAY_NAMES[r], installation.seamcast("relay", args));
        }
        final int edgeAdmin = Ports.pickFree();
        final List<String> edgeArgs = new ArrayList<>(List.of("--name", EDGE_NAME,
            "--listen", Ports.HOST + ":" + Ports.pickFree(), "--admin", Ports.HOST + ":" + edgeAdmin,
            "--playout-delay-ms", Long.toString(options.playoutDelayMs),
            "--playout-threads", Integer.toString(options.edgePlayoutThreads),
            "--max-mounts", Integer.toString(Math.max(1024, options.mounts))));
        if (options.edgeLinkPollMs != MeshOptions.EDGE_DEFAULT)
        {
            edgeArgs.addAll(List.of("--link-poll-ms", Integer.toString(options.edgeLinkPollMs)));
        }
        for (final int port : relayPorts)
        {
            edgeArgs.addAll(List.of("--relay", "tcp://" + Ports.HOST + ":" + port));
        }
        for (int r = 0; r < relays.length; r++)
        {
            final int admin = relayAdmin[r];
            final int port = relayPorts[r];
            Await.until(RELAY_NAMES[r] + " to serve /metrics and accept on " + port, START_TIMEOUT_MS,
                List.of(relays[r]), () -> Metrics.answers(admin) && Ports.accepts(port));
        }
        final NodeProcess edge = processes.start(EDGE_NAME, installation.seamcast("edge", edgeArgs));
        final List<NodeProcess> nodes = List.of(relays[0], relays[1], edge);
        Await.until("the edge's links to both relays", START_TIMEOUT_MS, nodes,
            () -> Metrics.answers(edgeAdmin) && Metrics.scrape(edgeAdmin).sum("seamcast_link_up") >= relays.length);

        final Jcmd jcmd = new Jcmd(installation.java());
        final long edgeHeapBaseline = liveHeap(jcmd, edge, out, "no-mount");
        final long edgeRssBaseline = ProcStat.sample(edge.pid()).rssBytes();

        final List<String> loadArgs = new ArrayList<>(List.of("--mounts", Integer.toString(options.mounts),
            "--ramp-seconds", Integer.toString(options.rampSeconds)));
        for (final int port : relayPorts)
        {
            loadArgs.addAll(List.of("--relay", options.ingressScheme() + Ports.HOST + ":" + port
                + ("aeron".equals(options.transport) ? "?term-length=" + LOADGEN_AERON_TERM_LENGTH : "")));
        }
        final NodeProcess loadgen = processes.start(LOADGEN_NAME,
            installation.benchmarkMain(LoadGenerator.class, loadArgs));
        final List<NodeProcess> all = List.of(relays[0], relays[1], edge, loadgen);
        Await.until("the load generator's links", START_TIMEOUT_MS, all, () -> LoadgenStatus.connected(loadgen.log()));
        Await.sleepMs(TimeUnit.SECONDS.toMillis(options.warmupSeconds), all);
        final JitSettle.Outcome jitSettle = options.settleJit ? JitSettle.await(nodes, all, () ->
            {
                for (final int admin : relayAdmin)
                {
                    Metrics.scrape(admin);
                }
                Metrics.scrape(edgeAdmin);
            })
            : JitSettle.Outcome.NOT_ASKED;

        final Profiler profiler = options.profile ? new Profiler(jcmd, out) : null;
        if (profiler != null)
        {
            profiler.start(RELAY_NAMES[0], relays[0].pid());
            profiler.start(EDGE_NAME, edge.pid());
        }
        final String loadBefore = ProcStat.loadAverage();
        final int slices = (options.seconds + options.sliceSeconds - 1) / options.sliceSeconds;
        final List<Snapshot> snapshots = new ArrayList<>();
        final Metrics edgeBefore = Metrics.scrape(edgeAdmin);
        final int loadgenLinesBefore = LoadgenStatus.read(loadgen.log()).size();
        snapshots.add(snapshot(all, relayAdmin));
        for (int s = 1; s <= slices; s++)
        {
            final long sliceMs = Math.min(options.sliceSeconds, options.seconds - (s - 1L) * options.sliceSeconds)
                * 1_000L;
            Await.sleepMs(sliceMs, all);
            snapshots.add(snapshot(all, relayAdmin));
        }
        final Metrics edgeAfter = Metrics.scrape(edgeAdmin);
        final String loadAfter = ProcStat.loadAverage();
        final List<LoadgenStatus> loadgenLines = LoadgenStatus.read(loadgen.log());
        final Map<String, Path> profiles = profiler == null ? Map.of() : profiler.stopAll();
        final long edgeHeapAfter = liveHeap(jcmd, edge, out, "loaded");

        return new MeshResult(options, loadBefore, loadAfter, snapshots, edgeBefore, edgeAfter,
            loadgenLines.subList(Math.min(loadgenLinesBefore, loadgenLines.size()), loadgenLines.size()),
            edgeHeapBaseline, edgeHeapAfter, edgeRssBaseline, jitSettle, profiles, out);
    }

    /**
     * What every process and relay counted at one instant of the window.
     */
    record Snapshot(Map<String, ProcStat.Sample> processes, List<Metrics> relays)
    {
    }

    private static Snapshot snapshot(final List<NodeProcess> all, final int[] relayAdmin)
    {
        final Map<String, ProcStat.Sample> samples = new LinkedHashMap<>();
        for (final NodeProcess process : all)
        {
            samples.put(process.name(), ProcStat.sample(process.pid()));
        }
        final List<Metrics> relays = new ArrayList<>();
        for (final int admin : relayAdmin)
        {
            relays.add(Metrics.scrape(admin));
        }
        return new Snapshot(samples, relays);
    }

    /**
     * The edge's live heap: its objects that survive a full GC, counted by jcmd's class histogram (kept in the run's
     * directory as {@code edge-heap-LABEL.txt}).
     */
    static long liveHeap(final Jcmd jcmd, final NodeProcess node, final Path out, final String label)
    {
        return jcmd.liveHeapBytes(node.pid(), out.resolve("edge-heap-" + label + ".txt"));
    }

    static void createDirectories(final Path dir)
    {
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot create " + dir + ": " + ex.getMessage(), ex);
        }
    }

    static double expectedCopiesPerSecondPerRelay(final int mounts)
    {
        return LoadArithmetic.expectedFrames(2 * mounts, TimeUnit.SECONDS.toNanos(1),
            LoadArithmetic.MP3_FRAME_INTERVAL_NS);
    }
}
