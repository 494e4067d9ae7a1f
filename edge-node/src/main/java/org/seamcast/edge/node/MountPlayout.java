package org.seamcast.edge.node;

import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.seamcast.codec.protocol.AnnounceView;
import org.seamcast.codec.protocol.CodecType;
import org.seamcast.codec.protocol.FrameView;
import org.seamcast.codec.protocol.MetadataView;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.StreamPositionCursor;
import org.seamcast.edge.engine.AlignmentScratch;
import org.seamcast.edge.engine.EdgeEngine;
import org.seamcast.edge.engine.EdgeEngineContext;
import org.seamcast.edge.engine.EdgeEvent;
import org.seamcast.edge.engine.EdgeEventListener;
import org.seamcast.edge.engine.OutputFrame;
import org.seamcast.edge.engine.OutputSource;
import org.seamcast.edge.engine.PlayoutSink;
import org.seamcast.edge.listener.MountPoint;
import org.seamcast.edge.listener.StreamHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One mount at the edge: the playout engine fed with every copy of its frames, the listener mount point it plays
 * into, what each encoder announced (headers; titles in {@link MountTitles}) and where each encoder's sequence has
 * reached (for resume after a reconnect). Owned by the playout thread.
 */
final class MountPlayout implements PlayoutSink, EdgeEventListener
{
    private static final Logger LOG = LoggerFactory.getLogger(MountPlayout.class);
    private static final int RECENT_EVENTS = 32;

    private final MountName mount;
    private final EdgeEngine engine;
    private final MountPoint point;
    private final MountFallback fallback;
    private final Int2ObjectHashMap<EncoderInfo> encoders = new Int2ObjectHashMap<>();
    private final ArrayDeque<String> recentEvents = new ArrayDeque<>(RECENT_EVENTS);
    private final MountTitles titles = new MountTitles();
    private final MountHistory history = new MountHistory();
    private final long playoutDelayNs;
    /** The owning agent's event log, shared by its mounts. */
    private final EventLog eventLog;
    private int playingEncoder = EdgeEngine.NO_ENCODER;
    private long nextWorkNs;
    private int encodersRegistered;
    private String lastEvent = "";

    MountPlayout(
        final MountName mount,
        final MountPoint point,
        final EdgeContext ctx,
        final AlignmentScratch alignmentScratch,
        final RetransmitSender retransmits,
        final EventLog eventLog)
    {
        this.mount = mount;
        this.eventLog = eventLog;
        this.point = point;
        this.fallback = new MountFallback(mount, ctx.loadedFallbackFile(mount));
        final EdgeEngineContext engineCtx = new EdgeEngineContext()
            .playoutDelayNs(TimeUnit.MILLISECONDS.toNanos(ctx.playoutDelayMs()))
            .holdTimeNs(TimeUnit.MILLISECONDS.toNanos(ctx.holdTimeMs()))
            .deadAirNs(TimeUnit.MILLISECONDS.toNanos(ctx.deadAirMs()))
            .deadAirThresholdDb(ctx.deadAirThresholdDb())
            .alignmentScratch(alignmentScratch)
            .playoutSink(this)
            .eventListener(this)
            .fallbackFrameSource(fallback)
            .retransmitRequester((encoderId, epoch, from, to) -> retransmits.request(mount, encoderId, epoch, from, to));
        ctx.encoderLagsMs().getOrDefault(mount, java.util.Map.of())
            .forEach((encoderId, lagMs) -> engineCtx.encoderOffsetUs(encoderId, -lagMs * 1000));
        this.engine = new EdgeEngine(engineCtx);
        this.playoutDelayNs = engineCtx.playoutDelayNs();
    }

    static StreamHeaders defaultHeaders(final CodecType codec)
    {
        return new StreamHeaders(codec == CodecType.ADTS ? "audio/aac" : "audio/mpeg",
            null, null, null, null, false, null, 0);
    }

    int onFrame(final int pathId, final FrameView frame, final long nowNs)
    {
        final DirectBuffer buffer = frame.buffer();
        fallback.learnFormat(buffer, frame.payloadOffset(), frame.payloadLength());
        final int encoderId = (int)frame.encoderId();
        final int result = engine.onFrame(pathId, encoderId, frame.priority(), frame.epoch(), frame.sequence(),
            frame.timestampUs(), (int)frame.durationUs(), frame.isCleanSwitch(), buffer, frame.payloadOffset(),
            frame.payloadLength(), nowNs);
        if (result == EdgeEngine.STORED)
        {
            nextWorkNs = Math.min(nextWorkNs, engine.nextDeadlineNs());
            final EncoderInfo info = encoder(encoderId);
            if (frame.epoch() > info.epoch)
            {
                info.epoch = frame.epoch();
                info.highestSequence = frame.sequence();
            }
            else if (frame.epoch() == info.epoch && frame.sequence() > info.highestSequence)
            {
                info.highestSequence = frame.sequence();
            }
        }
        return result;
    }

