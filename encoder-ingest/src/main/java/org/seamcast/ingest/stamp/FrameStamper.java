package org.seamcast.ingest.stamp;

/**
 * Gives each frame of one source connection its sequence number and media timestamp, such that a stamp never leads
 * the frame's arrival and consecutive stamps differ by the frame duration, whatever bursts the input brings.
 *
 * <p>Frames are stamped per read, not per frame: {@link #add} registers each frame the splitter completed, and
 * {@link #endOfRead} says the input is drained, so every frame added since arrived by then. A frame's timestamp is
 * sample-accurate, {@code anchor + samples / sampleRate + correction} (microseconds since the Unix epoch), where
 * {@code samples} counts every sample of the connection before it:
 * <pre>
 *   rawError   = arrival - (anchor + samples / rate)     per read, for its last frame; jitter only ever adds to it
 *   floor      = min(rawError) over the last two windows the arrival's lower envelope: jitter removed
 *   lead       = correction - rawError                   how far the read's last frame would be stamped after arrival
 *   lead &gt; step:   correction = rawError - headroom     at once, and the read is held (below)
 *   0 &lt; lead &lt;= step: correction = rawError           at once; step = maxSlewPpm x frame duration
 *   otherwise:      correction moves towards floor - headroom by at most one step per frame
 * </pre>
 * A read that leads by more than the slew bound is held back, not released, and merged with the following reads
 * that lead too: a burst (old audio sent faster than real time: Icecast's burst on connect, a flushed buffer) may
 * take many reads over a slow link. Once the input has kept real-time pace for {@link #SETTLE_US} of media, the
 * whole run is stamped with the final correction, so it is contiguous and ends at its last arrival. A run whose
 * lead stayed below one frame (a frame that arrived earlier than any before) is released at the first read that
 * does not lead. A run is released early, oldest frames first, when the held audio exceeds {@code maxHeldUs}, and
 * at {@link #endOfStream}. The first reads of a connection are held for the settle time too: they anchor the
 * stamps, and only the reads after them show whether they were a burst.
 *
 * <p>One exception to the slew, counted in {@link #reanchors()}: when every read for {@code reanchorAfterUs} of
 * media arrives more than {@code maxLagUs} later than its stamps, at about real-time pace, the encoder has lost real
 * time (it stalled and resumed without reconnecting); slewing that away would take hours, so the correction jumps
 * forward once. Late reads that arrive faster than real time are a catch-up after a network stall: the input will
 * soon be on time again, so the stamps stay as they are.
 *
 * <p>Every step the stamps take beyond the slew bound is counted: {@link #bursts()} and {@link #pullbacks()} (back),
 * {@link #overflowFrames()} (frames of a burst sent before it ended), {@link #reanchors()} (forward).
 *
 * <p>A change of sample rate re-bases the stamps at the next frame's continuous position.
 *
 * <p>Threading: confined to the thread of its source connection. Allocation-free: every array is sized once, for
 * {@link #CAPACITY_FRAMES}.
 */
public final class FrameStamper
{
    /** An encoder clock is followed up to this far from nominal rate; real encoders drift by well under 100 ppm. */
    public static final int DEFAULT_MAX_SLEW_PPM = 500;

    /** Length of one window of the arrival envelope, in media time. */
    public static final long DEFAULT_ENVELOPE_WINDOW_US = 2_000_000;

    /** Stamps lagging arrival by more than this for {@link #DEFAULT_REANCHOR_AFTER_US} are re-anchored. */
    public static final long DEFAULT_MAX_LAG_US = 1_000_000;

    /** Media time of consecutive late reads after which the stamps are re-anchored. */
    public static final long DEFAULT_REANCHOR_AFTER_US = 1_000_000;

    /** Audio of a burst held back at most; beyond it the oldest frames are released with the stamps they have. */
    public static final long DEFAULT_MAX_HELD_US = 12_000_000;

    /**
     * Media time a burst's input must keep real-time pace (reads that do not lead) before the burst is released, so
     * reads that pause within a burst do not split it, and a connection's first reads learn the arrival's floor.
     */
    public static final long SETTLE_US = 250_000;

