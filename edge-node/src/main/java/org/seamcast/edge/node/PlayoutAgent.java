package org.seamcast.edge.node;

import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.seamcast.codec.protocol.DecodeResult;
import org.seamcast.codec.protocol.FrameView;
import org.seamcast.codec.protocol.HeartbeatView;
import org.seamcast.codec.protocol.MessageAuthenticator;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.MountMessageView;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.Protocol;
import org.seamcast.codec.protocol.RetransmitRequestEncoder;
import org.seamcast.codec.protocol.StreamPositionCursor;
import org.seamcast.codec.protocol.SubscribeEncoder;
import org.seamcast.edge.engine.AlignmentScratch;
import org.seamcast.edge.engine.EdgeEngine;
import org.seamcast.edge.listener.IcecastPush;
import org.seamcast.edge.listener.ListenerServer;
import org.seamcast.transport.AgentWakeup;
import org.seamcast.transport.MessageLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A playout duty cycle: drains the messages the relay links queued for its mounts, feeds each mount's playout engine,
 * releases every slot that is due, and answers link events (a SUBSCRIBE with its mounts' resume points when a relay
 * connects, retransmit requests for gaps). An edge runs one per playout thread, each owning the mounts whose name
 * hashes to it ({@link PlayoutShards}). All its mounts' state is owned by this agent's thread; the I/O threads only
 * write to the inbox, and the admin endpoint only reads the status part this agent renders when asked
 * ({@link StatusRequests}).
 */
final class PlayoutAgent implements Agent, MessageHandler
{
    /** Inbox message types: 1..PATHS are messages from path (type - 1); ESTABLISHED + path announce a connection. */
    static final int ESTABLISHED = 1 << 20;
    /**
     * A path's inbox record: when its I/O thread took the message in ({@link #ARRIVAL_LENGTH} bytes, on the agent's
     * clock), then the message. The time is the arrival's, not the read's: a message may wait in the inbox until the
     * agent's next deadline ({@link #wakeForInput}).
     */
    static final int ARRIVAL_LENGTH = Long.BYTES;

    private static final Logger LOG = LoggerFactory.getLogger(PlayoutAgent.class);
    private static final int INBOX_LIMIT_PER_CYCLE = 512;
    /** How often the paths' states are compared for the status page's timeline of downs and ups. */
    private static final long PATH_SAMPLE_INTERVAL_NS = 500_000_000L;
    /** A mount's engine runs at its next slot deadline, and at least this often while a gap awaits retransmission. */
    private static final long GAP_INTERVAL_NS = 5_000_000L;
    /** ... and at least this often otherwise (envelope alignment and dead-air checks), so an idle mount sleeps. */
    private static final long HOUSEKEEPING_INTERVAL_NS = 50_000_000L;
    private static final int SUBSCRIBE_BUDGET_BYTES = Protocol.MAX_MESSAGE_LENGTH - 2048;

    private final EdgeContext ctx;
    /** Which of the edge's playout agents this is; agent 0 also keeps the paths' delays and timeline. */
    private final int shard;
    private final PlayoutShards shards;
    private final RingBuffer inbox;
    private final List<EdgePath> paths;
    private final ListenerServer listeners;
    private final EdgeMetrics metrics;
    private final PathHeadroom headroom;
    private final PathEvents pathEvents = new PathEvents();
    private final EpochNanoClock clock;
    private final MessageDecoder decoder = MessageDecoder.ofValidated();
    private final MessageAuthenticator signer;
    private final SubscribeEncoder subscribeEncoder = new SubscribeEncoder();
    private final RetransmitRequestEncoder retransmitEncoder = new RetransmitRequestEncoder();
    /** SUBSCRIBE and RETRANSMIT_REQUEST are encoded here, then copied by the link they go on. */
    private final UnsafeBuffer encoded = new UnsafeBuffer(new byte[Protocol.MAX_MESSAGE_LENGTH]);
    private final Long2ObjectHashMap<MountPlayout> mounts = new Long2ObjectHashMap<>();
    private final AtomicLongArray pathLastHeardNs;
    private final PathDelays pathDelays;
    /** The alignment grids every mount's engine resamples into, on this agent's thread. */
    private final AlignmentScratch alignmentScratch = new AlignmentScratch();
    private final EventLog eventLog = new EventLog();
    private final List<IcecastPush> pushes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AgentWakeup wakeup;
    /** How long a message may wait in the inbox for the agent's own wake-up: twice the playout slack. */
    private final long inputWaitNs;
    private final int inboxWakeBytes;
    private final StatusRequests statusRequests;
    private volatile PlayoutShards.ShardStatus shardStatus = PlayoutShards.ShardStatus.NONE;
    private long nowNs;
    /** The previous duty cycle's time: the engines were worked at it, so no input is dated before it. */
    private long previousCycleNs;
    private long nextPathSampleNs;
    private long nextDeadlineNs;
    private long historyTick = -1;
    private long mountsRefused;

