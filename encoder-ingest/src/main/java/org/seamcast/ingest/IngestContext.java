package org.seamcast.ingest;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.seamcast.codec.protocol.Keyring;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.ingest.source.AdminCredentials;
import org.seamcast.ingest.stamp.FrameStamper;
import org.seamcast.ingest.stream.StreamBeats;
import org.seamcast.transport.KeyFile;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.ThreadingMode;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every setting of one ingest node: its inputs, its relays, the source server's and pulls' tunables, its keys, the
 * links' settings (the nested {@link #transport()}), its threading mode and its clock. Every tunable has a named
 * default; fill it with the fluent setters (the {@code seamcast ingest} command does) and {@link #conclude()} checks
 * everything once, naming the value and its limit, then starts the links' I/O threads, before
 * {@link IngestNode#launch} starts anything else.
 */
public final class IngestContext
{
    public static final long DEFAULT_ENCODER_ID = 1;
    public static final int DEFAULT_PRIORITY = 0;
    /** ANNOUNCE and METADATA are repeated this often, so a late joiner learns a stream within a second. */
    public static final long DEFAULT_ANNOUNCE_INTERVAL_MS = 500;
    public static final long MAX_ANNOUNCE_INTERVAL_MS = 1_000;
    /** Stream-position heartbeats this often while a stream is live (docs/protocol.md, HEARTBEAT). */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = StreamBeats.DEFAULT_INTERVAL_MS;
    public static final long MAX_HEARTBEAT_INTERVAL_MS = 5_000;
    /** A stream silent this long gets a heartbeat at once, naming its last sequence sent. */
    public static final long DEFAULT_HEARTBEAT_QUIET_MS = StreamBeats.DEFAULT_QUIET_MS;
    /** Messages queued per destination before new ones are dropped (about 26 s of MP3 frames). */
    public static final int DEFAULT_QUEUE_CAPACITY_MESSAGES = 1_024;
    /** A client must send its request head within this time (Icecast's header-timeout is 15 s). */
    public static final long DEFAULT_HEADER_TIMEOUT_MS = 5_000;
    /** A source silent this long is cut off and its mount freed (Icecast's source-timeout is 10 s). */
    public static final long DEFAULT_SOURCE_IDLE_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_MAX_HEADER_BYTES = 8_192;
    /** A source sending this much without a single frame is cut off: it is not sending MP3 or ADTS. */
    public static final int DEFAULT_MAX_GARBAGE_BYTES = 64 * 1024;
    public static final int DEFAULT_SOURCE_IO_THREADS = 2;
    public static final long DEFAULT_PULL_CONNECT_TIMEOUT_MS = 5_000;
    /** A pulled server that sends nothing for this long is dropped and dialled again. */
    public static final long DEFAULT_PULL_READ_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_PULL_RECONNECT_INITIAL_MS = 250;
    public static final long DEFAULT_PULL_RECONNECT_MAX_MS = 10_000;
    public static final int DEFAULT_PULL_MAX_REDIRECTS = 5;
    public static final String DEFAULT_SOURCE_LISTEN = "0.0.0.0:8001";
    /** The administrator's user name, as in Icecast's {@code <admin-user>}. */
    public static final String DEFAULT_ADMIN_USER = AdminCredentials.DEFAULT_USER;

    /**
     * A stream to pull.
     *
     * @param url   http:// or https:// URL of an Icecast/Shoutcast mount or any HTTP audio stream.
     * @param mount the mount it is carried as.
     */
    public record Pull(URI url, String mount)
    {
    }

    /**
     * A file to play in real time.
     *
     * @param file  an MP3 or ADTS file.
     * @param mount the mount it is carried as.
     * @param loop  start again at the end.
     */
    public record FileInput(Path file, String mount, boolean loop)
    {
    }

    private String nodeName;
    private long encoderId = DEFAULT_ENCODER_ID;
    private int priority = DEFAULT_PRIORITY;
    private String sourcePassword;
    private String adminUser = DEFAULT_ADMIN_USER;
    private String adminPassword;
    private final Map<String, String> mountPasswords = new LinkedHashMap<>();
    private InetSocketAddress sourceListenAddress;
    private final List<Pull> pulls = new ArrayList<>();
    private final List<FileInput> files = new ArrayList<>();
    private final List<LinkAddress> relays = new ArrayList<>();
    private long announceIntervalMs = DEFAULT_ANNOUNCE_INTERVAL_MS;
    private long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
    private long heartbeatQuietMs = DEFAULT_HEARTBEAT_QUIET_MS;
    private int queueCapacityMessages = DEFAULT_QUEUE_CAPACITY_MESSAGES;
    private Path keyFile;
    private Keyring keyring;
    private TransportContext transport = new TransportContext();
    private InetSocketAddress adminAddress;
    private long headerTimeoutMs = DEFAULT_HEADER_TIMEOUT_MS;
    private long sourceIdleTimeoutMs = DEFAULT_SOURCE_IDLE_TIMEOUT_MS;
    private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
    private int maxGarbageBytes = DEFAULT_MAX_GARBAGE_BYTES;
    private int sourceIoThreads = DEFAULT_SOURCE_IO_THREADS;
    private long pullConnectTimeoutMs = DEFAULT_PULL_CONNECT_TIMEOUT_MS;
    private long pullReadTimeoutMs = DEFAULT_PULL_READ_TIMEOUT_MS;
    private long pullReconnectInitialMs = DEFAULT_PULL_RECONNECT_INITIAL_MS;
    private long pullReconnectMaxMs = DEFAULT_PULL_RECONNECT_MAX_MS;
    private int maxSlewPpm = FrameStamper.DEFAULT_MAX_SLEW_PPM;
    private ThreadingMode threadingMode = ThreadingMode.DEDICATED;
    private PrometheusMeterRegistry registry;
    private EpochNanoClock clock;
    private Function<LinkAddress, MessageLink> linkFactory;
    private boolean concluded;

    /**
     * Checks every setting; loads the key file.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting, its value and its limit.
     */
    public IngestContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (nodeName == null)
        {
            throw new IllegalArgumentException("nodeName is required (--name)");
        }
        NodeName.of(nodeName);
        requireRange("encoderId", encoderId, 0, 0xFFFF_FFFFL);
        requireRange("priority", priority, 0, 255);
        requireRange("announceIntervalMs", announceIntervalMs, 10, MAX_ANNOUNCE_INTERVAL_MS);
        requireRange("heartbeatIntervalMs", heartbeatIntervalMs, 20, MAX_HEARTBEAT_INTERVAL_MS);
        requireRange("heartbeatQuietMs", heartbeatQuietMs, 20, heartbeatIntervalMs);
        requireRange("queueCapacityMessages", queueCapacityMessages, 2, 1 << 20);
        requireRange("headerTimeoutMs", headerTimeoutMs, 100, 600_000);
        requireRange("sourceIdleTimeoutMs", sourceIdleTimeoutMs, 100, 600_000);
        requireRange("maxHeaderBytes", maxHeaderBytes, 256, 1 << 20);
        requireRange("maxGarbageBytes", maxGarbageBytes, 8 * 1024, 1 << 30);
        requireRange("sourceIoThreads", sourceIoThreads, 1, 64);
        requireRange("pullConnectTimeoutMs", pullConnectTimeoutMs, 100, 600_000);
        requireRange("pullReadTimeoutMs", pullReadTimeoutMs, 100, 600_000);
        requireRange("pullReconnectInitialMs", pullReconnectInitialMs, 1, 600_000);
        requireRange("pullReconnectMaxMs", pullReconnectMaxMs, pullReconnectInitialMs, 3_600_000);
        requireRange("maxSlewPpm", maxSlewPpm, 1, 10_000);
        if (relays.isEmpty())
        {
            throw new IllegalArgumentException("relays is empty; give at least one relay link (--relay tcp://host:port)");
        }
        if (sourceListenAddress == null && pulls.isEmpty() && files.isEmpty())
        {
            throw new IllegalArgumentException("no input: give a source listen address (--listen), a pull URL "
                + "(--pull) or a file (--file)");
        }
        if (sourceListenAddress != null && sourcePassword == null && mountPasswords.isEmpty())
        {
            throw new IllegalArgumentException("the source server on " + sourceListenAddress + " has no password: "
                + "give a global one (--source-password) or one per mount (--mount-password /m=PW)");
        }
        for (final String mount : mountPasswords.keySet())
        {
            MountName.of(mount);
        }
        if (adminUser == null || adminUser.isEmpty() || adminUser.indexOf(':') >= 0)
        {
            throw new IllegalArgumentException("adminUser='" + adminUser + "' must be a non-empty name without ':'");
        }
        if (adminPassword != null && adminPassword.isEmpty())
        {
            throw new IllegalArgumentException("adminPassword is empty; give one, or none to have no administrator");
        }
        final List<String> inputMounts = new ArrayList<>();
        for (final Pull pull : pulls)
        {
            final String scheme = pull.url().getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme))
            {
                throw new IllegalArgumentException("pull url " + pull.url() + " scheme=" + scheme
                    + " is not http or https");
            }
            if (pull.url().getHost() == null)
            {
                throw new IllegalArgumentException("pull url " + pull.url() + " has no host");
            }
            requireUniqueMount(inputMounts, pull.mount());
        }
        for (final FileInput file : files)
        {
            if (!Files.isReadable(file.file()))
            {
                throw new IllegalArgumentException("file " + file.file() + " is not readable");
            }
            requireUniqueMount(inputMounts, file.mount());
        }
        if (keyFile != null && keyring == null)
        {
            keyring = KeyFile.load(keyFile);
        }
        if (registry == null)
        {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        }
        if (threadingMode == null || threadingMode == ThreadingMode.IO_LOOP)
        {
            throw new IllegalArgumentException("threadingMode=" + threadingMode + ": DEDICATED, SHARED or INVOKER");
        }
        if (clock == null)
        {
            clock = new OffsetEpochNanoClock();
        }
        transport.nodeName(nodeName).keyring(keyring).registry(registry).conclude();
        concluded = true;
        return this;
    }

    private static void requireUniqueMount(final List<String> mounts, final String mount)
    {
        if (mount == null)
        {
            throw new IllegalArgumentException("a pull or file input has no mount (--mount /name)");
        }
        MountName.of(mount);
        if (mounts.contains(mount))
        {
            throw new IllegalArgumentException("mount " + mount + " is fed by two inputs; each input needs its own");
        }
        mounts.add(mount);
    }

    private static void requireRange(final String name, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + "=" + value + " is not in " + min + ".." + max);
        }
    }

    public String nodeName()
    {
        return nodeName;
    }

    public IngestContext nodeName(final String nodeName)
    {
        this.nodeName = nodeName;
        return this;
    }

    public long encoderId()
    {
        return encoderId;
    }

    /**
     * Identifies this encoder in every message (0..2^32-1); the edge ranks encoders by {@link #priority()}.
     */
    public IngestContext encoderId(final long encoderId)
    {
        this.encoderId = encoderId;
        return this;
    }

    public int priority()
    {
        return priority;
    }

    /**
     * 0 is the highest; the edge plays the best-priority encoder that has the frame.
     */
    public IngestContext priority(final int priority)
    {
        this.priority = priority;
        return this;
    }

    public String sourcePassword()
    {
        return sourcePassword;
    }

    /**
     * The password of every mount without its own.
     */
    public IngestContext sourcePassword(final String sourcePassword)
    {
        this.sourcePassword = sourcePassword;
        return this;
    }

    public String adminUser()
    {
        return adminUser;
    }

    /**
     * The administrator's user name (default {@value #DEFAULT_ADMIN_USER}); with {@link #adminPassword} they may set
     * the title of any mount through {@code /admin/metadata} or {@code /admin.cgi}, but not feed one.
     */
    public IngestContext adminUser(final String adminUser)
    {
        this.adminUser = adminUser;
        return this;
    }

    public String adminPassword()
    {
        return adminPassword;
    }

    /**
     * The administrator's password; null (the default) means no administrator, as in Icecast without
     * {@code <admin-password>}: then only a mount's source credentials set its title.
     */
    public IngestContext adminPassword(final String adminPassword)
    {
        this.adminPassword = adminPassword;
        return this;
    }

    public Map<String, String> mountPasswords()
    {
        return mountPasswords;
    }

    public IngestContext mountPassword(final String mount, final String password)
    {
        mountPasswords.put(mount, password);
        return this;
    }

    public InetSocketAddress sourceListenAddress()
    {
        return sourceListenAddress;
    }

    /**
     * Where encoders connect (port 0 picks one); null runs no source server.
     */
    public IngestContext sourceListenAddress(final InetSocketAddress sourceListenAddress)
    {
        this.sourceListenAddress = sourceListenAddress;
        return this;
    }

    public List<Pull> pulls()
    {
        return pulls;
    }

    public IngestContext pull(final URI url, final String mount)
    {
        pulls.add(new Pull(url, mount));
        return this;
    }

    public List<FileInput> files()
    {
        return files;
    }

    public IngestContext file(final Path file, final String mount, final boolean loop)
    {
        files.add(new FileInput(file, mount, loop));
        return this;
    }

    public List<LinkAddress> relays()
    {
        return relays;
    }

    /**
     * Adds a destination; every frame goes to every one.
     */
    public IngestContext relay(final LinkAddress relay)
    {
        relays.add(relay.requireDestination());
        return this;
    }

    public long announceIntervalMs()
    {
        return announceIntervalMs;
    }

    public IngestContext announceIntervalMs(final long announceIntervalMs)
    {
        this.announceIntervalMs = announceIntervalMs;
        return this;
    }

    public long heartbeatIntervalMs()
    {
        return heartbeatIntervalMs;
    }

    /**
     * @param heartbeatIntervalMs how often every live stream's last sequence sent goes to every relay (20..5000).
     */
    public IngestContext heartbeatIntervalMs(final long heartbeatIntervalMs)
    {
        this.heartbeatIntervalMs = heartbeatIntervalMs;
        return this;
    }

    public long heartbeatQuietMs()
    {
        return heartbeatQuietMs;
    }

    /**
     * @param heartbeatQuietMs silence after which a stream's last sequence sent goes out at once (20..interval).
     */
    public IngestContext heartbeatQuietMs(final long heartbeatQuietMs)
    {
        this.heartbeatQuietMs = heartbeatQuietMs;
        return this;
    }

    public int queueCapacityMessages()
    {
        return queueCapacityMessages;
    }

    /**
     * Bound of each destination's queue.
     */
    public IngestContext queueCapacityMessages(final int queueCapacityMessages)
    {
        this.queueCapacityMessages = queueCapacityMessages;
        return this;
    }

    /**
     * The links' settings (heartbeats, timeouts, reconnects, the PEM files of {@code tcp://…?tls=true} relays: an
     * ingest only dials, so only the trusted certificates matter); {@link #conclude()} gives them the node's name,
     * keys and registry and starts their I/O threads.
     */
    public TransportContext transport()
    {
        return transport;
    }

    public IngestContext transport(final TransportContext transport)
    {
        this.transport = transport;
        return this;
    }

    public Path keyFile()
    {
        return keyFile;
    }

    /**
     * Mesh keys (see {@link KeyFile}); every message is then signed. Null: CRC only.
     */
    public IngestContext keyFile(final Path keyFile)
    {
        this.keyFile = keyFile;
        return this;
    }

    public Keyring keyring()
    {
        return keyring;
    }

    public IngestContext keyring(final Keyring keyring)
    {
        this.keyring = keyring;
        return this;
    }

    public InetSocketAddress adminAddress()
    {
        return adminAddress;
    }

    /**
     * Where {@code /metrics}, {@code /health} and {@code /status.json} are served; null serves none.
     */
    public IngestContext adminAddress(final InetSocketAddress adminAddress)
    {
        this.adminAddress = adminAddress;
        return this;
    }

    public long headerTimeoutMs()
    {
        return headerTimeoutMs;
    }

    public IngestContext headerTimeoutMs(final long headerTimeoutMs)
    {
        this.headerTimeoutMs = headerTimeoutMs;
        return this;
    }

    public long sourceIdleTimeoutMs()
    {
        return sourceIdleTimeoutMs;
    }

    public IngestContext sourceIdleTimeoutMs(final long sourceIdleTimeoutMs)
    {
        this.sourceIdleTimeoutMs = sourceIdleTimeoutMs;
        return this;
    }

    public int maxHeaderBytes()
    {
        return maxHeaderBytes;
    }

    public IngestContext maxHeaderBytes(final int maxHeaderBytes)
    {
        this.maxHeaderBytes = maxHeaderBytes;
        return this;
    }

    public int maxGarbageBytes()
    {
        return maxGarbageBytes;
    }

    public IngestContext maxGarbageBytes(final int maxGarbageBytes)
    {
        this.maxGarbageBytes = maxGarbageBytes;
        return this;
    }

    public int sourceIoThreads()
    {
        return sourceIoThreads;
    }

    public IngestContext sourceIoThreads(final int sourceIoThreads)
    {
        this.sourceIoThreads = sourceIoThreads;
        return this;
    }

    public long pullConnectTimeoutMs()
    {
        return pullConnectTimeoutMs;
    }

    public IngestContext pullConnectTimeoutMs(final long pullConnectTimeoutMs)
    {
        this.pullConnectTimeoutMs = pullConnectTimeoutMs;
        return this;
    }

    public long pullReadTimeoutMs()
    {
        return pullReadTimeoutMs;
    }

    public IngestContext pullReadTimeoutMs(final long pullReadTimeoutMs)
    {
        this.pullReadTimeoutMs = pullReadTimeoutMs;
        return this;
    }

    public long pullReconnectInitialMs()
    {
        return pullReconnectInitialMs;
    }

    public IngestContext pullReconnectInitialMs(final long pullReconnectInitialMs)
    {
        this.pullReconnectInitialMs = pullReconnectInitialMs;
        return this;
    }

    public long pullReconnectMaxMs()
    {
        return pullReconnectMaxMs;
    }

    public IngestContext pullReconnectMaxMs(final long pullReconnectMaxMs)
    {
        this.pullReconnectMaxMs = pullReconnectMaxMs;
        return this;
    }

    public int maxSlewPpm()
    {
        return maxSlewPpm;
    }

    /**
     * How far the timestamps may run from the nominal sample clock to follow the encoder's real rate.
     */
    public IngestContext maxSlewPpm(final int maxSlewPpm)
    {
        this.maxSlewPpm = maxSlewPpm;
        return this;
    }

    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    /**
     * How the repeater and the per-relay senders run: a thread each ({@code DEDICATED}, the default: a relay whose
     * link is slow delays only its own sender), one thread for all ({@code SHARED}), or driven by the caller through
     * {@link IngestNode#invoker()} ({@code INVOKER}).
     */
    public IngestContext threadingMode(final ThreadingMode threadingMode)
    {
        this.threadingMode = threadingMode;
        return this;
    }

    public PrometheusMeterRegistry registry()
    {
        return registry;
    }

    public IngestContext registry(final PrometheusMeterRegistry registry)
    {
        this.registry = registry;
        return this;
    }

    public EpochNanoClock clock()
    {
        return clock;
    }

    /**
     * The wall clock frames are stamped with, files paced on and the repeater's intervals measured on (tests inject
     * one). Default: Agrona's {@code OffsetEpochNanoClock},
     * the wall clock sampled now and then and advanced by {@code System.nanoTime()}, which allocates nothing.
     */
    public IngestContext clock(final EpochNanoClock clock)
    {
        this.clock = clock;
        return this;
    }

    public Function<LinkAddress, MessageLink> linkFactory()
    {
        return linkFactory;
    }

    /**
     * Opens destination links; null uses {@code Links.dial} (tests inject links).
     */
    public IngestContext linkFactory(final Function<LinkAddress, MessageLink> linkFactory)
    {
        this.linkFactory = linkFactory;
        return this;
    }
}
