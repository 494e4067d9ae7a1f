package org.seamcast.relay;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.transport.MessageHandler;
import org.seamcast.transport.Peer;
import org.seamcast.transport.tcp.ConnectionListener;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hand-off from the I/O threads to the relay core (STYLE habit 3): each validated message is copied into a
 * bounded {@link ManyToOneRingBuffer} with the inbound path it came over and the id of the connection it came from;
 * a full queue drops the message and counts it, so the I/O threads never wait. Audio goes to the data queue,
 * SUBSCRIBE and RETRANSMIT_REQUEST to their own small queue so an audio flood cannot starve them. Connections
 * opening and closing are posted as {@link PeerEvent}s.
 *
 * <pre>
 *   record:  0  4  inbound path index (i32)
 *            4  4  peer id (i32; 0 = no reply path, e.g. UDP)
 *            8  …  the message, byte for byte
 *   msgTypeId = MessageType.code()
 * </pre>
 *
 * <p>Threading: {@code onMessage} and the listener callbacks run on any I/O thread; {@link #peer(int)} and
 * {@link #pollEvent()} on the relay agent.
 */
final class InboundProxy
{
    static final int PATH_OFFSET = 0;
    static final int PEER_OFFSET = 4;
    static final int HEADER_LENGTH = 8;

    private final ManyToOneRingBuffer dataQueue;
    private final ManyToOneRingBuffer controlQueue;
    private final RelayMetrics metrics;
    private final ConcurrentHashMap<Peer, Integer> peerIds = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Peer> peersById = new ConcurrentHashMap<>();
    private final ManyToOneConcurrentLinkedQueue<PeerEvent> events = new ManyToOneConcurrentLinkedQueue<>();
    private final AtomicInteger nextPeerId = new AtomicInteger();

    InboundProxy(
        final ManyToOneRingBuffer dataQueue, final ManyToOneRingBuffer controlQueue, final RelayMetrics metrics)
    {
        this.dataQueue = dataQueue;
        this.controlQueue = controlQueue;
        this.metrics = metrics;
    }

    /**
     * The handler for one inbound path (a listen address or an upstream link).
     */
    MessageHandler handler(final int pathIndex)
    {
        return (message, buffer, offset, length, from) -> onMessage(pathIndex, message, buffer, offset, length, from);
    }

    /**
     * The connection listener for one inbound path; upstream connections are announced so the core can subscribe.
     */
    ConnectionListener listener(final int pathIndex, final boolean upstream)
    {
        return new ConnectionListener()
        {
            @Override
            public void onEstablished(final Peer peer)
            {
                final int id = nextPeerId.incrementAndGet();
                peersById.put(id, peer);
                peerIds.put(peer, id);
                if (upstream)
                {
                    events.offer(new PeerEvent(PeerEvent.Kind.UPSTREAM_ESTABLISHED, id, pathIndex));
                }
            }

            @Override
            public void onClosed(final Peer peer)
            {
                final Integer id = peerIds.remove(peer);
                if (id != null)
                {
                    peersById.remove(id);
                    events.offer(new PeerEvent(PeerEvent.Kind.CLOSED, id, pathIndex));
                }
            }
        };
    }

    private void onMessage(
        final int pathIndex,
        final MessageDecoder message,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Peer from)
    {
        final MessageType type = message.type();
        final ManyToOneRingBuffer queue;
        switch (type)
        {
            case FRAME:
            case ANNOUNCE:
            case METADATA:
                queue = dataQueue;
                break;
            case HEARTBEAT:
                if (message.heartbeat().streamCount() == 0)
                {
                    return; // a link's own liveness beat: nothing to relay
                }
                queue = dataQueue;
                break;
            case SUBSCRIBE:
            case RETRANSMIT_REQUEST:
                queue = controlQueue;
                break;
            default:
                return;
        }
        final Integer id = from == null ? null : peerIds.get(from);
        final int index = queue.tryClaim(type.code(), HEADER_LENGTH + length);
        if (index < 0)
        {
            metrics.dropped(queue == dataQueue ? RelayDropReason.INBOUND_QUEUE_FULL : RelayDropReason.CONTROL_QUEUE_FULL);
            return;
        }
        final AtomicBuffer record = queue.buffer();
        record.putInt(index + PATH_OFFSET, pathIndex);
        record.putInt(index + PEER_OFFSET, id == null ? 0 : id);
        record.putBytes(index + HEADER_LENGTH, buffer, offset, length);
        queue.commit(index);
    }

    /**
     * The open connection with this id, or null once it has closed.
     */
    Peer peer(final int peerId)
    {
        return peerId == 0 ? null : peersById.get(peerId);
    }

    PeerEvent pollEvent()
    {
        return events.poll();
    }

    /**
     * A connection opened or closed; rare, so an object per event is fine.
     */
    record PeerEvent(Kind kind, int peerId, int pathIndex)
    {
        enum Kind
        {
            UPSTREAM_ESTABLISHED,
            CLOSED
        }
    }
}
