package org.seamcast.bench.proc;

import org.seamcast.bench.load.Args;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of one {@link ListenerBenchmark} run, from its command line.
 */
final class ListenerOptions
{
    static final String USAGE = """
        usage: ListenerBenchmark [options]
          --listeners N[,N...]   listener counts, one step each, connected to the edge and to Icecast at once
                                 (default 100,500; 1..5000)
          --seconds S            measured window of each step (default 20, 5..3600)
          --idle-seconds S       window with no listener: each server's idle cost (default 20, 5..3600)
          --warmup-seconds W     after both servers play the stream, before the idle window (default 10; the
                                 suite gives 300 with --settle-jit: one mount's per-frame code runs ~40 times a
                                 second, so it runs as profiled C1 code, about twice as slow, for minutes before
                                 C2 compiles it, while the compiler threads already look quiet)
          --settle-seconds S     after the listeners of a step are connected, before its window (default 5; the
                                 suite gives 60 with --settle-jit)
          --settle-jit           then wait (up to 300 s more) until the edge's JIT compiler threads are quiet,
                                 before the idle window and before each step's: the listener path compiles when
                                 the listeners arrive, and a window that starts while it does charges them for it
          --home DIR             source tree or release with bin/seamcast (default .)
          --out DIR              logs of the run (default benchmarks/target/bench-runs/listeners-TIME)
        """;

    List<Integer> listeners = List.of(100, 500);
    int seconds = 20;
    int idleSeconds = 20;
    int warmupSeconds = 10;
    int settleSeconds = 5;
    boolean settleJit;
    Path home = Path.of(".");
    Path out;

    static ListenerOptions parse(final String[] args)
    {
        final ListenerOptions options = new ListenerOptions();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "--listeners" -> options.listeners = counts(Args.value(args, ++i, arg));
                case "--seconds" -> options.seconds = Args.intValue(args, ++i, arg, 5, 3_600);
                case "--idle-seconds" -> options.idleSeconds = Args.intValue(args, ++i, arg, 5, 3_600);
                case "--warmup-seconds" -> options.warmupSeconds = Args.intValue(args, ++i, arg, 0, 600);
                case "--settle-seconds" -> options.settleSeconds = Args.intValue(args, ++i, arg, 0, 600);
                case "--settle-jit" -> options.settleJit = true;
                case "--home" -> options.home = Path.of(Args.value(args, ++i, arg));
                case "--out" -> options.out = Path.of(Args.value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
            }
        }
        return options;
    }

    private static List<Integer> counts(final String text)
    {
        final List<Integer> counts = new ArrayList<>();
        for (final String part : text.split(","))
        {
            counts.add(Args.intValue(new String[] {part.trim()}, 0, "--listeners", 1, 5_000));
        }
        return List.copyOf(counts);
    }

    int maxListeners()
    {
        return listeners.stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    String describe()
    {
        return "--listeners " + String.join(",", listeners.stream().map(String::valueOf).toList()) + " --seconds "
            + seconds + " --idle-seconds " + idleSeconds + " --warmup-seconds " + warmupSeconds
            + " --settle-seconds " + settleSeconds + (settleJit ? " --settle-jit" : "");
    }
}
