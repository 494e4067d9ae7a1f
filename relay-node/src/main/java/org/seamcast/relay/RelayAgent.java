package org.seamcast.relay;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2IntCounterMap;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.seamcast.codec.protocol.AnnounceView;
import org.seamcast.codec.protocol.DecodeResult;
import org.seamcast.codec.protocol.FrameView;
import org.seamcast.codec.protocol.HeartbeatEncoder;
import org.seamcast.codec.protocol.HeartbeatView;
import org.seamcast.codec.protocol.MessageAuthenticator;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.codec.protocol.MetadataView;
import org.seamcast.codec.protocol.MountCursor;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.codec.protocol.Protocol;
import org.seamcast.codec.protocol.RetransmitRequestView;
import org.seamcast.codec.protocol.StreamPositionCursor;
import org.seamcast.codec.protocol.SubscribeEncoder;
import org.seamcast.codec.protocol.SubscribeView;
import org.seamcast.relay.ring.ReplayLog;
import org.seamcast.relay.ring.ReplayRing;
import org.seamcast.relay.ring.SequenceWindow;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.Peer;
import org.seamcast.transport.link.LinkScheme;
import org.seamcast.transport.metrics.OwnedCounter;
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
 * once per {@code controlRepeatIntervalMs}. A HEARTBEAT carrying stream positions is forwarded once, the first copy of
 * each (sending node, heartbeat sequence) whichever link brings it, when its entries pass the stream rules below; it
 * also shows that the streams it names are alive though silent. Datagram forward links get a link heartbeat of the
 * relay's own every {@code heartbeatIntervalMs}, so an edge listening on one knows the path is up in silence.
 *
 * <p>No single message can break a stream. Each (mount, encoder) is an {@link EncoderLine} with one current stream;
 * a frame of another epoch, or of the current epoch further ahead than {@code sequenceJumpMs} of media (plus the
 * stream's silence) or behind its dedup window, starts a {@link StreamCandidate} that must deliver continuous frames
 * for {@code candidateProofMs} before it replaces the current stream, and only then are its held frames sent. An
 * epoch further ahead of the wall clock than {@code maxEpochLeadMs} is refused; over datagram transports so is a
 * FRAME or HEARTBEAT stamped too far from the wall clock (a replay). A HEARTBEAT never opens a stream nor starts a
 * candidate: it is forwarded only when an entry names a stream the relay relays (current, or a retired epoch) and no
 * entry names a current stream's sequence further than {@code heartbeatMaxLeadSequences} beyond the highest seen.
 * Streams are counted against the node's table
 * and against their source's share of it; when either is full a stream idle for {@code streamEvictableIdleMs} gives
 * way.
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
    private static final long NO_BATCH = Long.MAX_VALUE;
    private static final int MAX_HEARTBEAT_SOURCES = 4096;
    private static final int POSITION_IGNORED = 0;
    private static final int POSITION_RELAYED = 1;
    private static final int POSITION_REFUSED = 2;
    private static final long EVICTION_RETRY_NS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final EncoderLine NO_LINE = new EncoderLine(MountName.of("/-"), -1, null);

    private final RelayContext ctx;
    private final InboundProxy proxy;
    private final ManyToOneRingBuffer dataQueue;
    private final ManyToOneRingBuffer controlQueue;
    private final RelayMetrics metrics;
    private final EpochNanoClock clock;
    private final List<ForwardLink> forwardLinks = new ArrayList<>();
    private final MessageDecoder decoder = MessageDecoder.ofValidated();
    private final MessageAuthenticator signer;
    /** The relay's own messages (SUBSCRIBE upstream, link heartbeats) are encoded here, then copied by the link. */
    private final UnsafeBuffer encoded = new UnsafeBuffer(new byte[Protocol.MAX_MESSAGE_LENGTH]);
    private final SubscribeEncoder subscribeEncoder = new SubscribeEncoder();
    private final Long2ObjectHashMap<StreamState> streams = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<EncoderLine> lines = new Long2ObjectHashMap<>();
    private final Int2IntCounterMap streamsBySource = new Int2IntCounterMap(0);
    private final ArrayList<StreamState> streamList = new ArrayList<>();
    private final Int2ObjectHashMap<Subscriber> subscribers = new Int2ObjectHashMap<>();
    private final ArrayList<Subscriber> subscriberList = new ArrayList<>();
    private final Long2LongHashMap heartbeatForwardedSequence = new Long2LongHashMap(Long.MIN_VALUE);
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final NodeName nodeName;
    private final LongHashSet carriedMounts = new LongHashSet();
    private final org.agrona.concurrent.MessageHandler dataHandler = this::onData;
    private final org.agrona.concurrent.MessageHandler controlHandler = this::onControl;
    private final ReplayRing.MessageConsumer replaySender = this::sendReplayed;
    private final ReplayRing.MessageConsumer promotedSender = this::sendPromoted;
    private final long controlRepeatIntervalNs;
    private final long heartbeatMaxLeadSequences;
    private final long linkHeartbeatIntervalNs;
    private final long batchNs;
    private final long streamIdleTimeoutNs;
    private final long streamEvictableIdleNs;
    private final long sequenceJumpMs;
    private final long candidateProofNs;
    private final long candidateStallNs;
    private final long datagramMaxAgeUs;
    private final long datagramMaxLeadUs;
    private final int replayRingSlots;
    /** The bytes of every stream's ring, written back to back (see {@link ReplayLog} for why one log). */
    private final ReplayLog replayLog;
    private boolean[] datagramPaths = new boolean[0];
    private boolean[] upstreamPaths = new boolean[0];
    private StreamState promoting;
    private long noEvictionUntilNs;
    private Peer replayTarget;
    private int replayedCount;
    private long nowNs;
    private long nextHousekeepingNs;
    private long nextLinkHeartbeatNs;
    /** Set by a cycle that took input: the agent gathers what comes next until then (see {@link #nextDeadlineNs}). */
    private long batchEndsNs = NO_BATCH;
    private long linkHeartbeatSequence;

    RelayAgent(
        final RelayContext ctx,
        final InboundProxy proxy,
        final ManyToOneRingBuffer dataQueue,
        final ManyToOneRingBuffer controlQueue,
        final RelayMetrics metrics)
    {
        this.ctx = ctx;
        this.proxy = proxy;
        this.dataQueue = dataQueue;
        this.controlQueue = controlQueue;
        this.metrics = metrics;
        this.clock = ctx.clock();
        this.signer = ctx.transport().keyring() == null ? null : ctx.transport().keyring().newAuthenticator();
        this.controlRepeatIntervalNs = TimeUnit.MILLISECONDS.toNanos(ctx.controlRepeatIntervalMs());
        this.heartbeatMaxLeadSequences = ctx.heartbeatMaxLeadSequences();
        this.linkHeartbeatIntervalNs = TimeUnit.MILLISECONDS.toNanos(ctx.transport().heartbeatIntervalMs());
        this.batchNs = TimeUnit.MICROSECONDS.toNanos(ctx.batchUs());
        this.nodeName = NodeName.of(ctx.nodeName());
        this.streamIdleTimeoutNs = TimeUnit.MILLISECONDS.toNanos(ctx.streamIdleTimeoutMs());
        this.streamEvictableIdleNs = TimeUnit.MILLISECONDS.toNanos(ctx.streamEvictableIdleMs());
        this.sequenceJumpMs = ctx.sequenceJumpMs();
        this.candidateProofNs = TimeUnit.MILLISECONDS.toNanos(ctx.candidateProofMs());
        this.candidateStallNs = TimeUnit.MILLISECONDS.toNanos(ctx.candidateStallMs());
        this.datagramMaxAgeUs = TimeUnit.MILLISECONDS.toMicros(ctx.datagramMaxAgeMs());
        this.datagramMaxLeadUs = TimeUnit.MILLISECONDS.toMicros(ctx.datagramMaxLeadMs());
        this.replayRingSlots = ctx.replayRingSlots();
        this.replayLog = new ReplayLog(ctx.replayLogBytes(), TimeUnit.SECONDS.toNanos(ctx.replayRingSeconds()));
        for (final MountName mount : ctx.mounts())
        {
            carriedMounts.add(mount.hash());
        }
    }

    /**
     * Says, before the agent starts, which inbound paths carry datagrams (their FRAMEs and HEARTBEATs must be fresh)
     * and which are upstream relays (not limited to a source's share of the stream table).
     */
    void inboundPaths(final boolean[] datagram, final boolean[] upstream)
    {
        datagramPaths = datagram.clone();
        upstreamPaths = upstream.clone();
    }

    /**
     * Adds a forward link before the agent starts; the agent then owns its offer and flush.
     */
    void addForwardLink(final MessageLink link)
    {
        forwardLinks.add(new ForwardLink(link, metrics.framesOut(link.address().toString()),
            link.address().scheme() != LinkScheme.TCP));
    }

    private long epochMs()
    {
        return clock.nanoTime() / 1_000_000;
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
        if (work > 0)
        {
            batchEndsNs = nowNs + batchNs;
        }
        else if (nowNs >= batchEndsNs)
        {
            batchEndsNs = NO_BATCH;
        }
        if (nowNs - nextHousekeepingNs >= 0)
        {
            nextHousekeepingNs = nowNs + HOUSEKEEPING_INTERVAL_NS;
            work += housekeeping();
        }
        if (nowNs - nextLinkHeartbeatNs >= 0)
        {
            nextLinkHeartbeatNs = nowNs + linkHeartbeatIntervalNs;
            work += sendLinkHeartbeats();
        }
        flush();
        return work;
    }

    /**
     * @return when the agent next has work due, for its idle strategy: its housekeeping, its link heartbeats, and,
     * after a cycle that took input, the end of a batch ({@code RelayContext.batchUs}) in which the I/O threads leave
     * it parked ({@link InboundProxy}), so what arrives meanwhile is forwarded together with one flush per
     * subscriber. A relay with no input sleeps until its next timer and is woken by the next message. Agent thread.
     */
    long nextDeadlineNs()
    {
        return Math.min(batchEndsNs, Math.min(nextHousekeepingNs, nextLinkHeartbeatNs));
    }

    /**
     * @return whether input waits: a message in either queue or a connection event. Agent thread, before it parks.
     */
    boolean hasInput()
    {
        return dataQueue.size() > 0 || controlQueue.size() > 0 || proxy.hasEvents();
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
        final int sourceId = buffer.getInt(index + InboundProxy.SOURCE_OFFSET);
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
                    onFrame(pathIndex, sourceId, decoder.frame(), buffer, offset, messageLength);
                    break;
                case ANNOUNCE:
                    final AnnounceView announce = decoder.announce();
                    onStreamControl(MessageType.ANNOUNCE, pathIndex, sourceId, announce.mountHash(),
                        announce.mountOffset(), announce.mountLength(), announce.encoderId(), announce.epoch(),
                        Long.MIN_VALUE, buffer, offset, messageLength);
                    break;
                case METADATA:
                    final MetadataView metadata = decoder.metadata();
                    onStreamControl(MessageType.METADATA, pathIndex, sourceId, metadata.mountHash(),
                        metadata.mountOffset(), metadata.mountLength(), metadata.encoderId(), metadata.epoch(),
                        metadata.timestampUs(), buffer, offset, messageLength);
                    break;
                case HEARTBEAT:
                    onHeartbeat(pathIndex, decoder.heartbeat(), buffer, offset, messageLength);
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
        final int pathIndex,
        final int sourceId,
        final FrameView frame,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        metrics.frameIn(pathIndex);
        if (datagramPaths[pathIndex] && !isFresh(frame.timestampUs()))
        {
            metrics.dropped(RelayDropReason.TIMESTAMP_OUT_OF_RANGE);
            return;
        }
        final long epoch = frame.epoch();
        if (isInFuture(epoch))
        {
            metrics.dropped(RelayDropReason.EPOCH_IN_FUTURE);
            return;
        }
        final long mountHash = frame.mountHash();
        final long encoderId = frame.encoderId();
        EncoderLine line = line(mountHash, buffer, frame.mountOffset(), frame.mountLength(), encoderId);
        if (line == NO_LINE)
        {
            return;
        }
        final long sequence = frame.sequence();
        if (line == null || line.current == null)
        {
            final StreamState adopted = adopt(line, pathIndex, sourceId, mountHash, buffer, frame.mountOffset(),
                frame.mountLength(), encoderId, epoch);
            if (adopted == null)
            {
                return;
            }
            line = adopted.line;
        }
        final StreamState current = line.current;
        if (current.epoch == epoch)
        {
            if (isPlausible(current, sequence, frame.sampleRate(), frame.samplesInFrame()))
            {
                current.lastMessageNs = nowNs;
                if (!current.window.firstSighting(sequence))
                {
                    metrics.duplicate(pathIndex);
                    return;
                }
                current.lastFrameNs = nowNs;
                keepAndSend(current, sequence, buffer, offset, length);
                return;
            }
            onCandidateFrame(line, StreamCandidate.Kind.SEQUENCE_JUMP, pathIndex, sourceId, epoch, sequence,
                buffer, offset, length);
            return;
        }
        onCandidateFrame(line, StreamCandidate.Kind.NEW_EPOCH, pathIndex, sourceId, epoch, sequence,
            buffer, offset, length);
    }

    private void keepAndSend(
        final StreamState stream,
        final long sequence,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        if (!stream.ring.put(sequence, nowNs, buffer, offset, length))
        {
            metrics.dropped(RelayDropReason.TOO_LARGE_FOR_RING);
        }
        stream.accepted.increment();
        fanOut(stream.mountHash, null, buffer, offset, length, true);
    }

    private boolean isFresh(final long timestampUs)
    {
        final long nowUs = epochMs() * 1000L;
        return timestampUs >= nowUs - datagramMaxAgeUs && timestampUs <= nowUs + datagramMaxLeadUs;
    }

    private boolean isInFuture(final long epoch)
    {
        return Long.compareUnsigned(epoch, epochMs() + ctx.maxEpochLeadMs()) > 0;
    }

    /**
     * Whether a sequence of the current epoch may join the current stream: not more than {@code sequenceJumpMs} of
     * media (at the frame's own rate), plus however long the stream has been silent here, ahead of the highest
     * sequence seen, and not behind the dedup window.
     */
    private boolean isPlausible(
        final StreamState stream, final long sequence, final int sampleRate, final int samplesInFrame)
    {
        final long highest = stream.window.highest();
        if (highest < 0)
        {
            return true;
        }
        if (sequence > highest)
        {
            final long silenceMs = TimeUnit.NANOSECONDS.toMillis(Math.min(nowNs - stream.lastFrameNs,
                streamIdleTimeoutNs));
            final long allowedFrames = (sequenceJumpMs + silenceMs) * sampleRate / (1000L * samplesInFrame);
            return sequence - highest <= allowedFrames;
        }
        return highest - sequence < SequenceWindow.WINDOW;
    }

    /**
     * A frame that does not join the current stream: it feeds the line's candidate (starting one if the slot is free
     * or its candidate has stalled), is held (a new epoch) or counted (a jump), and promotes the candidate once it
     * has proven itself.
     */
    private void onCandidateFrame(
        final EncoderLine line,
        final StreamCandidate.Kind kind,
        final int pathIndex,
        final int sourceId,
        final long epoch,
        final long sequence,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        EncoderLine owner = line;
        if (!line.candidate.isFor(kind, epoch))
        {
            if (line.candidate.isActive() && !line.candidate.isStale(nowNs, candidateStallNs))
            {
                metrics.dropped(RelayDropReason.CANDIDATE_BUSY);
                return;
            }
            owner = startCandidate(line, kind, pathIndex, sourceId, epoch, sequence);
            if (owner == null)
            {
                return;
            }
        }
        final StreamCandidate proving = owner.candidate;
        final int place = proving.classify(sequence);
        if (place == StreamCandidate.OUTSIDE)
        {
            metrics.dropped(RelayDropReason.NOT_CONTINUOUS);
            return;
        }
        if (kind == StreamCandidate.Kind.NEW_EPOCH)
        {
            final StreamState stream = proving.stream();
            stream.lastMessageNs = nowNs;
            if (!stream.window.firstSighting(sequence))
            {
                metrics.duplicate(pathIndex);
                return;
            }
            if (stream.ring.put(sequence, nowNs, buffer, offset, length))
            {
                proving.held(sequence);
            }
            else
            {
                metrics.dropped(RelayDropReason.TOO_LARGE_FOR_RING);
            }
        }
        else if (sequence == proving.lastSequence())
        {
            metrics.duplicate(pathIndex);
            return;
        }
        metrics.candidateFrame();
        if (place == StreamCandidate.AHEAD)
        {
            proving.progress(sequence, nowNs, candidateStallNs);
            promoteIfProven(owner);
        }
    }

    /**
     * Starts the line's candidate for a new epoch (its stream opened, or a retired one of that epoch reused) or a
     * sequence jump, giving up the stalled candidate it replaces.
     *
     * @param sequence the first sequence, or -1 when a control message starts it.
     * @return the line that holds the candidate (a new one if opening its stream evicted the last stream of
     * {@code line}), or null when no stream could be opened for it (counted).
     */
    private EncoderLine startCandidate(
        final EncoderLine line,
        final StreamCandidate.Kind kind,
        final int pathIndex,
        final int sourceId,
        final long epoch,
        final long sequence)
    {
        abandonCandidate(line);
        if (kind == StreamCandidate.Kind.SEQUENCE_JUMP)
        {
            line.candidate.start(kind, epoch, line.current, nowNs);
            return line;
        }
        StreamState stream = find(line.mountHash, line.encoderId, epoch, false);
        if (stream == null)
        {
            stream = openStream(pathIndex, sourceId, line.mountHash, line.mount.buffer(), 0, line.mount.length(),
                line.encoderId, epoch);
            if (stream == null)
            {
                return null;
            }
        }
        else if (sequence >= 0 && stream.window.highest() >= 0 &&
            Math.abs(sequence - stream.window.highest()) >= SequenceWindow.WINDOW)
        {
            stream.window.reset();
            stream.ring.clear();
        }
        stream.line.candidate.start(kind, epoch, stream, nowNs);
        return stream.line;
    }

    private void abandonCandidate(final EncoderLine line)
    {
        final StreamCandidate candidate = line.candidate;
        if (!candidate.isActive())
        {
            return;
        }
        final StreamState stream = candidate.stream();
        candidate.clear();
        metrics.candidate(false);
        if (stream != null && !stream.proven)
        {
            removeStream(stream);
        }
    }

    /**
     * Promotes the line's candidate once it has proven itself and either is a larger epoch than the current stream
     * or the current stream has been silent for as long as the proof took: two live senders of one encoder id never
     * flap, and the larger (later started) epoch wins.
     */
    private void promoteIfProven(final EncoderLine line)
    {
        final StreamCandidate candidate = line.candidate;
        if (!candidate.isProven(ctx.candidateProofFrames(), candidateProofNs))
        {
            return;
        }
        final StreamState current = line.current;
        if (current != null)
        {
            final boolean later = candidate.kind() == StreamCandidate.Kind.NEW_EPOCH &&
                Long.compareUnsigned(candidate.epoch(), current.epoch) > 0;
            if (!later && nowNs - current.lastFrameNs < candidateProofNs)
            {
                return;
            }
        }
        promote(line);
    }

    /**
     * Makes the line's candidate its current stream: a jump resets the current stream's window so it follows the new
     * run; a new epoch becomes current and its latest ANNOUNCE and METADATA, then its held frames, are sent.
     */
    private void promote(final EncoderLine line)
    {
        final StreamCandidate candidate = line.candidate;
        final StreamState current = line.current;
        metrics.candidate(true);
        if (candidate.kind() == StreamCandidate.Kind.SEQUENCE_JUMP)
        {
            LOG.warn("{}: stream {} encoder {} epoch {} jumped to sequence {}; following it", ctx.nodeName(),
                line.mount, line.encoderId, candidate.epoch(), candidate.lastSequence());
            candidate.clear();
            current.window.reset();
            current.ring.clear();
            current.lastFrameNs = nowNs;
            return;
        }
        final StreamState stream = candidate.stream();
        final long fromSequence = candidate.lowestHeldSequence();
        candidate.clear();
        line.current = stream;
        stream.proven = true;
        stream.lastFrameNs = nowNs;
        LOG.info("{}: stream {} encoder {} epoch {} takes over from epoch {}", ctx.nodeName(), line.mount,
            line.encoderId, stream.epoch, current == null ? "none" : Long.toUnsignedString(current.epoch));
        sendLatest(stream, stream.announce);
        sendLatest(stream, stream.metadata);
        if (fromSequence != Long.MAX_VALUE)
        {
            promoting = stream;
            stream.ring.readFrom(fromSequence, promotedSender);
            promoting = null;
        }
    }

    private void sendLatest(final StreamState stream, final StreamState.LatestMessage latest)
    {
        if (!latest.isEmpty())
        {
            latest.forwardedNs = nowNs;
            fanOut(stream.mountHash, null, latest.buffer(), 0, latest.length(), false);
        }
    }

    private void sendPromoted(final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        promoting.accepted.increment();
        fanOut(promoting.mountHash, null, buffer, offset, length, true);
    }

    private void onStreamControl(
        final MessageType type,
        final int pathIndex,
        final int sourceId,
        final long mountHash,
        final int mountOffset,
        final int mountLength,
        final long encoderId,
        final long epoch,
        final long timestampUs,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        if (isInFuture(epoch))
        {
            metrics.dropped(RelayDropReason.EPOCH_IN_FUTURE);
            return;
        }
        final EncoderLine line = line(mountHash, buffer, mountOffset, mountLength, encoderId);
        if (line == NO_LINE)
        {
            return;
        }
        final StreamState stream;
        boolean held = false;
        if (line == null || line.current == null)
        {
            stream = adopt(line, pathIndex, sourceId, mountHash, buffer, mountOffset, mountLength, encoderId, epoch);
        }
        else if (line.current.epoch == epoch)
        {
            stream = line.current;
        }
        else
        {
            final StreamCandidate candidate = line.candidate;
            if (!candidate.isFor(StreamCandidate.Kind.NEW_EPOCH, epoch))
            {
                if (candidate.isActive() && !candidate.isStale(nowNs, candidateStallNs))
                {
                    metrics.dropped(RelayDropReason.CANDIDATE_BUSY);
                    return;
                }
                if (startCandidate(line, StreamCandidate.Kind.NEW_EPOCH, pathIndex, sourceId, epoch, -1) == null)
                {
                    return;
                }
            }
            stream = find(mountHash, encoderId, epoch, false);
            held = true;
        }
        if (stream == null)
        {
            return;
        }
        stream.lastMessageNs = nowNs;
        if (type == MessageType.METADATA)
        {
            if (timestampUs < stream.metadataTimestampUs)
            {
                metrics.dropped(RelayDropReason.STALE_METADATA);
                return;
            }
            stream.metadataTimestampUs = timestampUs;
        }
        final StreamState.LatestMessage latest = type == MessageType.ANNOUNCE ? stream.announce : stream.metadata;
        final boolean changed = !latest.equalsMessage(buffer, offset, length);
        if (held || (!changed && nowNs - latest.forwardedNs < controlRepeatIntervalNs))
        {
            if (changed)
            {
                latest.store(buffer, offset, length);
            }
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

    /**
     * A stream heartbeat: checked entry by entry against what the relay holds (it opens nothing), then forwarded if it
     * is the first copy of its (sending node, heartbeat sequence), to the subscribers of any of its mounts and to every
     * forward link. The current streams it names are alive, however long they have been silent.
     */
    private void onHeartbeat(
        final int pathIndex, final HeartbeatView heartbeat, final DirectBuffer buffer, final int offset,
        final int length)
    {
        if (datagramPaths[pathIndex] && !isFresh(heartbeat.senderTimeUs()))
        {
            metrics.dropped(RelayDropReason.TIMESTAMP_OUT_OF_RANGE);
            return;
        }
        final StreamPositionCursor positions = heartbeat.streams();
        boolean namesRelayedStream = false;
        while (positions.next())
        {
            final int verdict = checkPosition(positions);
            if (verdict == POSITION_REFUSED)
            {
                return;
            }
            namesRelayedStream |= verdict == POSITION_RELAYED;
        }
        if (!namesRelayedStream)
        {
            metrics.dropped(RelayDropReason.UNKNOWN_STREAM);
            return;
        }
        positions.rewind();
        while (positions.next())
        {
            final StreamState current = currentStream(positions);
            if (current != null && current.epoch == positions.epoch())
            {
                current.lastMessageNs = nowNs;
            }
        }
        final long source = MountName.hash(buffer, heartbeat.nodeNameOffset(), heartbeat.nodeNameLength());
        final long sequence = heartbeat.heartbeatSequence();
        final boolean known = heartbeatForwardedSequence.containsKey(source);
        if (known && Long.compareUnsigned(sequence, heartbeatForwardedSequence.get(source)) <= 0)
        {
            metrics.controlSuppressed(MessageType.HEARTBEAT.code());
            return;
        }
        if (!known && heartbeatForwardedSequence.size() >= MAX_HEARTBEAT_SOURCES)
        {
            heartbeatForwardedSequence.clear();
        }
        heartbeatForwardedSequence.put(source, sequence);
        metrics.controlForwarded(MessageType.HEARTBEAT.code());
        fanOut(0, heartbeat.streams(), buffer, offset, length, false);
    }

    /**
     * One heartbeat entry against the relay's streams: {@link #POSITION_RELAYED} when it names a current stream at a
     * plausible sequence or a retired (proven) epoch, {@link #POSITION_IGNORED} for a mount not carried, a stream not
     * held or a candidate, {@link #POSITION_REFUSED} (counted) when the whole heartbeat must go: an epoch from the
     * future, or a current stream's sequence too far beyond the highest seen.
     */
    private int checkPosition(final StreamPositionCursor position)
    {
        final long epoch = position.epoch();
        if (isInFuture(epoch))
        {
            metrics.dropped(RelayDropReason.EPOCH_IN_FUTURE);
            return POSITION_REFUSED;
        }
        final StreamState current = currentStream(position);
        if (current == null)
        {
            return POSITION_IGNORED;
        }
        if (current.epoch != epoch)
        {
            return find(position.mountHash(), position.encoderId(), epoch, true) != null ?
                POSITION_RELAYED : POSITION_IGNORED;
        }
        final long highest = current.window.highest();
        if (highest >= 0 && position.sequence() - highest > heartbeatMaxLeadSequences)
        {
            metrics.dropped(RelayDropReason.HEARTBEAT_AHEAD);
            return POSITION_REFUSED;
        }
        return POSITION_RELAYED;
    }

    /**
     * The current stream of a heartbeat entry's (mount, encoder), or null when the relay does not carry that mount
     * or holds no such line.
     */
    private StreamState currentStream(final StreamPositionCursor position)
    {
        final long mountHash = position.mountHash();
        if (!carriedMounts.isEmpty() && !carriedMounts.contains(mountHash))
        {
            return null;
        }
        final long encoderId = position.encoderId();
        final EncoderLine line = lines.get(EncoderLine.key(mountHash, encoderId));
        return line != null && line.is(mountHash, encoderId) && position.mountMatches(line.mount) ? line.current : null;
    }

    /**
     * Sends the relay's own link heartbeat (no stream entries) on every datagram forward link: an edge or relay
     * listening there learns that the path is up even while no stream is live. TCP links beat for themselves.
     */
    private int sendLinkHeartbeats()
    {
        int beatLength = 0;
        int sent = 0;
        for (int i = 0, n = forwardLinks.size(); i < n; i++)
        {
            final ForwardLink forward = forwardLinks.get(i);
            if (!forward.datagram)
            {
                continue;
            }
            if (beatLength == 0)
            {
                beatLength = heartbeatEncoder.wrap(encoded, 0, nodeName)
                    .senderTimeUs(epochMs() * 1000L)
                    .heartbeatSequence(linkHeartbeatSequence++)
                    .finish(signer);
            }
            forward.dirty = true;
            if (forward.link.offer(encoded, 0, beatLength))
            {
                sent++;
            }
        }
        return sent;
    }

    /**
     * Sends one message to every subscriber that wants it and to every forward link; each copies the bytes into what
     * it sends next (a batch, a datagram), so nothing is allocated per message here.
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
        for (int i = 0, n = subscriberList.size(); i < n; i++)
        {
            final Subscriber subscriber = subscriberList.get(i);
            if (positions == null ? subscriber.wants(mountHash) : wantsAny(subscriber, positions))
            {
                sendToSubscriber(subscriber, buffer, offset, length, isFrame);
            }
        }
        for (int i = 0, n = forwardLinks.size(); i < n; i++)
        {
            sendToForward(forwardLinks.get(i), buffer, offset, length, isFrame);
        }
    }

    private void sendToSubscriber(
        final Subscriber subscriber,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final boolean isFrame)
    {
        if (subscriber.send(buffer, offset, length))
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

    private void sendToForward(
        final ForwardLink forward,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final boolean isFrame)
    {
        forward.dirty = true;
        if (forward.link.offer(buffer, offset, length))
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

    /**
     * The line of a (mount, encoder): null when the relay holds none yet, {@link #NO_LINE} when the message must be
     * dropped (a mount not carried, or a key collision; counted).
     */
    private EncoderLine line(
        final long mountHash,
        final DirectBuffer buffer,
        final int mountOffset,
        final int mountLength,
        final long encoderId)
    {
        if (!carriedMounts.isEmpty() && !carriedMounts.contains(mountHash))
        {
            metrics.dropped(RelayDropReason.MOUNT_NOT_CARRIED);
            return NO_LINE;
        }
        final EncoderLine line = lines.get(EncoderLine.key(mountHash, encoderId));
        if (line != null && (!line.is(mountHash, encoderId) || !line.mount.matches(buffer, mountOffset, mountLength)))
        {
            metrics.dropped(RelayDropReason.KEY_COLLISION);
            return NO_LINE;
        }
        return line;
    }

    /**
     * Makes the stream of {@code epoch} current on a line that has no current stream (the first stream the relay
     * sees of a (mount, encoder), or one whose current stream was forgotten): opened if need be.
     *
     * @return the stream, or null when it could not be opened (counted).
     */
    private StreamState adopt(
        final EncoderLine line,
        final int pathIndex,
        final int sourceId,
        final long mountHash,
        final DirectBuffer buffer,
        final int mountOffset,
        final int mountLength,
        final long encoderId,
        final long epoch)
    {
        StreamState stream = line == null ? null : find(mountHash, encoderId, epoch, false);
        if (stream == null)
        {
            stream = openStream(pathIndex, sourceId, mountHash, buffer, mountOffset, mountLength, encoderId, epoch);
            if (stream == null)
            {
                return null;
            }
        }
        final EncoderLine owner = stream.line;
        if (owner.candidate.isActive() && owner.candidate.stream() == stream)
        {
            promote(owner);
            return stream;
        }
        owner.current = stream;
        stream.proven = true;
        stream.lastFrameNs = nowNs;
        return stream;
    }

    /**
     * Opens a stream (and its line if need be) if the node's table and the source's share of it have room, or a
     * stream idle for {@code streamEvictableIdleMs} gives way.
     *
     * @return the new stream, or null when refused (counted).
     */
    private StreamState openStream(
        final int pathIndex,
        final int sourceId,
        final long mountHash,
        final DirectBuffer buffer,
        final int mountOffset,
        final int mountLength,
        final long encoderId,
        final long epoch)
    {
        final long key = StreamState.key(mountHash, encoderId, epoch);
        if (streams.containsKey(key))
        {
            metrics.dropped(RelayDropReason.KEY_COLLISION);
            return null;
        }
        if (streamList.size() >= ctx.maxStreams() && !evictIdle(false, 0))
        {
            metrics.dropped(RelayDropReason.TOO_MANY_STREAMS);
            return null;
        }
        final boolean counted = !upstreamPaths[pathIndex];
        if (counted && streamsBySource.get(sourceId) >= ctx.maxStreamsPerSource() && !evictIdle(true, sourceId))
        {
            metrics.dropped(RelayDropReason.TOO_MANY_STREAMS_FOR_SOURCE);
            return null;
        }
        EncoderLine line = lines.get(EncoderLine.key(mountHash, encoderId));
        if (line == null)
        {
            final MountName mount = MountName.copyOf(buffer, mountOffset, mountLength);
            line = new EncoderLine(mount, encoderId, metrics.streamMeters(mount.toString(), encoderId));
            lines.put(line.key, line);
        }
        final StreamState stream = new StreamState(key, line, epoch,
            new ReplayRing(replayLog, replayRingSlots), sourceId, counted);
        stream.lastMessageNs = nowNs;
        stream.lastFrameNs = nowNs;
        line.streams++;
        streams.put(key, stream);
        streamList.add(stream);
        if (counted)
        {
            streamsBySource.incrementAndGet(sourceId);
        }
        metrics.streams(streamList.size());
        if (LOG.isDebugEnabled())
        {
            LOG.debug("{}: new stream {} encoder {} epoch {} from {}", ctx.nodeName(), line.mount, encoderId,
                Long.toUnsignedString(epoch), metrics.inboundPath(pathIndex));
        }
        return stream;
    }

    /**
     * Gives way to a new stream: removes the longest-silent stream (of {@code sourceId} only, when
     * {@code ofSource}) if it has been silent for {@code streamEvictableIdleMs}. A scan that finds none is not
     * repeated for a few milliseconds, so a flood of new streams into a full table costs little.
     */
    private boolean evictIdle(final boolean ofSource, final int sourceId)
    {
        if (nowNs - noEvictionUntilNs < 0)
        {
            return false;
        }
        StreamState victim = null;
        for (int i = 0, n = streamList.size(); i < n; i++)
        {
            final StreamState stream = streamList.get(i);
            if ((!ofSource || (stream.countedForSource && stream.sourceId == sourceId)) &&
                (victim == null || stream.lastMessageNs - victim.lastMessageNs < 0))
            {
                victim = stream;
            }
        }
        if (victim == null || nowNs - victim.lastMessageNs < streamEvictableIdleNs)
        {
            noEvictionUntilNs = nowNs + EVICTION_RETRY_NS;
            return false;
        }
        removeStream(victim);
        metrics.streamEvicted();
        return true;
    }

    private void removeStream(final StreamState stream)
    {
        streams.remove(stream.key);
        streamList.remove(stream);
        if (stream.countedForSource)
        {
            streamsBySource.decrementAndGet(stream.sourceId);
        }
        final EncoderLine line = stream.line;
        line.streams--;
        if (line.current == stream)
        {
            line.current = null;
        }
        if (line.candidate.isActive() && line.candidate.stream() == stream)
        {
            line.candidate.clear();
            metrics.candidate(false);
        }
        if (line.streams == 0)
        {
            lines.remove(line.key);
            metrics.releaseStreamMeters(line.meters);
        }
        metrics.streams(streamList.size());
    }

    /**
     * The stream of (mount, encoder, epoch), or null; with {@code provenOnly}, only one that has been current, as
     * resumes, retransmits and announcements to new subscribers serve only those.
     */
    private StreamState find(final long mountHash, final long encoderId, final long epoch, final boolean provenOnly)
    {
        final StreamState stream = streams.get(StreamState.key(mountHash, encoderId, epoch));
        return stream != null && stream.is(mountHash, encoderId, epoch) && (stream.proven || !provenOnly) ?
            stream : null;
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
            if (stream.proven && subscriber.wants(stream.mountHash))
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
                find(mountHash, resumePoints.encoderId(), resumePoints.epoch(), true) : null;
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
        if (!latest.isEmpty() && !subscriber.send(latest.buffer(), 0, latest.length()))
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
        if (replayTarget.send(buffer, offset, length))
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
        final StreamState stream = find(request.mountHash(), request.encoderId(), request.epoch(), true);
        if (stream == null)
        {
            metrics.dropped(RelayDropReason.UNKNOWN_STREAM);
            return;
        }
        final ReplayRing ring = stream.ring;
        final long highest = ring.highestSequence();
        final long lowest = ring.lowestIndexableSequence();
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
        subscribeEncoder.wrap(encoded, 0);
        for (final MountName mount : ctx.mounts())
        {
            subscribeEncoder.addMount(mount);
        }
        int resumePoints = 0;
        for (int i = 0, n = streamList.size(); i < n && resumePoints < Protocol.MAX_RESUME_POINTS; i++)
        {
            final StreamState stream = streamList.get(i);
            if (!stream.proven || stream.window.highest() < 0)
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
        peer.send(encoded, 0, subscribeEncoder.finish(signer));
        peer.flush();
        LOG.info("{}: subscribed upstream {} with {} resume points", ctx.nodeName(), peer, resumePoints);
    }

    private int housekeeping()
    {
        int work = 0;
        for (int i = streamList.size() - 1; i >= 0; i--)
        {
            if (i >= streamList.size())
            {
                continue;
            }
            final StreamState stream = streamList.get(i);
            final long idleNs = nowNs - stream.lastMessageNs;
            final StreamCandidate candidate = stream.line.candidate;
            final boolean proving = candidate.isActive() && candidate.stream() == stream &&
                !candidate.isStale(nowNs, candidateStallNs);
            if (idleNs > streamIdleTimeoutNs || (!stream.proven && !proving && idleNs > candidateStallNs))
            {
                if (stream.proven)
                {
                    LOG.info("{}: stream {} encoder {} epoch {} idle; forgotten", ctx.nodeName(), stream.mount,
                        stream.encoderId, Long.toUnsignedString(stream.epoch));
                }
                removeStream(stream);
                work++;
            }
        }
        metrics.streams(streamList.size());
        for (int i = 0, n = streamList.size(); i < n; i++)
        {
            final StreamState stream = streamList.get(i);
            if (stream.line.current == stream)
            {
                stream.meters.ringDepthFrames().set(stream.ring.heldCount());
            }
        }
        metrics.replayLog(replayLog.allocatedBytes(), replayLog.heldNs(nowNs));
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
        lines.clear();
        streamsBySource.clear();
        metrics.subscribers(0);
        metrics.streams(0);
    }

    /**
     * A link every accepted message is also offered to, and whether it needs a flush.
     */
    private static final class ForwardLink
    {
        final MessageLink link;
        final OwnedCounter framesOut;
        final boolean datagram;
        boolean dirty;

        ForwardLink(final MessageLink link, final OwnedCounter framesOut, final boolean datagram)
        {
            this.link = link;
            this.framesOut = framesOut;
            this.datagram = datagram;
        }
    }
}