    /**
     * @param shard  this agent's index among the edge's playout agents.
     * @param shards the edge's agents, and what they share.
     * @param paths  the edge's paths, filled in before the agent runs.
     */
    PlayoutAgent(
        final EdgeContext ctx,
        final int shard,
        final PlayoutShards shards,
        final RingBuffer inbox,
        final List<EdgePath> paths,
        final ListenerServer listeners,
        final EpochNanoClock clock,
        final AgentWakeup wakeup)
    {
        this.ctx = ctx;
        this.shard = shard;
        this.shards = shards;
        this.inbox = inbox;
        this.wakeup = wakeup;
        this.inputWaitNs = 2 * TimeUnit.MILLISECONDS.toNanos(ctx.playoutSlackMs());
        this.inboxWakeBytes = inbox.capacity() / 4;
        this.statusRequests = new StatusRequests(wakeup);
        this.paths = paths;
        this.listeners = listeners;
        this.metrics = shards.metrics();
        this.headroom = new PathHeadroom(shards.headroomFamily(), ctx.relays());
        this.clock = clock;
        this.signer = ctx.keyring() == null ? null : ctx.keyring().newAuthenticator();
        this.pathLastHeardNs = shards.pathLastHeardNs();
        this.pathDelays = shards.pathDelays();
    }

    @Override
    public String roleName()
    {
        return shards.count() == 1 ? "edge-playout" : "edge-playout-" + shard;
    }

    @Override
    public int doWork()
    {
        previousCycleNs = nowNs;
        nowNs = clock.nanoTime();
        if (nowNs / SampleRing.TICK_NS != historyTick)
        {
            tickHistory();
        }
        int work = inbox.read(this, INBOX_LIMIT_PER_CYCLE);
        if (nowNs >= nextDeadlineNs)
        {
            // most cycles are woken by input with no mount due: the scan runs only when the earliest is
            long earliest = nextPathSampleNs;
            for (final MountPlayout mount : mounts.values())
            {
                if (nowNs >= mount.nextWorkNs())
                {
                    work += mount.doWork(nowNs);
                    mount.scheduleWork(nowNs +
                        (mount.engine().hasOpenGaps() ? GAP_INTERVAL_NS : HOUSEKEEPING_INTERVAL_NS));
                }
                earliest = Math.min(earliest, mount.nextWorkNs());
            }
            nextDeadlineNs = earliest;
        }
        if (nowNs >= nextPathSampleNs)
        {
            nextPathSampleNs = nowNs + PATH_SAMPLE_INTERVAL_NS;
            nextDeadlineNs = Math.min(nextDeadlineNs, nextPathSampleNs);
            if (shard == 0)
            {
                pathEvents.sample(paths, pathLastHeardNs::get, nowNs);
            }
            registerNewEncoders();
        }
        if (statusRequests.isRequested())
        {
            renderStatus();
            statusRequests.rendered();
            work++;
        }
        return work;
    }

    /**
     * @return whether input waits: a message in the inbox or a status request. Read by the idle strategy on the
     * agent's thread just before it parks.
     */
    boolean hasInput()
    {
        return inbox.size() > 0 || statusRequests.isRequested();
    }

