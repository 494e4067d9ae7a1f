package org.seamcast.bench.load;

import org.seamcast.codec.protocol.MountName;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.Links;
import org.seamcast.transport.tcp.ConnectionListener;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The load of the separate-process mesh benchmark, as a process of its own: {@code mounts} x 2 encoders sending
 * paced 128 kbit/s MP3 FRAMEs to every relay given, as two ingest nodes would (encoder 0 of every mount through
 * one link per relay, encoder 1 through another), over TCP or UDP.
 *
 * <pre>
 *   java -cp seamcast-benchmarks.jar org.seamcast.bench.load.LoadGenerator --mounts 250 \
 *        --relay tcp://127.0.0.1:7001 --relay tcp://127.0.0.1:7002
 * </pre>
 *
 * <p>It prints {@code loadgen connected} once every link is up, then every {@value #REPORT_INTERVAL_MS} ms a line
 * {@code loadgen sent=N refused=N late_ns_total=N max_late_ns=N} (max since the previous line) for the process that
 * started it. It stops when its standard input ends (whoever started it is gone), after {@code --max-seconds}, or on
 * SIGTERM.
 */
public final class LoadGenerator
{
    static final long REPORT_INTERVAL_MS = 1_000;
    private static final long CONNECT_TIMEOUT_MS = 30_000;
    private static final int DEFAULT_MAX_SECONDS = 900;
    private static final String USAGE = """
        usage: LoadGenerator --mounts N --relay URL [--relay URL ...] [--payload-bytes B] [--tick-us U]
                             [--ramp-seconds R] [--max-seconds S]
          --relay URL        tcp://host:port or udp://host:port of a relay; every frame goes to each
          --ramp-seconds R   start the mounts one after another over R seconds (default 0: all at once)
        """;

    private LoadGenerator()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        int mounts = 250;
        int payloadBytes = 417;
        int tickUs = 1_000;
        int rampSeconds = 0;
        int maxSeconds = DEFAULT_MAX_SECONDS;
        final List<LinkAddress> relays = new ArrayList<>();
        try
        {
            for (int i = 0; i < args.length; i++)
            {
                switch (args[i])
                {
                    case "--mounts" -> mounts = Integer.parseInt(args[++i]);
                    case "--relay" -> relays.add(LinkAddress.parse(args[++i]));
                    case "--payload-bytes" -> payloadBytes = Integer.parseInt(args[++i]);
                    case "--tick-us" -> tickUs = Integer.parseInt(args[++i]);
                    case "--ramp-seconds" -> rampSeconds = Integer.parseInt(args[++i]);
                    case "--max-seconds" -> maxSeconds = Integer.parseInt(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (relays.isEmpty() || mounts < 1 || rampSeconds < 0)
            {
                throw new IllegalArgumentException("needs --mounts >= 1, --ramp-seconds >= 0 and at least one --relay");
            }
        }
        catch (final RuntimeException ex)
        {
            System.err.println(ex.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        run(mounts, relays, payloadBytes, tickUs, rampSeconds, maxSeconds);
    }

    private static void run(
        final int mounts, final List<LinkAddress> relays, final int payloadBytes, final int tickUs,
        final int rampSeconds,
        final int maxSeconds) throws Exception
    {
        final TransportContext transport = new TransportContext().nodeName("loadgen").conclude();
        final MessageLink[][] ingestLinks = new MessageLink[2][relays.size()];
        final List<MessageLink> all = new ArrayList<>();
        for (int ingest = 0; ingest < 2; ingest++)
        {
            for (int r = 0; r < relays.size(); r++)
            {
                ingestLinks[ingest][r] = Links.dial(transport, relays.get(r),
                    (message, buffer, offset, length, from) -> { }, ConnectionListener.NONE);
                all.add(ingestLinks[ingest][r]);
            }
        }
        final MessageLink[][] links = new MessageLink[2 * mounts][];
        for (int e = 0; e < links.length; e++)
        {
            links[e] = ingestLinks[e & 1];
        }
        final MountName[] names = new MountName[mounts];
        for (int m = 0; m < mounts; m++)
        {
            names[m] = MountName.of(String.format(Locale.ROOT, "/bench-%04d.mp3", m));
        }
        final PacedSender sender = new PacedSender(names, links, payloadBytes, LoadArithmetic.MP3_FRAME_INTERVAL_NS,
            TimeUnit.MICROSECONDS.toNanos(tickUs), TimeUnit.SECONDS.toNanos(rampSeconds));
        try
        {
            awaitConnected(all);
            System.out.println("loadgen connected links=" + all.size());
            sender.start();
            final Thread stdinWatch = new Thread(LoadGenerator::readUntilEnd, "seamcast-bench-stdin");
            stdinWatch.setDaemon(true);
            stdinWatch.start();
            final long endNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
            while (stdinWatch.isAlive() && System.nanoTime() < endNs)
            {
                Thread.sleep(REPORT_INTERVAL_MS);
                System.out.printf(Locale.ROOT, "loadgen sent=%d refused=%d late_ns_total=%d max_late_ns=%d%n",
                    sender.framesOffered(), sender.offersRefused(), sender.lateNsTotal(), sender.takeMaxLateNs());
                System.out.flush();
            }
        }
        finally
        {
            sender.stop();
            for (final MessageLink link : all)
            {
                link.close();
            }
            transport.close();
        }
    }

    private static void awaitConnected(final List<MessageLink> links) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT_MS);
        while (!links.stream().allMatch(MessageLink::isConnected))
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("links to the relays not all connected after " + CONNECT_TIMEOUT_MS
                    + " ms");
            }
            Thread.sleep(50);
        }
    }

    private static void readUntilEnd()
    {
        try
        {
            while (System.in.read() >= 0)
            {
                Thread.yield();
            }
        }
        catch (final IOException ex)
        {
            // no standard input: treated as its end
        }
    }
}
