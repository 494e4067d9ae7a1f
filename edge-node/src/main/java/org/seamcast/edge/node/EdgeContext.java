package org.seamcast.edge.node;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.seamcast.codec.protocol.Keyring;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.edge.engine.EdgeEngineContext;
import org.seamcast.edge.listener.ListenerServerContext;
import org.seamcast.transport.KeyFile;
import org.seamcast.transport.ThreadingMode;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.LinkScheme;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Every setting of an edge node: which relays to subscribe to, which mounts, the playout engine's delay, hold time,
 * dead air and encoder offsets, the fallback files, where listeners and the admin endpoint are served (the listener
 * server's tunables are the nested {@link #listeners()}, the links' the nested {@link #transport()}), its keys, its
 * threading mode and its clock. Filled in once (from the command line or a config file) and checked by
 * {@link #conclude()}, which also concludes the nested settings and starts the links' I/O threads.
 */
public final class EdgeContext
{
    /** Playout delay D when none is given: fits a LAN or a good regional network. */
    public static final long DEFAULT_PLAYOUT_DELAY_MS = TimeUnit.NANOSECONDS.toMillis(
        EdgeEngineContext.PLAYOUT_DELAY_NS_DEFAULT);

    /** How long a recovered higher-priority encoder must be continuous before it plays again. */
    public static final long DEFAULT_HOLD_TIME_MS = TimeUnit.NANOSECONDS.toMillis(EdgeEngineContext.HOLD_TIME_NS_DEFAULT);

    /**
     * How late the playout thread may play a slot, so slots due close together share one wake-up: two of one
     * stream's slots (26 ms apart for MP3 at 44.1 kHz), hundreds of many mounts'. Listeners hear the stream this much
     * later at most; which frame plays in a slot does not change, since every wake-up reads what arrived first.
     * Messages from the relays wait for the playout thread up to twice this before they wake it. 0 plays each slot at
     * its deadline and wakes the thread for every message.
     */
    public static final long DEFAULT_PLAYOUT_SLACK_MS = 30;

    /**
     * While the relays' messages keep coming, the links' I/O threads may read them at most once per this many
     * milliseconds (shorter under load, so a period's messages take at most 2 ms to handle), so one wake-up reads a
     * link's frames of that time (every mount's) instead of each frame costing one: at 50 ms an idle mount's link
     * thread spends a quarter less, and at 250 mounts the edge a quarter less per copy. Off (0, each message read as
     * it arrives) by default: a paced read delays what the engine measures too, and with 50 ms EncoderFaultTest
     * (ADTS) once heard 8 frames repeated and 8 missing at the switch back after the primary's restart, its offset
     * capped (one full test run in three), as PartitionTest did in the fourth session.
     */
    public static final long DEFAULT_LINK_POLL_MS = 0;

    /** Most mounts one edge plays; more are refused and counted, so hostile announces cannot exhaust memory. */
    public static final int DEFAULT_MAX_MOUNTS = 1024;

    /** Messages the I/O threads may queue for each playout thread (a power of two, in bytes). */
    public static final int DEFAULT_INBOX_BYTES = 8 << 20;

    /**
     * Playout threads, each owning the mounts whose name hashes to it. One suits an edge of up to ~1,000 mounts (about
     * half a core at 1,000 on the 2-vCPU benchmark machine); more spread a larger edge's mounts over cores.
     */
    public static final int DEFAULT_PLAYOUT_THREADS = 1;

    /** Most playout threads: more than cores buys nothing. */
    public static final int MAX_PLAYOUT_THREADS = 64;

    public static final String DEFAULT_NODE_NAME = "edge";

    private static final Logger LOG = LoggerFactory.getLogger(EdgeContext.class);

    private String nodeName = DEFAULT_NODE_NAME;
    private final List<LinkAddress> relays = new ArrayList<>();
    private final Set<LinkAddress> repairOnly = new HashSet<>();
    private final List<MountName> mounts = new ArrayList<>();
    private final Map<MountName, URI> pushTargets = new LinkedHashMap<>();
    private final Map<MountName, Map<Integer, Long>> encoderLagsMs = new LinkedHashMap<>();
    private final Map<MountName, Path> fallbackFilePaths = new LinkedHashMap<>();
    private final Map<MountName, FallbackFile> fallbackFiles = new LinkedHashMap<>();
    private long playoutDelayMs = DEFAULT_PLAYOUT_DELAY_MS;
    private long holdTimeMs = DEFAULT_HOLD_TIME_MS;
    private long playoutSlackMs = DEFAULT_PLAYOUT_SLACK_MS;
    private long linkPollMs = DEFAULT_LINK_POLL_MS;
    private long deadAirMs = TimeUnit.NANOSECONDS.toMillis(EdgeEngineContext.DEAD_AIR_NS_DEFAULT);
    private double deadAirThresholdDb = EdgeEngineContext.DEAD_AIR_THRESHOLD_DB_DEFAULT;
    private int maxMounts = DEFAULT_MAX_MOUNTS;
    private int inboxBytes = DEFAULT_INBOX_BYTES;
    private int playoutThreads = DEFAULT_PLAYOUT_THREADS;
    private Path keyFile;
    private Keyring keyring;
    private InetSocketAddress adminAddress = new InetSocketAddress("0.0.0.0", 8101);
    private ListenerServerContext listeners = new ListenerServerContext();
    private TransportContext transport = new TransportContext();
    private PrometheusMeterRegistry registry;
    private EpochNanoClock clock;
    private ThreadingMode threadingMode = ThreadingMode.IO_LOOP;
    private boolean concluded;

    /**
     * Checks every setting, loads the key file and the fallback files, concludes the listener server's settings and
     * the links' (starting their I/O threads, which {@link EdgeNode#close()} stops).
     *
     * @throws IllegalArgumentException naming the setting, its value and its limit.
     */
    public EdgeContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("EdgeContext already concluded");
        }
        if (relays.isEmpty())
        {
            throw new IllegalArgumentException("relays: at least one --relay tcp://host:port is required");
        }
        for (final LinkAddress relay : relays)
        {
            if (relay.scheme() == LinkScheme.TCP)
            {
                relay.requireDestination();
            }
            else if (relay.port() == 0)
            {
                throw new IllegalArgumentException("relay " + relay + ": port=0; a relay must be told where to "
                    + "forward, so a listening source needs its port");
            }
        }
        if (relays.stream().noneMatch(r -> r.scheme() == LinkScheme.TCP && !repairOnly.contains(r)))
        {
            LOG.warn("no --relay tcp://: the edge only listens, so it cannot ask for a resume after"
                + " a reconnect{}", repairOnly.isEmpty() ? " nor for lost frames" : "");
        }
        if (playoutDelayMs < 20 || playoutDelayMs > 60_000)
        {
            throw new IllegalArgumentException("playoutDelayMs=" + playoutDelayMs + " is not in 20..60000");
        }
        if (playoutSlackMs < 0 || playoutSlackMs > 500)
        {
            throw new IllegalArgumentException("playoutSlackMs=" + playoutSlackMs + " is not in 0..500");
        }
        if (linkPollMs < 0 || linkPollMs > TimeUnit.MICROSECONDS.toMillis(TransportContext.MAX_IO_POLL_PERIOD_US))
        {
            throw new IllegalArgumentException("linkPollMs=" + linkPollMs + " is not in 0.."
                + TimeUnit.MICROSECONDS.toMillis(TransportContext.MAX_IO_POLL_PERIOD_US));
        }
        if (linkPollMs * 2 > playoutDelayMs)
        {
            throw new IllegalArgumentException("linkPollMs=" + linkPollMs + " must be at most half of playoutDelayMs="
                + playoutDelayMs + ": frames would reach the playout thread too late for their slots");
        }
        if (holdTimeMs < 0 || holdTimeMs > 3_600_000)
        {
            throw new IllegalArgumentException("holdTimeMs=" + holdTimeMs + " is not in 0..3600000");
        }
        if (deadAirMs < 0 || deadAirMs > 3_600_000)
        {
            throw new IllegalArgumentException("deadAirMs=" + deadAirMs + " is not in 0..3600000");
        }
        if (!(deadAirThresholdDb >= -120 && deadAirThresholdDb <= 0))
        {
            throw new IllegalArgumentException("deadAirThresholdDb=" + deadAirThresholdDb + " is not in -120..0");
        }
        if (maxMounts < 1 || maxMounts > 100_000)
        {
            throw new IllegalArgumentException("maxMounts=" + maxMounts + " is not in 1..100000");
        }
        if (Integer.bitCount(inboxBytes) != 1 || inboxBytes < 64 * 1024)
        {
            throw new IllegalArgumentException("inboxBytes=" + inboxBytes + " must be a power of two >= 65536");
        }
        if (playoutThreads < 1 || playoutThreads > MAX_PLAYOUT_THREADS)
        {
            throw new IllegalArgumentException("playoutThreads=" + playoutThreads + " is not in 1.."
                + MAX_PLAYOUT_THREADS);
        }
        if (playoutThreads > 1 && threadingMode != ThreadingMode.IO_LOOP && threadingMode != ThreadingMode.DEDICATED)
        {
            throw new IllegalArgumentException("playoutThreads=" + playoutThreads + " needs threadingMode IO_LOOP or"
                + " DEDICATED (each playout agent on a thread of its own), not " + threadingMode);
        }
        for (final Map.Entry<MountName, URI> push : pushTargets.entrySet())
        {
            final URI target = push.getValue();
            if (!"icecast".equals(target.getScheme()) && !"http".equals(target.getScheme()) || target.getHost() == null
                || target.getPort() < 1 || target.getPath() == null || target.getPath().length() < 2)
            {
                throw new IllegalArgumentException("push " + push.getKey() + "=" + target
                    + ": expected icecast://source:PASSWORD@host:port/mount");
            }
        }
        for (final Map.Entry<MountName, Map<Integer, Long>> mount : encoderLagsMs.entrySet())
        {
            for (final Map.Entry<Integer, Long> lag : mount.getValue().entrySet())
            {
                final long limitMs = EdgeEngineContext.MAX_ENCODER_OFFSET_US / 1000;
                if (Math.abs(lag.getValue()) > limitMs)
                {
                    throw new IllegalArgumentException("encoder offset " + mount.getKey() + ":" + lag.getKey() + "="
                        + lag.getValue() + " ms outside +/-" + limitMs + " ms");
                }
            }
        }
        if (threadingMode == null)
        {
            throw new IllegalArgumentException("threadingMode=null: IO_LOOP, DEDICATED, SHARED or INVOKER");
        }
        for (final Map.Entry<MountName, Path> fallback : fallbackFilePaths.entrySet())
        {
            fallbackFiles.put(fallback.getKey(), FallbackFile.load(fallback.getKey(), fallback.getValue()));
        }
        if (keyFile != null && keyring == null)
        {
            keyring = KeyFile.load(keyFile);
        }
        listeners.conclude();
        if (clock == null)
        {
            clock = new OffsetEpochNanoClock();
        }
        if (registry == null)
        {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        }
        if (threadingMode == ThreadingMode.IO_LOOP && transport.ioThreads() < playoutThreads)
        {
            transport.ioThreads(playoutThreads);
        }
        transport.nodeName(nodeName).keyring(keyring).registry(registry)
            .ioPollPeriodUs(TimeUnit.MILLISECONDS.toMicros(linkPollMs))
            .conclude();
        concluded = true;
        return this;
    }

    boolean isConcluded()
    {
        return concluded;
    }

    public String nodeName()
    {
        return nodeName;
    }

    public EdgeContext nodeName(final String nodeName)
    {
        this.nodeName = nodeName;
        return this;
    }

    public List<LinkAddress> relays()
    {
        return relays;
    }

    /**
     * @param relay a relay to subscribe to ({@code tcp://host:port}), or an address to listen on where a relay
     *              forwards ({@code udp://}, {@code aeron+udp://}, {@code mcast://group:port?interface=…}).
     * @return this.
     */
    public EdgeContext relay(final LinkAddress relay)
    {
        relays.add(relay);
        return this;
    }

    /**
     * @param relay a relay to dial over TCP only to ask for frames the other paths lost: no subscription, so
     *              nothing flows on it unless asked for. It pairs with a lossy listening path from the same relay.
     * @return this.
     */
    public EdgeContext repair(final LinkAddress relay)
    {
        if (relay.scheme() != LinkScheme.TCP)
        {
            throw new IllegalArgumentException("repair " + relay + ": repairs are asked for over tcp://");
        }
        relays.add(relay);
        repairOnly.add(relay);
        return this;
    }

    /**
     * @return the TCP relays that are dialled for repairs only (also in {@link #relays()}).
     */
    public Set<LinkAddress> repairOnly()
    {
        return repairOnly;
    }

    /**
     * Mounts subscribed to; empty means every mount the relays carry.
     */
    public List<MountName> mounts()
    {
        return mounts;
    }

    public EdgeContext mount(final MountName mount)
    {
        mounts.add(mount);
        return this;
    }

    /**
     * Icecast servers each mount is pushed into as a source, e.g. {@code icecast://source:pw@127.0.0.1:8000/live}.
     */
    public Map<MountName, URI> pushTargets()
    {
        return pushTargets;
    }

    public EdgeContext push(final MountName mount, final URI target)
    {
        pushTargets.put(mount, target);
        return this;
    }

    /**
     * Operator-set lags of encoders behind the reference encoder of a mount, in ms (negative: ahead), which replace
     * offset learning for those encoders.
     */
    public Map<MountName, Map<Integer, Long>> encoderLagsMs()
    {
        return encoderLagsMs;
    }

    /**
     * @param mount     the mount.
     * @param encoderId the encoder.
     * @param lagMs     how much later than the reference encoder its audio arrives (negative: earlier).
     * @return this.
     */
    public EdgeContext encoderLagMs(final MountName mount, final int encoderId, final long lagMs)
    {
        encoderLagsMs.computeIfAbsent(mount, m -> new LinkedHashMap<>()).put(encoderId, lagMs);
        return this;
    }

    /**
     * @param mount the mount.
     * @param file  an MP3 or ADTS file in the mount's format, looped instead of silence while every encoder of the
     *              mount is gone. Read and split when the context is concluded; checked against the mount's format
     *              when its frames arrive.
     * @return this.
     */
    public EdgeContext fallbackFile(final MountName mount, final Path file)
    {
        fallbackFilePaths.put(mount, file);
        return this;
    }

    /**
     * @return the fallback files configured, by mount.
     */
    public Map<MountName, Path> fallbackFiles()
    {
        return fallbackFilePaths;
    }

    /**
     * @return the loaded fallback file of {@code mount}, or null for silence; after {@link #conclude()}.
     */
    FallbackFile loadedFallbackFile(final MountName mount)
    {
        return fallbackFiles.get(mount);
    }

    public long playoutDelayMs()
    {
        return playoutDelayMs;
    }

    public EdgeContext playoutDelayMs(final long playoutDelayMs)
    {
        this.playoutDelayMs = playoutDelayMs;
        return this;
    }

    public long linkPollMs()
    {
        return linkPollMs;
    }

    /**
     * @param linkPollMs how often at most the links' I/O threads read while messages keep coming, 0..200 and at
     *                   most half the playout delay; see {@link #DEFAULT_LINK_POLL_MS}.
     */
    public EdgeContext linkPollMs(final long linkPollMs)
    {
        this.linkPollMs = linkPollMs;
        return this;
    }

    public long playoutSlackMs()
    {
        return playoutSlackMs;
    }

    /**
     * @param playoutSlackMs how late a slot may play so close slots share a wake-up, 0..500; see
     *                       {@link #DEFAULT_PLAYOUT_SLACK_MS}.
     */
    public EdgeContext playoutSlackMs(final long playoutSlackMs)
    {
        this.playoutSlackMs = playoutSlackMs;
        return this;
    }

    public long holdTimeMs()
    {
        return holdTimeMs;
    }

    public EdgeContext holdTimeMs(final long holdTimeMs)
    {
        this.holdTimeMs = holdTimeMs;
        return this;
    }

    /**
     * @return how long the playing encoder must be silent (while another carries audio) before the other takes over;
     * 0 disables dead-air detection.
     */
    public long deadAirMs()
    {
        return deadAirMs;
    }

    public EdgeContext deadAirMs(final long deadAirMs)
    {
        this.deadAirMs = deadAirMs;
        return this;
    }

    /**
     * @return loudness in dBFS, as estimated from each frame's bitstream, below which a frame counts as silent.
     */
    public double deadAirThresholdDb()
    {
        return deadAirThresholdDb;
    }

    public EdgeContext deadAirThresholdDb(final double deadAirThresholdDb)
    {
        this.deadAirThresholdDb = deadAirThresholdDb;
        return this;
    }

    public int maxMounts()
    {
        return maxMounts;
    }

    public EdgeContext maxMounts(final int maxMounts)
    {
        this.maxMounts = maxMounts;
        return this;
    }

    public int playoutThreads()
    {
        return playoutThreads;
    }

    /**
     * How many playout agents share the edge's mounts, each on a thread of its own and owning the mounts whose name
     * hashes to it ({@link #DEFAULT_PLAYOUT_THREADS}, 1..{@link #MAX_PLAYOUT_THREADS}). With {@code IO_LOOP} the
     * links' transport gets at least as many event loops, one agent on each; {@code SHARED} and {@code INVOKER} run
     * one agent, so they take only 1.
     */
    public EdgeContext playoutThreads(final int playoutThreads)
    {
        this.playoutThreads = playoutThreads;
        return this;
    }

    public int inboxBytes()
    {
        return inboxBytes;
    }

    public EdgeContext inboxBytes(final int inboxBytes)
    {
        this.inboxBytes = inboxBytes;
        return this;
    }

    public Path keyFile()
    {
        return keyFile;
    }

    /**
     * The keys, one {@code ID:HEX [ROLE]} a line, loaded by {@link #conclude()} unless a {@link #keyring(Keyring)}
     * is given; an edge holds the {@code edge} key, with which it authenticates to relays and subscribes.
     */
    public EdgeContext keyFile(final Path keyFile)
    {
        this.keyFile = keyFile;
        return this;
    }

    public Keyring keyring()
    {
        return keyring;
    }

    public EdgeContext keyring(final Keyring keyring)
    {
        this.keyring = keyring;
        return this;
    }

    /**
     * Where {@code /metrics}, {@code /health} and {@code /status.json} are served; null for none.
     */
    public InetSocketAddress adminAddress()
    {
        return adminAddress;
    }

    public EdgeContext adminAddress(final InetSocketAddress adminAddress)
    {
        this.adminAddress = adminAddress;
        return this;
    }

    /**
     * The listener-facing HTTP server's settings (address, burst, metaint, limits).
     */
    public ListenerServerContext listeners()
    {
        return listeners;
    }

    public EdgeContext listeners(final ListenerServerContext listeners)
    {
        this.listeners = listeners;
        return this;
    }

    /**
     * The links' settings (heartbeats, timeouts, reconnects, the PEM files of {@code tcp://…?tls=true} relays: an
     * edge only dials, so only the trusted certificates matter); {@link #conclude()} gives them the node's name,
     * keys and registry and starts their I/O threads.
     */
    public TransportContext transport()
    {
        return transport;
    }

    public EdgeContext transport(final TransportContext transport)
    {
        this.transport = transport;
        return this;
    }

    /**
     * Where every meter of the node is registered and served from {@code /metrics}; a new one when none is given.
     */
    public PrometheusMeterRegistry registry()
    {
        return registry;
    }

    public EdgeContext registry(final PrometheusMeterRegistry registry)
    {
        this.registry = registry;
        return this;
    }

    public EpochNanoClock clock()
    {
        return clock;
    }

    /**
     * The playout clock, in ns since the Unix epoch: the frame stamped T plays at T + D on it, and every timer of the
     * playout agent runs on it. Default: Agrona's {@code OffsetEpochNanoClock}; a test may step one of its own.
     */
    public EdgeContext clock(final EpochNanoClock clock)
    {
        this.clock = clock;
        return this;
    }

    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    /**
     * How the playout agent runs: on the event loop of the relay links' I/O ({@code IO_LOOP}, the default: a frame
     * read and the slot it fills share the loop's wake-up), on its own thread ({@code DEDICATED}, one per
     * {@link #playoutThreads()}; {@code SHARED}, for one agent), or driven by the caller through {@link EdgeNode#invoker()} ({@code INVOKER}).
     */
    public EdgeContext threadingMode(final ThreadingMode threadingMode)
    {
        this.threadingMode = threadingMode;
        return this;
    }
}
