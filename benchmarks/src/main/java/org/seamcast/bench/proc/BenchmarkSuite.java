package org.seamcast.bench.proc;

import org.seamcast.bench.load.Args;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every process benchmark in one command, bounded in time: several separate-process mesh runs over TCP, one over
 * UDP and one over Aeron, the listener benchmark against Icecast, and a profiled mesh run; then the figures and the profile are
 * written into {@code docs/benchmarks.md} between its {@code benchmarks:figures} and {@code benchmarks:profile}
 * markers. {@code scripts/benchmarks.sh} runs it.
 */
public final class BenchmarkSuite
{
    static final String FIGURES_SECTION = "benchmarks:figures";
    static final String PROFILE_SECTION = "benchmarks:profile";
    /**
     * The listener runs' warm-up with {@code --settle-jit}: an edge playing one mount runs its per-frame code about
     * 40 times a second, as profiled C1 code (about twice as slow) until C2 compiles it minutes later; the compiler
     * threads look quiet long before, so the JIT wait alone would measure the idle edge before it is compiled.
     */
    static final int SETTLED_LISTENER_WARMUP_SECONDS = 300;
    /**
     * And each listener step's settle: 100 listeners run the listener path a few hundred times a second, so C2
     * compiles it over the first minute, in bursts between which the compiler threads look quiet (20 % of the edge's
     * CPU in a window that began 19 s after they connected).
     */
    static final int SETTLED_LISTENER_STEP_SECONDS = 60;
    private static final String USAGE = """
        usage: BenchmarkSuite [options]
          --mesh-runs N          separate-process mesh runs over tcp (default 3, 0..20)
          --udp-runs N           the same over udp (default 1, 0..20)
          --aeron-runs N         the same over aeron+udp (default 1, 0..20)
          --mounts N             mounts in every mesh run (default 250)
          --edge-playout-threads N
                                 the edge's --playout-threads in every mesh run (default 1)
          --edge-link-poll-ms P  the edge's --link-poll-ms in every mesh run (default: the edge's own)
          --ramp-seconds R       the load generator starts the mounts over R seconds (default 0)
          --seconds S            measured window of each mesh run (default 30)
          --warmup-seconds W     warm-up of each mesh run (default 15)
          --settle-jit           every mesh run, the profiled one too, waits after its warm-up until the nodes'
                                 JIT compiler threads are quiet (see ProcessMeshBenchmark --settle-jit); the
                                 listener runs the same before their idle window and each step's, and warm
                                 up for 300 s before the idle window and 60 s before each step's
                                 (ListenerBenchmark --warmup-seconds, --settle-seconds)
          --listener-runs N      listener benchmark runs (default 1, 0..10)
          --listeners N[,N..]    listener steps (default 100,500)
          --no-profile           skip the profiled mesh run
          --doc FILE             rewrite the figures of this Markdown file (default: none)
          --command TEXT         the command to name in the document
          --home DIR             source tree or release with bin/seamcast (default .)
          --out DIR              logs of every run (default benchmarks/target/bench-runs/suite-TIME)
        """;

    private int meshRuns = 3;
    private int udpRuns = 1;
    private int aeronRuns = 1;
    private int mounts = 250;
    private int edgePlayoutThreads = 1;
    private int edgeLinkPollMs = MeshOptions.EDGE_DEFAULT;
    private int rampSeconds;
    private int seconds = 30;
    private int warmupSeconds = 15;
    private boolean settleJit;
    private int listenerRuns = 1;
    private String listeners = "100,500";
    private boolean profile = true;
    private Path doc;
    private String command = "java -cp benchmarks/target/seamcast-benchmarks.jar "
        + BenchmarkSuite.class.getName();
    private Path home = Path.of(".");
    private Path out;

    private BenchmarkSuite()
    {
    }