    /**
     * The stamps aim this far below the arrival's floor, and a lead puts them this far below its arrival, so that
     * an encoder clock fast by up to the slew bound is followed by slewing rather than by repeated steps back.
     */
    public static final long HEADROOM_US = 1_000;

    /** Late reads arriving faster than this share of real time are a catch-up, not an encoder that lost time. */
    private static final long CATCH_UP_WALL_PER_MEDIA_NUMERATOR = 3;
    private static final long CATCH_UP_WALL_PER_MEDIA_DENOMINATOR = 4;

    /**
     * Differences between the correction and its target above it (so towards the arrival) below this are left
     * alone, so the stamps do not hunt.
     */
    public static final long DEADBAND_US = 1_000;

    /** Frames waiting for a stamp at most; a caller ends the read when {@link #isFull()}. */
    public static final int CAPACITY_FRAMES = 2048;

    /** The shortest frame carried: ADTS, 1,024 samples at 96 kHz. */
    static final long MIN_FRAME_DURATION_US = 1024 * 1_000_000L / 96_000;

    /** The most audio that can be held while a full read's worth of frames still fits. */
    public static final long MAX_HELD_LIMIT_US = (CAPACITY_FRAMES - 2) * MIN_FRAME_DURATION_US;

    private static final long NONE = Long.MIN_VALUE;
    private static final long ROUNDING_NS = 1_000;

    private final long epoch;
    private final long maxSlewPpm;
    private final long envelopeWindowUs;
    private final long maxLagUs;
    private final long reanchorAfterUs;
    private final long maxHeldUs;

    private final long[] pendingOffsetUs = new long[CAPACITY_FRAMES];
    private final long[] pendingDurationNs = new long[CAPACITY_FRAMES];
    private final long[] releasedTimestampsUs = new long[CAPACITY_FRAMES];
    private int pendingCount;
    private int readStart;
    private int releasedCount;
    private long firstReleasedSequence;

    private long nextSequence;
    private int sampleRateHz;
    private long rebaseOffsetUs;
    private long samplesSinceRebase;

    private boolean anchored;
    private long anchorUs;
    private long correctionNs;
    private long runLeadNs;
    private long quietUs;
    private boolean releasedAny;
    private long lastTimestampUs;

    private long windowStartUs;
    private long windowMinUs = Long.MAX_VALUE;
    private long previousWindowMinUs = Long.MAX_VALUE;
    private long lateSinceUs = NONE;
    private long lateSinceArrivalUs;
    private long lateMinUs;

    private long reanchors;
    private long bursts;
    private long heldFrames;
    private long overflowFrames;
    private long pullbacks;

    public FrameStamper(final long epoch)
    {
        this(epoch, DEFAULT_MAX_SLEW_PPM);
    }

    public FrameStamper(final long epoch, final long maxSlewPpm)
    {
        this(epoch, maxSlewPpm, DEFAULT_ENVELOPE_WINDOW_US, DEFAULT_MAX_LAG_US, DEFAULT_REANCHOR_AFTER_US,
            DEFAULT_MAX_HELD_US);
    }

