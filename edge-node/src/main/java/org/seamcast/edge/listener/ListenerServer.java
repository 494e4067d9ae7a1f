package org.seamcast.edge.listener;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import org.seamcast.transport.link.NettyTransport;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Icecast-compatible HTTP server listeners, players and an Icecast {@code <relay>} or {@code <master-server>}
 * connect to: {@code GET /mount} streams audio with {@code icy-*} headers (ICY metadata only when asked for),
 * {@code /admin/streamlist.txt} and {@code /status-json.xsl} describe the mounts as Icecast does.
 */
public final class ListenerServer implements AutoCloseable
{
    private final ListenerServerContext ctx;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ConcurrentHashMap<String, MountPoint> mounts;
    private final ListenerCounters counters;

    private ListenerServer(
        final ListenerServerContext ctx,
        final EventLoopGroup group,
        final Channel serverChannel,
        final ConcurrentHashMap<String, MountPoint> mounts,
        final ListenerCounters counters)
    {
        this.ctx = ctx;
        this.group = group;
        this.serverChannel = serverChannel;
        this.mounts = mounts;
        this.counters = counters;
    }

    /**
     * Binds and starts serving; {@code ctx} must be concluded.
     */
    public static ListenerServer start(final ListenerServerContext ctx)
    {
        final NettyTransport transport = NettyTransport.best();
        final EventLoopGroup group = transport.newEventLoopGroup(ctx.ioThreads(), "seamcast-listeners");
        final ConcurrentHashMap<String, MountPoint> mounts = new ConcurrentHashMap<>();
        final ListenerCounters counters = new ListenerCounters();
        final long startedEpochMs = System.currentTimeMillis();
        try
        {
            final Channel channel = new ServerBootstrap()
                .group(group)
                .channel(transport.serverSocketChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                    new WriteBufferWaterMark(ctx.maxQueuedBytes() / 2, ctx.maxQueuedBytes()))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        ch.pipeline()
                            .addLast(ListenerRequestHandler.IDLE_HANDLER_NAME,
                                new IdleStateHandler(ctx.requestTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS))
                            .addLast(ListenerRequestHandler.DECODER_NAME,
                                new HttpRequestDecoder(4096, ctx.maxHeaderBytes(), 8192))
                            .addLast(new ListenerRequestHandler(ctx, mounts, counters, startedEpochMs));
                    }
                })
                .bind(ctx.bindAddress())
                .syncUninterruptibly()
                .channel();
            return new ListenerServer(ctx, group, channel, mounts, counters);
        }
        // syncUninterruptibly() rethrows a failed bind's checked exception (epoll: NativeIoException) as is
        catch (final Exception ex)
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException(
                "cannot bind listener HTTP on " + ctx.bindAddress() + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The mount for {@code name} (e.g. {@code /live}), created with {@code headers} if new.
     */
    public MountPoint openMount(final String name, final StreamHeaders headers)
    {
        if (!name.startsWith("/") || name.length() < 2)
        {
            throw new IllegalArgumentException("mount '" + name + "' must start with '/' and have a name");
        }
        return mounts.computeIfAbsent(name, n -> new MountPoint(n, headers, group.next(), ctx, counters, ByteBufAllocator.DEFAULT));
    }

    /**
     * The mount called {@code name}, or null.
     */
    public MountPoint mount(final String name)
    {
        return mounts.get(name);
    }

    public Collection<MountPoint> mounts()
    {
        return mounts.values();
    }

    /** Listeners connected now, across all mounts. */
    public int listenerCount()
    {
        return counters.listeners.get();
    }

    /** Listeners sent to a sibling edge because this one was full. */
    public long listenersRedirected()
    {
        return counters.redirected.get();
    }

    /** Listeners dropped for not reading fast enough, across all mounts. */
    public long listenersDroppedSlow()
    {
        return counters.droppedSlow.get();
    }

    /**
     * The I/O threads listeners (and pushes to Icecast) run on.
     */
    EventLoopGroup eventLoopGroup()
    {
        return group;
    }

    ListenerServerContext context()
    {
        return ctx;
    }

    public InetSocketAddress localAddress()
    {
        return (InetSocketAddress)serverChannel.localAddress();
    }

    @Override
    public void close()
    {
        serverChannel.close().syncUninterruptibly();
        for (final MountPoint mount : mounts.values())
        {
            mount.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