    /**
     * One entry of a stream heartbeat for this mount: the engine asks for frames sent beyond what it holds.
     */
    void onStreamPosition(final int pathId, final StreamPositionCursor position, final long nowNs)
    {
        engine.onStreamPosition(pathId, (int)position.encoderId(), position.epoch(), position.sequence(), nowNs);
    }

    void onAnnounce(final AnnounceView announce)
    {
        final EncoderInfo info = encoder((int)announce.encoderId());
        final StreamHeaders headers = new StreamHeaders(
            announce.contentType().isEmpty() ? defaultHeaders(announce.codec()).contentType() : announce.contentType(),
            announce.icyName(), announce.icyGenre(), announce.icyDescription(), announce.icyUrl(),
            announce.icyPublic() == 1, announce.iceAudioInfo(), announce.bitrateKbps());
        if (announce.ingestNameLength() > 0 && !announce.ingestName().equals(info.ingestName))
        {
            info.ingestName = announce.ingestName();
        }
        if (!headers.equals(info.headers))
        {
            info.headers = headers;
            if (info.id == playingEncoder || playingEncoder == EdgeEngine.NO_ENCODER)
            {
                point.headers(headers);
            }
        }
    }

    /**
     * Takes a title from any of the mount's encoders; listeners get the newest (see {@link MountTitles}), whichever
     * encoder plays.
     */
    void onMetadata(final MetadataView metadata, final long nowNs)
    {
        final int encoderId = (int)metadata.encoderId();
        final long refusedBefore = titles.refusedFromTheFuture();
        if (titles.onMetadata(encoderId, metadata.streamTitle(), metadata.timestampUs(), nowNs / 1000))
        {
            point.title(titles.title());
        }
        else if (titles.refusedFromTheFuture() != refusedBefore && refusedBefore == 0)
        {
            LOG.warn("TITLE_REFUSED mount={} encoder={}: its timestamp {} us is more than {} s ahead of this edge's "
                + "clock; check NTP on its ingest (further ones are counted in /status.json)", mount, encoderId,
                metadata.timestampUs(), MountTitles.MAX_TITLE_LEAD_US / 1_000_000);
        }
    }

    int doWork(final long nowNs)
    {
        return engine.doWork(nowNs);
    }

    /**
     * @return the playout deadline of a copy of {@code encoderId}'s frame stamped {@code timestampUs}: its stamp
     * plus the encoder's offset on the mount timeline plus D, as the engine places it. Playout thread only.
     */
    long copyDeadlineNs(final int encoderId, final long timestampUs)
    {
        return (timestampUs + engine.encoderOffsetUs(encoderId)) * 1000 + playoutDelayNs;
    }

    /**
     * When the engine next has something to do: its next slot deadline, or {@code latestNs} if that is sooner,
     * so the agent does not run every mount's engine on every cycle.
     */
    void scheduleWork(final long latestNs)
    {
        nextWorkNs = Math.min(engine.nextDeadlineNs(), latestNs);
    }

    /**
     * Brings the next run forward to {@code latestNs} if it is later.
     */
    void scheduleWorkBy(final long latestNs)
    {
        nextWorkNs = Math.min(nextWorkNs, latestNs);
    }

    long nextWorkNs()
    {
        return nextWorkNs;
    }

    /**
     * @return how many of this mount's encoders have their gauges registered. Playout thread only.
     */
    int encodersRegistered()
    {
        return encodersRegistered;
    }

    void encodersRegistered(final int count)
    {
        encodersRegistered = count;
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length, final OutputFrame frame)
    {
        if (frame.source() == OutputSource.ENCODER && frame.encoderId() != playingEncoder)
        {
            playingEncoder = frame.encoderId();
            final EncoderInfo info = encoders.get(playingEncoder);
            if (info != null)
            {
                if (info.headers != null)
                {
                    point.headers(info.headers);
                }
            }
        }
        point.publish(buffer, offset, length);
    }

