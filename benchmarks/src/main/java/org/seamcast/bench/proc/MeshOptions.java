package org.seamcast.bench.proc;

import org.seamcast.bench.load.Args;

import java.nio.file.Path;

/**
 * The settings of one {@link ProcessMeshBenchmark} run, from its command line; a bad value is refused with its
 * name and limit.
 */
final class MeshOptions
{
    static final String USAGE = """
        usage: ProcessMeshBenchmark [options]
          --mounts N             mounts, each with 2 encoders sending to both relays (default 250, 1..5000)
          --seconds S            measured window (default 30, 5..3600)
          --warmup-seconds W     load before the window: connections, JIT, rings filling (default 15, 5..600)
          --settle-jit           after the warm-up, wait (up to 300 s more) until the nodes' JIT compiler threads
                                 used less than 2 % of one CPU over the last 5 s; the report says how long it waited
          --slice-seconds S      the window is cut into slices for the spread (default 5)
          --transport tcp|udp|aeron
                                 how the load generator reaches the relays (default tcp; aeron: aeron+udp://, each
                                 process with its embedded media driver); the edge always subscribes over tcp
          --playout-delay-ms D   the edge's --playout-delay-ms (default 2000)
          --edge-playout-threads N
                                 the edge's --playout-threads (default 1, 1..64)
          --edge-link-poll-ms P  the edge's --link-poll-ms (default: the edge's own, off; 0..200)
          --ramp-seconds R       the load generator starts the mounts one after another over R seconds, within the
                                 warm-up (default 0: all in the same frame period)
          --home DIR             source tree or release with bin/seamcast (default .)
          --out DIR              logs and profiles of the run (default benchmarks/target/bench-runs/mesh-TIME)
          --profile              profile relay-a and the edge over the window (async-profiler CPU if available,
                                 else JFR; JFR allocation samples) into --out
        """;

    /** An edge setting the run leaves to the edge's own default. */
    static final int EDGE_DEFAULT = -1;

    int mounts = 250;
    int seconds = 30;
    int warmupSeconds = 15;
    boolean settleJit;
    int sliceSeconds = 5;
    /** How the load generator reaches the relays: {@code tcp}, {@code udp} or {@code aeron}. */
    String transport = "tcp";
    long playoutDelayMs = 2_000;
    int edgePlayoutThreads = 1;
    /** The edge's {@code --link-poll-ms}; {@link #EDGE_DEFAULT} leaves the option out. */
    int edgeLinkPollMs = EDGE_DEFAULT;
    int rampSeconds;
    Path home = Path.of(".");
    Path out;
    boolean profile;

    static MeshOptions parse(final String[] args)
    {
        final MeshOptions options = new MeshOptions();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "--mounts" -> options.mounts = Args.intValue(args, ++i, arg, 1, 5_000);
                case "--seconds" -> options.seconds = Args.intValue(args, ++i, arg, 5, 3_600);
                case "--warmup-seconds" -> options.warmupSeconds = Args.intValue(args, ++i, arg, 5, 600);
                case "--settle-jit" -> options.settleJit = true;
                case "--slice-seconds" -> options.sliceSeconds = Args.intValue(args, ++i, arg, 1, 3_600);
                case "--transport" -> options.transport = switch (Args.value(args, ++i, arg))
                {
                    case "tcp", "udp", "aeron" -> args[i];
                    default -> throw new IllegalArgumentException(
                        "--transport=" + args[i] + " is not tcp, udp or aeron");
                };
                case "--playout-delay-ms" -> options.playoutDelayMs = Args.intValue(args, ++i, arg, 100, 60_000);
                case "--edge-playout-threads" -> options.edgePlayoutThreads = Args.intValue(args, ++i, arg, 1, 64);
                case "--edge-link-poll-ms" -> options.edgeLinkPollMs = Args.intValue(args, ++i, arg, 0, 200);
                case "--ramp-seconds" -> options.rampSeconds = Args.intValue(args, ++i, arg, 0, 600);
                case "--home" -> options.home = Path.of(Args.value(args, ++i, arg));
                case "--out" -> options.out = Path.of(Args.value(args, ++i, arg));
                case "--profile" -> options.profile = true;
                default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
            }
        }
        options.sliceSeconds = Math.min(options.sliceSeconds, options.seconds);
        if (options.rampSeconds >= options.warmupSeconds)
        {
            throw new IllegalArgumentException("--ramp-seconds=" + options.rampSeconds
                + " must end within --warmup-seconds=" + options.warmupSeconds);
        }
        return options;
    }

    /** @return the scheme of the relays' ingress links, {@code tcp://}, {@code udp://} or {@code aeron+udp://}. */
    String ingressScheme()
    {
        return "aeron".equals(transport) ? "aeron+udp://" : transport + "://";
    }

    String describe()
    {
        return "--mounts " + mounts + " --seconds " + seconds + " --warmup-seconds " + warmupSeconds
            + (settleJit ? " --settle-jit" : "") + " --transport " + transport
            + " --playout-delay-ms " + playoutDelayMs
            + (edgePlayoutThreads == 1 ? "" : " --edge-playout-threads " + edgePlayoutThreads)
            + (edgeLinkPollMs == EDGE_DEFAULT ? "" : " --edge-link-poll-ms " + edgeLinkPollMs)
            + (rampSeconds == 0 ? "" : " --ramp-seconds " + rampSeconds)
            + (profile ? " --profile" : "");
    }
}
