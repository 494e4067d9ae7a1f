package org.seamcast.transport;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import org.seamcast.codec.protocol.Keyring;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.transport.link.NettyTransport;
import org.seamcast.transport.link.ReconnectBackoff;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Everything the links of one node share: its name, its keyring, its metrics, its I/O threads, and the timing of
 * heartbeats, handshakes and reconnects. Filled in once, checked by {@link #conclude()}, closed with the node.
 */
public final class TransportContext implements AutoCloseable
{
    /** A link sends a heartbeat this often, so liveness and delay are known even in silence. */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 500;

    /** A TCP peer silent for this long (no message, not even a heartbeat) is closed and reconnected. */
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 3_000;

    /** A TCP connection that has not completed its handshake in this time is closed. */
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MS = 5_000;

    /** Above this many unsent bytes a TCP peer is back-pressured: new messages to it are dropped and counted. */
    public static final int DEFAULT_WRITE_HIGH_WATER_MARK_BYTES = 1 << 20;

    /** A peer that stays back-pressured this long is cut off, so a stalled peer never holds memory for long. */
    public static final long DEFAULT_SLOW_PEER_CUTOFF_MS = 5_000;

    /** Socket receive buffer for UDP: generous, so a burst of datagrams is not lost in the kernel. */
    public static final int DEFAULT_UDP_RECEIVE_BUFFER_BYTES = 4 << 20;

    public static final int DEFAULT_IO_THREADS = 1;

    /**
     * By default an I/O thread wakes on every event; a node that can wait a little for its input (an edge, whose
     * playout delay is seconds) sets a poll period so a stream of small messages costs one wake-up per period.
     */
    public static final long DEFAULT_IO_POLL_PERIOD_US = 0;

    /** The longest poll period: everything read waits up to this much longer. */
    public static final long MAX_IO_POLL_PERIOD_US = 200_000;

    private NodeName nodeName;
    private Keyring keyring;
    private MeterRegistry registry;
    private long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
    private long idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
    private long handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS;
    private int writeHighWaterMarkBytes = DEFAULT_WRITE_HIGH_WATER_MARK_BYTES;
    private long slowPeerCutoffMs = DEFAULT_SLOW_PEER_CUTOFF_MS;
    private long reconnectInitialDelayNs = ReconnectBackoff.DEFAULT_INITIAL_DELAY_NS;
    private long reconnectMaxDelayNs = ReconnectBackoff.DEFAULT_MAX_DELAY_NS;
    private int udpReceiveBufferBytes = DEFAULT_UDP_RECEIVE_BUFFER_BYTES;
    private int ioThreads = DEFAULT_IO_THREADS;
    private long ioPollPeriodUs = DEFAULT_IO_POLL_PERIOD_US;
    private Path tlsCertificateChain;
    private Path tlsPrivateKey;
    private Path tlsTrustedCertificates;
    private NettyTransport nettyTransport;
    private EventLoopGroup eventLoopGroup;
    private boolean concluded;

    /**
     * Checks every setting and starts the I/O threads.
     *
     * @throws IllegalArgumentException naming the setting, its value and its limit.
     */
    public TransportContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("TransportContext already concluded");
        }
        if (nodeName == null)
        {
            throw new IllegalArgumentException("nodeName is required");
        }
        if (registry == null)
        {
            registry = new SimpleMeterRegistry();
        }
        requireRange("heartbeatIntervalMs", heartbeatIntervalMs, 10, 60_000);
        requireRange("idleTimeoutMs", idleTimeoutMs, 2 * heartbeatIntervalMs, 600_000);
        requireRange("handshakeTimeoutMs", handshakeTimeoutMs, 100, 600_000);
        requireRange("writeHighWaterMarkBytes", writeHighWaterMarkBytes, 64 * 1024, 1 << 30);
        requireRange("slowPeerCutoffMs", slowPeerCutoffMs, 0, 600_000);
        requireRange("udpReceiveBufferBytes", udpReceiveBufferBytes, 64 * 1024, 1 << 30);
        requireRange("ioThreads", ioThreads, 1, 256);
        requireRange("ioPollPeriodUs", ioPollPeriodUs, 0, MAX_IO_POLL_PERIOD_US);
        if (reconnectInitialDelayNs <= 0 || reconnectMaxDelayNs < reconnectInitialDelayNs)
        {
            throw new IllegalArgumentException("reconnectInitialDelayNs=" + reconnectInitialDelayNs
                + " must be > 0 and <= reconnectMaxDelayNs=" + reconnectMaxDelayNs);
        }
        tls().check("tlsCertificateChain", "tlsPrivateKey", "tlsTrustedCertificates");
        nettyTransport = NettyTransport.best();
        eventLoopGroup = nettyTransport.newEventLoopGroup(
            ioThreads, "seamcast-io-" + nodeName, TimeUnit.MICROSECONDS.toNanos(ioPollPeriodUs));
        concluded = true;
        return this;
    }

    private static void requireRange(final String name, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + "=" + value + " is not in " + min + ".." + max);
        }
    }

    /**
     * Stops the I/O threads; links must be closed first.
     */
    @Override
    public void close()
    {
        if (eventLoopGroup != null)
        {
            eventLoopGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    public NodeName nodeName()
    {
        return nodeName;
    }

    public TransportContext nodeName(final String nodeName)
    {
        this.nodeName = NodeName.of(nodeName);
        return this;
    }

    /**
     * The keys messages are signed and checked with, or null for CRC-only integrity.
     */
    public Keyring keyring()
    {
        return keyring;
    }

    public TransportContext keyring(final Keyring keyring)
    {
        this.keyring = keyring;
        return this;
    }

    public MeterRegistry registry()
    {
        return registry;
    }

    public TransportContext registry(final MeterRegistry registry)
    {
        this.registry = registry;
        return this;
    }

    public long heartbeatIntervalMs()
    {
        return heartbeatIntervalMs;
    }

    public TransportContext heartbeatIntervalMs(final long heartbeatIntervalMs)
    {
        this.heartbeatIntervalMs = heartbeatIntervalMs;
        return this;
    }

    public long idleTimeoutMs()
    {
        return idleTimeoutMs;
    }

    public TransportContext idleTimeoutMs(final long idleTimeoutMs)
    {
        this.idleTimeoutMs = idleTimeoutMs;
        return this;
    }

    public long handshakeTimeoutMs()
    {
        return handshakeTimeoutMs;
    }

    public TransportContext handshakeTimeoutMs(final long handshakeTimeoutMs)
    {
        this.handshakeTimeoutMs = handshakeTimeoutMs;
        return this;
    }

    public int writeHighWaterMarkBytes()
    {
        return writeHighWaterMarkBytes;
    }

    public TransportContext writeHighWaterMarkBytes(final int writeHighWaterMarkBytes)
    {
        this.writeHighWaterMarkBytes = writeHighWaterMarkBytes;
        return this;
    }

    public long slowPeerCutoffMs()
    {
        return slowPeerCutoffMs;
    }

    public TransportContext slowPeerCutoffMs(final long slowPeerCutoffMs)
    {
        this.slowPeerCutoffMs = slowPeerCutoffMs;
        return this;
    }

    public long reconnectInitialDelayNs()
    {
        return reconnectInitialDelayNs;
    }

    public TransportContext reconnectInitialDelayNs(final long reconnectInitialDelayNs)
    {
        this.reconnectInitialDelayNs = reconnectInitialDelayNs;
        return this;
    }

    public long reconnectMaxDelayNs()
    {
        return reconnectMaxDelayNs;
    }

    public TransportContext reconnectMaxDelayNs(final long reconnectMaxDelayNs)
    {
        this.reconnectMaxDelayNs = reconnectMaxDelayNs;
        return this;
    }

    public int udpReceiveBufferBytes()
    {
        return udpReceiveBufferBytes;
    }

    public TransportContext udpReceiveBufferBytes(final int udpReceiveBufferBytes)
    {
        this.udpReceiveBufferBytes = udpReceiveBufferBytes;
        return this;
    }

    public int ioThreads()
    {
        return ioThreads;
    }

    public TransportContext ioThreads(final int ioThreads)
    {
        this.ioThreads = ioThreads;
        return this;
    }

    /**
     * While input keeps coming, an I/O thread looks for more at most once per this many microseconds
     * ({@link org.seamcast.transport.link.PacedSelectStrategy}); 0 wakes it on every event.
     */
    public long ioPollPeriodUs()
    {
        return ioPollPeriodUs;
    }

    public TransportContext ioPollPeriodUs(final long ioPollPeriodUs)
    {
        this.ioPollPeriodUs = ioPollPeriodUs;
        return this;
    }

    public Path tlsCertificateChain()
    {
        return tlsCertificateChain;
    }

    public TransportContext tlsCertificateChain(final Path tlsCertificateChain)
    {
        this.tlsCertificateChain = tlsCertificateChain;
        return this;
    }

    public Path tlsPrivateKey()
    {
        return tlsPrivateKey;
    }

    public TransportContext tlsPrivateKey(final Path tlsPrivateKey)
    {
        this.tlsPrivateKey = tlsPrivateKey;
        return this;
    }

    /**
     * Certificates a TLS client trusts; null trusts the system's.
     */
    public Path tlsTrustedCertificates()
    {
        return tlsTrustedCertificates;
    }

    public TransportContext tlsTrustedCertificates(final Path tlsTrustedCertificates)
    {
        this.tlsTrustedCertificates = tlsTrustedCertificates;
        return this;
    }

    /**
     * The TLS files as one value.
     */
    public TlsFiles tls()
    {
        return new TlsFiles(tlsCertificateChain, tlsPrivateKey, tlsTrustedCertificates);
    }

    /**
     * Sets the three TLS files at once (null fields unset them).
     */
    public TransportContext tls(final TlsFiles tls)
    {
        tlsCertificateChain = tls.certificateChain();
        tlsPrivateKey = tls.privateKey();
        tlsTrustedCertificates = tls.trustedCertificates();
        return this;
    }

    public NettyTransport nettyTransport()
    {
        return nettyTransport;
    }

    public EventLoopGroup eventLoopGroup()
    {
        return eventLoopGroup;
    }
}
