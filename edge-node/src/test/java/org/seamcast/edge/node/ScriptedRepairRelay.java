package org.seamcast.edge.node;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.codec.protocol.RetransmitRequestView;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.Peer;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.Links;
import org.seamcast.transport.tcp.ConnectionListener;
import org.seamcast.transport.tcp.TcpServer;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongFunction;

/**
 * Stands where a relay would for an edge's {@code --repair} path: a TCP server on loopback that answers every
 * RETRANSMIT_REQUEST with the frames the test makes for the sequences asked, and notes what was asked and who
 * subscribed; its transport also dials the edge's listening paths.
 */
final class ScriptedRepairRelay implements AutoCloseable
{
    final Set<Long> asked = ConcurrentHashMap.newKeySet();
    final List<String> subscriptions = new CopyOnWriteArrayList<>();
    private final TransportContext transport;
    private final TcpServer server;
    private volatile Peer edge;

    /**
     * @param name   the relay's node name.
     * @param frames the FRAME message of each sequence asked for.
     */
    ScriptedRepairRelay(final String name, final LongFunction<ByteBuf> frames)
    {
        transport = new TransportContext().nodeName(name).registry(new SimpleMeterRegistry())
            .heartbeatIntervalMs(100).idleTimeoutMs(2_000).conclude();
        server = TcpServer.bind(transport, LinkAddress.parse("tcp://127.0.0.1:0"),
            (message, buffer, offset, length, from) ->
            {
                if (message.type() == MessageType.SUBSCRIBE)
                {
                    subscriptions.add(from.name());
                }
                if (message.type() == MessageType.RETRANSMIT_REQUEST)
                {
                    final RetransmitRequestView request = message.retransmitRequest();
                    for (int r = 0; r < request.rangeCount(); r++)
                    {
                        for (long s = request.rangeFirstSequence(r);
                            s < request.rangeFirstSequence(r) + request.rangeLength(r); s++)
                        {
                            asked.add(s);
                            from.send(frames.apply(s));
                        }
                    }
                    from.flush();
                }
            },
            new ConnectionListener()
            {
                @Override
                public void onEstablished(final Peer peer)
                {
                    edge = peer;
                }
            });
    }

    /**
     * @return where the edge dials it, {@code tcp://127.0.0.1:PORT}.
     */
    LinkAddress address()
    {
        return LinkAddress.parse("tcp://127.0.0.1:" + server.localAddress().getPort());
    }

    boolean edgeConnected()
    {
        return edge != null;
    }

    /**
     * @return a link from this relay to {@code address}, e.g. the edge's listening UDP path.
     */
    MessageLink dial(final LinkAddress address)
    {
        return Links.dial(transport, address, (m, b, o, l, f) -> { }, ConnectionListener.NONE);
    }

    @Override
    public void close()
    {
        server.close();
        transport.close();
    }
}
