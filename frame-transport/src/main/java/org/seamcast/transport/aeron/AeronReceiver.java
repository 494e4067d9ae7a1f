package org.seamcast.transport.aeron;

import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.transport.InboundEndpoint;
import org.seamcast.transport.LinkMetrics;
import org.seamcast.transport.MessageHandler;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.LinkScheme;
import org.seamcast.transport.udp.DatagramDispatcher;
import org.seamcast.transport.udp.DatagramPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Receives an Aeron link: a subscription on {@code aeron+udp://host:port} (unicast; port 0 picks one) or
 * {@code mcast://group:port?interface=ADDR} (joins the group on that interface), polled by an {@link Agent} on its
 * own thread. Every reassembled message is validated as on UDP (CRC, MAC policy, bounds) before the handler sees
 * it; what fails is counted by reason and the rest of that Aeron message discarded.
 *
 * <p>The peer given to the handler is named after the publisher's source address ({@code ip:port}) and cannot
 * answer ({@link DatagramPeer}).
 *
 * <p>Threading: the handler runs on this receiver's agent thread, {@code seamcast-aeron-rx-NODE}.
 */
public final class AeronReceiver implements InboundEndpoint
{
    private static final Logger LOG = LoggerFactory.getLogger(AeronReceiver.class);

    /** Fragments taken per duty cycle, so one busy publisher cannot hold the thread for long. */
    static final int FRAGMENT_LIMIT = 64;

    /** How long {@link #localPort()} may wait for the driver to report the port it bound. */
    private static final long RESOLVE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final LinkAddress address;
    private final String path;
    private final AeronMedia media;
    private final Subscription subscription;
    private final LinkMetrics metrics;
    private final AgentRunner runner;
    private boolean closed;

    private AeronReceiver(
        final LinkAddress address, final AeronMedia media, final Subscription subscription, final LinkMetrics metrics,
        final AgentRunner runner)
    {
        this.address = address;
        this.path = address.toString();
        this.media = media;
        this.subscription = subscription;
        this.metrics = metrics;
        this.runner = runner;
    }

    /**
     * Adds the subscription through the node's {@link AeronMedia} and starts polling it.
     *
     * @throws IllegalStateException when the driver refuses the channel (address in use, no such interface).
     */
    public static AeronReceiver bind(
        final TransportContext ctx, final LinkAddress address, final MessageHandler handler)
    {
        if (address.scheme() != LinkScheme.AERON_UDP && address.scheme() != LinkScheme.MULTICAST)
        {
            throw new IllegalArgumentException("AeronReceiver cannot listen on " + address);
        }
        final String channel = AeronChannels.subscription(address);
        final AeronMedia media = AeronMedia.acquire(ctx);
        final Subscription subscription;
        try
        {
            subscription = media.aeron().addSubscription(channel, AeronChannels.STREAM_ID);
        }
        catch (final RuntimeException ex)
        {
            media.release();
            throw new IllegalStateException("cannot listen on " + address + " (" + channel + "): " + ex.getMessage(),
                ex);
        }
        final String path = address.toString();
        final LinkMetrics metrics = new LinkMetrics(ctx.registry(), path);
        final MessageDecoder decoder = new MessageDecoder(
            ctx.keyring() == null ? null : ctx.keyring().newAuthenticator());
        final ReceiveAgent agent = new ReceiveAgent(
            "seamcast-aeron-rx-" + ctx.nodeName(), subscription, path, metrics, decoder, handler);
        final IdleStrategy idle = AeronMedia.idleStrategy();
        final AgentRunner runner = new AgentRunner(idle,
            ex -> LOG.warn("Aeron receiver {}: {}", path, ex.toString()), null, agent);
        AgentRunner.startOnThread(runner, task ->
        {
            final Thread thread = new Thread(task, agent.roleName());
            thread.setDaemon(true);
            return thread;
        });
        return new AeronReceiver(address, media, subscription, metrics, runner);
    }

    /**
     * The UDP port the subscription is bound to: the one chosen by the driver when listening on port 0, the group's
     * port for multicast.
     */
    @Override
    public int localPort()
    {
        if (address.port() != 0)
        {
            return address.port();
        }
        final long deadlineNs = System.nanoTime() + RESOLVE_TIMEOUT_NS;
        final IdleStrategy idle = new BackoffIdleStrategy();
        String endpoint;
        while ((endpoint = subscription.resolvedEndpoint()) == null)
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("the media driver has not reported the port bound for " + path);
            }
            idle.idle();
        }
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    @Override
    public LinkMetrics metrics()
    {
        return metrics;
    }

    @Override
    public String path()
    {
        return path;
    }

    /**
     * Whether at least one publisher's image is connected.
     */
    public boolean isConnected()
    {
        return subscription.isConnected();
    }

    /**
     * Stops the agent thread, closes the subscription and gives back the node's media; idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        runner.close();
        media.release();
    }

    /**
     * Polls the subscription; every reassembled message is validated and handed on. Confined to the agent thread.
     */
    private static final class ReceiveAgent implements Agent, FragmentHandler
    {
        private final String roleName;
        private final Subscription subscription;
        private final String path;
        private final LinkMetrics metrics;
        private final DatagramDispatcher dispatcher;
        private final FragmentAssembler assembler = new FragmentAssembler(this);
        private final Int2ObjectHashMap<DatagramPeer> peers = new Int2ObjectHashMap<>();

        ReceiveAgent(
            final String roleName, final Subscription subscription, final String path, final LinkMetrics metrics,
            final MessageDecoder decoder, final MessageHandler handler)
        {
            this.roleName = roleName;
            this.subscription = subscription;
            this.path = path;
            this.metrics = metrics;
            this.dispatcher = new DatagramDispatcher(path, metrics, decoder, handler);
        }

        @Override
        public int doWork()
        {
            return subscription.poll(assembler, FRAGMENT_LIMIT);
        }

        @Override
        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            dispatcher.dispatch(buffer, offset, length, peer(header.sessionId()));
        }

        private DatagramPeer peer(final int sessionId)
        {
            DatagramPeer peer = peers.get(sessionId);
            if (peer == null)
            {
                if (peers.size() >= 1024)
                {
                    peers.clear();
                }
                final Image image = subscription.imageBySessionId(sessionId);
                final String name = image != null ? image.sourceIdentity() : "aeron-session-" + sessionId;
                peer = new DatagramPeer(name, path, metrics);
                peers.put(sessionId, peer);
            }
            return peer;
        }

        @Override
        public void onClose()
        {
            subscription.close();
        }

        @Override
        public String roleName()
        {
            return roleName;
        }
    }
}
