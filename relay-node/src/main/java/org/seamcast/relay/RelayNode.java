package org.seamcast.relay;

import io.netty.util.concurrent.DefaultThreadFactory;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.seamcast.transport.AgentThreads;
import org.seamcast.transport.AgentWakeup;
import org.seamcast.transport.DeadlineIdleStrategy;
import org.seamcast.transport.InboundEndpoint;
import org.seamcast.transport.MessageHandler;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.http.NodeHttpServer;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.LinkScheme;
import org.seamcast.transport.link.Links;
import org.seamcast.transport.tcp.ConnectionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running relay: it listens on every configured address, subscribes to its upstream relays, forwards to its
 * forward links, and runs the relay core ({@link RelayAgent}) as the context's threading mode says: on an event loop
 * of its I/O, on its own thread, or stepped by the caller through {@link #invoker()}. See {@code docs/relay.md}.
 *
 * <pre>
 *   try (RelayNode relay = RelayNode.launch(new RelayContext().listen(LinkAddress.parse("tcp://0.0.0.0:9001"))))
 *   {
 *       ...
 *   }
 * </pre>
 *
 * <p>Threading: {@link #launch} and {@link #close} from one owner thread; the query methods from any thread.
 */
public final class RelayNode implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RelayNode.class);
    private static final MessageHandler IGNORE = (message, buffer, offset, length, from) -> { };
    private static final long IDLE_MIN_PARK_NS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long IDLE_MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final RelayContext ctx;
    private final RelayMetrics metrics;
    private final List<InboundEndpoint> listeners = new ArrayList<>();
    private final List<MessageLink> upstreams = new ArrayList<>();
    private final List<MessageLink> forwards = new ArrayList<>();
    private AgentThreads agents;
    private NodeHttpServer adminServer;
    private volatile boolean closed;

    private RelayNode(final RelayContext ctx, final RelayMetrics metrics)
    {
        this.ctx = ctx;
        this.metrics = metrics;
    }

    /**
     * Concludes {@code ctx} if it is not yet, binds every listen address, dials upstreams and forward links, starts
     * the admin HTTP server and the relay core.
     *
     * @throws IllegalArgumentException for a bad setting; {@link IllegalStateException} when an address cannot be
     *                                  bound. Whatever was opened is closed again.
     */
    public static RelayNode launch(final RelayContext ctx)
    {
        if (!ctx.isConcluded())
        {
            ctx.conclude();
        }
        final RelayMetrics metrics = new RelayMetrics(ctx.registry());
        final RelayNode node = new RelayNode(ctx, metrics);
        try
        {
            node.start();
            return node;
        }
        catch (final RuntimeException ex)
        {
            node.close();
            throw ex;
        }
    }

    private void start()
    {
        final ManyToOneRingBuffer dataQueue = newQueue(ctx.inboundQueueBytes());
        final ManyToOneRingBuffer controlQueue = newQueue(ctx.controlQueueBytes());
        metrics.queueGauge("data", dataQueue);
        metrics.queueGauge("control", controlQueue);
        final AgentWakeup wakeup = new AgentWakeup();
        final InboundProxy proxy = new InboundProxy(dataQueue, controlQueue, metrics, wakeup, ctx.clock(),
            TimeUnit.MICROSECONDS.toNanos(ctx.batchUs()));
        final RelayAgent agent = new RelayAgent(ctx, proxy, dataQueue, controlQueue, metrics);

        final List<String> inboundPaths = new ArrayList<>();
        final int pathCount = ctx.listenAddresses().size() + ctx.upstreamAddresses().size();
        final boolean[] datagramPaths = new boolean[pathCount];
        final boolean[] upstreamPaths = new boolean[pathCount];
        for (final LinkAddress address : ctx.listenAddresses())
        {
            datagramPaths[inboundPaths.size()] = address.scheme() != LinkScheme.TCP;
            final InboundEndpoint endpoint = Links.listen(ctx.transport(), address, proxy.handler(inboundPaths.size()),
                proxy.listener(inboundPaths.size(), false));
            listeners.add(endpoint);
            inboundPaths.add(boundPath(address, endpoint));
        }
        for (final LinkAddress address : ctx.upstreamAddresses())
        {
            upstreamPaths[inboundPaths.size()] = true;
            upstreams.add(Links.dial(ctx.transport(), address, proxy.handler(inboundPaths.size()),
                proxy.listener(inboundPaths.size(), true)));
            inboundPaths.add(address.toString());
        }
        metrics.inboundPaths(inboundPaths);
        agent.inboundPaths(datagramPaths, upstreamPaths);
        for (final LinkAddress address : ctx.forwardAddresses())
        {
            final MessageLink link = Links.dial(ctx.transport(), address, IGNORE, ConnectionListener.NONE);
            forwards.add(link);
            agent.addForwardLink(link);
        }

        agents = AgentThreads.start(ctx.threadingMode(), agent, ctx.transport().eventLoopGroup().next(),
            // Each wake-up ends in a flush, i.e. a write for every subscriber, so waking for every copy (one every
            // ~26 us at Davecast's load) cost more CPU than forwarding it: after waking for a copy the core gathers
            // for a batch (RelayContext.batchUs, a few milliseconds per hop, small beside the edge's playout delay),
            // and with nothing arriving it sleeps until a timer or a copy wakes it.
            new DeadlineIdleStrategy(agent::nextDeadlineNs, ctx.clock(), IDLE_MIN_PARK_NS, IDLE_MAX_PARK_NS,
                0, wakeup, agent::hasInput),
            error -> LOG.error("{}: relay core error", ctx.nodeName(), error),
            // a FastThreadLocalThread, so the copies it allocates for every frame come from a pooled-buffer cache
            new DefaultThreadFactory("seamcast-relay", false));

        if (ctx.adminAddress() != null)
        {
            adminServer = NodeHttpServer.builder(ctx.registry(), "relay", ctx.nodeName())
                .healthCheck(this::problems)
                .bind(ctx.adminAddress());
        }
        LOG.info("{}: relay listening on {}, upstream {}, forwarding to {}", ctx.nodeName(),
            ctx.listenAddresses(), ctx.upstreamAddresses(), ctx.forwardAddresses());
    }

    /**
     * The listen URL with the port actually bound, so two port-0 listeners count apart.
     */
    private static String boundPath(final LinkAddress address, final InboundEndpoint endpoint)
    {
        if (address.port() != 0)
        {
            return endpoint.path();
        }
        return address.scheme().scheme() + "://" + address.host() + ":" + endpoint.localPort();
    }

    private static ManyToOneRingBuffer newQueue(final int capacityBytes)
    {
        return new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacityBytes + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /**
     * Why the relay is not healthy now, one reason an entry; empty when it is. Served on {@code /health}.
     */
    public List<String> problems()
    {
        final List<String> problems = new ArrayList<>();
        if (closed)
        {
            problems.add("relay " + ctx.nodeName() + " is closed");
            return problems;
        }
        if (!ctx.listenAddresses().isEmpty() && listeners.size() < ctx.listenAddresses().size())
        {
            problems.add("listeners bound=" + listeners.size() + " of " + ctx.listenAddresses().size());
        }
        if (agents == null || !agents.isRunning())
        {
            problems.add("relay core is not running");
        }
        if (!upstreams.isEmpty())
        {
            final StringBuilder reasons = new StringBuilder();
            for (final MessageLink upstream : upstreams)
            {
                if (upstream.isConnected())
                {
                    return problems;
                }
                reasons.append(reasons.length() == 0 ? "" : "; ").append(upstream.problem());
            }
            problems.add("no upstream connected: " + reasons);
        }
        return problems;
    }

    /**
     * The port actually bound by the listen address at {@code index} (in the order configured).
     */
    public int listenPort(final int index)
    {
        return listeners.get(index).localPort();
    }

    public List<InboundEndpoint> listeners()
    {
        return List.copyOf(listeners);
    }

    /**
     * The admin HTTP address actually bound, or null when none is served.
     */
    public InetSocketAddress adminAddress()
    {
        return adminServer == null ? null : adminServer.localAddress();
    }

    /**
     * @return the relay core's duty cycle to invoke when the context's threading mode is {@code INVOKER}, else null.
     */
    public AgentInvoker invoker()
    {
        return agents == null ? null : agents.invoker();
    }

    public RelayContext context()
    {
        return ctx;
    }

    /**
     * How many messages the relay core has dropped for {@code reason}.
     */
    public double drops(final RelayDropReason reason)
    {
        return metrics.drops(reason);
    }

    /**
     * Stops serving: admin HTTP, listeners, upstream and forward links, the relay core, then the I/O threads.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        closeQuietly(adminServer);
        listeners.forEach(RelayNode::closeQuietly);
        upstreams.forEach(RelayNode::closeQuietly);
        closeQuietly(agents);
        forwards.forEach(RelayNode::closeQuietly);
        closeQuietly(ctx.transport());
        LOG.info("{}: relay closed", ctx.nodeName());
    }

    private static void closeQuietly(final AutoCloseable closeable)
    {
        if (closeable == null)
        {
            return;
        }
        try
        {
            closeable.close();
        }
        catch (final Exception ex)
        {
            LOG.warn("closing {} failed: {}", closeable, ex.toString());
        }
    }
}