    /**
     * @param epoch            of the source connection.
     * @param maxSlewPpm       how fast the stamps may run faster or slower than the sample count, 1..10,000 ppm.
     * @param envelopeWindowUs length of one envelope window, at least 100 ms.
     * @param maxLagUs         lag after which the stamps are re-anchored, at least 2 ms.
     * @param reanchorAfterUs  media time the lag must last before the stamps are re-anchored, at least 100 ms.
     * @param maxHeldUs        audio of a burst held back at most, 0..{@link #MAX_HELD_LIMIT_US}.
     */
    public FrameStamper(
        final long epoch,
        final long maxSlewPpm,
        final long envelopeWindowUs,
        final long maxLagUs,
        final long reanchorAfterUs,
        final long maxHeldUs)
    {
        if (maxSlewPpm < 1 || maxSlewPpm > 10_000)
        {
            throw new IllegalArgumentException("maxSlewPpm=" + maxSlewPpm + " is not in 1..10000");
        }
        if (envelopeWindowUs < 100_000)
        {
            throw new IllegalArgumentException("envelopeWindowUs=" + envelopeWindowUs + " < 100000");
        }
        if (maxLagUs < 2 * DEADBAND_US)
        {
            throw new IllegalArgumentException("maxLagUs=" + maxLagUs + " < " + 2 * DEADBAND_US);
        }
        if (reanchorAfterUs < 100_000)
        {
            throw new IllegalArgumentException("reanchorAfterUs=" + reanchorAfterUs + " < 100000");
        }
        if (maxHeldUs < 0 || maxHeldUs > MAX_HELD_LIMIT_US)
        {
            throw new IllegalArgumentException(
                "maxHeldUs=" + maxHeldUs + " is not in 0..MAX_HELD_LIMIT_US=" + MAX_HELD_LIMIT_US);
        }
        this.epoch = epoch;
        this.maxSlewPpm = maxSlewPpm;
        this.envelopeWindowUs = envelopeWindowUs;
        this.maxLagUs = maxLagUs;
        this.reanchorAfterUs = reanchorAfterUs;
        this.maxHeldUs = maxHeldUs;
    }

    /**
     * Registers the next frame of the current read; it is stamped by a later {@link #endOfRead}.
     *
     * @param samplesInFrame samples per channel in the frame.
     * @param sampleRateHz   of the frame.
     * @return the frame's sequence number.
     * @throws IllegalStateException when {@link #isFull()}: the read must be ended first.
     */
    public long add(final int samplesInFrame, final int sampleRateHz)
    {
        if (pendingCount == CAPACITY_FRAMES)
        {
            throw new IllegalStateException("pending frames=" + pendingCount + " = CAPACITY_FRAMES: end the read");
        }
        if (samplesInFrame <= 0 || sampleRateHz <= 0)
        {
            throw new IllegalArgumentException(
                "samplesInFrame=" + samplesInFrame + " and sampleRateHz=" + sampleRateHz + " must be > 0");
        }
        if (sampleRateHz != this.sampleRateHz)
        {
            if (this.sampleRateHz != 0)
            {
                rebaseOffsetUs += samplesSinceRebase * 1_000_000L / this.sampleRateHz;
                samplesSinceRebase = 0;
            }
            this.sampleRateHz = sampleRateHz;
        }
        pendingOffsetUs[pendingCount] = rebaseOffsetUs + samplesSinceRebase * 1_000_000L / sampleRateHz;
        pendingDurationNs[pendingCount] = samplesInFrame * 1_000_000_000L / sampleRateHz;
        pendingCount++;
        samplesSinceRebase += samplesInFrame;
        return nextSequence++;
    }

    /**
     * Ends a read: every frame added since the last call arrived by {@code arrivalEpochUs}. Decides the stamps and
     * releases the frames whose stamps are final, oldest first: {@link #releasedTimestampUs(int)} for
     * {@code 0 <= i < } the result, valid until the next call that changes this stamper.
     *
     * @param arrivalEpochUs when the input was drained, microseconds since the Unix epoch.
     * @return how many frames are released now, oldest first.
     */
    public int endOfRead(final long arrivalEpochUs)
    {
        releasedCount = 0;
        firstReleasedSequence = nextSequence - pendingCount;
        if (pendingCount == readStart)
        {
            return 0;
        }

        final int last = pendingCount - 1;
        final long frameNs = pendingDurationNs[last];
        final long readMediaUs = pendingOffsetUs[last] + pendingDurationNs[last] / 1000 - pendingOffsetUs[readStart];
        if (!anchored)
        {
            anchored = true;
            anchorUs = arrivalEpochUs - pendingOffsetUs[last];
            windowStartUs = arrivalEpochUs;
            windowMinUs = 0;
            runLeadNs = (pendingOffsetUs[last] - pendingOffsetUs[0]) * 1000;
            hold(frameNs);
            return releasedCount;
        }

        final boolean holding = readStart > 0;
        final long nominalUs = anchorUs + pendingOffsetUs[last];
        final long rawErrorUs = arrivalEpochUs - nominalUs;
        final boolean reanchored = track(rawErrorUs, nominalUs, arrivalEpochUs, holding);
        final long leadNs = correctionNs - rawErrorUs * 1000;
        if (leadNs > 0)
        {
            correctionNs = (rawErrorUs - (leadNs > maxStepNs(frameNs) + ROUNDING_NS ? HEADROOM_US : 0)) * 1000;
        }
        if (leadNs > maxStepNs(frameNs) + ROUNDING_NS)
        {
            runLeadNs += leadNs;
            quietUs = 0;
            hold(frameNs);
            return releasedCount;
        }
        if (holding)
        {
            if (runLeadNs > frameNs || !releasedAny)
            {
                quietUs += readMediaUs;
                if (quietUs < SETTLE_US)
                {
                    hold(frameNs);
                    return releasedCount;
                }
            }
            releaseRun(readStart);
        }
        else
        {
            release(pendingCount, leadNs <= 0 && !reanchored);
        }
        readStart = 0;
        runLeadNs = 0;
        quietUs = 0;
        return releasedCount;
    }

