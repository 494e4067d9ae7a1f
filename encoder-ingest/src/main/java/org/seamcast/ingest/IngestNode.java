package org.seamcast.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running ingest: takes audio from encoders (Icecast-compatible source server, HTTP pulls, files), stamps every
 * frame and sends it to every relay.
 * <pre>
 *   encoder --SOURCE/PUT--&gt; SourceServer (Netty I/O thread) --+
 *   HTTP server &lt;--GET-- HttpPullSource (its own thread) -------+--&gt; SourceSession: split, stamp, encode FRAME
 *   file --&gt; FileSource (its own thread, real-time) ----------+         |
 *                                                                        v
 *            repeater (one thread: announces every announceIntervalMs,
 *                      stream heartbeats, see StreamBeats) --------------&gt; RelayFanout.publish (never blocks)
 *                                                                        |  one bounded queue per destination
 *                                                                        v
 *                                  DestinationSender agent per relay --&gt; MessageLink.offer / flush
 * </pre>
 * Threading: the thread that reads a source does the splitting, stamping and encoding, then hands the message to
 * the fanout's per-destination queues; only each destination's agent touches its link. Admin HTTP runs on its own
 * event loop.
 */
public final class IngestNode implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(IngestNode.class);

    /** How often the repeater looks whether a stream heartbeat is due: a quiet stream's is at most this late. */
    private static final long HEARTBEAT_TICK_MS = 20;

    private final IngestContext ctx;
    private TransportContext transport;
    private RelayFanout fanout;
    private StreamHub hub;
    private StreamBeats beats;
    private ScheduledExecutorService repeater;
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
        transport = new TransportContext()
            .nodeName(ctx.nodeName())
            .keyring(ctx.keyring())
            .registry(ctx.registry())
            .tls(ctx.tls())
            .conclude();
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
        final Counter senderErrors = Counter.builder("seamcast.ingest.errors").tag("where", "sender")
            .description("errors caught and counted by the ingest, by where they happened").register(ctx.registry());
        fanout = new RelayFanout(links, ctx.queueCapacityMessages(), ctx.senderThreading(), ctx.registry(),
            throwable ->
            {
                senderErrors.increment();
                LOG.warn("sender error", throwable);
            });
        hub = new StreamHub(NodeName.of(ctx.nodeName()), ctx.encoderId(), ctx.priority(), ctx.keyring(), fanout,
            ctx.clock(), new EpochSource(() -> ctx.clock().nanoTime() / 1_000_000), ctx.registry(), ctx.maxSlewPpm());

        beats = new StreamBeats(NodeName.of(ctx.nodeName()), ctx.encoderId(),
            ctx.keyring() == null ? null : ctx.keyring().newAuthenticator(), fanout::publish,
            ctx.heartbeatIntervalMs(), ctx.heartbeatQuietMs(), StreamBeats.DEFAULT_LINGER_MS,
            ctx.clock().nanoTime() / 1000);
        hub.beats(beats);
        FunctionCounter.builder("seamcast.ingest.heartbeats", beats, StreamBeats::heartbeatsSent)
            .description("stream-position heartbeats published (each goes to every relay)").register(ctx.registry());

        final Counter repeaterErrors = Counter.builder("seamcast.ingest.errors").tag("where", "announce")
            .description("errors caught and counted by the ingest, by where they happened").register(ctx.registry());
        repeater = Executors.newSingleThreadScheduledExecutor(r ->
        {
            // a FastThreadLocalThread, as the source threads are: heartbeats come from its pooled-buffer cache
            final Thread thread = new io.netty.util.concurrent.FastThreadLocalThread(r, "seamcast-ingest-repeater");
            thread.setDaemon(true);
            return thread;
        });
        repeater.scheduleAtFixedRate(() ->
        {
            try
            {
                hub.repeatAnnouncements();
            }
            catch (final RuntimeException ex)
            {
                repeaterErrors.increment();
                LOG.warn("announce repeat failed", ex);
            }
        }, ctx.announceIntervalMs(), ctx.announceIntervalMs(), TimeUnit.MILLISECONDS);
        final Counter beatErrors = Counter.builder("seamcast.ingest.errors").tag("where", "heartbeat")
            .description("errors caught and counted by the ingest, by where they happened").register(ctx.registry());
        repeater.scheduleAtFixedRate(() ->
        {
            try
            {
                beats.doWork(ctx.clock().nanoTime());
            }
            catch (final RuntimeException ex)
            {
                beatErrors.increment();
                LOG.warn("heartbeat failed", ex);
            }
        }, HEARTBEAT_TICK_MS, HEARTBEAT_TICK_MS, TimeUnit.MILLISECONDS);

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
            files.add(new FileSource(file.file(), file.mount(), file.loop(), hub).start());
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
        if (repeater != null)
        {
            repeater.shutdownNow();
            try
            {
                repeater.awaitTermination(5, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        quietly(fanout);
        quietly(admin);
        quietly(transport);
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
