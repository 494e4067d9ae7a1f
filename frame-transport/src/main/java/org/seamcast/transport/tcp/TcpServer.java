package org.seamcast.transport.tcp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.seamcast.codec.protocol.HandshakeRole;
import org.seamcast.transport.InboundEndpoint;
import org.seamcast.transport.LinkMetrics;
import org.seamcast.transport.MessageHandler;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.LinkScheme;

import java.net.InetSocketAddress;

/**
 * Accepts TCP links from other nodes (ingests and upstream relays sending, edges and downstream relays
 * subscribing) on one address; every connection is handshaken, validated and counted under the server's path.
 */
public final class TcpServer implements InboundEndpoint
{
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final LinkMetrics metrics;
    private final String path;

    private TcpServer(final Channel serverChannel, final ChannelGroup connections, final LinkMetrics metrics,
        final String path)
    {
        this.serverChannel = serverChannel;
        this.connections = connections;
        this.metrics = metrics;
        this.path = path;
    }

    /**
     * Binds {@code address} (a {@code tcp://} link URL; port 0 picks one) and starts accepting.
     */
    public static TcpServer bind(
        final TransportContext ctx,
        final LinkAddress address,
        final MessageHandler handler,
        final ConnectionListener listener)
    {
        if (address.scheme() != LinkScheme.TCP)
        {
            throw new IllegalArgumentException("TcpServer cannot listen on " + address);
        }
        final SslContext ssl = address.tls() ? TcpPipeline.serverSsl(ctx) : null;
        if (address.tls() && ssl == null)
        {
            throw new IllegalArgumentException(
                "listen address " + address + " asks for TLS but no certificate and key are configured");
        }
        final String path = address.toString();
        final LinkMetrics metrics = new LinkMetrics(ctx.registry(), path);
        final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        try
        {
            final Channel channel = new ServerBootstrap()
                .group(ctx.eventLoopGroup())
                .channel(ctx.nettyTransport().serverSocketChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, TcpPipeline.waterMark(ctx))
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        connections.add(ch);
                        TcpPipeline.install(ch, ctx, ssl, HandshakeRole.ACCEPTOR, path, metrics, handler, listener,
                            null, 0);
                    }
                })
                .bind(new InetSocketAddress(address.socketAddress().getHostString(), address.port()))
                .syncUninterruptibly()
                .channel();
            return new TcpServer(channel, connections, metrics, path);
        }
        // syncUninterruptibly() rethrows a failed bind's checked exception (epoll: NativeIoException) as is
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot listen on " + address + ": " + ex.getMessage(), ex);
        }
    }

    public InetSocketAddress localAddress()
    {
        return (InetSocketAddress)serverChannel.localAddress();
    }

    @Override
    public int localPort()
    {
        return localAddress().getPort();
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

    @Override
    public void close()
    {
        serverChannel.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
    }
}
