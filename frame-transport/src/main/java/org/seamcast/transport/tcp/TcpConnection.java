package org.seamcast.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.protocol.DecodeResult;
import org.seamcast.codec.protocol.Handshake;
import org.seamcast.codec.protocol.HandshakeResult;
import org.seamcast.codec.protocol.HandshakeRole;
import org.seamcast.codec.protocol.HeartbeatEncoder;
import org.seamcast.codec.protocol.MessageAuthenticator;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.codec.protocol.Protocol;
import org.seamcast.transport.ByteBufAccess;
import org.seamcast.transport.DropReason;
import org.seamcast.transport.LinkMetrics;
import org.seamcast.transport.MessageHandler;
import org.seamcast.transport.Peer;
import org.seamcast.transport.TransportContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One TCP connection between two nodes, either end: the HELLO (and, with a key, HELLO_AUTH) handshake, then
 * validated messages to the {@link MessageHandler}, heartbeats both ways, and a peer that falls behind is dropped
 * from and, if it stays behind, cut off. A keyed acceptor sends its HELLO only once the connector's has arrived, and
 * then signs its link messages with the connector's key (see {@link Handshake}). When this node holds no key that
 * may sign audio (an edge), audio signed with keys it does not hold is accepted unverified once the peer has proven
 * a key in the handshake: the relay verified it, and an edge must not hold a key that could forge it.
 *
 * <p>Threading: one instance per channel; its state is confined to the channel's event loop except {@link #send}
 * and {@link #flush}, which one owner thread calls (the agent that answers or the link's owner): {@code send} copies
 * each message into a batch buffer, {@code flush} puts the batch on a bounded queue that the event loop drains in
 * one task with one flush (the outbound mirror of an agent's inbox), so an agent sending many messages per duty
 * cycle costs one pooled buffer and one loop task, not a buffer and a task per message.
 */
final class TcpConnection extends ChannelInboundHandlerAdapter implements Peer, MessageFrameDecoder.Sink
{
    private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Room for a HELLO, HELLO_AUTH or a heartbeat without stream entries, signed. */
    private static final int CONTROL_MESSAGE_CAPACITY = 256;
    /**
     * Batches {@link #send} may hold for the event loop; past this (a resume's replay burst while the loop is busy)
     * the rest go to the loop as write tasks of their own: nothing is dropped for it.
     */
    static final int OUTBOUND_CAPACITY = 1024;
    /**
     * Bytes of one batch: {@link #send} copies messages back to back into a pooled buffer of this size (or of one
     * larger message), so the event loop writes one buffer for many messages and the sender allocates nothing per
     * message; TCP carries them as one stream either way.
     */
    static final int BATCH_CAPACITY = 16 * 1024;

    private final TransportContext ctx;
    private final String path;
    private final LinkMetrics metrics;
    private final MessageHandler handler;
    private final ConnectionListener listener;
    private final MessageAuthenticator authenticator;
    private final MessageDecoder decoder;
    private final Handshake handshake;
    private final boolean connector;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer writeView = new UnsafeBuffer(0, 0);
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final ManyToOneConcurrentArrayQueue<ByteBuf> outbound =
        new ManyToOneConcurrentArrayQueue<>(OUTBOUND_CAPACITY);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** The batch {@link #send} is filling, and its memory: owner thread only. */
    private ByteBuf batch;
    private final UnsafeBuffer batchView = new UnsafeBuffer(0, 0);
    private final Runnable drain = this::drainOutbound;
    private volatile Channel channel;
    private ScheduledFuture<?> heartbeatTask;
    private ScheduledFuture<?> handshakeTimeout;
    private long heartbeatSequence;
    private boolean helloSent;
    private volatile String failure;
    private volatile boolean established;
    private volatile long unwritableSinceNs;
    private volatile String peerName;

    TcpConnection(
        final TransportContext ctx,
        final HandshakeRole role,
        final String path,
        final LinkMetrics metrics,
        final MessageHandler handler,
        final ConnectionListener listener)
    {
        this.ctx = ctx;
        this.path = path;
        this.metrics = metrics;
        this.handler = handler;
        this.listener = listener;
        this.authenticator = ctx.keyring() == null ? null : ctx.keyring().newAuthenticator();
        this.decoder = new MessageDecoder(authenticator);
        this.handshake = new Handshake(role, ctx.nodeName(), authenticator, RANDOM);
        this.connector = role == HandshakeRole.CONNECTOR;
    }

    @Override
    public void channelActive(final ChannelHandlerContext channelCtx)
    {
        channel = channelCtx.channel();
        peerName = String.valueOf(channel.remoteAddress());
        if (handshake.sendsHelloFirst())
        {
            sendHello(channelCtx);
        }
        handshakeTimeout = channelCtx.executor().schedule(() ->
        {
            if (!established)
            {
                metrics.dropped(DropReason.UNAUTHENTICATED);
                LOG.warn("closing {} from {}: no handshake within {} ms", path, peerName, ctx.handshakeTimeoutMs());
                channelCtx.close();
            }
        }, ctx.handshakeTimeoutMs(), TimeUnit.MILLISECONDS);
        channelCtx.fireChannelActive();
    }

    /**
     * A whole message from the framing decoder: checked, then the handshake or the handler.
     */
    @Override
    public void onWholeMessage(final ChannelHandlerContext channelCtx, final ByteBuf in, final int index,
        final int length)
    {
        ByteBufAccess.wrap(view, in, index, length);
        final DecodeResult result = decoder.decode(view, 0, length);
        if (result != DecodeResult.OK)
        {
            metrics.dropped(DropReason.of(result));
            if (!established)
            {
                LOG.warn("closing {} from {}: handshake message refused: {}", path, peerName, result);
                channelCtx.close();
            }
            return;
        }
        metrics.received(length);
        if (!established)
        {
            onHandshakeMessage(channelCtx);
            return;
        }
        if (decoder.type() == MessageType.HELLO || decoder.type() == MessageType.HELLO_AUTH)
        {
            metrics.dropped(DropReason.UNAUTHENTICATED);
            return;
        }
        try
        {
            handler.onMessage(decoder, view, 0, length, this);
        }
        catch (final RuntimeException ex)
        {
            metrics.dropped(DropReason.HANDLER_ERROR);
            LOG.error("handler failed on {} message from {} on {}", decoder.type(), peerName, path, ex);
        }
    }

    private void onHandshakeMessage(final ChannelHandlerContext channelCtx)
    {
        final HandshakeResult result;
        if (decoder.type() == MessageType.HELLO)
        {
            if (decoder.hello().isAuthRequired() && authenticator == null)
            {
                metrics.dropped(DropReason.UNAUTHENTICATED);
                LOG.warn("closing {} to {}: the peer requires a shared key and none is configured here", path,
                    peerName);
                channelCtx.close();
                return;
            }
            result = handshake.onHello(decoder.hello());
            if (result == HandshakeResult.OK && !helloSent)
            {
                sendHello(channelCtx);
            }
            if (result == HandshakeResult.OK && authenticator != null)
            {
                final ByteBuf auth = channelCtx.alloc().directBuffer(CONTROL_MESSAGE_CAPACITY);
                final int length = handshake.encodeHelloAuth(
                    ByteBufAccess.wrap(writeView, auth, 0, auth.capacity()), 0);
                auth.writerIndex(length);
                channelCtx.writeAndFlush(auth);
            }
        }
        else if (decoder.type() == MessageType.HELLO_AUTH)
        {
            result = handshake.onHelloAuth(decoder.helloAuth());
        }
        else
        {
            metrics.dropped(DropReason.UNAUTHENTICATED);
            LOG.warn("closing {} from {}: {} before the handshake completed", path, peerName, decoder.type());
            channelCtx.close();
            return;
        }

        if (result != HandshakeResult.OK)
        {
            metrics.dropped(DropReason.UNAUTHENTICATED);
            LOG.warn("closing {} from {}: handshake refused: {}", path, peerName, result);
            channelCtx.close();
            return;
        }
        if (handshake.isComplete())
        {
            peerName = handshake.peerName().toString();
            if (handshake.isPeerAuthenticated() && !ctx.keyring().verifiesAudio())
            {
                decoder.acceptUnverifiedAudio(true);
            }
            established = true;
            handshakeTimeout.cancel(false);
            heartbeatTask = channelCtx.executor().scheduleAtFixedRate(
                this::sendHeartbeat, 0, ctx.heartbeatIntervalMs(), TimeUnit.MILLISECONDS);
            LOG.info("{} established with {} ({})", path, peerName, channel.remoteAddress());
            listener.onEstablished(this);
        }
    }

    private void sendHello(final ChannelHandlerContext channelCtx)
    {
        helloSent = true;
        final ByteBuf hello = channelCtx.alloc().directBuffer(CONTROL_MESSAGE_CAPACITY);
        final int length = handshake.encodeHello(ByteBufAccess.wrap(writeView, hello, 0, hello.capacity()), 0);
        hello.writerIndex(length);
        channelCtx.writeAndFlush(hello);
    }

    private void sendHeartbeat()
    {
        final ByteBuf heartbeat = channel.alloc().directBuffer(CONTROL_MESSAGE_CAPACITY);
        final int length = heartbeatEncoder
            .wrap(ByteBufAccess.wrap(writeView, heartbeat, 0, heartbeat.capacity()), 0, ctx.nodeName())
            .senderTimeUs(System.currentTimeMillis() * 1000L)
            .heartbeatSequence(heartbeatSequence++)
            .finish(authenticator);
        heartbeat.writerIndex(length);
        if (channel.isWritable())
        {
            channel.writeAndFlush(heartbeat, channel.voidPromise());
        }
        else
        {
            heartbeat.release();
            checkSlowPeer();
        }
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext channelCtx)
    {
        unwritableSinceNs = channelCtx.channel().isWritable() ? 0 : System.nanoTime();
        channelCtx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext channelCtx, final Object evt)
    {
        if (evt instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess())
        {
            onTlsFailure(channelCtx, tls.cause());
            return;
        }
        if (evt instanceof IdleStateEvent)
        {
            LOG.warn("closing {} to {}: silent for {} ms", path, peerName, ctx.idleTimeoutMs());
            channelCtx.close();
            return;
        }
        channelCtx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext channelCtx)
    {
        if (heartbeatTask != null)
        {
            heartbeatTask.cancel(false);
        }
        if (handshakeTimeout != null)
        {
            handshakeTimeout.cancel(false);
        }
        final boolean wasEstablished = established;
        established = false;
        drainOutbound();
        if (wasEstablished)
        {
            listener.onClosed(this);
        }
        channelCtx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext channelCtx, final Throwable cause)
    {
        if (cause instanceof java.nio.channels.ClosedChannelException)
        {
            return;
        }
        if (!established && tlsCause(cause) != null)
        {
            onTlsFailure(channelCtx, cause);
            return;
        }
        LOG.warn("closing {} to {}: {}", path, peerName, cause.toString());
        channelCtx.close();
    }

    private void onTlsFailure(final ChannelHandlerContext channelCtx, final Throwable cause)
    {
        if (failure == null)
        {
            final Throwable tls = tlsCause(cause);
            failure = "TLS handshake failed: " + (tls instanceof NotSslRecordException ?
                "the peer sent something other than TLS (plain TCP?)" : (tls == null ? cause : tls).getMessage());
            metrics.dropped(DropReason.TLS_HANDSHAKE);
            LOG.warn("closing {} to {}: {} ({})", path, peerName, failure, connector ?
                    "the trusted certificates (--tls-trust) must hold the peer's or its issuer's, for the URL's host" :
                    "the peer does not trust this node's certificate, or does not speak TLS");
        }
        channelCtx.close();
    }

    private static Throwable tlsCause(final Throwable cause)
    {
        for (Throwable t = cause; t != null; t = t.getCause())
        {
            if (t instanceof SSLException)
            {
                return t;
            }
        }
        return null;
    }

    @Override
    public String name()
    {
        return peerName;
    }

    @Override
    public String path()
    {
        return path;
    }

    /**
     * Why the connection failed before its handshake completed (a TLS handshake), or null.
     */
    String failure()
    {
        return failure;
    }

    /**
     * Whether the handshake has completed and the connection is open.
     */
    boolean isEstablished()
    {
        return established;
    }

    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        final Channel channel = this.channel;
        if (!established || channel == null || !channel.isActive())
        {
            metrics.dropped(DropReason.NOT_CONNECTED);
            return false;
        }
        if (!channel.isWritable())
        {
            metrics.dropped(DropReason.BACKPRESSURE);
            checkSlowPeer();
            return false;
        }
        metrics.sent(length);
        ByteBuf batch = this.batch;
        if (batch != null && batch.writableBytes() < length)
        {
            publishBatch(channel);
            batch = null;
        }
        if (batch == null)
        {
            batch = channel.alloc().directBuffer(Math.max(BATCH_CAPACITY, length));
            ByteBufAccess.wrap(batchView, batch, 0, batch.capacity());
            this.batch = batch;
        }
        final int at = batch.writerIndex();
        batchView.putBytes(at, buffer, offset, length);
        batch.writerIndex(at + length);
        return true;
    }

    /**
     * Hands the batch being filled to the event loop's queue. Owner thread only.
     */
    private void publishBatch(final Channel channel)
    {
        final ByteBuf batch = this.batch;
        this.batch = null;
        if (!outbound.offer(batch))
        {
            // The queued ones first, then this batch as a task of its own that flushes itself: a drain already
            // pending runs before this task, so its flush would leave this batch written and unflushed.
            scheduleDrain(channel);
            channel.writeAndFlush(batch, channel.voidPromise());
        }
        else if (!established)
        {
            scheduleDrain(channel); // closed meanwhile: the event loop releases what is queued
        }
    }

    /**
     * Writes what {@link #send} queued and flushes once: one event-loop task per {@link #flush}, however many
     * messages, instead of a write task per message. Event loop only.
     */
    private void drainOutbound()
    {
        drainScheduled.set(false);
        final Channel channel = this.channel;
        if (channel == null)
        {
            return;
        }
        ByteBuf message;
        while ((message = outbound.poll()) != null)
        {
            channel.write(message, channel.voidPromise());
        }
        channel.flush();
    }

    /**
     * The batch {@link #send} is filling and no {@link #flush} has published yet, or null: for tests.
     */
    ByteBuf pendingBatch()
    {
        return batch;
    }

    private void checkSlowPeer()
    {
        final long since = unwritableSinceNs;
        if (since != 0 && System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(ctx.slowPeerCutoffMs())
            && channel.isActive())
        {
            unwritableSinceNs = 0;
            LOG.warn("cutting off {} on {}: not reading for over {} ms", peerName, path, ctx.slowPeerCutoffMs());
            channel.close();
        }
    }

    /**
     * Has the event loop write and flush what {@link #send} copied since the last flush. Owner thread only.
     */
    @Override
    public void flush()
    {
        final Channel channel = this.channel;
        if (channel == null)
        {
            return;
        }
        if (batch != null)
        {
            publishBatch(channel);
        }
        scheduleDrain(channel);
    }

    private void scheduleDrain(final Channel channel)
    {
        if (channel.eventLoop().inEventLoop())
        {
            drainOutbound();
        }
        else if (drainScheduled.compareAndSet(false, true))
        {
            channel.eventLoop().execute(drain);
        }
    }

    @Override
    public void close()
    {
        final Channel channel = this.channel;
        if (channel != null)
        {
            channel.close();
        }
    }

    @Override
    public String toString()
    {
        return peerName + " on " + path;
    }
}
