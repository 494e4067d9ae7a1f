package org.seamcast.relay;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.transport.AgentWakeup;
import org.seamcast.transport.MessageHandler;
import org.seamcast.transport.Peer;
import org.seamcast.transport.tcp.ConnectionListener;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The hand-off from the I/O threads to the relay core (STYLE habit 3): each validated message is copied into a
 * bounded {@link ManyToOneRingBuffer} with the inbound path it came over and the id of the connection it came from;
 * a full queue drops the message and counts it, so the I/O threads never wait. Audio goes to the data queue,
 * SUBSCRIBE and RETRANSMIT_REQUEST to their own small queue so an audio flood cannot starve them. Connections
 * opening and closing are posted as {@link PeerEvent}s. Each message wakes the agent only if it sleeps past the end
 * of the batch the message may wait for ({@link AgentWakeup#wakeUnlessDueBy}); an event wakes it at once.
 *
 * <p>Flood guard: the bytes of FRAMEs waiting in the data queue are counted per mount (in
 * {@value #MOUNT_BUCKETS} buckets). Once the queue is over half full, a frame of a mount that already has more than
 * an eighth of the queue waiting is dropped ({@code stream_flood}), so one stream's flood cannot fill the queue and
 * make the others lose frames.
 *
 * <pre>
 *   record:  0  4  inbound path index (i32)
 *            4  4  peer id (i32; 0 = no reply path, e.g. UDP)
 *            8  4  flood guard bucket of a FRAME's mount (i32; -1 otherwise)
 *           12  4  source id (i32): the peer id of a TCP connection, or a negative hash of a datagram sender's
 *                  address and path, so each source's share of the stream table can be counted
 *           16  …  the message, byte for byte
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
    static final int BUCKET_OFFSET = 8;
    static final int SOURCE_OFFSET = 12;
    static final int HEADER_LENGTH = 16;
    static final int NO_BUCKET = -1;

    /** Mounts are spread over this many buckets for the flood guard; colliding mounts share a bucket. */
    static final int MOUNT_BUCKETS = 1024;

    private final AtomicLongArray pendingBytesByBucket = new AtomicLongArray(MOUNT_BUCKETS);
    private final int floodGuardQueueBytes;
    private final long maxPendingBytesPerBucket;

    private final ManyToOneRingBuffer dataQueue;
    private final ManyToOneRingBuffer controlQueue;
    private final RelayMetrics metrics;
    private final ConcurrentHashMap<Peer, Integer> peerIds = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Peer> peersById = new ConcurrentHashMap<>();
    private final ManyToOneConcurrentLinkedQueue<PeerEvent> events = new ManyToOneConcurrentLinkedQueue<>();
    private final AtomicInteger nextPeerId = new AtomicInteger();
    private final AgentWakeup wakeup;
    private final EpochNanoClock clock;
    private final long batchNs;

    /**
     * @param wakeup  wakes the relay agent for a message that cannot wait for its next wake-up.
     * @param clock   the agent's clock.
     * @param batchNs how long a message may wait for the agent's own wake-up.
     */
    InboundProxy(
        final ManyToOneRingBuffer dataQueue, final ManyToOneRingBuffer controlQueue, final RelayMetrics metrics,
        final AgentWakeup wakeup, final EpochNanoClock clock, final long batchNs)
    {
        this.wakeup = wakeup;
        this.clock = clock;
        this.batchNs = batchNs;
        this.dataQueue = dataQueue;
        this.controlQueue = controlQueue;
        this.metrics = metrics;
        this.floodGuardQueueBytes = dataQueue.capacity() / 2;
        this.maxPendingBytesPerBucket = dataQueue.capacity() / 8;
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
                    wakeup.wake();
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
                    wakeup.wake();
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
        int bucket = NO_BUCKET;
        if (type == MessageType.FRAME)
        {
            bucket = (int)(message.frame().mountHash() & (MOUNT_BUCKETS - 1));
            if (pendingBytesByBucket.get(bucket) > maxPendingBytesPerBucket &&
                dataQueue.size() > floodGuardQueueBytes)
            {
                metrics.dropped(RelayDropReason.STREAM_FLOOD);
                return;
            }
        }
        final Integer id = from == null ? null : peerIds.get(from);
        final int source = id != null ? id : datagramSource(pathIndex, from);
        final int index = queue.tryClaim(type.code(), HEADER_LENGTH + length);
        if (index < 0)
        {
            metrics.dropped(queue == dataQueue ? RelayDropReason.INBOUND_QUEUE_FULL : RelayDropReason.CONTROL_QUEUE_FULL);
            return;
        }
        final AtomicBuffer record = queue.buffer();
        record.putInt(index + PATH_OFFSET, pathIndex);
        record.putInt(index + PEER_OFFSET, id == null ? 0 : id);
        record.putInt(index + BUCKET_OFFSET, bucket);
        record.putInt(index + SOURCE_OFFSET, source);
        record.putBytes(index + HEADER_LENGTH, buffer, offset, length);
        if (bucket != NO_BUCKET)
        {
            pendingBytesByBucket.addAndGet(bucket, length);
        }
        queue.commit(index);
        // a message arriving while the agent gathers a batch waits for the batch's end; one finding it asleep
        // until a timer wakes it (and so starts the next batch)
        wakeup.wakeUnlessDueBy(clock.nanoTime() + batchNs);
    }

    /**
     * A datagram sender's source id: its address (the peer's name, whose hash the String caches) and the path,
     * with the sign bit set so it never equals a TCP peer id. 0 when there is no sender.
     */
    private static int datagramSource(final int pathIndex, final Peer from)
    {
        return from == null ? 0 : (31 * pathIndex + from.name().hashCode()) | 0x8000_0000;
    }

    /**
     * The relay core has taken a frame of {@code length} bytes of this bucket off the queue.
     */
    void taken(final int bucket, final int length)
    {
        if (bucket != NO_BUCKET)
        {
            pendingBytesByBucket.addAndGet(bucket, -length);
        }
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
     * @return whether a connection event waits for the agent. Agent thread.
     */
    boolean hasEvents()
    {
        return !events.isEmpty();
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
