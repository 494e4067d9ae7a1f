package org.seamcast.transport.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import org.agrona.DirectBuffer;
import org.seamcast.codec.protocol.HandshakeRole;
import org.seamcast.transport.DropReason;
import org.seamcast.transport.LinkMetrics;
import org.seamcast.transport.MessageHandler;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.Peer;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.LinkScheme;
import org.seamcast.transport.link.ReconnectBackoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A TCP link this node dials: it connects, handshakes, and when the connection drops or cannot be made, tries
 * again after a jittered exponential backoff, forever, until closed. Messages offered while it is down are dropped
 * and counted. Inbound messages (an edge's subscribed audio) go to the handler.
 */
public final class TcpClientLink implements MessageLink
{
    private static final Logger LOG = LoggerFactory.getLogger(TcpClientLink.class);

    private final TransportContext ctx;
    private final LinkAddress address;
    private final LinkMetrics metrics;
    private final Bootstrap bootstrap;
    private final ReconnectBackoff backoff;
    private final ConnectionListener listener;
    private volatile TcpConnection connection;
    /**
     * The connection {@link #offer} last copied into, whose batch {@link #flush} must publish even if a reconnect
     * has replaced it meanwhile: the link's owner thread only.
     */
    private TcpConnection offeredTo;
    private volatile Channel channel;
    private volatile String problem = "not connected yet";
    private volatile boolean closed;
    private volatile int connects;

    private TcpClientLink(
        final TransportContext ctx,
        final LinkAddress address,
        final MessageHandler handler,
        final ConnectionListener listener)
    {
        this.ctx = ctx;
        this.address = address;
        this.listener = listener;
        this.metrics = new LinkMetrics(ctx.registry(), address.toString());
        this.backoff = new ReconnectBackoff(ctx.reconnectInitialDelayNs(), ctx.reconnectMaxDelayNs(), System.nanoTime());
        final SslContext ssl = address.tls() ? TcpPipeline.clientSsl(ctx) : null;
        final String path = address.toString();
        final ConnectionListener tracking = new ConnectionListener()
        {
            @Override
            public void onEstablished(final Peer peer)
            {
                backoff.reset();
                problem = null;
                if (connects++ > 0)
                {
                    metrics.reconnected();
                }
                listener.onEstablished(peer);
            }

            @Override
            public void onClosed(final Peer peer)
            {
                listener.onClosed(peer);
            }
        };
        this.bootstrap = new Bootstrap()
            .group(ctx.eventLoopGroup())
            .channel(ctx.nettyTransport().socketChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)Math.min(Integer.MAX_VALUE, ctx.handshakeTimeoutMs()))
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, TcpPipeline.waterMark(ctx))
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    connection = TcpPipeline.install(ch, ctx, ssl, HandshakeRole.CONNECTOR, path, metrics, handler,
                        tracking, address.host(), address.port());
                }
            });
    }

    /**
     * Starts dialling {@code address} (a {@code tcp://} URL) and keeps the link up until {@link #close()}.
     */
    public static TcpClientLink connect(
        final TransportContext ctx,
        final LinkAddress address,
        final MessageHandler handler,
        final ConnectionListener listener)
    {
        if (address.scheme() != LinkScheme.TCP)
        {
            throw new IllegalArgumentException("TcpClientLink cannot dial " + address);
        }
        address.requireDestination();
        final TcpClientLink link = new TcpClientLink(ctx, address, handler, listener);
        link.metrics.up(link);
        link.dial();
        return link;
    }

    private void dial()
    {
        if (closed)
        {
            return;
        }
        final ChannelFuture future = bootstrap.connect(
            new InetSocketAddress(address.socketAddress().getHostString(), address.port()));
        channel = future.channel();
        future.addListener(f ->
        {
            if (!f.isSuccess())
            {
                problem = "cannot connect to " + address + ": " + f.cause().getMessage();
                scheduleRedial();
                return;
            }
            future.channel().closeFuture().addListener(c ->
            {
                final TcpConnection closed = connection;
                final String failure = closed == null ? null : closed.failure();
                if (failure != null)
                {
                    problem = "connection to " + address + " closed: " + failure;
                }
                else if (problem == null)
                {
                    problem = "connection to " + address + " closed";
                }
                LOG.info("link {} down; reconnecting", address);
                scheduleRedial();
            });
        });
    }

    private void scheduleRedial()
    {
        if (closed)
        {
            return;
        }
        final long delayNs = backoff.nextDelayNs();
        ctx.eventLoopGroup().schedule(this::dial, delayNs, TimeUnit.NANOSECONDS);
    }

    @Override
    public LinkAddress address()
    {
        return address;
    }

    @Override
    public boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        final TcpConnection connection = this.connection;
        if (connection == null)
        {
            metrics.dropped(DropReason.NOT_CONNECTED);
            return false;
        }
        if (connection != offeredTo)
        {
            flush(); // what went into the replaced connection's batch goes to its (closed) channel, which frees it
            offeredTo = connection;
        }
        return connection.send(buffer, offset, length);
    }

    @Override
    public void flush()
    {
        final TcpConnection offered = offeredTo;
        if (offered != null)
        {
            offered.flush();
        }
    }

    /**
     * The current connection, or null before the first one: for tests.
     */
    TcpConnection connection()
    {
        return connection;
    }

    @Override
    public boolean isConnected()
    {
        final TcpConnection connection = this.connection;
        return connection != null && connection.isEstablished();
    }

    @Override
    public String problem()
    {
        return isConnected() ? null : problem;
    }

    public LinkMetrics metrics()
    {
        return metrics;
    }

    @Override
    public void close()
    {
        closed = true;
        final Channel channel = this.channel;
        if (channel != null)
        {
            channel.close().syncUninterruptibly();
        }
    }
}