    /**
     * Ends the last read of the connection and releases every frame still held.
     *
     * @param arrivalEpochUs when the input was drained, microseconds since the Unix epoch.
     * @return how many frames are released now, oldest first.
     */
    public int endOfStream(final long arrivalEpochUs)
    {
        endOfRead(arrivalEpochUs);
        if (pendingCount > 0)
        {
            releaseRun(pendingCount);
        }
        readStart = 0;
        runLeadNs = 0;
        quietUs = 0;
        return releasedCount;
    }

    private void releaseRun(final int heldCount)
    {
        if (runLeadNs > pendingDurationNs[pendingCount - 1])
        {
            bursts++;
            heldFrames += heldCount;
        }
        else if (releasedAny && runLeadNs > 0)
        {
            pullbacks++;
        }
        release(pendingCount, false);
    }

    private void hold(final long frameNs)
    {
        readStart = pendingCount;
        final int last = pendingCount - 1;
        final long heldEndUs = pendingOffsetUs[last] + pendingDurationNs[last] / 1000;
        int overflow = 0;
        while (overflow < pendingCount && heldEndUs - pendingOffsetUs[overflow] > maxHeldUs)
        {
            overflow++;
        }
        if (overflow > 0)
        {
            overflowFrames += overflow;
            if (runLeadNs > frameNs)
            {
                heldFrames += overflow;
            }
            release(overflow, false);
            readStart = pendingCount;
        }
    }

    private boolean track(final long rawErrorUs, final long nominalUs, final long arrivalUs, final boolean holding)
    {
        windowMinUs = Math.min(windowMinUs, rawErrorUs);
        if (nominalUs - windowStartUs >= envelopeWindowUs)
        {
            previousWindowMinUs = windowMinUs;
            windowMinUs = Long.MAX_VALUE;
            windowStartUs = nominalUs;
        }

        final long lagUs = rawErrorUs - Math.floorDiv(correctionNs, 1000);
        if (lagUs <= maxLagUs)
        {
            lateSinceUs = NONE;
            return false;
        }
        if (lateSinceUs == NONE)
        {
            lateSince(nominalUs, arrivalUs, rawErrorUs);
            return false;
        }
        lateMinUs = Math.min(lateMinUs, rawErrorUs);
        final long mediaUs = nominalUs - lateSinceUs;
        if (mediaUs < reanchorAfterUs)
        {
            return false;
        }
        if (CATCH_UP_WALL_PER_MEDIA_DENOMINATOR * (arrivalUs - lateSinceArrivalUs) <
            CATCH_UP_WALL_PER_MEDIA_NUMERATOR * mediaUs)
        {
            // faster than real time: a catch-up that will end on time; judge again from here
            lateSince(nominalUs, arrivalUs, rawErrorUs);
            return false;
        }
        if (holding)
        {
            // held frames arrived before this read: a forward jump now could stamp them after their arrival
            return false;
        }
        correctionNs = lateMinUs * 1000;
        reanchors++;
        previousWindowMinUs = lateMinUs;
        windowMinUs = rawErrorUs;
        windowStartUs = nominalUs;
        lateSinceUs = NONE;
        return true;
    }

