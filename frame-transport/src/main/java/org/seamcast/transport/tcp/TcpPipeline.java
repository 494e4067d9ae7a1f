package org.seamcast.transport.tcp;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import org.seamcast.codec.protocol.HandshakeRole;
import org.seamcast.transport.LinkMetrics;
import org.seamcast.transport.MessageHandler;
import org.seamcast.transport.TransportContext;

import javax.net.ssl.SSLException;
import java.util.concurrent.TimeUnit;

/**
 * Builds the handlers of a TCP link channel, the same for both ends: optional TLS, idle timeout, message framing,
 * then the connection's handshake and dispatch.
 *
 * <pre>
 *   [SslHandler] -> IdleStateHandler -> MessageFrameDecoder -> TcpConnection
 *                                              `-- each whole message --^ (a call, not a pipeline event)
 * </pre>
 */
final class TcpPipeline
{
    private TcpPipeline()
    {
    }

    static WriteBufferWaterMark waterMark(final TransportContext ctx)
    {
        return new WriteBufferWaterMark(ctx.writeHighWaterMarkBytes() / 2, ctx.writeHighWaterMarkBytes());
    }

    /**
     * Largest read from a link socket. Netty's allocator pools nothing over 16.5 KiB when the heap is small (it
     * counts under 1 GiB of direct memory as low): its default reads of up to 64 KiB were each a zeroed
     * {@code allocateDirect} with a cleaner, about 5 % of the edge's CPU at 250 mounts. A read of this size, with a
     * partial message carried in front of it ({@link MessageFrameDecoder#COMPACTING_CUMULATOR}), stays pooled; 8 KiB
     * reads cost more in system calls than they saved.
     */
    static final int MAX_READ_BYTES = 16 * 1024;

    static void configure(final SocketChannel channel)
    {
        channel.config().setOption(ChannelOption.TCP_NODELAY, true);
        channel.config().setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator(64, 2048, MAX_READ_BYTES));
    }

    static TcpConnection install(
        final SocketChannel channel,
        final TransportContext ctx,
        final SslContext ssl,
        final HandshakeRole role,
        final String path,
        final LinkMetrics metrics,
        final MessageHandler handler,
        final ConnectionListener listener,
        final String sniHost,
        final int sniPort)
    {
        configure(channel);
        if (ssl != null)
        {
            channel.pipeline().addLast(role == HandshakeRole.CONNECTOR ?
                ssl.newHandler(channel.alloc(), sniHost, sniPort) : ssl.newHandler(channel.alloc()));
        }
        final TcpConnection connection = new TcpConnection(ctx, role, path, metrics, handler, listener);
        channel.pipeline()
            .addLast(new IdleStateHandler(ctx.idleTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS))
            .addLast(new MessageFrameDecoder(metrics, connection))
            .addLast(connection);
        return connection;
    }

    static SslContext serverSsl(final TransportContext ctx)
    {
        if (ctx.tlsCertificateChain() == null)
        {
            return null;
        }
        try
        {
            return SslContextBuilder.forServer(ctx.tlsCertificateChain().toFile(), ctx.tlsPrivateKey().toFile()).build();
        }
        catch (final SSLException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("cannot load TLS certificate " + ctx.tlsCertificateChain()
                + " and key " + ctx.tlsPrivateKey() + ": " + ex.getMessage(), ex);
        }
    }

    static SslContext clientSsl(final TransportContext ctx)
    {
        try
        {
            final SslContextBuilder builder = SslContextBuilder.forClient();
            if (ctx.tlsTrustedCertificates() != null)
            {
                builder.trustManager(ctx.tlsTrustedCertificates().toFile());
            }
            return builder.build();
        }
        catch (final SSLException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(
                "cannot load TLS trusted certificates " + ctx.tlsTrustedCertificates() + ": " + ex.getMessage(), ex);
        }
    }
}
