package org.seamcast.edge.node;

import io.micrometer.core.instrument.MeterRegistry;
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

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The edge's duty cycle: drains the messages the relay links queued, feeds each mount's playout engine, releases
 * every slot that is due, and answers link events (a SUBSCRIBE with resume points when a relay connects,
 * retransmit requests for gaps). All mount state is owned by this agent's thread; the I/O threads only write to
 * the inbox, and the admin endpoint only reads the status snapshot this agent renders when asked
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
    private final RingBuffer inbox;
    private final List<EdgePath> paths;
    private final ListenerServer listeners;
    private final EdgeMetrics metrics;
    /** Registers the meters of mounts and encoders as they appear, off this thread (see {@link EdgeMetrics}). */
    private final ExecutorService metricsRegistrar;
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
    private final java.util.concurrent.atomic.AtomicLongArray pathLastHeardNs;
    private final PathDelays pathDelays;
    /** The alignment grids every mount's engine resamples into, on this agent's thread. */
    private final AlignmentScratch alignmentScratch = new AlignmentScratch();
    private final List<IcecastPush> pushes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AgentWakeup wakeup;
    /** How long a message may wait in the inbox for the agent's own wake-up: twice the playout slack. */
    private final long inputWaitNs;
    private final int inboxWakeBytes;
    private final StatusRequests statusRequests;
    private volatile String status = "{}";
    private volatile List<MountStatus> mountStatus = List.of();
    private long nowNs;
    /** The previous duty cycle's time: the engines were worked at it, so no input is dated before it. */
    private long previousCycleNs;
    private long nextPathSampleNs;
    private long nextDeadlineNs;
    private long historyTick = -1;
    private long mountsRefused;

    PlayoutAgent(
        final EdgeContext ctx,
        final RingBuffer inbox,
        final List<EdgePath> paths,
        final ListenerServer listeners,
        final MeterRegistry registry,
        final EpochNanoClock clock,
        final AgentWakeup wakeup)
    {
        this.ctx = ctx;
        this.inbox = inbox;
        this.wakeup = wakeup;
        this.inputWaitNs = 2 * TimeUnit.MILLISECONDS.toNanos(ctx.playoutSlackMs());
        this.inboxWakeBytes = inbox.capacity() / 4;
        this.statusRequests = new StatusRequests(wakeup);
        this.paths = paths;
        this.listeners = listeners;
        this.metricsRegistrar = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "edge-metrics-registrar");
            thread.setDaemon(true);
            return thread;
        });
        this.metrics = new EdgeMetrics(registry, this::mountStatus, metricsRegistrar);
        this.headroom = new PathHeadroom(registry, ctx.relays());
        this.clock = clock;
        this.signer = ctx.keyring() == null ? null : ctx.keyring().newAuthenticator();
        this.pathLastHeardNs = new java.util.concurrent.atomic.AtomicLongArray(ctx.relays().size());
        this.pathDelays = new PathDelays(ctx.relays().size());
    }

    @Override
    public String roleName()
    {
        return "edge-playout";
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
            pathEvents.sample(paths, pathLastHeardNs::get, nowNs);
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

    private void renderStatus()
    {
        final List<MountStatus> snapshot = new java.util.ArrayList<>(mounts.size());
        for (final MountPlayout mount : mounts.values())
        {
            snapshot.add(new MountStatus(mount.mount().toString(), mount.engine().activeEncoderId(),
                mount.engine().isInFallback(), mount.engine().pendingFrames(), mount.engine().framesPlayed(),
                mount.point().listenerCount(), mount.engine().encoderCount(), mount.lastEvent(),
                List.copyOf(mount.encoderStatus())));
        }
        snapshot.sort(java.util.Comparator.comparing(MountStatus::mount));
        mountStatus = List.copyOf(snapshot);
        status = EdgeStatusJson.render(ctx, mounts.values(), mountStatus, paths, pathLastHeardNs, pathDelays,
            nowNs, listeners, new EdgeStatusJson.History(historyTick, headroom, pathEvents));
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
        // the arrival time itself: neither the cycle's (which may be before it) nor the read's (which may be later)
        pathDelays.sample(pathId, heartbeat.senderTimeUs(), arrivalNs / 1000);
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
        if (mounts.size() >= ctx.maxMounts() || mounts.containsKey(view.mountHash()))
        {
            mountsRefused++;
            return null;
        }
        final MountName name = MountName.copyOf(view.buffer(), view.mountOffset(), view.mountLength());
        if (!ctx.mounts().isEmpty() && !ctx.mounts().contains(name))
        {
            return null;
        }
        final MountPlayout mount = new MountPlayout(name,
            listeners.openMount(name.toString(), MountPlayout.defaultHeaders(codec)), ctx, alignmentScratch,
            this::requestRetransmit);
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
        LOG.info("subscribing on {} with {} resume points", link.address(), points);
        link.offer(encoded, 0, length);
        link.flush();
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
                path.link().offer(encoded, 0, length);
                path.link().flush();
            }
        }
    }

    /**
     * The status as JSON, rendered for this request unless a snapshot younger than {@link StatusRequests#FRESH_NS}
     * exists; safe to call from any thread (see {@link StatusRequests} for the wait).
     */
    String status()
    {
        statusRequests.awaitFresh();
        return status;
    }

    /**
     * The per-mount status, as fresh as {@link #status()}; safe to call from any thread.
     */
    List<MountStatus> mountStatus()
    {
        statusRequests.awaitFresh();
        return mountStatus;
    }

    /**
     * @return when path {@code pathId} last delivered a valid message (engine clock, ns), 0 for never. Any thread.
     */
    long lastHeardNs(final int pathId)
    {
        return pathLastHeardNs.get(pathId);
    }

    /**
     * A path showed it is alive without a message for the playout thread (a link heartbeat). Any thread.
     */
    void heard(final int pathId, final long nowNs)
    {
        pathLastHeardNs.lazySet(pathId, nowNs);
    }

    /**
     * @return each path's delay from the ingests' stream heartbeats; read from any thread.
     */
    PathDelays pathDelays()
    {
        return pathDelays;
    }

    long mountsRefused()
    {
        return mountsRefused;
    }

    @Override
    public void onClose()
    {
        metricsRegistrar.shutdown();
        pushes.forEach(IcecastPush::close);
        mounts.clear();
    }

    List<IcecastPush> pushes()
    {
        return pushes;
    }

    /**
     * Copies link messages into the inbox from the I/O threads; a full inbox drops and counts.
     */
    static boolean offer(
        final RingBuffer inbox, final int pathId, final long arrivalNs, final DirectBuffer buffer, final int offset,
        final int length)
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