    public static void main(final String[] args)
    {
        final BenchmarkSuite suite = new BenchmarkSuite();
        try
        {
            suite.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        try
        {
            suite.run();
        }
        catch (final IllegalStateException ex)
        {
            System.err.println("error: " + ex.getMessage());
            System.exit(1);
        }
    }

    private void parse(final String[] args)
    {
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "--mesh-runs" -> meshRuns = Args.intValue(args, ++i, arg, 0, 20);
                case "--udp-runs" -> udpRuns = Args.intValue(args, ++i, arg, 0, 20);
                case "--aeron-runs" -> aeronRuns = Args.intValue(args, ++i, arg, 0, 20);
                case "--mounts" -> mounts = Args.intValue(args, ++i, arg, 1, 5_000);
                case "--edge-playout-threads" -> edgePlayoutThreads = Args.intValue(args, ++i, arg, 1, 64);
                case "--edge-link-poll-ms" -> edgeLinkPollMs = Args.intValue(args, ++i, arg, 0, 200);
                case "--ramp-seconds" -> rampSeconds = Args.intValue(args, ++i, arg, 0, 600);
                case "--seconds" -> seconds = Args.intValue(args, ++i, arg, 5, 3_600);
                case "--warmup-seconds" -> warmupSeconds = Args.intValue(args, ++i, arg, 5, 600);
                case "--settle-jit" -> settleJit = true;
                case "--listener-runs" -> listenerRuns = Args.intValue(args, ++i, arg, 0, 10);
                case "--listeners" -> listeners = Args.value(args, ++i, arg);
                case "--no-profile" -> profile = false;
                case "--doc" -> doc = Path.of(Args.value(args, ++i, arg));
                case "--command" -> command = Args.value(args, ++i, arg);
                case "--home" -> home = Path.of(Args.value(args, ++i, arg));
                case "--out" -> out = Path.of(Args.value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        ListenerOptions.parse(new String[] {"--listeners", listeners});
        if (doc != null && !Files.isRegularFile(doc))
        {
            throw new IllegalArgumentException("--doc " + doc + " is not a file");
        }
    }

    private void run()
    {
        final Installation installation = Installation.at(home);
        final Path dir = out != null ? out : ProcessMeshBenchmark.defaultOut("suite");
        ProcessMeshBenchmark.createDirectories(dir);
        final String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
        final List<MeshResult> meshes = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        int run = 0;
        for (int i = 0; i < meshRuns + udpRuns + aeronRuns; i++)
        {
            final String transport = i < meshRuns ? "tcp" : i < meshRuns + udpRuns ? "udp" : "aeron";
            final MeshOptions options = meshOptions(transport, false);
            final Path runDir = dir.resolve(String.format("%02d-mesh-%s", ++run, transport));
            try
            {
                final MeshResult result = new ProcessMeshBenchmark(options, installation, runDir).run();
                System.out.println(result.table());
                meshes.add(result);
            }
            catch (final IllegalStateException ex)
            {
                failures.add("mesh `" + options.describe() + "` failed: " + ex.getMessage().lines().findFirst()
                    .orElse("") + " (logs in " + runDir + ")");
                System.err.println(failures.get(failures.size() - 1));
            }
        }
        final List<ListenerResult> listenerResults = new ArrayList<>();
        for (int i = 0; i < listenerRuns; i++)
        {
            final ListenerOptions options = ListenerOptions.parse(settleJit ?
                new String[] {"--listeners", listeners, "--settle-jit", "--warmup-seconds",
                    Integer.toString(SETTLED_LISTENER_WARMUP_SECONDS), "--settle-seconds",
                    Integer.toString(SETTLED_LISTENER_STEP_SECONDS)} : new String[] {"--listeners", listeners});
            final Path runDir = dir.resolve(String.format("%02d-listeners", ++run));
            try
            {
                final ListenerResult result = new ListenerBenchmark(options, installation, runDir).run();
                System.out.println(result.table());
                listenerResults.add(result);
            }
            catch (final IllegalStateException ex)
            {
                failures.add("listeners `" + options.describe() + "` failed: " + ex.getMessage().lines().findFirst()
                    .orElse("") + " (logs in " + runDir + ")");
                System.err.println(failures.get(failures.size() - 1));
            }
        }
        String profileText = null;
        if (profile)
        {
            final Path runDir = dir.resolve(String.format("%02d-profile", ++run));
            final MeshOptions options = meshOptions("tcp", true);
            try
            {
                profileText = profile(new ProcessMeshBenchmark(options, installation, runDir).run(), options);
                System.out.println(profileText);
            }
            catch (final IllegalStateException ex)
            {
                failures.add("profile `" + options.describe() + "` failed: " + ex.getMessage().lines().findFirst()
                    .orElse("") + " (logs in " + runDir + ")");
                System.err.println(failures.get(failures.size() - 1));
            }
        }
        final StringBuilder figures = new StringBuilder(SuiteReport.header(command, started, commit(home)));
        figures.append("\n#### Mesh: separate processes\n\n").append(SuiteReport.mesh(meshes));
        figures.append("\n#### Listeners: edge against icecast2\n\n").append(SuiteReport.listeners(listenerResults));
        if (!failures.isEmpty())
        {
            figures.append("\nRuns that failed:\n\n");
            failures.forEach(f -> figures.append("- ").append(f).append('\n'));
        }
        write(dir.resolve("figures.md"), figures.toString());
        if (profileText != null)
        {
            write(dir.resolve("profile.md"), profileText);
        }
        if (doc != null)
        {
            DocSections.rewrite(doc, FIGURES_SECTION, figures.toString());
            if (profileText != null)
            {
                DocSections.rewrite(doc, PROFILE_SECTION, profileText);
            }
            System.out.println("rewrote the figures of " + doc);
        }
        System.out.println("figures in " + dir.resolve("figures.md"));
    }

    private MeshOptions meshOptions(final String transport, final boolean profiled)
    {
        final List<String> args = new ArrayList<>(List.of("--mounts", Integer.toString(mounts), "--seconds",
            Integer.toString(seconds), "--warmup-seconds", Integer.toString(warmupSeconds), "--transport",
            transport, "--edge-playout-threads", Integer.toString(edgePlayoutThreads), "--ramp-seconds",
            Integer.toString(rampSeconds)));
        if (edgeLinkPollMs != MeshOptions.EDGE_DEFAULT)
        {
            args.addAll(List.of("--edge-link-poll-ms", Integer.toString(edgeLinkPollMs)));
        }
        if (settleJit)
        {
            args.add("--settle-jit");
        }
        if (profiled)
        {
            args.add("--profile");
        }
        return MeshOptions.parse(args.toArray(new String[0]));
    }

    private static String profile(final MeshResult run, final MeshOptions options)
    {
        final List<HotSpots.Cpu> cpu = new ArrayList<>();
        final List<HotSpots.Allocation> alloc = new ArrayList<>();
        final double seconds = run.wallNs / 1e9;
        for (final String node : List.of(ProcessMeshBenchmark.RELAY_NAMES[0], ProcessMeshBenchmark.EDGE_NAME))
        {
            final Map<String, Path> files = run.profiles;
            final Path collapsed = files.get(node + "-cpu");
            cpu.add(collapsed != null ? HotSpots.cpuFromCollapsed(node, collapsed)
                : HotSpots.cpuFromJfr(node, files.get(node)));
            alloc.add(HotSpots.allocationFromJfr(node, files.get(node), seconds));
        }
        return SuiteReport.profile(run, cpu, alloc);
    }

    private static String commit(final Path home)
    {
        try
        {
            final Process git = new ProcessBuilder("git", "-C", home.toString(), "rev-parse", "--short", "HEAD")
                .redirectErrorStream(true).start();
            final String text = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 ? text : "unknown";
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static void write(final Path file, final String text)
    {
        try
        {
            Files.writeString(file, text);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }
}
