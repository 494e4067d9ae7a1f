package org.seamcast.edge.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.seamcast.edge.listener.IcecastPush;
import org.seamcast.edge.listener.ListenerServer;
import org.seamcast.transport.AgentThreads;
import org.seamcast.transport.DeadlineIdleStrategy;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.Peer;
import org.seamcast.transport.MessageHandler;
import org.seamcast.transport.ThreadingMode;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.http.HttpReply;
import org.seamcast.transport.http.NodeHttpServer;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.LinkScheme;
import org.seamcast.transport.link.Links;
import org.seamcast.transport.tcp.ConnectionListener;
import org.seamcast.transport.tcp.TcpClientLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running edge: subscribed to every configured relay over TCP, listening where relays forward over UDP, Aeron or
 * multicast, merging every copy through one playout engine per mount, serving listeners over Icecast-compatible HTTP and operators over {@code /metrics}, {@code /health} and
 * {@code /status.json}.
 *
 * <p>Threads: Netty I/O threads for the relay links and for listeners, the admin HTTP thread, and the playout agents
 * ({@link EdgeContext#playoutThreads()}, one by default), each owning the mounts whose name hashes to it
 * ({@link PlayoutShards}), run as {@link EdgeContext#threadingMode()} says: each on an event loop of the relay links
 * (the default, so a frame read and the slot it fills share a wake-up), each on a thread of its own, or one stepped by
 * the caller through {@link #invoker()}. The relay links hand messages to a playout agent through its bounded
 * {@link ManyToOneRingBuffer}, whichever thread it runs on.
 */
public final class EdgeNode implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(EdgeNode.class);

    /**
     * The playout thread, when idle, parks until its next slot or timer is due (at least 50 us), and the I/O threads
     * wake it when they put a message in its inbox, so a copy does not wait there for a slot: that matters for a
     * backup whose offset is capped (its copies arrive with only the offset headroom to spare; a 20 ms park made one
     * miss its slot in the lagging-backup fault test). It used to wake every millisecond to look at the inbox, most
     * of what an edge playing one mount to nobody cost. The longest park, 100 ms, is only a safety net: every mount
     * has housekeeping due each 50 ms.
     */
    private static final long IDLE_MIN_PARK_NS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long IDLE_MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final PrometheusMeterRegistry registry;
    private final TransportContext transport;
    private final ListenerServer listeners;
    private final List<EdgePath> paths;
    private final PlayoutShards shards;
    private final List<AgentThreads> agents;
    private final NodeHttpServer admin;

    private EdgeNode(
        final PrometheusMeterRegistry registry,
        final TransportContext transport,
        final ListenerServer listeners,
        final List<EdgePath> paths,
        final PlayoutShards shards,
        final List<AgentThreads> agents,
        final NodeHttpServer admin)
    {
        this.registry = registry;
        this.transport = transport;
        this.listeners = listeners;
        this.paths = paths;
        this.shards = shards;
        this.agents = agents;
        this.admin = admin;
    }

    /**
     * Starts an edge, concluding {@code ctx} if it is not yet; on failure what was started is closed again.
     *
     * @throws IllegalArgumentException for a bad setting, {@link IllegalStateException} when an address cannot be
     *                                  bound.
     */
    public static EdgeNode start(final EdgeContext ctx)
    {
        if (!ctx.isConcluded())
        {
            ctx.conclude();
        }
        final PrometheusMeterRegistry registry = ctx.registry();
        final TransportContext transport = ctx.transport();
        final EpochNanoClock clock = ctx.clock();
        ListenerServer listeners = null;
        PlayoutShards shards = null;
        final List<AgentThreads> agents = new ArrayList<>();
        final List<EdgePath> paths = new ArrayList<>();
        try
        {
            listeners = ListenerServer.start(ctx.listeners());
            final Counter inboxFull = Counter.builder("seamcast.edge.inbox.drops")
                .description("messages from the relay links dropped because a playout thread's inbox was full")
                .register(registry);
            final List<EdgePath> pathView = Collections.unmodifiableList(paths);
            final PlayoutShards playout = new PlayoutShards(ctx, pathView, listeners, registry, clock);
            shards = playout;
            for (final LinkAddress address : ctx.relays())
            {
                final int pathId = paths.size();
                final MessageHandler toInbox = new PathInbox(pathId, playout, clock, inboxFull);
                if (address.scheme() == LinkScheme.TCP)
                {
                    final boolean subscribed = !ctx.repairOnly().contains(address);
                    paths.add(EdgePath.dialled(pathId, subscribed ? EdgePath.Kind.SUBSCRIBED : EdgePath.Kind.REPAIR,
                        TcpClientLink.connect(transport, address, toInbox, subscribed ? new ConnectionListener()
                        {
                            @Override
                            public void onEstablished(final Peer peer)
                            {
                                playout.established(pathId);
                            }
                        } : ConnectionListener.NONE)));
                }
                else
                {
                    paths.add(EdgePath.listening(pathId, Links.listen(transport, address, toInbox,
                        ConnectionListener.NONE)));
                }
            }
            for (final EdgePath path : paths)
            {
                EdgeMetrics.path(registry, path, playout::lastHeardNs, clock);
                Gauge.builder("seamcast.edge.path.delay", playout.pathDelays(), d -> d.delaySeconds(path.id()))
                    .description("ingest clock to edge clock over the path, from stream heartbeats, smoothed")
                    .baseUnit("seconds").tag("path", path.address()).register(registry);
            }
            final Iterator<EventExecutor> loops = transport.eventLoopGroup().iterator();
            for (int shard = 0; shard < playout.count(); shard++)
            {
                final PlayoutAgent agent = playout.agent(shard);
                agents.add(AgentThreads.start(ctx.threadingMode(), agent,
                    ctx.threadingMode() == ThreadingMode.IO_LOOP ? loops.next() : null,
                    new DeadlineIdleStrategy(
                        agent::nextDeadlineNs, clock, IDLE_MIN_PARK_NS, IDLE_MAX_PARK_NS,
                        TimeUnit.MILLISECONDS.toNanos(ctx.playoutSlackMs()), playout.wakeup(shard), agent::hasInput),
                    error -> LOG.error("playout error", error),
                    new DefaultThreadFactory(playout.count() == 1 ? "seamcast-edge" : "seamcast-edge-" + shard,
                        false)));
            }
            final NodeHttpServer admin = ctx.adminAddress() == null ? null : EdgeStatusPage.register(
                    NodeHttpServer.builder(registry, "edge", ctx.nodeName()))
                .route("/status.json", (path, query) -> HttpReply.json(playout.status()))
                .healthCheck(() -> problems(pathView, playout, clock.nanoTime()))
                .bind(ctx.adminAddress());
            LOG.info("edge {} serving listeners on {}, relays {}", ctx.nodeName(), listeners.localAddress(),
                ctx.relays());
            return new EdgeNode(registry, transport, listeners, paths, playout, agents, admin);
        }
        catch (final RuntimeException ex)
        {
            paths.forEach(EdgePath::close);
            agents.forEach(AgentThreads::close);
            if (shards != null)
            {
                shards.close();
            }
            if (listeners != null)
            {
                listeners.close();
            }
            transport.close();
            throw ex;
        }
    }

    private static List<String> problems(final List<EdgePath> paths, final PlayoutShards shards, final long nowNs)
    {
        final List<String> pushProblems = new ArrayList<>();
        for (final IcecastPush push : shards.pushes())
        {
            if (!push.isStreaming())
            {
                pushProblems.add("push: " + push.problem());
            }
        }
        final List<String> down = new ArrayList<>();
        for (final EdgePath path : paths)
        {
            final String problem = path.kind() == EdgePath.Kind.REPAIR ? null
                : path.problem(shards.lastHeardNs(path.id()), nowNs);
            if (problem != null)
            {
                down.add("relay " + path.address() + ": " + problem);
            }
        }
        final long feeding = paths.stream().filter(p -> p.kind() != EdgePath.Kind.REPAIR).count();
        if (down.size() < feeding)
        {
            return pushProblems;
        }
        final List<String> problems = new ArrayList<>();
        problems.add("no relay connected");
        problems.addAll(down);
        problems.addAll(pushProblems);
        return problems;
    }

    /**
     * Where listeners connect.
     */
    public InetSocketAddress listenerAddress()
    {
        return listeners.localAddress();
    }

    /**
     * Where {@code /metrics}, {@code /health} and {@code /status.json} are served, or null.
     */
    public InetSocketAddress adminAddress()
    {
        return admin == null ? null : admin.localAddress();
    }

    public ListenerServer listeners()
    {
        return listeners;
    }

    /**
     * @return the TCP links to relays, subscribed or repair-only, in path order.
     */
    public List<MessageLink> links()
    {
        final List<MessageLink> links = new ArrayList<>();
        for (final EdgePath path : paths)
        {
            if (path.link() != null)
            {
                links.add(path.link());
            }
        }
        return links;
    }

    /**
     * The status as JSON, each playout thread rendering its mounts for this read unless its part is younger than
     * 250 ms.
     */
    public String statusJson()
    {
        return shards.status();
    }

    /**
     * The per-mount status, as fresh as {@link #statusJson()}.
     */
    public List<MountStatus> mountStatus()
    {
        return shards.mountStatus();
    }

    public PrometheusMeterRegistry registry()
    {
        return registry;
    }

    /**
     * @return the playout agent's duty cycle to invoke when the context's threading mode is {@code INVOKER} (which
     * runs one), else null.
     */
    public AgentInvoker invoker()
    {
        return agents.get(0).invoker();
    }

    @Override
    public void close()
    {
        if (admin != null)
        {
            admin.close();
        }
        paths.forEach(EdgePath::close);
        agents.forEach(AgentThreads::close);
        shards.close();
        listeners.close();
        transport.close();
        registry.close();
    }
}