    /**
     * Wakes the agent for a message just written to its inbox, unless the agent wakes for its own deadline within
     * {@code inputWaitNs} of the message's arrival: every duty cycle reads the inbox before it plays the slots due,
     * so a frame that arrived before its slot is played in it whenever it is read, and the arrival time travels with
     * the message. A playing mount's slots then wake the agent, and its frames do not, where each frame cost the
     * I/O thread an unpark and the agent a second wake-up. An inbox over a quarter full wakes it at once. On the
     * agent's own event loop a frame that finds a slot due runs the cycle that plays it in the frame's wake-up, not
     * in one of the slot timer's own. Any I/O thread.
     */
    void wakeForInput(final long arrivalNs)
    {
        if (inbox.size() > inboxWakeBytes)
        {
            wakeup.wake();
        }
        else
        {
            wakeup.wakeUnlessDueBy(arrivalNs + inputWaitNs, arrivalNs);
        }
    }

    /**
     * @return when this agent next has work due on its clock (a mount's slot or housekeeping, the path sample), as
     * of its last duty cycle; input arriving in the inbox is not a deadline. Agent thread only.
     */
    long nextDeadlineNs()
    {
        return nextDeadlineNs;
    }

    /**
     * Registers the gauges of encoders that appeared since the last call; a mount whose encoder count is unchanged
     * costs one comparison.
     */
    private void registerNewEncoders()
    {
        for (final MountPlayout mount : mounts.values())
        {
            final int count = mount.engine().encoderCount();
            if (count != mount.encodersRegistered())
            {
                for (int rank = 0; rank < count; rank++)
                {
                    metrics.encoder(mount.mount().toString(), mount.engine().encoderIdByRank(rank));
                }
                mount.encodersRegistered(count);
            }
        }
    }

    /**
     * Renders this agent's part of the status: its mounts, sorted by name, each as its status and its JSON object,
     * its paths' headroom seconds, and (agent 0) the paths' timeline.
     */
    private void renderStatus()
    {
        final List<MountPlayout> sorted = new ArrayList<>(mounts.values());
        sorted.sort(Comparator.comparing(m -> m.mount().toString()));
        final List<MountStatus> snapshot = new ArrayList<>(sorted.size());
        final List<String> json = new ArrayList<>(sorted.size());
        for (final MountPlayout mount : sorted)
        {
            final MountStatus status = new MountStatus(mount.mount().toString(), mount.engine().activeEncoderId(),
                mount.engine().isInFallback(), mount.engine().pendingFrames(), mount.engine().framesPlayed(),
                mount.point().listenerCount(), mount.engine().encoderCount(), mount.lastEvent(),
                List.copyOf(mount.encoderStatus()));
            snapshot.add(status);
            json.add(EdgeStatusJson.mount(mount, status.encoderStatus(), paths.size(), historyTick - 1));
        }
        shardStatus = new PlayoutShards.ShardStatus(nowNs, historyTick, List.copyOf(snapshot), List.copyOf(json),
            headroom.window(historyTick - 1), shard == 0 ? EdgeStatusJson.pathEvents(pathEvents) : null);
    }

    /**
     * Closes the history second that ended: each path's headroom and each mount's buffer depth.
     */
    private void tickHistory()
    {
        if (historyTick >= 0)
        {
            headroom.tick(historyTick);
            for (final MountPlayout mount : mounts.values())
            {
                mount.history().tick(historyTick, mount.engine().pendingFrames());
            }
        }
        historyTick = nowNs / SampleRing.TICK_NS;
    }

