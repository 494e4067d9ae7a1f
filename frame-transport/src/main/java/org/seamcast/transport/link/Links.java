package org.seamcast.transport.link;

import org.seamcast.transport.InboundEndpoint;
import org.seamcast.transport.MessageHandler;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.aeron.AeronPublicationLink;
import org.seamcast.transport.aeron.AeronReceiver;
import org.seamcast.transport.tcp.ConnectionListener;
import org.seamcast.transport.tcp.TcpClientLink;
import org.seamcast.transport.tcp.TcpServer;
import org.seamcast.transport.udp.UdpReceiver;
import org.seamcast.transport.udp.UdpSenderLink;

/**
 * The one place a node turns a link URL into a transport: {@link #dial} for where it sends, {@link #listen} for
 * where it receives. Nodes code against {@link MessageLink} and {@link InboundEndpoint} only, so an operator can
 * mix TCP, UDP and Aeron on one command line. The URL spellings are in {@link LinkAddress} and docs/links.md.
 */
public final class Links
{
    private Links()
    {
    }

    /**
     * Opens an outbound link to {@code address}.
     *
     * @param ctx      the node's concluded transport context.
     * @param address  a destination (port &gt; 0).
     * @param handler  receives what the far end sends back (TCP only; one-way transports never call it).
     * @param listener told when a TCP connection is established and closed; datagram transports do not call it.
     * @return the link; it keeps itself up until closed.
     * @throws IllegalArgumentException when the address cannot be sent to.
     */
    public static MessageLink dial(
        final TransportContext ctx,
        final LinkAddress address,
        final MessageHandler handler,
        final ConnectionListener listener)
    {
        requireConcluded(ctx);
        address.requireDestination();
        return switch (address.scheme())
        {
            case TCP -> TcpClientLink.connect(ctx, address, handler, listener);
            case UDP -> UdpSenderLink.open(ctx, address);
            case AERON_UDP, MULTICAST -> AeronPublicationLink.open(ctx, address);
        };
    }

    /**
     * Starts receiving on {@code address}.
     *
     * @param ctx      the node's concluded transport context.
     * @param address  where to listen; port 0 picks a free port (not for multicast).
     * @param handler  receives every validated message, on the endpoint's receiving thread.
     * @param listener told when a TCP peer is established and closed; datagram transports do not call it.
     * @return the endpoint, receiving until closed.
     * @throws IllegalArgumentException when the address cannot be listened on by its transport.
     */
    public static InboundEndpoint listen(
        final TransportContext ctx,
        final LinkAddress address,
        final MessageHandler handler,
        final ConnectionListener listener)
    {
        requireConcluded(ctx);
        return switch (address.scheme())
        {
            case TCP -> TcpServer.bind(ctx, address, handler, listener);
            case UDP -> UdpReceiver.bind(ctx, address, handler);
            case AERON_UDP, MULTICAST -> AeronReceiver.bind(ctx, address, handler);
        };
    }

    private static void requireConcluded(final TransportContext ctx)
    {
        if (ctx.eventLoopGroup() == null)
        {
            throw new IllegalStateException("TransportContext of " + ctx.nodeName() + " is not concluded");
        }
    }
}
