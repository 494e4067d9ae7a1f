package org.seamcast.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.codec.protocol.Protocol;
import org.seamcast.codec.protocol.SubscribeEncoder;
import org.seamcast.transport.ByteBufAccess;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.Peer;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.Links;
import org.seamcast.transport.tcp.ConnectionListener;

/**
 * A bare subscriber: subscribes to every mount of one relay over TCP and counts the FRAMEs it gets, doing nothing
 * else with them. Used to add fan-out at a relay without adding an edge's work to the process.
 *
 * <p>Threading: its handler runs on the I/O thread of the transport it dials with; the count is read from any
 * thread.
 */
final class CountingSubscriber implements AutoCloseable
{
    private final MessageLink link;
    private volatile long frames;

    CountingSubscriber(final TransportContext transport, final LinkAddress relay)
    {
        link = Links.dial(transport, relay,
            (message, buffer, offset, length, from) ->
            {
                if (message.type() == MessageType.FRAME)
                {
                    frames++;
                }
            },
            new ConnectionListener()
            {
                @Override
                public void onEstablished(final Peer peer)
                {
                    peer.send(subscribeToAll());
                    peer.flush();
                }
            });
    }

    private static ByteBuf subscribeToAll()
    {
        final ByteBuf message = PooledByteBufAllocator.DEFAULT.directBuffer(Protocol.MAX_MESSAGE_LENGTH);
        final int length = new SubscribeEncoder()
            .wrap(ByteBufAccess.wrap(new UnsafeBuffer(0, 0), message, 0, message.capacity()), 0)
            .finish(null);
        message.writerIndex(length);
        return message;
    }

    boolean isConnected()
    {
        return link.isConnected();
    }

    /**
     * FRAMEs received so far.
     */
    long frames()
    {
        return frames;
    }

    @Override
    public void close()
    {
        link.close();
    }
}
