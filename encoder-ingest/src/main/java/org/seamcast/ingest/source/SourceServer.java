package org.seamcast.ingest.source;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.seamcast.ingest.stream.StreamHub;
import org.seamcast.transport.link.NettyTransport;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * An Icecast-compatible source endpoint: encoders connect with {@code SOURCE /mount ICE/1.0} or
 * {@code PUT /mount HTTP/1.1} (with {@code Expect: 100-continue}), HTTP Basic auth as user {@code source}, and
 * stream raw MP3 or ADTS; {@code GET /admin/metadata?mode=updinfo&mount=/m&song=...} (or {@code artist} and
 * {@code title}, or SHOUTcast's {@code /admin.cgi}) sets the title, with the mount's source credentials or the
 * {@link AdminCredentials administrator}'s (see {@link MetadataRequest}). Answers as
 * Icecast does: 401 for bad credentials, 403 "Mountpoint in use", plus 415 for a content type Seamcast does not
 * carry, 408 for a silent client, 431 for an oversized head. See {@link SourceConnectionHandler} for the states.
 *
 * <p>Threading: runs on its own Netty event loop group (not the links'), so a crowd of idle or hostile clients
 * costs the relay links nothing. Each connection's bytes are split, stamped and handed to the fanout on that
 * connection's I/O thread.
 */
public final class SourceServer implements AutoCloseable
{
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ChannelGroup connections;

    private SourceServer(final EventLoopGroup group, final Channel serverChannel, final ChannelGroup connections)
    {
        this.group = group;
        this.serverChannel = serverChannel;
        this.connections = connections;
    }

    /**
     * Limits and timeouts of the server.
     *
     * @param headerTimeoutMs     a client must send its request head within this time.
     * @param sourceIdleTimeoutMs a source silent this long is cut off (its mount is freed).
     * @param maxHeaderBytes      longest request head.
     * @param maxGarbageBytes     a source sending this many bytes without a frame is cut off.
     * @param ioThreads           event loop threads.
     */
    public record Settings(
        long headerTimeoutMs, long sourceIdleTimeoutMs, int maxHeaderBytes, int maxGarbageBytes, int ioThreads)
    {
    }

    /**
     * Binds and starts accepting.
     *
     * @throws IllegalStateException naming the address when it cannot be bound.
     */
    public static SourceServer bind(
        final InetSocketAddress address,
        final Settings settings,
        final StreamHub hub,
        final SourcePasswords passwords,
        final AdminCredentials admin,
        final MeterRegistry registry)
    {
        final NettyTransport transport = NettyTransport.best();
        final EventLoopGroup group = transport.newEventLoopGroup(settings.ioThreads(), "seamcast-source");
        final SourceServerMetrics metrics = new SourceServerMetrics(registry);
        final MetadataEndpoint metadata = new MetadataEndpoint(hub, passwords, admin, metrics);
        final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        try
        {
            final Channel channel = new ServerBootstrap()
                .group(group)
                .channel(transport.serverSocketChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        connections.add(ch);
                        ch.pipeline().addLast("source", new SourceConnectionHandler(settings, hub, passwords, metadata,
                            metrics));
                    }
                })
                .bind(address)
                .syncUninterruptibly()
                .channel();
            return new SourceServer(group, channel, connections);
        }
        // syncUninterruptibly() rethrows a failed bind's checked exception (epoll: NativeIoException) as is
        catch (final Exception ex)
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen for sources on " + address + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The address actually bound (useful with port 0).
     */
    public InetSocketAddress localAddress()
    {
        return (InetSocketAddress)serverChannel.localAddress();
    }

    /**
     * @return open client connections (sources, pending requests).
     */
    public int openConnections()
    {
        return connections.size();
    }

    /**
     * Stops accepting, closes every connection (freeing their mounts) and stops the event loop.
     */
    @Override
    public void close()
    {
        serverChannel.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
