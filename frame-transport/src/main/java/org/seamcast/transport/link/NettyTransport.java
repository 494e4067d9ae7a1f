package org.seamcast.transport.link;

import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.nio.channels.spi.SelectorProvider;

/**
 * Netty's native epoll transport where the platform has it, NIO otherwise: the event loop groups and channel
 * classes that go together.
 */
public enum NettyTransport
{
    /** Linux native epoll. */
    EPOLL,
    /** Portable Java NIO. */
    NIO;

    /**
     * The best transport this JVM can use.
     */
    public static NettyTransport best()
    {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /**
     * A new event loop group of {@code threads} daemon threads named after {@code name}.
     */
    public EventLoopGroup newEventLoopGroup(final int threads, final String name)
    {
        return newEventLoopGroup(threads, name, 0);
    }

    /**
     * A new event loop group of {@code threads} daemon threads named after {@code name}, each looking for I/O at most
     * once per {@code pollPeriodNs} while it keeps coming ({@link PacedSelectStrategy}), or on every event for 0.
     */
    public EventLoopGroup newEventLoopGroup(final int threads, final String name, final long pollPeriodNs)
    {
        final SelectStrategyFactory strategies = pollPeriodNs > 0
            ? () -> new PacedSelectStrategy(pollPeriodNs)
            : DefaultSelectStrategyFactory.INSTANCE;
        final IoHandlerFactory factory = this == EPOLL
            ? EpollIoHandler.newFactory(0, strategies)
            : NioIoHandler.newFactory(SelectorProvider.provider(), strategies);
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    public Class<? extends ServerChannel> serverSocketChannel()
    {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> socketChannel()
    {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public Class<? extends DatagramChannel> datagramChannel()
    {
        return this == EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }
}
