package org.seamcast.edge.engine;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.audio.FrameLoudness;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The edge's playout engine for one mount: merges frame copies from every path, keeps the first copy of each
 * (encoder, epoch, sequence), and plays one frame per slot at a fixed delay, failing over between encoders by
 * deadline and to fallback frames when no encoder has audio.
 *
 * <h2>Clock</h2>
 * {@code nowNs} is wall-clock time in nanoseconds since the Unix epoch, on the same clock the ingests stamp frames
 * with (in µs). A simulation supplies virtual time on the same scale. The engine never reads a clock itself.
 *
 * <h2>Threading</h2>
 * Not thread-safe: one owner thread calls {@link #onFrame} and {@link #doWork(long)} (an Agrona Agent's duty cycle,
 * or a test). Callbacks to the sink, listener, fallback source and retransmit requester run on that thread. Event
 * counters ({@link #eventCount}, {@link #framesPlayed}, {@link #fallbackFrames}) may be read from any thread;
 * everything else is for the owner thread only.
 *
 * <h2>Slots</h2>
 * Slot media time {@code S} is released when {@code nowNs >= S * 1000 + playoutDelayNs}. The frame chosen for a
 * slot is one whose timestamp plus its encoder's offset lies within half a frame of S; the next slot starts where
 * the chosen frame ends, so a continuous encoder is played on its own timestamps. See docs/edge-engine.md.
 *
 * <h2>Encoder choice</h2>
 * The playing encoder keeps its slot while it has a frame; when it has none at the deadline the highest-priority
 * encoder that has one plays ({@link EdgeEvent#SWITCH}); a higher-priority encoder takes over again only after a
 * frame in every slot for the hold time, at a clean frame ({@link EdgeEvent#SWITCH_BACK}); with no frame at all
 * the {@link FallbackFrameSource} fills the slot.
 *
 * <h2>Pitfalls</h2>
 * <ul>
 *     <li>The playout delay must cover the network delay plus the lag of the slowest encoder whose offset is
 *     learned, or that encoder's frames arrive after their slots.</li>
 *     <li>Timestamps are trusted: an ingest that steps its clock produces a gap or late frames, not a correction
 *     ({@link EdgeEvent#TIMESTAMP_JUMP} reports it).</li>
 *     <li>Callbacks run inside {@link #onFrame} and {@link #doWork}: they must not block, throw, or call back into
 *     the engine.</li>
 * </ul>
 */
public final class EdgeEngine
{
    /** Encoder id reported for fallback frames and events not tied to an encoder. */
    public static final int NO_ENCODER = -1;
    /** Path id reported for events not tied to a path. */
    public static final int NO_PATH = -1;

    /** {@link #onFrame} result: the frame was the first copy and is held for playout. */
    public static final int STORED = 0;
    /** {@link #onFrame} result: a copy of a frame already held. */
    public static final int DUPLICATE = 1;
    /** {@link #onFrame} result: the first copy arrived after its slot was played. */
    public static final int LATE = 2;
    /** {@link #onFrame} result: stamped too far in the future. */
    public static final int DROPPED_FUTURE = 3;
    /** {@link #onFrame} result: far past its deadline, or from a superseded epoch. */
    public static final int DROPPED_PAST = 4;
    /** {@link #onFrame} result: malformed, or one encoder too many. */
    public static final int DROPPED_INVALID = 5;
    /**
     * {@link #onFrame} result: the frame starts or continues a run that does not yet continue what plays (a new
     * epoch, a sequence far ahead); it is held until the run proves itself, and stored then.
     */
    public static final int HELD = 6;

    private static final EdgeEvent[] EVENTS = EdgeEvent.values();
    private static final int DEFAULT_SLOT_DURATION_US = 26_122;
    /**
     * How often the engine asks its aligner whether an encoder is due, when none was: each is aligned at most once a
     * second, and asking on every duty cycle (a few cache misses per mount, thousands of cycles a second at 250
     * mounts) was 4.8 % of an edge's CPU.
     */
    private static final long ALIGNMENT_CHECK_NS = 100_000_000L;

    private final long playoutDelayNs;
    private final long offsetHeadroomUs;
    private final long maxAheadUs;
    private final long holdTimeUs;
    private final long cleanWaitUs;
    private final long maxFutureNs;
    private final long maxPastNs;
    private final long maxCatchUpNs;
    private final long epochTimeoutNs;
    private final long epochQuietNs;
    private final long maxEpochAheadNs;
    private final long maxSequenceJump;
    private final long retransmitDelayNs;
    private final long retransmitGuardNs;
    private final long retransmitIntervalNs;
    private final int retransmitMaxAttempts;
    private final int minFrameDurationUs;
    private final int maxFrameDurationUs;
    private final int maxFrameLength;
    private final boolean offsetLearning;
    private final boolean mp3Bridges;
    private final EdgeEngineContext ctx;
    private final PlayoutSink sink;
    private final EdgeEventListener listener;
    private final RetransmitRequester requester;
    private final FallbackFrameSource fallback;
    private final EncoderTable encoders;
    private final OffsetLearner offsetLearner;
    private final int[] candidates;
    private final PathCounters paths;
    private final AtomicLongArray eventCounts = new AtomicLongArray(EVENTS.length);
    private final AtomicLongArray playCounts = new AtomicLongArray(2);
    private final UnsafeBuffer fallbackBuffer;
    private final OutputFrame outputFrame = new OutputFrame();
    private final SwitchBridge bridge = new SwitchBridge();
    private final EnvelopeAligner aligner;
    private final boolean envelopeAlignment;
    private final double envelopeMinConfidence;
    private final boolean deadAirDetection;
    private final boolean[] deadAir;
    /** Engine clock before which {@link #align} does nothing. */
    private long nextAlignmentNs = Long.MIN_VALUE;
    private long referenceChangesSeen;
    private long timelineShiftUs;
    private long lastPlayedHash;
    private boolean lastPlayedEncoderFrame;
    private boolean anchored;
    /**
     * A proven candidate's held frames are being stored: they arrived when they were held, so the delay since their
     * stamps is the hold's, not the path's, and taken for transit it capped the restarted encoder's offset.
     */
    private boolean promoting;
    private long earliestPendingUs = Long.MAX_VALUE;
    private long nextSlotUs;
    private int slotDurationUs = DEFAULT_SLOT_DURATION_US;
    private EncoderState active;
    private boolean inFallback;
    private long fallbackSlots;
    private long fallbackSequence;

    /**
     * @param ctx configuration, concluded here.
     */
    public EdgeEngine(final EdgeEngineContext ctx)
    {
        this.ctx = ctx.conclude();
        playoutDelayNs = ctx.playoutDelayNs();
        offsetHeadroomUs = ctx.offsetHeadroomNs() / 1000;
        maxAheadUs = Math.max(0, ctx.maxFutureNs() / 1000 - offsetHeadroomUs);
        holdTimeUs = ctx.holdTimeNs() / 1000;
        cleanWaitUs = ctx.switchBackCleanWaitNs() / 1000;
        maxFutureNs = ctx.maxFutureNs();
        maxPastNs = ctx.maxPastNs();
        maxCatchUpNs = ctx.maxCatchUpNs();
        epochTimeoutNs = ctx.epochTimeoutNs();
        epochQuietNs = ctx.epochQuietNs();
        maxEpochAheadNs = ctx.maxEpochAheadNs();
        maxSequenceJump = ctx.maxSequenceJump();
        retransmitDelayNs = ctx.retransmitDelayNs();
        retransmitGuardNs = ctx.retransmitGuardNs();
        retransmitIntervalNs = ctx.retransmitIntervalNs();
        retransmitMaxAttempts = ctx.retransmitMaxAttempts();
        minFrameDurationUs = ctx.minFrameDurationUs();
        maxFrameDurationUs = ctx.maxFrameDurationUs();
        maxFrameLength = ctx.maxFrameLength();
        offsetLearning = ctx.offsetLearning();
        mp3Bridges = ctx.mp3Bridges();
        sink = ctx.playoutSink();
        listener = ctx.eventListener();
        requester = ctx.retransmitRequester();
        fallback = ctx.fallbackFrameSource();
        envelopeAlignment = ctx.envelopeAlignment();
        envelopeMinConfidence = ctx.envelopeMinConfidence();
        deadAirDetection = ctx.deadAirNs() > 0;
        aligner = envelopeAlignment || deadAirDetection ? new EnvelopeAligner(new EnvelopeAlignerContext()
            .maxEncoders(ctx.maxEncoders())
            .scratch(ctx.alignmentScratch())
            .silenceThresholdDb(ctx.deadAirThresholdDb())
            .silenceDurationUs(deadAirDetection ? ctx.deadAirNs() / 1000 : EnvelopeAlignerContext.SILENCE_DURATION_US_DEFAULT))
            : null;
        deadAir = new boolean[ctx.maxEncoders()];
        encoders = new EncoderTable(ctx, slot ->
        {
            if (null != aligner)
            {
                aligner.reset(slot);
                refreshDeadAir(slot);
            }
        });
        offsetLearner = new OffsetLearner(ctx.offsetConfirmations(), ctx.offsetToleranceUs());
        candidates = new int[ctx.maxEncoders()];
        paths = new PathCounters(ctx.maxTrackedPaths());
        fallbackBuffer = new UnsafeBuffer(new byte[null == fallback ? 0 : Math.min(maxFrameLength,
            Math.max(0, fallback.maxFrameLength()))]);
    }

    /**
     * Offer one received copy of a frame.
     *
     * @param pathId           path (link or relay) the copy came over, for per-path counters.
     * @param encoderId        encoder that produced the frame.
     * @param priority         encoder priority, 0 highest.
     * @param epoch            encoder epoch; a higher one means the ingest restarted and sequences start again.
     * @param sequence         sequence within the epoch.
     * @param timestampUs      media timestamp, wall-clock µs since the Unix epoch.
     * @param durationUs       frame duration in µs (samples * 1e6 / sample rate).
     * @param cleanSwitchPoint true when the frame decodes without earlier frames' bytes (MP3 main_data_begin 0,
     *                         every ADTS frame): a planned switch may happen here.
     * @param buffer           holding the frame bytes; copied, not retained.
     * @param offset           of the frame in the buffer.
     * @param length           of the frame in bytes.
     * @param nowNs            engine clock.
     * @return {@link #STORED}, {@link #DUPLICATE}, {@link #LATE}, {@link #DROPPED_FUTURE}, {@link #DROPPED_PAST} or
     * {@link #DROPPED_INVALID}.
     */
    public int onFrame(
        final int pathId,
        final int encoderId,
        final int priority,
        final long epoch,
        final long sequence,
        final long timestampUs,
        final int durationUs,
        final boolean cleanSwitchPoint,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long nowNs)
    {
        final int pathIndex = paths.index(pathId);
        paths.increment(pathIndex, PathCounters.RECEIVED);

        if (length <= 0 || length > maxFrameLength || durationUs < minFrameDurationUs ||
            durationUs > maxFrameDurationUs || sequence < 0 || timestampUs < 0 ||
            timestampUs > EdgeEngineContext.MAX_TIMESTAMP_US || epoch > (nowNs + maxEpochAheadNs) / 1_000_000)
        {
            return drop(EdgeEvent.DROPPED_INVALID, DROPPED_INVALID, encoderId, pathId, sequence, nowNs);
        }

        final EncoderState encoder = encoders.register(encoderId, priority, active, nowNs);
        if (null == encoder)
        {
            return drop(EdgeEvent.DROPPED_INVALID, DROPPED_INVALID, encoderId, pathId, sequence, nowNs);
        }
        if (encoders.referenceChanges() != referenceChangesSeen)
        {
            referenceChangesSeen = encoders.referenceChanges();
            applyOffsets(pathId, nowNs);
        }

        if (!encoder.hasEpoch())
        {
            encoder.startEpoch(epoch);
        }
        else if (epoch != encoder.epoch() ||
            (encoder.highestSequence() != EncoderState.NONE && sequence - encoder.highestSequence() > maxSequenceJump))
        {
            if (epoch < encoder.epoch() && nowNs - encoder.lastFrameNs() <= epochTimeoutNs)
            {
                return drop(EdgeEvent.DROPPED_PAST, DROPPED_PAST, encoderId, pathId, sequence, nowNs);
            }
            if ((timestampUs + encoder.offsetUs()) * 1000 - nowNs > maxFutureNs)
            {
                return drop(EdgeEvent.DROPPED_FUTURE, DROPPED_FUTURE, encoderId, pathId, sequence, nowNs);
            }
            return holdCandidate(pathIndex, pathId, encoder, epoch, sequence, timestampUs, durationUs,
                cleanSwitchPoint, buffer, offset, length, nowNs);
        }

        return accept(pathIndex, pathId, encoder, epoch, sequence, timestampUs, durationUs, cleanSwitchPoint, buffer,
            offset, length, nowNs);
    }

    /**
     * A sender's heartbeat says it has sent {@code sequence} of (encoder, epoch). When the last frames before a
     * silence are lost on every path nothing else would tell: the frames between the highest held and
     * {@code sequence} become a gap like any other ({@link EdgeEvent#TAIL_GAP}), asked for after
     * {@code retransmitDelayNs} while their estimated deadline allows. Each range is asked about once per epoch
     * however often the beat is repeated or over how many paths it comes.
     *
     * <p>Changes nothing for an encoder not yet heard, another epoch than the one it plays (the candidate rules decide
     * epochs, never a heartbeat), a sequence already held, or one further ahead than {@code maxSequenceJump}.
     *
     * @param pathId    path the heartbeat came over, for the event.
     * @param encoderId encoder the entry names.
     * @param epoch     its epoch.
     * @param sequence  the last sequence the sender has sent.
     * @param nowNs     engine clock.
     * @return the number of sequences newly asked for, 0 when nothing changed.
     */
    public int onStreamPosition(
        final int pathId, final int encoderId, final long epoch, final long sequence, final long nowNs)
    {
        final EncoderState encoder = encoders.byId(encoderId);
        if (null == encoder || !encoder.hasEpoch() || encoder.epoch() != epoch || retransmitMaxAttempts == 0)
        {
            return 0;
        }
        final long highest = encoder.highestSequence();
        if (highest == EncoderState.NONE || sequence - highest > maxSequenceJump)
        {
            return 0;
        }
        final long from = Math.max(Math.max(highest, encoder.tailGapTo()) + 1,
            sequence - encoder.ring().capacity() + 2);
        if (sequence < from)
        {
            return 0;
        }
        encoder.tailGapTo(sequence);
        final int durationUs = encoder.highestDurationUs();
        final long added = encoder.gaps().add(from, sequence,
            encoder.highestTimestampUs() + (sequence + 1 - highest) * durationUs, durationUs,
            nowNs + retransmitDelayNs);
        if (added > 0)
        {
            event(EdgeEvent.TAIL_GAP, encoderId, pathId, added, nowNs);
        }
        return (int)added;
    }

    /**
     * Holds a frame that does not continue what plays, until its run of consecutive sequences proves itself and
     * the current run has gone quiet; then the held frames are stored as if they had just arrived.
     */
    private int holdCandidate(
        final int pathIndex,
        final int pathId,
        final EncoderState encoder,
        final long epoch,
        final long sequence,
        final long timestampUs,
        final int durationUs,
        final boolean cleanSwitchPoint,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long nowNs)
    {
        final EpochCandidate candidate = encoder.candidate();
        final long discardedBefore = candidate.discarded();
        final int held = candidate.offer(pathId, epoch, sequence, timestampUs, durationUs, cleanSwitchPoint, buffer,
            offset, length);
        if (candidate.discarded() != discardedBefore)
        {
            event(EdgeEvent.CANDIDATE_DISCARDED, encoder.encoderId(), pathId, candidate.discarded() - discardedBefore,
                nowNs);
        }
        if (held == EpochCandidate.DUPLICATE)
        {
            paths.increment(pathIndex, PathCounters.DUPLICATES);
            return DUPLICATE;
        }
        if (held == EpochCandidate.TOO_OLD)
        {
            return drop(EdgeEvent.DROPPED_PAST, DROPPED_PAST, encoder.encoderId(), pathId, sequence, nowNs);
        }
        if (!candidate.isProven() || nowNs - encoder.lastFrameNs() < epochQuietNs)
        {
            event(EdgeEvent.CANDIDATE_HELD, encoder.encoderId(), pathId, sequence, nowNs);
            return HELD;
        }

        final boolean newEpoch = candidate.epoch() != encoder.epoch();
        encoder.startEpoch(candidate.epoch());
        if (newEpoch && null != aligner)
        {
            aligner.reset(encoder.slot());
            refreshDeadAir(encoder.slot());
        }
        if (newEpoch && encoder == encoders.byRank(0))
        {
            for (int r = 1; r < encoders.count(); r++)
            {
                encoders.byRank(r).offsetUnconfirmed();
            }
        }
        event(newEpoch ? EdgeEvent.EPOCH_CHANGE : EdgeEvent.SEQUENCE_JUMP, encoder.encoderId(), pathId,
            newEpoch ? candidate.epoch() : candidate.sequence(0), nowNs);
        int result = STORED;
        promoting = true;
        for (int n = 0; n < candidate.size(); n++)
        {
            final int heldPathId = candidate.pathId(n);
            final int stored = accept(paths.index(heldPathId), heldPathId, encoder, candidate.epoch(),
                candidate.sequence(n), candidate.timestampUs(n), candidate.durationUs(n), candidate.isClean(n),
                candidate.buffer(n), 0, candidate.length(n), nowNs);
            if (candidate.sequence(n) == sequence)
            {
                result = stored;
            }
        }
        promoting = false;
        candidate.promoted();
        return result;
    }

    private int accept(
        final int pathIndex,
        final int pathId,
        final EncoderState encoder,
        final long epoch,
        final long sequence,
        final long timestampUs,
        final int durationUs,
        final boolean cleanSwitchPoint,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long nowNs)
    {
        final int encoderId = encoder.encoderId();
        final long mediaUs = timestampUs + encoder.offsetUs();
        final long deadlineNs = mediaUs * 1000 + playoutDelayNs;
        if (mediaUs * 1000 - nowNs > maxFutureNs)
        {
            return drop(EdgeEvent.DROPPED_FUTURE, DROPPED_FUTURE, encoderId, pathId, sequence, nowNs);
        }
        final boolean tooOld = nowNs - deadlineNs > maxPastNs;
        final FrameRing ring = encoder.ring();
        if (!tooOld && ring.contains(epoch, sequence))
        {
            paths.increment(pathIndex, PathCounters.DUPLICATES);
            return DUPLICATE;
        }
        final boolean inBurst = encoder.arrivesInBurst(durationUs, nowNs);
        if (tooOld)
        {
            return drop(EdgeEvent.DROPPED_PAST, DROPPED_PAST, encoderId, pathId, sequence, nowNs);
        }

        final long lateUs = anchored ? (nextSlotUs - (durationUs >> 1)) - mediaUs : (nowNs - deadlineNs) / 1000;
        if (lateUs > 0)
        {
            paths.increment(pathIndex, PathCounters.LATE);
            return LATE;
        }
        if (!ring.canStore(epoch, sequence))
        {
            return drop(EdgeEvent.DROPPED_PAST, DROPPED_PAST, encoderId, pathId, sequence, nowNs);
        }

        final long hash = FrameHash.hash(buffer, offset, length);
        ring.store(epoch, sequence, timestampUs, durationUs, cleanSwitchPoint, hash, buffer, offset, length);
        paths.increment(pathIndex, PathCounters.FIRST_COPIES);
        encoder.lastFrameNs(nowNs);
        if (!inBurst && !promoting)
        {
            encoder.recordTransit(nowNs / 1000 - timestampUs, nowNs, EdgeEngineContext.TRANSIT_WINDOW_NS);
        }
        applyOffset(encoder, pathId, nowNs);
        if (null != aligner)
        {
            aligner.onFrame(encoder.slot(), timestampUs + FrameLoudness.estimateLagUs(buffer, offset, length),
                durationUs, FrameLoudness.loudnessDb(buffer, offset, length));
            refreshDeadAir(encoder.slot());
        }
        trackSequence(encoder, sequence, timestampUs, durationUs, pathId, nowNs);
        if (!anchored && mediaUs < earliestPendingUs)
        {
            earliestPendingUs = mediaUs;
        }
        if (offsetLearning && encoders.count() > 1)
        {
            final long adoptedUs = offsetLearner.onStored(encoders, encoder, sequence, hash, timestampUs);
            if (adoptedUs != OffsetLearner.NOTHING_ADOPTED)
            {
                event(EdgeEvent.OFFSET_LEARNED, offsetLearner.adoptedBy().encoderId(), pathId, adoptedUs, nowNs);
            }
            if (offsetLearner.adoptedBy() != null)
            {
                applyOffset(offsetLearner.adoptedBy(), pathId, nowNs);
            }
        }

        return STORED;
    }

    /**
     * Release every slot whose time has come and send due retransmit requests.
     *
     * <p>A slot late by up to maxCatchUpNs is still played, so a briefly late call catches up slot by slot. If the
     * call is later than that (the process was paused), the grid skips forward to the present and a {@link
     * EdgeEvent#SKIP} is reported instead of a burst of stale audio.
     *
     * @param nowNs engine clock.
     * @return work done: slots released plus requests sent.
     */
    public int doWork(final long nowNs)
    {
        int workCount = 0;
        if (null != aligner && encoders.count() > 0)
        {
            workCount += align(nowNs);
        }
        workCount += releaseDueSlots(nowNs);

        if (retransmitMaxAttempts > 0)
        {
            for (int r = 0; r < encoders.count(); r++)
            {
                final EncoderState encoder = encoders.byRank(r);
                if (encoder.gaps().count() > 0)
                {
                    final long minMediaUs = (nowNs + retransmitGuardNs - playoutDelayNs) / 1000;
                    workCount += encoder.gaps().poll(encoder, this, nowNs, minMediaUs - encoder.offsetUs());
                }
            }
        }

        return workCount;
    }

    private int releaseDueSlots(final long nowNs)
    {
        if (!anchored)
        {
            if (earliestPendingUs == Long.MAX_VALUE)
            {
                return 0;
            }
            earliestPendingUs = earliestPendingUs();
            if (nowNs < deadlineNs(earliestPendingUs))
            {
                return 0;
            }
            anchored = true;
            nextSlotUs = earliestPendingUs;
        }

        final long lagNs = nowNs - deadlineNs(nextSlotUs);
        if (lagNs > maxCatchUpNs)
        {
            final long skippedSlots = lagNs / (slotDurationUs * 1000L);
            nextSlotUs += skippedSlots * slotDurationUs;
            event(EdgeEvent.SKIP, NO_ENCODER, NO_PATH, skippedSlots, nowNs);
        }

        int released = 0;
        while (nowNs >= deadlineNs(nextSlotUs))
        {
            releaseSlot(nowNs);
            released++;
        }
        return released;
    }

    private long earliestPendingUs()
    {
        long earliestUs = Long.MAX_VALUE;
        for (int r = 0; r < encoders.count(); r++)
        {
            earliestUs = Math.min(earliestUs, encoders.byRank(r).ring().earliestPendingUs(encoders.byRank(r).offsetUs()));
        }
        return earliestUs;
    }

    private void releaseSlot(final long nowNs)
    {
        final long slotUs = nextSlotUs;
        int activeRank = -1;
        boolean anyAudible = false;
        int othersWithAFrame = 0;
        for (int r = 0; r < encoders.count(); r++)
        {
            final EncoderState encoder = encoders.byRank(r);
            encoder.ring().slotReached(slotUs - encoder.offsetUs());
            final int index = encoder.ring().find(slotUs, encoder.offsetUs(), encoder.epoch(), encoder.hintSequence());
            candidates[r] = index;
            if (encoder == active)
            {
                activeRank = r;
            }
            else
            {
                anyAudible |= noteCandidate(encoder, index, slotUs);
                othersWithAFrame += index != FrameRing.NONE ? 1 : 0;
            }
        }
        if (activeRank >= 0)
        {
            // the frame after the one played, stamped early: the stream goes on past it, or no one else can play
            final int aligned = candidates[activeRank];
            if (aligned == FrameRing.NONE ? othersWithAFrame == 0 :
                active.ring().sequence(aligned) != active.hintSequence())
            {
                final int early = active.ring().findEarlyContinuation(
                    slotUs, active.offsetUs(), active.epoch(), active.hintSequence());
                if (early != FrameRing.NONE)
                {
                    candidates[activeRank] = early;
                }
            }
            anyAudible |= noteCandidate(active, candidates[activeRank], slotUs);
        }

        int chosen = -1;
        boolean planned = false;
        if (activeRank >= 0 && candidates[activeRank] != FrameRing.NONE &&
            !(anyAudible && deadAir[active.slot()]))
        {
            chosen = activeRank;
            for (int r = 0; r < activeRank; r++)
            {
                final EncoderState encoder = encoders.byRank(r);
                final int index = candidates[r];
                final long heldUs = index == FrameRing.NONE || encoder.continuousSinceUs() == EncoderState.NONE
                    ? -1 : slotUs - encoder.continuousSinceUs();
                if (heldUs >= holdTimeUs && encoder.isOffsetConfirmed() && active.isOffsetConfirmed() &&
                    (encoder.ring().isClean(index) || heldUs >= holdTimeUs + cleanWaitUs ||
                    mp3Bridges && SwitchBridge.isBridgeable(encoder.ring().buffer(index), encoder.ring().length(index))))
                {
                    chosen = r;
                    planned = true;
                    break;
                }
            }
        }
        else
        {
            for (int r = 0; r < encoders.count(); r++)
            {
                if (candidates[r] != FrameRing.NONE && !(anyAudible && deadAir[encoders.byRank(r).slot()]))
                {
                    chosen = r;
                    break;
                }
            }
            if (chosen >= 0 && activeRank >= 0 && candidates[activeRank] != FrameRing.NONE)
            {
                event(EdgeEvent.DEAD_AIR, active.encoderId(), NO_PATH, aligner.silentForUs(active.slot()) / 1000,
                    nowNs);
            }
        }

        if (chosen >= 0)
        {
            playEncoderFrame(encoders.byRank(chosen), candidates[chosen], slotUs, planned, nowNs);
        }
        else
        {
            playFallbackFrame(slotUs, nowNs);
        }
    }

    /**
     * Keeps an encoder's continuity (since when it has had a frame in every slot, the sequence to look for next).
     *
     * @return whether its frame for the slot is audible.
     */
    private boolean noteCandidate(final EncoderState encoder, final int index, final long slotUs)
    {
        if (index == FrameRing.NONE)
        {
            encoder.continuousSinceUs(EncoderState.NONE);
            return false;
        }
        encoder.hintSequence(encoder.ring().sequence(index) + 1);
        if (deadAir[encoder.slot()])
        {
            encoder.continuousSinceUs(EncoderState.NONE);
            return false;
        }
        if (encoder.continuousSinceUs() == EncoderState.NONE)
        {
            encoder.continuousSinceUs(slotUs);
        }
        return true;
    }

    private void playEncoderFrame(
        final EncoderState encoder, final int index, final long slotUs, final boolean planned, final long nowNs)
    {
        final int encoderId = encoder.encoderId();
        final boolean switching = inFallback || (null != active && active != encoder) || bridge.restartDue();
        if (inFallback)
        {
            inFallback = false;
            event(EdgeEvent.FALLBACK_END, encoderId, NO_PATH, fallbackSlots, nowNs);
        }
        else if (null != active && active != encoder)
        {
            event(planned ? EdgeEvent.SWITCH_BACK : EdgeEvent.SWITCH, encoderId, NO_PATH, active.encoderId(), nowNs);
        }
        active = encoder;

        final FrameRing ring = encoder.ring();
        final int bridged = !mp3Bridges ? SwitchBridge.AS_IS : switching && !continuesWhatWasPlayed(ring, index)
            ? bridge.start(encoder, index) : switching ? cancelBridge() : bridge.next(encoder, index);
        DirectBuffer bytes = ring.buffer(index); // after the bridge, which reads other frames through the ring's view
        int length = ring.length(index);
        if (bridged != SwitchBridge.AS_IS)
        {
            bytes = bridge.frame();
            length = bridged;
            if (bridge.wasSilent())
            {
                event(EdgeEvent.BRIDGE_SILENT, encoderId, NO_PATH, bridge.lastRefusal().ordinal(), nowNs);
            }
            else
            {
                event(EdgeEvent.BRIDGE, encoderId, NO_PATH, bridge.chainIndex(), nowNs);
            }
        }
        else if (bridge.lastRefusal() != org.seamcast.codec.audio.Mp3BridgeRefusal.NONE &&
            !SwitchBridge.isNotMp3(bridge.lastRefusal()))
        {
            event(EdgeEvent.BRIDGE_REFUSED, encoderId, NO_PATH, bridge.lastRefusal().ordinal(), nowNs);
        }
        lastPlayedHash = ring.hash(index);
        lastPlayedEncoderFrame = !bridge.restartDue();

        final long timestampUs = ring.timestampUs(index);
        final int durationUs = ring.durationUs(index);
        outputFrame.set(
            OutputSource.ENCODER, encoderId, ring.epoch(index), ring.sequence(index), timestampUs, slotUs, durationUs,
            nowNs);
        ring.markReleased(index);
        encoder.onPlayed();
        playCounts.lazySet(0, playCounts.get(0) + 1);
        nextSlotUs = timestampUs + encoder.offsetUs() + durationUs;
        slotDurationUs = durationUs;
        sink.onFrame(bytes, 0, length, outputFrame);
    }

    /**
     * Whether the frame before this one in its encoder's stream is byte for byte the frame played last: then the
     * listener's decoder holds exactly this encoder's reservoir (byte-identical encoders) and no bridge is due.
     */
    private boolean continuesWhatWasPlayed(final FrameRing ring, final int index)
    {
        if (!lastPlayedEncoderFrame)
        {
            return false;
        }
        final int previous = ring.indexOf(ring.epoch(index), ring.sequence(index) - 1);
        return previous != FrameRing.NONE && ring.hash(previous) == lastPlayedHash;
    }

    private int cancelBridge()
    {
        bridge.cancel();
        return SwitchBridge.AS_IS;
    }

    private void playFallbackFrame(final long slotUs, final long nowNs)
    {
        bridge.cancel();
        lastPlayedEncoderFrame = false;
        if (!inFallback)
        {
            inFallback = true;
            fallbackSlots = 0;
            if (timelineShiftUs != 0)
            {
                timelineShiftUs = 0;
                applyOffsets(NO_PATH, nowNs);
            }
            event(EdgeEvent.FALLBACK_START, null == active ? NO_ENCODER : active.encoderId(), NO_PATH, slotUs, nowNs);
            active = null;
            if (null != fallback)
            {
                fallback.onFallbackStart();
            }
        }
        fallbackSlots++;

        final int length = null == fallback ? 0 : fallback.writeNextFrame(fallbackBuffer, 0, fallbackBuffer.capacity());
        if (length > 0 && length <= fallbackBuffer.capacity())
        {
            final int durationUs = fallback.lastFrameDurationUs();
            if (durationUs >= minFrameDurationUs && durationUs <= maxFrameDurationUs)
            {
                slotDurationUs = durationUs;
            }
            nextSlotUs = slotUs + slotDurationUs;
            outputFrame.set(
                OutputSource.FALLBACK, NO_ENCODER, 0, fallbackSequence++, slotUs, slotUs, slotDurationUs, nowNs);
            playCounts.lazySet(1, playCounts.get(1) + 1);
            sink.onFrame(fallbackBuffer, 0, length, outputFrame);
        }
        else
        {
            nextSlotUs = slotUs + slotDurationUs;
            event(EdgeEvent.EMPTY_SLOT, NO_ENCODER, NO_PATH, slotUs, nowNs);
        }
    }

    /**
     * Puts an encoder's raw offset (relative to the reference) to use on the mount timeline: plus the timeline shift,
     * capped when its frames would otherwise arrive later than the headroom before their deadline. A backup lagging
     * more than the playout delay allows still plays (its audio then repeats the excess at a switch to it) instead
     * of being late for every slot. An encoder running ahead is held back by at most maxFuture less the headroom,
     * or its frames would come further ahead of their place than maxFuture and all be dropped; its audio then skips
     * the excess at a switch to it. When the raw offset of the encoder that plays changes (learned again, its
     * reference restarted) the timeline shifts by the difference instead, so what plays never jumps; the others
     * follow, keeping every switch aligned. While the encoder plays, a cap only ever moves towards safety, so jitter
     * does not move its frames on the timeline.
     */
    private void applyOffset(final EncoderState encoder, final int pathId, final long nowNs)
    {
        final long rawUs = encoder.rawOffsetUs();
        if (encoder == active && rawUs != encoder.appliedRawOffsetUs())
        {
            timelineShiftUs += encoder.appliedRawOffsetUs() - rawUs;
            applyOffsets(pathId, nowNs);
            return;
        }
        placeOnTimeline(encoder, pathId, nowNs);
    }

    private void applyOffsets(final int pathId, final long nowNs)
    {
        for (int r = 0; r < encoders.count(); r++)
        {
            placeOnTimeline(encoders.byRank(r), pathId, nowNs);
        }
    }

    private void placeOnTimeline(final EncoderState encoder, final int pathId, final long nowNs)
    {
        final long rawUs = encoder.rawOffsetUs();
        final long wantedUs = rawUs + timelineShiftUs;
        long offsetUs = wantedUs;
        boolean capped = false;
        // before any transit is known, frames are taken to arrive at their stamps (the least delay possible), so an
        // offset adopted early is capped at once; otherwise its frames would all be late and never measured
        final long transitUs = Math.max(0, encoder.transitHighUs());
        if (offsetUs < 0)
        {
            final long minimumUs = transitUs + offsetHeadroomUs - playoutDelayNs / 1000;
            if (offsetUs < minimumUs)
            {
                offsetUs = Math.min(0, minimumUs);
                capped = true;
            }
        }
        else if (offsetUs > maxAheadUs)
        {
            // frames arrive about at their stamps: placed further ahead, every one would be dropped as future
            offsetUs = maxAheadUs;
            capped = true;
        }
        final boolean wasCapped = encoder.isOffsetCapped();
        if (encoder == active && capped && wasCapped && offsetUs < encoder.offsetUs() &&
            rawUs == encoder.appliedRawOffsetUs())
        {
            return;
        }
        encoder.effectiveOffsetUs(offsetUs, rawUs, capped);
        if (capped && !wasCapped)
        {
            event(EdgeEvent.OFFSET_CAPPED, encoder.encoderId(), pathId, wantedUs, nowNs);
        }
    }

    /**
     * Aligns encoders that share no bytes with the reference by their loudness envelopes (at most one per call,
     * rate-limited by the aligner), and adopts confident offsets for encoders without an operator or hash-learned
     * one. Dead air is found as frames are stored ({@link #refreshDeadAir}).
     */
    private int align(final long nowNs)
    {
        if (nowNs < nextAlignmentNs)
        {
            return 0;
        }
        final EncoderState reference = encoders.byRank(0);
        if (aligner.referenceSlot() != reference.slot())
        {
            aligner.referenceSlot(reference.slot());
        }
        for (int r = 1; r < encoders.count(); r++)
        {
            final EncoderState encoder = encoders.byRank(r);
            aligner.alignmentWanted(encoder.slot(),
                envelopeAlignment && !encoder.hasOperatorOffset() && !encoder.hasLearnedOffset());
        }
        final int work = aligner.doWork(nowNs);
        // another encoder may be due at once; else none is for a while (each is aligned at most once a second)
        nextAlignmentNs = work > 0 ? nowNs : nowNs + ALIGNMENT_CHECK_NS;
        final int alignedSlot = work > 0 ? aligner.lastAlignedSlot() : -1;
        for (int r = 0; r < encoders.count(); r++)
        {
            final EncoderState encoder = encoders.byRank(r);
            final int slot = encoder.slot();
            if (slot != alignedSlot || !envelopeAlignment || r == 0 || encoder.hasOperatorOffset() ||
                encoder.hasLearnedOffset())
            {
                continue;
            }
            final double confidence = aligner.confidence(slot);
            if (confidence < envelopeMinConfidence)
            {
                continue;
            }
            final long offsetUs = aligner.offsetUs(slot);
            if (!encoder.isOffsetConfirmed() &&
                !encoder.offerEnvelopeConfirmation(offsetUs, EdgeEngineContext.ENVELOPE_OFFSET_TOLERANCE_US))
            {
                continue;
            }
            if (!encoder.hasEnvelopeOffset() || !encoder.isOffsetConfirmed() ||
                Math.abs(offsetUs - encoder.envelopeOffsetUs()) > EdgeEngineContext.ENVELOPE_OFFSET_TOLERANCE_US)
            {
                encoder.envelopeOffsetUs(offsetUs, confidence);
                applyOffset(encoder, NO_PATH, nowNs);
                event(EdgeEvent.OFFSET_ALIGNED, encoder.encoderId(), NO_PATH, offsetUs, nowNs);
            }
            else
            {
                encoder.envelopeConfidence(confidence);
            }
        }
        return work;
    }

    /**
     * Dead air follows an encoder's envelope, which changes only when a frame is stored or the envelope is reset: it
     * is found then, not on every duty cycle.
     */
    private void refreshDeadAir(final int slot)
    {
        deadAir[slot] = deadAirDetection && aligner.isSilent(slot);
    }

    private void trackSequence(
        final EncoderState encoder,
        final long sequence,
        final long timestampUs,
        final int durationUs,
        final int pathId,
        final long nowNs)
    {
        final long highest = encoder.highestSequence();
        if (highest == EncoderState.NONE)
        {
            encoder.highest(sequence, timestampUs, durationUs);
            encoder.lowestSequence(sequence);
            return;
        }
        if (sequence <= highest)
        {
            final long lowest = encoder.lowestSequence();
            if (sequence < lowest)
            {
                encoder.lowestSequence(sequence);
                if (sequence < lowest - 1)
                {
                    trackGap(encoder, sequence + 1, lowest - 1, timestampUs + (lowest - sequence) * durationUs,
                        durationUs, pathId, nowNs);
                }
            }
            return;
        }
        if (sequence == highest + 1)
        {
            final long jumpUs = timestampUs - (encoder.highestTimestampUs() + encoder.highestDurationUs());
            if (Math.abs(jumpUs) > durationUs)
            {
                event(EdgeEvent.TIMESTAMP_JUMP, encoder.encoderId(), pathId, jumpUs, nowNs);
            }
        }
        else
        {
            trackGap(encoder, highest + 1, sequence - 1, timestampUs, durationUs, pathId, nowNs);
        }
        encoder.highest(sequence, timestampUs, durationUs);
    }

    private void trackGap(
        final EncoderState encoder,
        final long fromSequence,
        final long toSequence,
        final long afterTimestampUs,
        final int durationUs,
        final int pathId,
        final long nowNs)
    {
        event(EdgeEvent.GAP, encoder.encoderId(), pathId, toSequence - fromSequence + 1, nowNs);
        if (retransmitMaxAttempts > 0)
        {
            final long from = Math.max(fromSequence, toSequence - encoder.ring().capacity() + 2);
            encoder.gaps().add(from, toSequence, afterTimestampUs, durationUs, nowNs + retransmitDelayNs);
        }
    }

    void requestRetransmit(final EncoderState encoder, final long fromSequence, final long toSequence, final long nowNs)
    {
        requester.request(encoder.encoderId(), encoder.epoch(), fromSequence, toSequence);
        event(EdgeEvent.RETRANSMIT, encoder.encoderId(), NO_PATH, toSequence - fromSequence + 1, nowNs);
    }

    long retransmitIntervalNs()
    {
        return retransmitIntervalNs;
    }

    int retransmitMaxAttempts()
    {
        return retransmitMaxAttempts;
    }

    private long deadlineNs(final long slotUs)
    {
        return slotUs * 1000 + playoutDelayNs;
    }

    private int drop(
        final EdgeEvent event,
        final int result,
        final int encoderId,
        final int pathId,
        final long sequence,
        final long nowNs)
    {
        event(event, encoderId, pathId, sequence, nowNs);
        return result;
    }

    /**
     * Counts an event and reports it. Duplicates and late copies, up to three per frame, are only counted, by path
     * ({@link #eventCount}): a second counter and a call to the listener (its mount's objects, cold) per copy were
     * 4 % of an edge's CPU at hundreds of mounts, for events every listener ignored.
     */
    private void event(final EdgeEvent event, final int encoderId, final int pathId, final long value, final long nowNs)
    {
        final int i = event.ordinal();
        eventCounts.lazySet(i, eventCounts.get(i) + 1);
        listener.onEvent(event, encoderId, pathId, value, nowNs);
    }

    /**
     * @param event kind.
     * @return how many times it happened. Any thread.
     */
    public long eventCount(final EdgeEvent event)
    {
        return switch (event)
        {
            case DUPLICATE -> paths.total(PathCounters.DUPLICATES);
            case LATE -> paths.total(PathCounters.LATE);
            default -> eventCounts.get(event.ordinal());
        };
    }

    /** @return encoder frames played. Any thread. */
    public long framesPlayed()
    {
        return playCounts.get(0);
    }

    /** @return fallback frames played. Any thread. */
    public long fallbackFrames()
    {
        return playCounts.get(1);
    }

    /** @return encoder now playing, or {@link #NO_ENCODER} in fallback or before the first slot. */
    public int activeEncoderId()
    {
        return null == active ? NO_ENCODER : active.encoderId();
    }

    /** @return whether fallback frames are playing. */
    public boolean isInFallback()
    {
        return inFallback;
    }

    /** @return media time of the next slot on the mount timeline (µs), or {@link Long#MIN_VALUE} before the first. */
    public long nextSlotUs()
    {
        return anchored ? nextSlotUs : Long.MIN_VALUE;
    }

    /** @return clock time at which the next slot is due, or {@link Long#MAX_VALUE} before frames arrive. */
    public long nextDeadlineNs()
    {
        if (anchored)
        {
            return deadlineNs(nextSlotUs);
        }
        return earliestPendingUs == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNs(earliestPendingUs);
    }

    /**
     * @return true while a gap of any encoder awaits its retransmit request or answer: the engine then wants
     * {@link #doWork} often, for its request timers; otherwise only at {@link #nextDeadlineNs()}.
     */
    public boolean hasOpenGaps()
    {
        for (int r = 0; r < encoders.count(); r++)
        {
            if (encoders.byRank(r).gaps().count() > 0)
            {
                return true;
            }
        }
        return false;
    }

    /** @return number of encoders seen. */
    public int encoderCount()
    {
        return encoders.count();
    }

    /**
     * @param rank position in priority order, from 0 (highest) to {@link #encoderCount()} - 1.
     * @return id of the encoder at that rank.
     */
    public int encoderIdByRank(final int rank)
    {
        if (rank < 0 || rank >= encoders.count())
        {
            throw new IndexOutOfBoundsException(
                "rank=" + rank + " outside [0, encoderCount=" + encoders.count() + ")");
        }
        return encoders.byRank(rank).encoderId();
    }

    /**
     * @return envelope alignments computed since start, successful or not; 0 without an aligner.
     */
    public long envelopeAlignments()
    {
        return null == aligner ? 0 : aligner.alignments();
    }

    /**
     * @param encoderId encoder.
     * @return offset added to its timestamps (operator-set or learned), 0 if unknown.
     */
    public long encoderOffsetUs(final int encoderId)
    {
        final EncoderState encoder = encoders.byId(encoderId);
        return null == encoder ? 0 : encoder.offsetUs();
    }

    /**
     * @param encoderId encoder.
     * @return its operator-set or learned offset before any cap, 0 if unknown.
     */
    public long encoderRawOffsetUs(final int encoderId)
    {
        final EncoderState encoder = encoders.byId(encoderId);
        return null == encoder ? 0 : encoder.rawOffsetUs();
    }

    /**
     * @param encoderId encoder.
     * @return how its offset was found.
     */
    public OffsetSource encoderOffsetSource(final int encoderId)
    {
        final EncoderState encoder = encoders.byId(encoderId);
        return null == encoder ? OffsetSource.NONE : encoder.offsetSource();
    }

    /**
     * @param encoderId encoder.
     * @return confidence (0..1) of its offset: 1 for an operator-set or hash-learned one, the envelope alignment's
     * for one found from loudness, 0 when it has none.
     */
    public double encoderOffsetConfidence(final int encoderId)
    {
        final EncoderState encoder = encoders.byId(encoderId);
        if (null == encoder)
        {
            return 0;
        }
        return switch (encoder.offsetSource())
        {
            case OPERATOR, HASH -> 1.0;
            case ENVELOPE -> encoder.envelopeConfidence();
            case NONE -> 0.0;
        };
    }

    /**
     * @param encoderId encoder.
     * @return whether it is dead air now: silent for the dead-air time (its frames may still arrive).
     */
    public boolean isEncoderDeadAir(final int encoderId)
    {
        final EncoderState encoder = encoders.byId(encoderId);
        return null != encoder && deadAir[encoder.slot()];
    }

    /**
     * @param encoderId encoder.
     * @return how long its frames have been below the dead-air threshold, µs (0 when loud or unknown).
     */
    public long encoderSilentForUs(final int encoderId)
    {
        final EncoderState encoder = encoders.byId(encoderId);
        return null == encoder || null == aligner ? 0 : aligner.silentForUs(encoder.slot());
    }

    /**
     * @return how far the mount timeline has been shifted from the reference encoder's timestamps to keep the
     * encoder playing continuous while offsets changed, µs; 0 after fallback.
     */
    public long timelineShiftUs()
    {
        return timelineShiftUs;
    }

    /**
     * @param encoderId encoder.
     * @return whether its offset is capped because the playout delay cannot cover its lag.
     */
    public boolean isEncoderOffsetCapped(final int encoderId)
    {
        final EncoderState encoder = encoders.byId(encoderId);
        return null != encoder && encoder.isOffsetCapped();
    }

    /**
     * @param encoderId encoder.
     * @return the playout delay under which its raw offset would need no cap: its lag, its highest recent transit
     * delay (0 while none is measured, as the cap counts it) and the headroom, in µs; 0 if the encoder is unknown.
     */
    public long encoderRequiredPlayoutDelayUs(final int encoderId)
    {
        final EncoderState encoder = encoders.byId(encoderId);
        if (null == encoder)
        {
            return 0;
        }
        final long transitUs = encoder.transitHighUs() == EncoderState.NONE ? 0 : encoder.transitHighUs();
        return Math.max(0, transitUs + offsetHeadroomUs - Math.min(0, encoder.rawOffsetUs() + timelineShiftUs));
    }

    /**
     * @param encoderId encoder.
     * @return whether an offset has been learned for it from matching payloads.
     */
    public boolean hasLearnedOffset(final int encoderId)
    {
        final EncoderState encoder = encoders.byId(encoderId);
        return null != encoder && encoder.hasLearnedOffset();
    }

    /**
     * @param encoderId encoder.
     * @return frames of it played.
     */
    public long encoderFramesPlayed(final int encoderId)
    {
        final EncoderState encoder = encoders.byId(encoderId);
        return null == encoder ? 0 : encoder.framesPlayed();
    }

    /**
     * @param encoderId encoder.
     * @return current epoch, or {@link Long#MIN_VALUE} if unknown.
     */
    public long encoderEpoch(final int encoderId)
    {
        final EncoderState encoder = encoders.byId(encoderId);
        return null == encoder || !encoder.hasEpoch() ? Long.MIN_VALUE : encoder.epoch();
    }

    /**
     * @param pathId path.
     * @return copies received over it.
     */
    public long pathFramesReceived(final int pathId)
    {
        return paths.get(pathId, PathCounters.RECEIVED);
    }

    /**
     * @param pathId path.
     * @return first copies it delivered.
     */
    public long pathFirstCopies(final int pathId)
    {
        return paths.get(pathId, PathCounters.FIRST_COPIES);
    }

    /**
     * @param pathId path.
     * @return duplicates it delivered.
     */
    public long pathDuplicates(final int pathId)
    {
        return paths.get(pathId, PathCounters.DUPLICATES);
    }

    /**
     * @param pathId path.
     * @return first copies it delivered too late.
     */
    public long pathLate(final int pathId)
    {
        return paths.get(pathId, PathCounters.LATE);
    }

    /** @return paths with their own counters (at most maxTrackedPaths; the rest share one bucket). */
    public int trackedPaths()
    {
        return paths.trackedPaths();
    }

    /**
     * @return frames held as candidates (a new epoch or a sequence jump not yet proven), across all encoders.
     */
    public int candidateFramesHeld()
    {
        int count = 0;
        for (int r = 0; r < encoders.count(); r++)
        {
            count += encoders.byRank(r).candidate().size();
        }
        return count;
    }

    /**
     * @return candidate frames dropped because their run broke off or was overtaken before it proved itself, across
     * the encoders in the table.
     */
    public long candidateFramesDiscarded()
    {
        long count = 0;
        for (int r = 0; r < encoders.count(); r++)
        {
            count += encoders.byRank(r).candidate().discarded();
        }
        return count;
    }

    /** @return frames held across all encoders, played or not. */
    public int bufferedFrames()
    {
        int count = 0;
        for (int r = 0; r < encoders.count(); r++)
        {
            count += encoders.byRank(r).ring().occupied();
        }
        return count;
    }

    /**
     * @return frames of the playing encoder still to come (ending after the next slot): the depth of the playout
     * buffer. Scans the encoder's ring: for status, not for every frame.
     */
    public int pendingFrames()
    {
        final EncoderState playing = active;
        return playing == null ? 0 : playing.ring().pendingAfter(nextSlotUs, playing.offsetUs());
    }

    /** @return bytes allocated for frame copies, bounded by {@link EdgeEngineContext#maxRetainedFrameBytes()}. */
    public long retainedFrameBytes()
    {
        long bytes = fallbackBuffer.capacity();
        for (int r = 0; r < encoders.count(); r++)
        {
            bytes += encoders.byRank(r).ring().retainedBytes() + encoders.byRank(r).candidate().retainedBytes();
        }
        return bytes;
    }

    /** @return the concluded configuration. */
    public EdgeEngineContext context()
    {
        return ctx;
    }
}
