package org.seamcast.relay;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.seamcast.codec.protocol.AnnounceView;
import org.seamcast.codec.protocol.DecodeResult;
import org.seamcast.codec.protocol.FrameView;
import org.seamcast.codec.protocol.HeartbeatView;
import org.seamcast.codec.protocol.MessageAuthenticator;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.codec.protocol.MetadataView;
import org.seamcast.codec.protocol.MountCursor;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.Protocol;
import org.seamcast.codec.protocol.RetransmitRequestView;
import org.seamcast.codec.protocol.StreamPositionCursor;
import org.seamcast.codec.protocol.SubscribeEncoder;
import org.seamcast.codec.protocol.SubscribeView;
import org.seamcast.relay.ring.ReplayRing;
import org.seamcast.transport.ByteBufAccess;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.Peer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The relay core: one duty cycle that owns every stream and subscriber (STYLE habits 1 and 3). Each cycle it takes
 * connection events, then at most {@code controlMessagesPerCycle} SUBSCRIBE/RETRANSMIT_REQUEST and at most
 * {@code messagesPerCycle} audio messages from the {@link InboundProxy} queues, then flushes every connection it
 * wrote to.
 *
 * <p>For the first copy of each frame of a stream (mount, encoder, epoch) it stores the message in the stream's
 * {@link ReplayRing} and fans it out once-encoded: the bytes are copied into one pooled buffer and every
 * subscriber of the mount and every forward link gets a retained duplicate of it. Later copies are dropped and
 * counted per inbound path. ANNOUNCE and METADATA are forwarded when they change, and an unchanged repeat at most
 * once per {@code controlRepeatIntervalMs}; HEARTBEATs carrying stream positions at most once per
 * {@code heartbeatForwardIntervalMs} per sending node.
 *
 * <p>Pitfalls: messages are forwarded verbatim (the ingest's MAC stays valid); the relay signs only the SUBSCRIBE it
 * sends upstream. Nothing here blocks: a subscriber or link that cannot take a message drops it and the transport
 * cuts off a peer that stays behind.
 *
 * <p>Threading: every method runs on the agent's thread except the constructor.
 */
final class RelayAgent implements Agent
{
    private static final Logger LOG = LoggerFactory.getLogger(RelayAgent.class);
    private static final long HOUSEKEEPING_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int MAX_HEARTBEAT_SOURCES = 4096;

    private final RelayContext ctx;
    private final InboundProxy proxy;
    private final ManyToOneRingBuffer dataQueue;
    private final ManyToOneRingBuffer controlQueue;
    private final RelayMetrics metrics;
    private final NanoClock clock;
    private final List<ForwardLink> forwardLinks = new ArrayList<>();
    private final MessageDecoder decoder = new MessageDecoder();
    private final MessageAuthenticator signer;
    private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private final UnsafeBuffer writeView = new UnsafeBuffer(0, 0);
    private final SubscribeEncoder subscribeEncoder = new SubscribeEncoder();
    private final Long2ObjectHashMap<StreamState> streams = new Long2ObjectHashMap<>();
    private final ArrayList<StreamState> streamList = new ArrayList<>();
    private final Int2ObjectHashMap<Subscriber> subscribers = new Int2ObjectHashMap<>();
    private final ArrayList<Subscriber> subscriberList = new ArrayList<>();
    private final Long2LongHashMap heartbeatForwardedNs = new Long2LongHashMap(Long.MIN_VALUE);
    private final LongHashSet carriedMounts = new LongHashSet();
    private final org.agrona.concurrent.MessageHandler dataHandler = this::onData;
    private final org.agrona.concurrent.MessageHandler controlHandler = this::onControl;
    private final ReplayRing.MessageConsumer replaySender = this::sendReplayed;
    private final long controlRepeatIntervalNs;
    private final long heartbeatForwardIntervalNs;
    private final long streamIdleTimeoutNs;
    private final int replayRingSlots;
    private Peer replayTarget;
    private int replayedCount;
    private long nowNs;
    private long nextHousekeepingNs;

    RelayAgent(
        final RelayContext ctx,
        final InboundProxy proxy,
        final ManyToOneRingBuffer dataQueue,
        final ManyToOneRingBuffer controlQueue,
        final RelayMetrics metrics,
        final NanoClock clock)
    {
        this.ctx = ctx;
        this.proxy = proxy;
        this.dataQueue = dataQueue;
        this.controlQueue = controlQueue;
        this.metrics = metrics;
        this.clock = clock;
        this.signer = ctx.transport().keyring() == null ? null : ctx.transport().keyring().newAuthenticator();
        this.controlRepeatIntervalNs = TimeUnit.MILLISECONDS.toNanos(ctx.controlRepeatIntervalMs());
        this.heartbeatForwardIntervalNs = TimeUnit.MILLISECONDS.toNanos(ctx.heartbeatForwardIntervalMs());
        this.streamIdleTimeoutNs = TimeUnit.MILLISECONDS.toNanos(ctx.streamIdleTimeoutMs());
        this.replayRingSlots = ctx.replayRingSlots();
        for (final MountName mount : ctx.mounts())
        {
            carriedMounts.add(mount.hash());
        }
    }

    /**
     * Adds a forward link before the agent starts; the agent then owns its offer and flush.
     */
    void addForwardLink(final MessageLink link)
    {
        forwardLinks.add(new ForwardLink(link, metrics.framesOut(link.address().toString())));
    }

    @Override
    public String roleName()
    {
        return "seamcast-relay-" + ctx.nodeName();
    }

    @Override
    public int doWork()
    {
        nowNs = clock.nanoTime();
        int work = pollEvents();
        work += controlQueue.read(controlHandler, ctx.controlMessagesPerCycle());
        work += dataQueue.read(dataHandler, ctx.messagesPerCycle());
        if (nowNs - nextHousekeepingNs >= 0)
        {
            nextHousekeepingNs = nowNs + HOUSEKEEPING_INTERVAL_NS;
            work += housekeeping();
        }
        flush();
        return work;
    }

    private int pollEvents()
    {
        int work = 0;
        InboundProxy.PeerEvent event;
        while ((event = proxy.pollEvent()) != null)
        {
            work++;
            if (event.kind() == InboundProxy.PeerEvent.Kind.CLOSED)
            {
                final Subscriber subscriber = subscribers.remove(event.peerId());
                if (subscriber != null)
                {
                    subscriberList.remove(subscriber);
                    metrics.subscribers(subscriberList.size());
                    LOG.info("{}: subscriber {} gone", ctx.nodeName(), subscriber);
                }
            }
            else
            {
                subscribeUpstream(event.peerId());
            }
        }
        return work;
    }

    private void onControl(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int peerId = buffer.getInt(index + InboundProxy.PEER_OFFSET);
        try
        {
            if (decoder.decode(buffer, index + InboundProxy.HEADER_LENGTH, length - InboundProxy.HEADER_LENGTH) !=
                DecodeResult.OK)
            {
                metrics.dropped(RelayDropReason.CORE_ERROR);
                return;
            }
            if (decoder.type() == MessageType.SUBSCRIBE)
            {
                onSubscribe(peerId, decoder.subscribe());
            }
            else if (decoder.type() == MessageType.RETRANSMIT_REQUEST)
            {
                onRetransmitRequest(peerId, decoder.retransmitRequest());
            }
        }
        catch (final RuntimeException ex)
        {
            metrics.dropped(RelayDropReason.CORE_ERROR);
            LOG.error("{}: relay core failed on a control message", ctx.nodeName(), ex);
        }
    }

    private void onData(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int pathIndex = buffer.getInt(index + InboundProxy.PATH_OFFSET);
        final int offset = index + InboundProxy.HEADER_LENGTH;
        final int messageLength = length - InboundProxy.HEADER_LENGTH;
        proxy.taken(buffer.getInt(index + InboundProxy.BUCKET_OFFSET), messageLength);
        try
        {
            if (decoder.decode(buffer, offset, messageLength) != DecodeResult.OK)
            {
                metrics.dropped(RelayDropReason.CORE_ERROR);
                return;
            }
            switch (decoder.type())
            {
                case FRAME:
                    onFrame(pathIndex, decoder.frame(), buffer, offset, messageLength);
                    break;
                case ANNOUNCE:
                    final AnnounceView announce = decoder.announce();
                    onStreamControl(MessageType.ANNOUNCE, announce.mountHash(), announce.mountOffset(),
                        announce.mountLength(), announce.encoderId(), announce.epoch(), buffer, offset, messageLength);
                    break;
                case METADATA:
                    final MetadataView metadata = decoder.metadata();
                    onStreamControl(MessageType.METADATA, metadata.mountHash(), metadata.mountOffset(),
                        metadata.mountLength(), metadata.encoderId(), metadata.epoch(), buffer, offset, messageLength);
                    break;
                case HEARTBEAT:
                    onHeartbeat(decoder.heartbeat(), buffer, offset, messageLength);
                    break;
                default:
                    break;
            }
        }
        catch (final RuntimeException ex)
        {
            metrics.dropped(RelayDropReason.CORE_ERROR);
            LOG.error("{}: relay core failed on a message", ctx.nodeName(), ex);
        }
    }

    private void onFrame(
        final int pathIndex, final FrameView frame, final DirectBuffer buffer, final int offset, final int length)
    {
        metrics.frameIn(pathIndex);
        final StreamState stream = stream(frame.mountHash(), buffer, frame.mountOffset(), frame.mountLength(),
            frame.encoderId(), frame.epoch());
        if (stream == null)
        {
            return;
        }
        final long sequence = frame.sequence();
        if (!stream.window.firstSighting(sequence))
        {
            metrics.duplicate(pathIndex);
            return;
        }
        if (!stream.ring.put(sequence, buffer, offset, length))
        {
            metrics.dropped(RelayDropReason.TOO_LARGE_FOR_RING);
        }
        stream.meters.accepted().increment();
        fanOut(stream.mountHash, null, buffer, offset, length, true);
    }

    private void onStreamControl(
        final MessageType type,
        final long mountHash,
        final int mountOffset,
        final int mountLength,
        final long encoderId,
        final long epoch,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        final StreamState stream = stream(mountHash, buffer, mountOffset, mountLength, encoderId, epoch);
        if (stream == null)
        {
            return;
        }
        final StreamState.LatestMessage latest = type == MessageType.ANNOUNCE ? stream.announce : stream.metadata;
        final boolean changed = !latest.equalsMessage(buffer, offset, length);
        if (!changed && nowNs - latest.forwardedNs < controlRepeatIntervalNs)
        {
            metrics.controlSuppressed(type.code());
            return;
        }
        if (changed)
        {
            latest.store(buffer, offset, length);
        }
        latest.forwardedNs = nowNs;
        metrics.controlForwarded(type.code());
        fanOut(mountHash, null, buffer, offset, length, false);
    }

    private void onHeartbeat(final HeartbeatView heartbeat, final DirectBuffer buffer, final int offset, final int length)
    {
        final long source = MountName.hash(buffer, heartbeat.nodeNameOffset(), heartbeat.nodeNameLength());
        final long last = heartbeatForwardedNs.get(source);
        if (last != Long.MIN_VALUE && nowNs - last < heartbeatForwardIntervalNs)
        {
            metrics.controlSuppressed(MessageType.HEARTBEAT.code());
            return;
        }
        if (last == Long.MIN_VALUE && heartbeatForwardedNs.size() >= MAX_HEARTBEAT_SOURCES)
        {
            heartbeatForwardedNs.clear();
        }
        heartbeatForwardedNs.put(source, nowNs);
        metrics.controlForwarded(MessageType.HEARTBEAT.code());
        fanOut(0, heartbeat.streams(), buffer, offset, length, false);
    }

    /**
     * Sends one message to every subscriber that wants it and to every forward link, from one pooled copy.
     *
     * @param mountHash the message's mount, when {@code positions} is null.
     * @param positions a heartbeat's stream entries: a subscriber wants it if it wants any of their mounts.
     */
    private void fanOut(
        final long mountHash,
        final StreamPositionCursor positions,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final boolean isFrame)
    {
        ByteBuf copy = null;
        for (int i = 0, n = subscriberList.size(); i < n; i++)
        {
            final Subscriber subscriber = subscriberList.get(i);
            if (positions == null ? !subscriber.wants(mountHash) : !wantsAny(subscriber, positions))
            {
                continue;
            }
            if (copy == null)
            {
                copy = copy(buffer, offset, length);
            }
            if (subscriber.send(copy.retainedDuplicate()))
            {
                if (isFrame)
                {
                    metrics.frameOutToSubscriber();
                }
            }
            else
            {
                metrics.dropped(RelayDropReason.SUBSCRIBER_BACKPRESSURE);
            }
        }
        for (int i = 0, n = forwardLinks.size(); i < n; i++)
        {
            final ForwardLink forward = forwardLinks.get(i);
            if (copy == null)
            {
                copy = copy(buffer, offset, length);
            }
            forward.dirty = true;
            if (forward.link.offer(copy.retainedDuplicate()))
            {
                if (isFrame)
                {
                    forward.framesOut.increment();
                }
            }
            else
            {
                metrics.dropped(RelayDropReason.FORWARD_NOT_SENT);
            }
        }
        if (copy != null)
        {
            copy.release();
        }
    }

    private static boolean wantsAny(final Subscriber subscriber, final StreamPositionCursor positions)
    {
        if (subscriber.allMounts)
        {
            return true;
        }
        positions.rewind();
        while (positions.next())
        {
            if (subscriber.mountHashes.contains(positions.mountHash()))
            {
                return true;
            }
        }
        return false;
    }

    private ByteBuf copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final ByteBuf copy = allocator.directBuffer(length, length);
        ByteBufAccess.wrap(writeView, copy, 0, length).putBytes(0, buffer, offset, length);
        copy.writerIndex(length);
        return copy;
    }

    /**
     * The stream of a message, opened on its first message if the relay carries the mount and has room.
     */
    private StreamState stream(
        final long mountHash,
        final DirectBuffer buffer,
        final int mountOffset,
        final int mountLength,
        final long encoderId,
        final long epoch)
    {
        if (!carriedMounts.isEmpty() && !carriedMounts.contains(mountHash))
        {
            metrics.dropped(RelayDropReason.MOUNT_NOT_CARRIED);
            return null;
        }
        final long key = StreamState.key(mountHash, encoderId, epoch);
        StreamState stream = streams.get(key);
        if (stream != null)
        {
            if (!stream.is(mountHash, encoderId, epoch) || !stream.mount.matches(buffer, mountOffset, mountLength))
            {
                metrics.dropped(RelayDropReason.KEY_COLLISION);
                return null;
            }
            stream.lastMessageNs = nowNs;
            return stream;
        }
        if (streamList.size() >= ctx.maxStreams())
        {
            metrics.dropped(RelayDropReason.TOO_MANY_STREAMS);
            return null;
        }
        final MountName mount = MountName.copyOf(buffer, mountOffset, mountLength);
        stream = new StreamState(key, mount, encoderId, epoch,
            new ReplayRing(ctx.replayRingBytes(), replayRingSlots),
            metrics.streamMeters(mount.toString(), encoderId));
        stream.lastMessageNs = nowNs;
        streams.put(key, stream);
        streamList.add(stream);
        metrics.streams(streamList.size());
        LOG.info("{}: new stream {} encoder {} epoch {}", ctx.nodeName(), mount, encoderId, epoch);
        return stream;
    }

    private StreamState find(final long mountHash, final long encoderId, final long epoch)
    {
        final StreamState stream = streams.get(StreamState.key(mountHash, encoderId, epoch));
        return stream != null && stream.is(mountHash, encoderId, epoch) ? stream : null;
    }

    private void onSubscribe(final int peerId, final SubscribeView subscribe)
    {
        Subscriber subscriber = subscribers.get(peerId);
        if (subscriber == null)
        {
            final Peer peer = proxy.peer(peerId);
            if (peer == null)
            {
                if (peerId == 0)
                {
                    metrics.dropped(RelayDropReason.NO_REPLY_PATH);
                }
                return;
            }
            if (subscriberList.size() >= ctx.maxSubscribers())
            {
                metrics.dropped(RelayDropReason.TOO_MANY_SUBSCRIBERS);
                return;
            }
            subscriber = new Subscriber(peerId, peer);
            subscribers.put(peerId, subscriber);
            subscriberList.add(subscriber);
            metrics.subscribers(subscriberList.size());
            LOG.info("{}: subscriber {}", ctx.nodeName(), subscriber);
        }

        subscriber.allMounts = subscribe.isAllMounts();
        subscriber.mountHashes.clear();
        final MountCursor mounts = subscribe.mounts();
        while (mounts.next())
        {
            subscriber.mountHashes.add(mounts.mountHash());
        }

        for (int i = 0, n = streamList.size(); i < n; i++)
        {
            final StreamState stream = streamList.get(i);
            if (subscriber.wants(stream.mountHash))
            {
                sendCopy(subscriber, stream.announce);
                sendCopy(subscriber, stream.metadata);
            }
        }

        final StreamPositionCursor resumePoints = subscribe.resumePoints();
        int replayed = 0;
        while (resumePoints.next())
        {
            final long mountHash = resumePoints.mountHash();
            final StreamState stream = subscriber.wants(mountHash) ?
                find(mountHash, resumePoints.encoderId(), resumePoints.epoch()) : null;
            if (stream != null)
            {
                replayed += replay(subscriber.peer, stream, resumePoints.sequence());
            }
        }
        subscriber.dirty = true;
        metrics.replayed(true, replayed);
    }

    private void sendCopy(final Subscriber subscriber, final StreamState.LatestMessage latest)
    {
        if (!latest.isEmpty() && !subscriber.send(copy(latest.buffer(), 0, latest.length())))
        {
            metrics.dropped(RelayDropReason.SUBSCRIBER_BACKPRESSURE);
        }
    }

    private int replay(final Peer peer, final StreamState stream, final long fromSequence)
    {
        replayTarget = peer;
        replayedCount = 0;
        stream.ring.readFrom(fromSequence, replaySender);
        replayTarget = null;
        return replayedCount;
    }

    private void sendReplayed(final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        if (replayTarget.send(copy(buffer, offset, length)))
        {
            replayedCount++;
        }
        else
        {
            metrics.dropped(RelayDropReason.SUBSCRIBER_BACKPRESSURE);
        }
    }

    private void onRetransmitRequest(final int peerId, final RetransmitRequestView request)
    {
        final Subscriber subscriber = subscribers.get(peerId);
        final Peer peer = subscriber != null ? subscriber.peer : proxy.peer(peerId);
        if (peer == null)
        {
            if (peerId == 0)
            {
                metrics.dropped(RelayDropReason.NO_REPLY_PATH);
            }
            return;
        }
        final StreamState stream = find(request.mountHash(), request.encoderId(), request.epoch());
        if (stream == null)
        {
            metrics.dropped(RelayDropReason.UNKNOWN_STREAM);
            return;
        }
        final ReplayRing ring = stream.ring;
        final long highest = ring.highestSequence();
        final long lowest = Math.max(0, highest - replayRingSlots + 1);
        int budget = ctx.maxRetransmitFrames();
        replayTarget = peer;
        replayedCount = 0;
        for (int r = 0, ranges = request.rangeCount(); r < ranges && budget > 0; r++)
        {
            final long first = Math.max(lowest, request.rangeFirstSequence(r));
            final long last = Math.min(highest, request.rangeFirstSequence(r) + request.rangeLength(r) - 1);
            for (long sequence = first; sequence <= last && budget > 0; sequence++)
            {
                if (ring.read(sequence, replaySender))
                {
                    budget--;
                }
            }
        }
        replayTarget = null;
        metrics.replayed(false, replayedCount);
        if (subscriber != null)
        {
            subscriber.dirty = true;
        }
        else
        {
            peer.flush();
        }
    }

    /**
     * Subscribes to an upstream relay that has just connected: the mounts this relay carries (or all), and a resume
     * point for every stream held, so a reconnect to upstream catches up from its ring.
     */
    private void subscribeUpstream(final int peerId)
    {
        final Peer peer = proxy.peer(peerId);
        if (peer == null)
        {
            return;
        }
        final ByteBuf message = allocator.directBuffer(Protocol.MAX_MESSAGE_LENGTH);
        subscribeEncoder.wrap(ByteBufAccess.wrap(writeView, message, 0, message.capacity()), 0);
        for (final MountName mount : ctx.mounts())
        {
            subscribeEncoder.addMount(mount);
        }
        int resumePoints = 0;
        for (int i = 0, n = streamList.size(); i < n && resumePoints < Protocol.MAX_RESUME_POINTS; i++)
        {
            final StreamState stream = streamList.get(i);
            if (stream.window.highest() < 0)
            {
                continue;
            }
            try
            {
                subscribeEncoder.addResumePoint(stream.mount, stream.encoderId, stream.epoch,
                    stream.window.highest() + 1);
                resumePoints++;
            }
            catch (final IllegalArgumentException full)
            {
                break;
            }
        }
        message.writerIndex(subscribeEncoder.finish(signer));
        peer.send(message);
        peer.flush();
        LOG.info("{}: subscribed upstream {} with {} resume points", ctx.nodeName(), peer, resumePoints);
    }

    private int housekeeping()
    {
        int work = 0;
        for (int i = streamList.size() - 1; i >= 0; i--)
        {
            final StreamState stream = streamList.get(i);
            if (nowNs - stream.lastMessageNs > streamIdleTimeoutNs)
            {
                streamList.remove(i);
                streams.remove(stream.key);
                LOG.info("{}: stream {} encoder {} epoch {} idle; forgotten", ctx.nodeName(), stream.mount,
                    stream.encoderId, stream.epoch);
                work++;
            }
        }
        metrics.streams(streamList.size());
        for (int i = 0, n = streamList.size(); i < n; i++)
        {
            final StreamState stream = streamList.get(i);
            stream.meters.ringDepthFrames().set(stream.ring.heldCount());
        }
        return work;
    }

    private void flush()
    {
        for (int i = 0, n = subscriberList.size(); i < n; i++)
        {
            subscriberList.get(i).flushIfDirty();
        }
        for (int i = 0, n = forwardLinks.size(); i < n; i++)
        {
            final ForwardLink forward = forwardLinks.get(i);
            if (forward.dirty)
            {
                forward.dirty = false;
                forward.link.flush();
            }
        }
    }

    @Override
    public void onClose()
    {
        subscriberList.clear();
        subscribers.clear();
        streamList.clear();
        streams.clear();
        metrics.subscribers(0);
        metrics.streams(0);
    }

    /**
     * A link every accepted message is also offered to, and whether it needs a flush.
     */
    private static final class ForwardLink
    {
        final MessageLink link;
        final Counter framesOut;
        boolean dirty;

        ForwardLink(final MessageLink link, final Counter framesOut)
        {
            this.link = link;
            this.framesOut = framesOut;
        }
    }
}
