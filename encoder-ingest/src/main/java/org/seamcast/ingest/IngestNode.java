package org.seamcast.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.ingest.file.FileSource;
import org.seamcast.ingest.pull.HttpPullSource;
import org.seamcast.ingest.send.RelayFanout;
import org.seamcast.ingest.source.AdminCredentials;
import org.seamcast.ingest.source.SourcePasswords;
import org.seamcast.ingest.source.SourceServer;
import org.seamcast.ingest.stamp.EpochSource;
import org.seamcast.ingest.stream.StreamBeats;
import org.seamcast.ingest.stream.StreamHub;
import org.seamcast.transport.AgentThreads;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.http.HttpReply;
import org.seamcast.transport.http.NodeHttpServer;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.Links;
import org.seamcast.transport.tcp.ConnectionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running ingest: takes audio from encoders (Icecast-compatible source server, HTTP pulls, files), stamps every
 * frame and sends it to every relay.
 * <pre>
 *   encoder --SOURCE/PUT--&gt; SourceServer (Netty I/O thread) --+
 *   HTTP server &lt;--GET-- HttpPullSource (its own thread) -------+--&gt; SourceSession: split, stamp, encode FRAME
 *   file --&gt; FileSource (its own thread, paced on the clock) ---+         |
 *                                                                        v
 *            Repeater agent (announces every announceIntervalMs,
 *                            stream heartbeats, see StreamBeats) --------&gt; RelayFanout.publish (never blocks)
 *                                                                        |  one bounded queue per destination
 *                                                                        v
 *                                  DestinationSender agent per relay --&gt; MessageLink.offer / flush
 * </pre>
 * Threading: the thread that reads a source does the splitting, stamping and encoding, then hands the message to
 * the fanout's per-destination queues; only each destination's agent touches its link. The agents (the repeater
 * and one sender per relay) run as {@link IngestContext#threadingMode()} says: a thread each, one thread for all,
 * or stepped by the caller through {@link #invoker()}. Admin HTTP runs on its own event loop.
 */
public final class IngestNode implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(IngestNode.class);

    /** Idle, an agent parks at most 1 ms: a frame waits no longer than that in a destination's queue. */
    private static final long IDLE_MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final IngestContext ctx;
    private TransportContext transport;
    private RelayFanout fanout;
    private StreamHub hub;
    private StreamBeats beats;
    private AgentThreads agents;
    private SourceServer sourceServer;
    private final List<HttpPullSource> pulls = new ArrayList<>();
    private final List<FileSource> files = new ArrayList<>();
    private NodeHttpServer admin;
    private volatile boolean closed;

    private IngestNode(final IngestContext ctx)
    {
        this.ctx = ctx;
    }

    /**
     * Concludes {@code ctx} and starts everything it configures; on failure, what was started is closed again.
     *
     * @throws IllegalArgumentException for a bad setting, {@link IllegalStateException} when an address cannot
     * be bound.
     */
    public static IngestNode launch(final IngestContext ctx)
    {
        ctx.conclude();
        final IngestNode node = new IngestNode(ctx);
        try
        {
            node.start();
        }
        catch (final RuntimeException ex)
        {
            node.close();
            throw ex;
        }
        return node;
    }

    private void start()
    {
        transport = ctx.transport();
        final List<MessageLink> links = new ArrayList<>();
        try
        {
            for (final LinkAddress relay : ctx.relays())
            {
                links.add(ctx.linkFactory() != null ? ctx.linkFactory().apply(relay) :
                    Links.dial(transport, relay, (message, buffer, offset, length, from) -> {}, ConnectionListener.NONE));
            }
        }
        catch (final RuntimeException ex)
        {
            links.forEach(MessageLink::close);
            throw ex;
        }
        fanout = new RelayFanout(links, ctx.queueCapacityMessages(), ctx.registry());
        hub = new StreamHub(NodeName.of(ctx.nodeName()), ctx.encoderId(), ctx.priority(), ctx.keyring(), fanout,
            ctx.clock(), new EpochSource(() -> ctx.clock().nanoTime() / 1_000_000), ctx.registry(), ctx.maxSlewPpm());

        beats = new StreamBeats(NodeName.of(ctx.nodeName()), ctx.encoderId(),
            ctx.keyring() == null ? null : ctx.keyring().newAuthenticator(), fanout::publish,
            ctx.heartbeatIntervalMs(), ctx.heartbeatQuietMs(), StreamBeats.DEFAULT_LINGER_MS,
            ctx.clock().nanoTime() / 1000);
        hub.beats(beats);
        FunctionCounter.builder("seamcast.ingest.heartbeats", beats, StreamBeats::heartbeatsSent)
            .description("stream-position heartbeats published (each goes to every relay)").register(ctx.registry());

        final List<Agent> duties = new ArrayList<>(fanout.senders());
        duties.add(new Repeater(hub, beats, ctx.clock(), ctx.announceIntervalMs(), ctx.registry()));
        final Counter senderErrors = errors(ctx.registry(), "sender");
        final Counter agentErrors = Counter.builder("seamcast.ingest.sender.errors")
            .description("errors thrown in the per-relay sender agents (counted, then they carry on)")
            .register(ctx.registry());
        agents = AgentThreads.start(ctx.threadingMode(), duties,
            () -> new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), IDLE_MAX_PARK_NS),
            throwable ->
            {
                agentErrors.increment();
                senderErrors.increment();
                LOG.warn("sender error", throwable);
            },
            // Netty's FastThreadLocalThreads, as the source threads are: heartbeats come from the pooled-buffer cache
            new DefaultThreadFactory("seamcast-ingest", true));

        if (ctx.sourceListenAddress() != null)
        {
            sourceServer = SourceServer.bind(ctx.sourceListenAddress(),
                new SourceServer.Settings(ctx.headerTimeoutMs(), ctx.sourceIdleTimeoutMs(), ctx.maxHeaderBytes(),
                    ctx.maxGarbageBytes(), ctx.sourceIoThreads()),
                hub, new SourcePasswords(ctx.sourcePassword(), ctx.mountPasswords()),
                new AdminCredentials(ctx.adminUser(), ctx.adminPassword()), ctx.registry());
        }
        final HttpPullSource.Settings pullSettings = new HttpPullSource.Settings(ctx.pullConnectTimeoutMs(),
            ctx.pullReadTimeoutMs(), ctx.pullReconnectInitialMs(), ctx.pullReconnectMaxMs(),
            IngestContext.DEFAULT_PULL_MAX_REDIRECTS);
        for (final IngestContext.Pull pull : ctx.pulls())
        {
            pulls.add(new HttpPullSource(pull.url(), pull.mount(), pullSettings, hub, ctx.registry()).start());
        }
        for (final IngestContext.FileInput file : ctx.files())
        {
            files.add(new FileSource(file.file(), file.mount(), file.loop(), hub, ctx.clock()).start());
        }
        if (ctx.adminAddress() != null)
        {
            admin = NodeHttpServer.builder(ctx.registry(), "ingest", ctx.nodeName())
                .healthCheck(this::problems)
                .route("/status.json", (path, query) -> HttpReply.json(statusJson()))
                .bind(ctx.adminAddress());
        }
        LOG.info("ingest {} (encoder {}, priority {}) sending to {}", ctx.nodeName(), ctx.encoderId(),
            ctx.priority(), ctx.relays());
    }

    /**
     * @return why the node is unhealthy (no source connected, no relay reachable), or an empty list.
     */
    public List<String> problems()
    {
        final List<String> problems = new ArrayList<>();
        if (hub.liveCount() == 0)
        {
            final StringBuilder why = new StringBuilder("no source connected");
            for (final HttpPullSource pull : pulls)
            {
                final String problem = pull.problem();
                if (problem != null)
                {
                    why.append("; ").append(problem);
                }
            }
            problems.add(why.toString());
        }
        boolean anyConnected = false;
        final StringBuilder why = new StringBuilder("no relay reachable");
        for (final MessageLink link : fanout.links())
        {
            if (link.isConnected())
            {
                anyConnected = true;
            }
            else
            {
                why.append("; ").append(link.address()).append(": ").append(link.problem());
            }
        }
        if (!anyConnected)
        {
            problems.add(why.toString());
        }
        return problems;
    }

    private String statusJson()
    {
        return IngestStatusJson.render(ctx.nodeName(), ctx.encoderId(), ctx.priority(), hub.liveMounts(), fanout);
    }

    public IngestContext context()
    {
        return ctx;
    }

    /**
     * @return the source server's bound address, or null when none runs.
     */
    public InetSocketAddress sourceAddress()
    {
        return sourceServer == null ? null : sourceServer.localAddress();
    }

    /**
     * @return the admin HTTP server's bound address, or null when none runs.
     */
    public InetSocketAddress adminAddress()
    {
        return admin == null ? null : admin.localAddress();
    }

    /**
     * @return the agents' duty cycle to invoke when the context's threading mode is {@code INVOKER}, else null.
     */
    public AgentInvoker invoker()
    {
        return agents == null ? null : agents.invoker();
    }

    public StreamHub streams()
    {
        return hub;
    }

    public RelayFanout fanout()
    {
        return fanout;
    }

    /**
     * Stops the inputs first (so their mounts end), then the repeater, the senders and links, admin HTTP and the
     * I/O threads. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        quietly(sourceServer);
        pulls.forEach(IngestNode::quietly);
        files.forEach(IngestNode::quietly);
        quietly(agents);
        quietly(fanout);
        quietly(admin);
        quietly(transport);
    }

    /**
     * The counter of errors survived by the ingest's loops, by where they happened.
     */
    static Counter errors(final MeterRegistry registry, final String where)
    {
        return Counter.builder("seamcast.ingest.errors").tag("where", where)
            .description("errors caught and counted by the ingest, by where they happened").register(registry);
    }

    private static void quietly(final AutoCloseable closeable)
    {
        if (closeable != null)
        {
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
}