    private void lateSince(final long nominalUs, final long arrivalUs, final long rawErrorUs)
    {
        lateSinceUs = nominalUs;
        lateSinceArrivalUs = arrivalUs;
        lateMinUs = rawErrorUs;
    }

    private void release(final int count, final boolean slew)
    {
        final long targetNs = (Math.min(windowMinUs, previousWindowMinUs) - HEADROOM_US) * 1000;
        long correctionNs = this.correctionNs;
        for (int i = 0; i < count; i++)
        {
            if (slew)
            {
                final long differenceNs = targetNs - correctionNs;
                if (differenceNs < 0 || differenceNs > DEADBAND_US * 1000)
                {
                    final long maxStepNs = maxStepNs(pendingDurationNs[i]);
                    correctionNs += Math.max(-maxStepNs, Math.min(maxStepNs, differenceNs));
                }
            }
            lastTimestampUs = anchorUs + pendingOffsetUs[i] + Math.floorDiv(correctionNs, 1000);
            releasedTimestampsUs[releasedCount++] = lastTimestampUs;
        }
        this.correctionNs = correctionNs;
        pendingCount -= count;
        System.arraycopy(pendingOffsetUs, count, pendingOffsetUs, 0, pendingCount);
        System.arraycopy(pendingDurationNs, count, pendingDurationNs, 0, pendingCount);
        releasedAny = true;
    }

    private long maxStepNs(final long frameNs)
    {
        return Math.max(1, frameNs * maxSlewPpm / 1_000_000);
    }

    /**
     * @return the timestamp of the {@code index}-th frame released by the last {@link #endOfRead} or
     * {@link #endOfStream}, in microseconds.
     */
    public long releasedTimestampUs(final int index)
    {
        if (index < 0 || index >= releasedCount)
        {
            throw new IndexOutOfBoundsException("index=" + index + " is not in 0.." + (releasedCount - 1));
        }
        return releasedTimestampsUs[index];
    }

    /**
     * @return the sequence number of the {@code index}-th frame released by the last call.
     */
    public long releasedSequence(final int index)
    {
        return firstReleasedSequence + index;
    }

    /**
     * @return whether no further frame can be added before the read is ended.
     */
    public boolean isFull()
    {
        return pendingCount == CAPACITY_FRAMES;
    }

    /**
     * @return frames added and not released yet: the current read and a held burst.
     */
    public int pendingFrames()
    {
        return pendingCount;
    }

    public long epoch()
    {
        return epoch;
    }

    /**
     * @return the sequence number the next added frame gets.
     */
    public long nextSequence()
    {
        return nextSequence;
    }

    /**
     * @return the timestamp released last, in microseconds.
     */
    public long lastTimestampUs()
    {
        return lastTimestampUs;
    }

    /**
     * @return the current distance of the stamps from the nominal sample clock, in microseconds.
     */
    public long correctionUs()
    {
        return Math.floorDiv(correctionNs, 1000);
    }

    /**
     * @return how many times a stalled encoder made the stamps jump forward.
     */
    public long reanchors()
    {
        return reanchors;
    }

    /**
     * @return runs of reads that led their arrival by more than a frame, stamped into the past as one block.
     */
    public long bursts()
    {
        return bursts;
    }

    /**
     * @return frames held back by bursts until the burst ended (or overflowed).
     */
    public long heldFrames()
    {
        return heldFrames;
    }

    /**
     * @return held frames released before their burst ended, because the held audio exceeded the bound.
     */
    public long overflowFrames()
    {
        return overflowFrames;
    }

    /**
     * @return reads that led their arrival by less than a frame but by more than the slew bound, after frames had
     * been sent: the stamps stepped back by the lead at once.
     */
    public long pullbacks()
    {
        return pullbacks;
    }
}