    @Override
    public void onMessage(final int msgTypeId, final org.agrona.MutableDirectBuffer buffer, final int index,
        final int length)
    {
        if (msgTypeId >= ESTABLISHED)
        {
            subscribe(msgTypeId - ESTABLISHED);
            return;
        }
        final int pathId = msgTypeId - 1;
        final long arrivalNs = buffer.getLong(index);
        if (decoder.decode(buffer, index + ARRIVAL_LENGTH, length - ARRIVAL_LENGTH) != DecodeResult.OK)
        {
            return;
        }
        // the engines see time move forward: between the cycle they were last worked at and this one
        final long atNs = Math.min(Math.max(arrivalNs, previousCycleNs), nowNs);
        pathLastHeardNs.lazySet(pathId, atNs);
        switch (decoder.type())
        {
            case FRAME ->
            {
                final FrameView frame = decoder.frame();
                final MountPlayout mount = mountFor(frame, frame.codec());
                if (mount != null)
                {
                    final int result = mount.onFrame(pathId, frame, atNs);
                    if (mount.engine().hasOpenGaps())
                    {
                        mount.scheduleWorkBy(nowNs + GAP_INTERVAL_NS);
                    }
                    nextDeadlineNs = Math.min(nextDeadlineNs, mount.nextWorkNs());
                    if (result == EdgeEngine.STORED || result == EdgeEngine.DUPLICATE || result == EdgeEngine.LATE)
                    {
                        headroom.record(pathId,
                            mount.copyDeadlineNs((int)frame.encoderId(), frame.timestampUs()) - atNs);
                    }
                }
            }
            case ANNOUNCE ->
            {
                final MountPlayout mount = mountFor(decoder.announce(), decoder.announce().codec());
                if (mount != null)
                {
                    mount.onAnnounce(decoder.announce());
                    nextDeadlineNs = Math.min(nextDeadlineNs, mount.nextWorkNs());
                }
            }
            case METADATA ->
            {
                final MountPlayout mount = find(decoder.metadata());
                if (mount != null)
                {
                    mount.onMetadata(decoder.metadata(), atNs);
                }
            }
            case HEARTBEAT -> onStreamHeartbeat(pathId, decoder.heartbeat(), arrivalNs, atNs);
            default ->
            {
            }
        }
    }

    /**
     * A stream heartbeat (link heartbeats stop at {@link PathInbox}): its sender time gives the path's delay, and
     * each entry tells its mount's engine the last sequence sent, so frames lost at the tail of a burst are asked for.
     * Entries of mounts the edge does not play are ignored; a heartbeat opens no mount.
     */
    private void onStreamHeartbeat(
        final int pathId, final HeartbeatView heartbeat, final long arrivalNs, final long atNs)
    {
        if (shard == 0)
        {
            // the arrival time itself: neither the cycle's (which may be before it) nor the read's (which may be later)
            pathDelays.sample(pathId, heartbeat.senderTimeUs(), arrivalNs / 1000);
        }
        final StreamPositionCursor positions = heartbeat.streams();
        while (positions.next())
        {
            final MountPlayout mount = mounts.get(positions.mountHash());
            if (mount != null && positions.mountMatches(mount.mount()))
            {
                mount.onStreamPosition(pathId, positions, atNs);
                if (mount.engine().hasOpenGaps())
                {
                    mount.scheduleWorkBy(nowNs + GAP_INTERVAL_NS);
                }
                nextDeadlineNs = Math.min(nextDeadlineNs, mount.nextWorkNs());
            }
        }
    }

    private MountPlayout find(final MountMessageView view)
    {
        final MountPlayout mount = mounts.get(view.mountHash());
        return mount != null && view.mountMatches(mount.mount()) ? mount : null;
    }

    private MountPlayout mountFor(final MountMessageView view, final org.seamcast.codec.protocol.CodecType codec)
    {
        final MountPlayout existing = find(view);
        if (existing != null)
        {
            return existing;
        }
        if (mounts.containsKey(view.mountHash()))
        {
            mountsRefused++;
            return null;
        }
        final MountName name = MountName.copyOf(view.buffer(), view.mountOffset(), view.mountLength());
        if (!ctx.mounts().isEmpty() && !ctx.mounts().contains(name))
        {
            return null;
        }
        if (!shards.claimMount())
        {
            mountsRefused++;
            return null;
        }
        final MountPlayout mount = new MountPlayout(name,
            listeners.openMount(name.toString(), MountPlayout.defaultHeaders(codec)), ctx, alignmentScratch,
            this::requestRetransmit, eventLog);
        mounts.put(name.hash(), mount);
        metrics.mount(mount);
        final java.net.URI pushTarget = ctx.pushTargets().get(name);
        if (pushTarget != null)
        {
            pushes.add(IcecastPush.start(listeners, mount.point(), pushTarget));
        }
        LOG.info("mount {} appeared ({})", name, codec);
        return mount;
    }

