package org.seamcast.bench.load;

import java.nio.file.Path;

/**
 * The settings of one run of {@link MeshLoadHarness}, read from its command line; every value is checked and a
 * bad one is refused with its name and limit.
 */
final class LoadOptions
{
    static final String USAGE = """
        usage: MeshLoadHarness [options]
          --mounts N             mounts, each with 2 encoders sending to both relays (default 250, 1..5000)
          --seconds S            measured window in seconds (default 30, 1..3600)
          --warmup-seconds W     load before the window, not measured (default 10, 0..600)
          --slice-seconds S      the window is cut into slices of S seconds for the spread (default 5)
          --transport tcp|udp    how encoders reach the relays (default tcp); subscribers always use tcp
          --connections per-ingest|per-encoder
                                 per-ingest (default): encoders 0 and 1 of every mount are two ingest nodes,
                                 each with one link to each relay carrying all its mounts (4 links);
                                 per-encoder: each encoder has its own link to each relay (4 x mounts links)
          --subscribers N        bare counting TCP subscribers per relay, besides the edge (default 0, 0..64)
          --no-edge              run no edge node (relays fan out to the bare subscribers only)
          --payload-bytes B      audio bytes per frame (default 417: 128 kbit/s MP3 at 44.1 kHz, 16..4096)
          --tick-us U            the sender wakes at least this often (default 1000, 100..26000)
          --json FILE            also write the figures as JSON to FILE
        Total run time is about warmup + window + a few seconds to connect, measure heap and close.
        """;

    int mounts = 250;
    int seconds = 30;
    int warmupSeconds = 10;
    int sliceSeconds = 5;
    boolean udp;
    boolean linkPerEncoder;
    int subscribers;
    boolean edge = true;
    int payloadBytes = 417;
    int tickUs = 1_000;
    Path json;

    static LoadOptions parse(final String[] args)
    {
        final LoadOptions options = new LoadOptions();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "--mounts" -> options.mounts = Args.intValue(args, ++i, arg, 1, 5_000);
                case "--seconds" -> options.seconds = Args.intValue(args, ++i, arg, 1, 3_600);
                case "--warmup-seconds" -> options.warmupSeconds = Args.intValue(args, ++i, arg, 0, 600);
                case "--slice-seconds" -> options.sliceSeconds = Args.intValue(args, ++i, arg, 1, 3_600);
                case "--transport" -> options.udp = transport(Args.value(args, ++i, arg));
                case "--connections" -> options.linkPerEncoder = connections(Args.value(args, ++i, arg));
                case "--subscribers" -> options.subscribers = Args.intValue(args, ++i, arg, 0, 64);
                case "--no-edge" -> options.edge = false;
                case "--payload-bytes" -> options.payloadBytes = Args.intValue(args, ++i, arg, 16, 4_096);
                case "--tick-us" -> options.tickUs = Args.intValue(args, ++i, arg, 100, 26_000);
                case "--json" -> options.json = Path.of(Args.value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
            }
        }
        if (!options.edge && options.subscribers == 0)
        {
            throw new IllegalArgumentException("--no-edge needs --subscribers >= 1, or nothing would subscribe");
        }
        if (options.udp && options.payloadBytes > 1_200)
        {
            throw new IllegalArgumentException(
                "--payload-bytes=" + options.payloadBytes + " > 1200 does not fit one UDP datagram with its header");
        }
        options.sliceSeconds = Math.min(options.sliceSeconds, options.seconds);
        return options;
    }

    private static boolean transport(final String value)
    {
        return switch (value)
        {
            case "tcp" -> false;
            case "udp" -> true;
            default -> throw new IllegalArgumentException("--transport=" + value + " is not tcp or udp");
        };
    }

    private static boolean connections(final String value)
    {
        return switch (value)
        {
            case "per-ingest" -> false;
            case "per-encoder" -> true;
            default -> throw new IllegalArgumentException("--connections=" + value + " is not per-ingest or per-encoder");
        };
    }

    /**
     * The command-line form of these options, for the report.
     */
    String describe()
    {
        return "--mounts " + mounts + " --seconds " + seconds + " --warmup-seconds " + warmupSeconds
            + " --slice-seconds " + sliceSeconds + " --transport " + (udp ? "udp" : "tcp")
            + " --connections " + (linkPerEncoder ? "per-encoder" : "per-ingest") + " --subscribers " + subscribers + (edge ? "" : " --no-edge") + " --payload-bytes " + payloadBytes
            + " --tick-us " + tickUs;
    }
}