    @Override
    public void onEvent(final EdgeEvent event, final int encoderId, final int pathId, final long value, final long nowNs)
    {
        history.onEvent(event, encoderId, value, nowNs);
        switch (event)
        {
            case SWITCH, SWITCH_BACK, FALLBACK_START, FALLBACK_END, EPOCH_CHANGE, SEQUENCE_JUMP, TIMESTAMP_JUMP,
                 OFFSET_LEARNED, OFFSET_ALIGNED, DEAD_AIR, BRIDGE_SILENT, BRIDGE_REFUSED ->
            {
                final String line = event + " mount=" + mount + " encoder=" + encoderId
                    + (pathId == EdgeEngine.NO_PATH ? "" : " path=" + pathId) + " value=" + value;
                eventLog.write(nowNs, false, line);
                remember(nowNs, line);
            }
            case SKIP ->
            {
                final String line = "SKIP mount=" + mount + ": the playout thread ran over "
                    + engine.context().maxCatchUpNs() / 1_000_000 + " ms late (the process was paused?); "
                    + value + " slots skipped";
                eventLog.write(nowNs, true, line);
                remember(nowNs, line);
            }
            case OFFSET_CAPPED ->
            {
                final long requiredMs = (engine.encoderRequiredPlayoutDelayUs(encoderId) + 99_999) / 100_000 * 100;
                final String line = "OFFSET_CAPPED mount=" + mount + " encoder=" + encoderId + (value < 0
                    ? ": it lags " + (-value / 1000) + " ms, more than the playout delay allows; raise "
                    + "--playout-delay-ms to >= " + requiredMs + " (it plays with a lag of "
                    + (-engine.encoderOffsetUs(encoderId) / 1000)
                    + " ms until then: the rest is heard twice when it takes over)"
                    : ": it runs " + (value / 1000) + " ms ahead, more than the edge holds frames back ("
                    + (engine.encoderOffsetUs(encoderId) / 1000) + " ms): the rest is skipped when it takes over");
                eventLog.write(nowNs, true, line);
                remember(nowNs, line);
            }
            default ->
            {
            }
        }
    }

    private void remember(final long nowNs, final String line)
    {
        if (recentEvents.size() == RECENT_EVENTS)
        {
            recentEvents.removeFirst();
        }
        lastEvent = java.time.Instant.ofEpochMilli(nowNs / 1_000_000) + " " + line;
        recentEvents.addLast(lastEvent);
    }

    private EncoderInfo encoder(final int encoderId)
    {
        EncoderInfo info = encoders.get(encoderId);
        if (info == null)
        {
            info = new EncoderInfo(encoderId);
            encoders.put(encoderId, info);
        }
        return info;
    }

    MountName mount()
    {
        return mount;
    }

    /**
     * @return each encoder of the mount, in priority order, as the engine sees it now. Playout thread only.
     */
    java.util.List<EncoderStatus> encoderStatus()
    {
        final java.util.List<EncoderStatus> list = new java.util.ArrayList<>(engine.encoderCount());
        for (int rank = 0; rank < engine.encoderCount(); rank++)
        {
            final int id = engine.encoderIdByRank(rank);
            final EncoderInfo info = encoders.get(id);
            list.add(new EncoderStatus(id, info == null ? null : info.ingestName, engine.encoderEpoch(id), engine.encoderFramesPlayed(id),
                engine.encoderOffsetUs(id), engine.encoderRawOffsetUs(id),
                engine.encoderOffsetSource(id).name().toLowerCase(java.util.Locale.ROOT),
                engine.isEncoderOffsetCapped(id), (engine.encoderRequiredPlayoutDelayUs(id) + 999) / 1000,
                engine.encoderOffsetConfidence(id), engine.isEncoderDeadAir(id), engine.encoderSilentForUs(id) / 1000,
                titles.title(id)));
        }
        return list;
    }

    EdgeEngine engine()
    {
        return engine;
    }

    MountPoint point()
    {
        return point;
    }

    Int2ObjectHashMap<EncoderInfo> encoders()
    {
        return encoders;
    }

    MountTitles titles()
    {
        return titles;
    }

    MountFallback fallback()
    {
        return fallback;
    }

    MountHistory history()
    {
        return history;
    }

    ArrayDeque<String> recentEvents()
    {
        return recentEvents;
    }

    String lastEvent()
    {
        return lastEvent;
    }

    /**
     * What the edge knows of one encoder of this mount.
     */
    static final class EncoderInfo
    {
        final int id;
        long epoch = -1;
        long highestSequence = -1;
        StreamHeaders headers;
        String ingestName;

        EncoderInfo(final int id)
        {
            this.id = id;
        }
    }

    /**
     * Where the engine's retransmit requests go (the relays), on the playout thread.
     */
    @FunctionalInterface
    interface RetransmitSender
    {
        void request(MountName mount, int encoderId, long epoch, long fromSequence, long toSequence);
    }
}