    private void subscribe(final int pathId)
    {
        final SubscribeEncoder encoder = subscribeEncoder.wrap(encoded, 0);
        for (final MountName mount : ctx.mounts())
        {
            encoder.addMount(mount);
        }
        int budget = SUBSCRIBE_BUDGET_BYTES;
        int points = 0;
        for (final MountPlayout mount : mounts.values())
        {
            for (final MountPlayout.EncoderInfo info : mount.encoders().values())
            {
                final int entry = 32 + mount.mount().length();
                if (info.highestSequence < 0 || budget < entry || points == Protocol.MAX_RESUME_POINTS)
                {
                    continue;
                }
                encoder.addResumePoint(mount.mount(), info.id, info.epoch, info.highestSequence + 1);
                budget -= entry;
                points++;
            }
        }
        final int length = encoder.finish(signer);
        final MessageLink link = paths.get(pathId).link();
        LOG.info("subscribing on {} with {} resume points{}", link.address(), points,
            shards.count() == 1 ? "" : " of playout thread " + shard);
        send(link, length);
    }

    /**
     * Sends what {@link #encoded} holds. A link has one owner for its {@link MessageLink#offer}s: with several
     * playout agents that is whichever holds the link's lock (these messages are rare: subscriptions and requests).
     */
    private void send(final MessageLink link, final int length)
    {
        synchronized (link)
        {
            link.offer(encoded, 0, length);
            link.flush();
        }
    }

    private void requestRetransmit(
        final MountName mount, final int encoderId, final long epoch, final long fromSequence, final long toSequence)
    {
        final RetransmitRequestEncoder encoder = retransmitEncoder.wrap(encoded, 0, mount).encoderId(encoderId)
            .epoch(epoch);
        long first = fromSequence;
        int ranges = 0;
        while (first <= toSequence && ranges < Protocol.MAX_RETRANSMIT_RANGES)
        {
            final int count = (int)Math.min(Protocol.MAX_RETRANSMIT_RANGE_LENGTH, toSequence - first + 1);
            encoder.addRange(first, count);
            first += count;
            ranges++;
        }
        final int length = encoder.finish(signer);
        for (final EdgePath path : paths)
        {
            if (path.canAsk())
            {
                send(path.link(), length);
            }
        }
    }

    /**
     * This agent's part of the status, rendered for this request unless one younger than
     * {@link StatusRequests#FRESH_NS} exists; safe to call from any thread (see {@link StatusRequests} for the wait).
     */
    PlayoutShards.ShardStatus shardStatus()
    {
        statusRequests.awaitFresh();
        return shardStatus;
    }

    long mountsRefused()
    {
        return mountsRefused;
    }

    @Override
    public void onClose()
    {
        pushes.forEach(IcecastPush::close);
        mounts.clear();
    }

    List<IcecastPush> pushes()
    {
        return pushes;
    }

    /**
     * Copies a link message into this agent's inbox, dated with its arrival; false when the inbox is full. Any I/O
     * thread.
     */
    boolean offer(
        final int pathId, final long arrivalNs, final DirectBuffer buffer, final int offset, final int length)
    {
        final int index = inbox.tryClaim(pathId + 1, ARRIVAL_LENGTH + length);
        if (index < 0)
        {
            return false;
        }
        final AtomicBuffer record = inbox.buffer();
        record.putLong(index, arrivalNs);
        record.putBytes(index + ARRIVAL_LENGTH, buffer, offset, length);
        inbox.commit(index);
        return true;
    }
}
