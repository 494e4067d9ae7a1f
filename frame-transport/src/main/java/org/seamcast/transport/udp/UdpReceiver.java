package org.seamcast.transport.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramPacket;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.Protocol;
import org.seamcast.transport.ByteBufAccess;
import org.seamcast.transport.DropReason;
import org.seamcast.transport.InboundEndpoint;
import org.seamcast.transport.LinkMetrics;
import org.seamcast.transport.MessageHandler;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.LinkScheme;
import org.seamcast.transport.link.NettyTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Receives datagrams on {@code udp://host:port} and hands every valid message in them to a
 * {@link MessageHandler}. A datagram is read message by message from offset 0; the first message that fails
 * validation (short, corrupt, unsigned when a key is required, wrong key) is counted by its reason and the rest of
 * that datagram is discarded, since nothing after a bad length can be trusted. A datagram larger than
 * {@value Protocol#MAX_DATAGRAM_LENGTH} bytes is dropped whole as {@link DropReason#OVERSIZED}.
 *
 * <p>The {@link org.seamcast.transport.Peer} given to the handler is named after the sender's address; it cannot
 * answer (UDP receivers are one-way), so its {@code send} drops and counts {@link DropReason#NOT_CONNECTED}.
 *
 * <p>Threading: the handler runs on the socket's Netty event loop, one datagram at a time.
 */
public final class UdpReceiver implements InboundEndpoint
{
    private static final Logger LOG = LoggerFactory.getLogger(UdpReceiver.class);

    /**
     * Bytes read per datagram: above the largest valid datagram, so an oversized one is seen as such (truncated
     * to this length) rather than mistaken for a short one.
     */
    static final int READ_BUFFER_BYTES = 2048;

    /**
     * Datagrams one read takes at most where the transport can (epoll: {@code recvmmsg}), each in its
     * {@link #READ_BUFFER_BYTES} of one buffer: a relay whose loop reads once per batch finds tens ready at once, and
     * a system call each cost more than handling them. Eight fill 16 KiB, the largest buffer Netty's allocator
     * pools when the heap is small; a larger one is a zeroed {@code allocateDirect} per read.
     */
    static final int DATAGRAMS_PER_READ = 8;

    /** Senders remembered by address so a datagram allocates no peer; forgotten all at once past this many. */
    static final int MAX_REMEMBERED_PEERS = 1024;

    private final Channel channel;
    private final LinkMetrics metrics;
    private final String path;

    private UdpReceiver(final Channel channel, final LinkMetrics metrics, final String path)
    {
        this.channel = channel;
        this.metrics = metrics;
        this.path = path;
    }

    /**
     * Binds {@code address} (a {@code udp://} URL; port 0 picks one) with a socket receive buffer of
     * {@link TransportContext#udpReceiveBufferBytes()} and starts receiving.
     *
     * @throws IllegalStateException when the address cannot be bound.
     */
    public static UdpReceiver bind(final TransportContext ctx, final LinkAddress address, final MessageHandler handler)
    {
        if (address.scheme() != LinkScheme.UDP)
        {
            throw new IllegalArgumentException("UdpReceiver cannot listen on " + address);
        }
        final String path = address.toString();
        final LinkMetrics metrics = new LinkMetrics(ctx.registry(), path);
        final MessageDecoder decoder = new MessageDecoder(
            ctx.keyring() == null ? null : ctx.keyring().newAuthenticator());
        try
        {
            final Bootstrap bootstrap = new Bootstrap()
                .group(ctx.eventLoopGroup())
                .channel(ctx.nettyTransport().datagramChannel())
                .option(ChannelOption.SO_RCVBUF, ctx.udpReceiveBufferBytes());
            if (ctx.nettyTransport() == NettyTransport.EPOLL)
            {
                bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, READ_BUFFER_BYTES)
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                        new FixedRecvByteBufAllocator(READ_BUFFER_BYTES * DATAGRAMS_PER_READ));
            }
            else
            {
                bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(READ_BUFFER_BYTES));
            }
            final Channel channel = bootstrap
                .handler(new DatagramHandler(path, metrics, decoder, handler))
                .bind(new InetSocketAddress(address.socketAddress().getHostString(), address.port()))
                .syncUninterruptibly()
                .channel();
            return new UdpReceiver(channel, metrics, path);
        }
        // syncUninterruptibly() rethrows a failed bind's checked exception (epoll: NativeIoException) as is
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot listen on " + address + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public int localPort()
    {
        return ((InetSocketAddress)channel.localAddress()).getPort();
    }

    /**
     * How many datagrams one read of the socket may take: {@link #DATAGRAMS_PER_READ} with epoll, else 1.
     */
    int datagramsPerRead()
    {
        final Integer payload = channel.config().getOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE);
        return payload == null || payload == 0 ? 1 : DATAGRAMS_PER_READ;
    }

    /**
     * The socket receive buffer the kernel granted, which may be less than asked for (capped by
     * {@code net.core.rmem_max}).
     */
    public int receiveBufferBytes()
    {
        return channel.config().getOption(ChannelOption.SO_RCVBUF);
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
        channel.close().syncUninterruptibly();
    }

    /**
     * Validates each datagram message by message; one per socket, confined to its event loop.
     */
    private static final class DatagramHandler extends SimpleChannelInboundHandler<DatagramPacket>
    {
        private final String path;
        private final LinkMetrics metrics;
        private final DatagramDispatcher dispatcher;
        private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        private final Map<InetSocketAddress, DatagramPeer> peers = new HashMap<>();

        DatagramHandler(
            final String path, final LinkMetrics metrics, final MessageDecoder decoder, final MessageHandler handler)
        {
            this.path = path;
            this.metrics = metrics;
            this.dispatcher = new DatagramDispatcher(path, metrics, decoder, handler);
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet)
        {
            final ByteBuf content = packet.content();
            final int datagramLength = content.readableBytes();
            dispatcher.dispatch(ByteBufAccess.wrapReadable(view, content), 0, datagramLength, peer(packet.sender()));
        }

        private DatagramPeer peer(final InetSocketAddress sender)
        {
            DatagramPeer peer = peers.get(sender);
            if (peer == null)
            {
                if (peers.size() >= MAX_REMEMBERED_PEERS)
                {
                    peers.clear();
                }
                peer = new DatagramPeer(sender.getAddress().getHostAddress() + ":" + sender.getPort(), path, metrics);
                peers.put(sender, peer);
            }
            return peer;
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            LOG.warn("UDP receiver {}: {}", path, cause.toString());
        }
    }
}
