package org.seamcast.edge.listener;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

/**
 * Settings of the listener-facing HTTP server, with Icecast-like defaults, validated once by {@link #conclude()}.
 */
public final class ListenerServerContext
{
    /** Icecast's default {@code icy-metaint}. */
    public static final int DEFAULT_ICY_METAINT_BYTES = 16_000;

    /** Icecast's default burst-size: enough for a player to start at once. */
    public static final int DEFAULT_BURST_BYTES = 65_536;

    /** A listener with this much unsent audio queued is too slow and is dropped (about 30 s of 128 kbit/s). */
    public static final int DEFAULT_MAX_QUEUED_BYTES = 512 * 1024;

    /** A connection that has not sent a complete request within this time is closed. */
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

    /** Longest request line plus headers accepted; larger requests get 431. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 8_192;

    /** 0 means no limit. */
    public static final int DEFAULT_MAX_LISTENERS = 0;

    public static final int DEFAULT_IO_THREADS = 1;

    private InetSocketAddress bindAddress = new InetSocketAddress("0.0.0.0", 8000);
    private int icyMetaintBytes = DEFAULT_ICY_METAINT_BYTES;
    private int burstBytes = DEFAULT_BURST_BYTES;
    private int maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
    private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
    private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
    private int maxListeners = DEFAULT_MAX_LISTENERS;
    private int ioThreads = DEFAULT_IO_THREADS;
    private List<URI> redirectTargets = List.of();
    private String serverName = "Seamcast";
    private boolean concluded;

    /**
     * Validates every setting once; a bad one is refused with its name, value and limit.
     */
    public ListenerServerContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("ListenerServerContext already concluded");
        }
        requireRange("icyMetaintBytes", icyMetaintBytes, 256, 1 << 20);
        requireRange("burstBytes", burstBytes, 0, 16 << 20);
        requireRange("maxQueuedBytes", maxQueuedBytes, 16 * 1024, 256 << 20);
        requireRange("maxHeaderBytes", maxHeaderBytes, 1024, 1 << 20);
        requireRange("maxListeners", maxListeners, 0, 1_000_000);
        requireRange("ioThreads", ioThreads, 1, 256);
        if (requestTimeoutMs < 100 || requestTimeoutMs > 600_000)
        {
            throw new IllegalArgumentException(
                "requestTimeoutMs=" + requestTimeoutMs + " is not in 100..600000");
        }
        if (maxQueuedBytes <= burstBytes)
        {
            throw new IllegalArgumentException(
                "maxQueuedBytes=" + maxQueuedBytes + " must be > burstBytes=" + burstBytes
                + " or every listener would be dropped at connect");
        }
        for (final URI target : redirectTargets)
        {
            if (!"http".equals(target.getScheme()) && !"https".equals(target.getScheme()) || target.getHost() == null)
            {
                throw new IllegalArgumentException("redirect target '" + target + "' is not an http(s)://host URL");
            }
        }
        concluded = true;
        return this;
    }

    private static void requireRange(final String name, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + "=" + value + " is not in " + min + ".." + max);
        }
    }

    public InetSocketAddress bindAddress()
    {
        return bindAddress;
    }

    public ListenerServerContext bindAddress(final InetSocketAddress bindAddress)
    {
        this.bindAddress = bindAddress;
        return this;
    }

    public int icyMetaintBytes()
    {
        return icyMetaintBytes;
    }

    public ListenerServerContext icyMetaintBytes(final int icyMetaintBytes)
    {
        this.icyMetaintBytes = icyMetaintBytes;
        return this;
    }

    public int burstBytes()
    {
        return burstBytes;
    }

    public ListenerServerContext burstBytes(final int burstBytes)
    {
        this.burstBytes = burstBytes;
        return this;
    }

    public int maxQueuedBytes()
    {
        return maxQueuedBytes;
    }

    public ListenerServerContext maxQueuedBytes(final int maxQueuedBytes)
    {
        this.maxQueuedBytes = maxQueuedBytes;
        return this;
    }

    public long requestTimeoutMs()
    {
        return requestTimeoutMs;
    }

    public ListenerServerContext requestTimeoutMs(final long requestTimeoutMs)
    {
        this.requestTimeoutMs = requestTimeoutMs;
        return this;
    }

    public int maxHeaderBytes()
    {
        return maxHeaderBytes;
    }

    public ListenerServerContext maxHeaderBytes(final int maxHeaderBytes)
    {
        this.maxHeaderBytes = maxHeaderBytes;
        return this;
    }

    public int maxListeners()
    {
        return maxListeners;
    }

    public ListenerServerContext maxListeners(final int maxListeners)
    {
        this.maxListeners = maxListeners;
        return this;
    }

    public int ioThreads()
    {
        return ioThreads;
    }

    public ListenerServerContext ioThreads(final int ioThreads)
    {
        this.ioThreads = ioThreads;
        return this;
    }

    /**
     * Sibling edges a listener is sent to (302, round robin) when this edge is full.
     */
    public List<URI> redirectTargets()
    {
        return redirectTargets;
    }

    public ListenerServerContext redirectTargets(final List<URI> redirectTargets)
    {
        this.redirectTargets = List.copyOf(redirectTargets);
        return this;
    }

    public String serverName()
    {
        return serverName;
    }

    public ListenerServerContext serverName(final String serverName)
    {
        this.serverName = serverName;
        return this;
    }
}
