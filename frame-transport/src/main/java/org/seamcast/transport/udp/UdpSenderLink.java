package org.seamcast.transport.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.protocol.Protocol;
import org.seamcast.transport.ByteBufAccess;
import org.seamcast.transport.DropReason;
import org.seamcast.transport.LinkMetrics;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.LinkScheme;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A one-way UDP link to {@code udp://host:port}: offered messages are packed back to back into datagrams of at
 * most {@value Protocol#MAX_DATAGRAM_LENGTH} bytes, and {@link #flush()} sends the one being filled. Nothing here
 * waits: a message too large for a datagram is dropped as {@link DropReason#OVERSIZED}, and while the socket's
 * send buffer is above its high water mark messages are dropped as {@link DropReason#BACKPRESSURE}.
 *
 * <p>UDP has no connection: {@link #isConnected()} only says the socket is bound and the destination resolved.
 * Whether anyone receives is learnt from the heartbeats the far end's edges and relays report, not from here.
 *
 * <p>Threading: {@link #offer} and {@link #flush} are called by one owner thread; the datagram is written by the
 * channel's event loop. {@link #isConnected()} and {@link #problem()} may be called from any thread.
 */
public final class UdpSenderLink implements MessageLink
{
    private static final Logger LOG = LoggerFactory.getLogger(UdpSenderLink.class);

    /** Smallest message there is, so a datagram holds at most this many. */
    private static final int MAX_MESSAGES_PER_DATAGRAM = Protocol.MAX_DATAGRAM_LENGTH / Protocol.MIN_MESSAGE_LENGTH;

    private final TransportContext ctx;
    private final LinkAddress address;
    private final LinkMetrics metrics;
    private final int[] pendingLengths = new int[MAX_MESSAGES_PER_DATAGRAM];
    private final long retryIntervalNs;
    private ByteBuf pending;
    /** The memory of {@link #pending}, written through Agrona: owner thread only. */
    private final UnsafeBuffer pendingView = new UnsafeBuffer(0, 0);
    private int pendingMessages;
    private long lastAttemptNs;
    private volatile Channel channel;
    private volatile String problem = "not bound yet";
    private volatile boolean closed;

    private UdpSenderLink(final TransportContext ctx, final LinkAddress address)
    {
        this.ctx = ctx;
        this.address = address;
        this.metrics = new LinkMetrics(ctx.registry(), address.toString());
        this.retryIntervalNs = ctx.reconnectMaxDelayNs();
    }

    /**
     * Binds a socket on an ephemeral port and aims it at {@code address} (a {@code udp://host:port} URL). A host
     * that does not resolve yet is tried again, at most once per reconnect interval, while messages are dropped.
     */
    public static UdpSenderLink open(final TransportContext ctx, final LinkAddress address)
    {
        if (address.scheme() != LinkScheme.UDP)
        {
            throw new IllegalArgumentException("UdpSenderLink cannot send to " + address);
        }
        address.requireDestination();
        final UdpSenderLink link = new UdpSenderLink(ctx, address);
        link.metrics.up(link);
        link.tryBind();
        return link;
    }

    private void tryBind()
    {
        lastAttemptNs = System.nanoTime();
        final InetSocketAddress destination;
        try
        {
            destination = new InetSocketAddress(
                InetAddress.getByName(address.socketAddress().getHostString()), address.port());
        }
        catch (final java.net.UnknownHostException ex)
        {
            problem = "cannot resolve " + address + ": " + ex.getMessage();
            return;
        }
        final int highWaterMarkBytes = ctx.writeHighWaterMarkBytes();
        final Bootstrap bootstrap = new Bootstrap()
            .group(ctx.eventLoopGroup())
            .channel(ctx.nettyTransport().datagramChannel())
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(highWaterMarkBytes / 2, highWaterMarkBytes))
            .handler(new DiscardInbound());
        try
        {
            // Connected, so the kernel routes once and a datagram is a bare ByteBuf with no envelope to allocate.
            final Channel bound = bootstrap.connect(destination).syncUninterruptibly().channel();
            if (closed)
            {
                bound.close();
                return;
            }
            channel = bound;
            problem = null;
        }
        catch (final RuntimeException ex)
        {
            problem = "cannot open a UDP socket to " + address + ": " + ex.getMessage();
        }
    }

    @Override
    public LinkAddress address()
    {
        return address;
    }

    @Override
    public boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        final Channel channel = this.channel;
        if (channel == null || closed)
        {
            return drop(DropReason.NOT_CONNECTED);
        }
        if (length > Protocol.MAX_DATAGRAM_LENGTH)
        {
            return drop(DropReason.OVERSIZED);
        }
        if (!channel.isWritable())
        {
            return drop(DropReason.BACKPRESSURE);
        }
        if (pending != null && pending.readableBytes() + length > Protocol.MAX_DATAGRAM_LENGTH)
        {
            sendPending(channel);
        }
        if (pending == null)
        {
            pending = channel.alloc().directBuffer(Protocol.MAX_DATAGRAM_LENGTH, Protocol.MAX_DATAGRAM_LENGTH);
            ByteBufAccess.wrap(pendingView, pending, 0, Protocol.MAX_DATAGRAM_LENGTH);
        }
        final int at = pending.writerIndex();
        pendingView.putBytes(at, buffer, offset, length);
        pending.writerIndex(at + length);
        pendingLengths[pendingMessages++] = length;
        return true;
    }

    private boolean drop(final DropReason reason)
    {
        metrics.dropped(reason);
        return false;
    }

    @Override
    public void flush()
    {
        final Channel channel = this.channel;
        if (channel == null)
        {
            if (!closed && System.nanoTime() - lastAttemptNs >= retryIntervalNs)
            {
                tryBind();
            }
            return;
        }
        if (pending != null)
        {
            sendPending(channel);
        }
    }

    private void sendPending(final Channel channel)
    {
        final ByteBuf datagram = pending;
        final int messages = pendingMessages;
        pending = null;
        pendingMessages = 0;
        if (!channel.isWritable())
        {
            datagram.release();
            for (int i = 0; i < messages; i++)
            {
                metrics.dropped(DropReason.BACKPRESSURE);
            }
            return;
        }
        for (int i = 0; i < messages; i++)
        {
            metrics.sent(pendingLengths[i]);
        }
        channel.writeAndFlush(datagram, channel.voidPromise());
    }

    /**
     * True once the socket is bound and aimed at a resolved destination; says nothing about a receiver.
     */
    @Override
    public boolean isConnected()
    {
        final Channel channel = this.channel;
        return channel != null && channel.isActive() && !closed;
    }

    @Override
    public String problem()
    {
        if (closed)
        {
            return "closed";
        }
        return isConnected() ? null : problem;
    }

    public LinkMetrics metrics()
    {
        return metrics;
    }

    /**
     * Drops any datagram not yet flushed and closes the socket; idempotent. Call from the owner thread.
     */
    @Override
    public void close()
    {
        closed = true;
        if (pending != null)
        {
            pending.release();
            pending = null;
            pendingMessages = 0;
        }
        final Channel channel = this.channel;
        if (channel != null)
        {
            channel.close().syncUninterruptibly();
        }
    }

    /**
     * A sending socket expects nothing back; anything that arrives (and ICMP errors reported as exceptions on a
     * connected socket, e.g. nobody listening yet) is discarded without alarm.
     */
    private static final class DiscardInbound extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            LOG.debug("UDP send socket {}: {}", ctx.channel().remoteAddress(), cause.toString());
        }
    }
}
