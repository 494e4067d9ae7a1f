package org.seamcast.edge.engine;

/**
 * What the engine knows about one encoder of the mount: its frames, epoch, sequence progress, timestamp offset onto
 * the mount timeline, continuity for the hold time, and the gaps worth asking for.
 */
final class EncoderState
{
    static final long NONE = Long.MIN_VALUE;

    private final FrameRing ring;
    private final GapTracker gaps;
    private final EpochCandidate candidate;
    private final int slot;
    private int encoderId;
    private int priority;
    private long epoch;
    private boolean hasEpoch;
    private long highestSequence = NONE;
    private long lowestSequence = NONE;
    private long tailGapTo = NONE;
    private long highestTimestampUs;
    private int highestDurationUs;
    private long lastFrameNs;
    private long hintSequence = NONE;
    private long continuousSinceUs = NONE;
    private boolean operatorOffset;
    private long operatorOffsetUs;
    private boolean learnedOffset;
    private long learnedOffsetUs;
    private long candidateOffsetUs;
    private int candidateCount;
    private long effectiveOffsetUs;
    private long appliedRawOffsetUs;
    private boolean offsetCapped;
    private boolean envelopeOffset;
    private boolean offsetConfirmed = true;
    private boolean pendingEnvelope;
    private long pendingEnvelopeOffsetUs;
    private long envelopeOffsetUs;
    private double envelopeConfidence;
    private long transitWindowStartNs = NONE;
    private long lastTransitArrivalNs = NONE;
    private long transitMaxUs = NONE;
    private long previousTransitMaxUs = NONE;
    private long framesPlayed;

    EncoderState(
        final int slot,
        final int framesPerEncoder,
        final long ringSpanUs,
        final long reserveSpanUs,
        final int maxFrameLength,
        final int maxGaps,
        final int proofFrames)
    {
        this.slot = slot;
        ring = new FrameRing(framesPerEncoder, ringSpanUs, reserveSpanUs, maxFrameLength);
        gaps = new GapTracker(maxGaps);
        candidate = new EpochCandidate(proofFrames, maxFrameLength);
    }

    /**
     * Make this state a fresh encoder, reusing its ring and buffers (an evicted encoder's place is taken without
     * allocating).
     */
    void init(final int encoderId, final int priority)
    {
        this.encoderId = encoderId;
        this.priority = priority;
        ring.clear();
        gaps.clear();
        candidate.clear();
        epoch = 0;
        hasEpoch = false;
        highestSequence = NONE;
        lowestSequence = NONE;
        tailGapTo = NONE;
        lastFrameNs = 0;
        hintSequence = NONE;
        continuousSinceUs = NONE;
        operatorOffset = false;
        operatorOffsetUs = 0;
        forgetLearnedOffset();
        envelopeOffset = false;
        envelopeOffsetUs = 0;
        envelopeConfidence = 0;
        offsetConfirmed = true;
        effectiveOffsetUs = 0;
        appliedRawOffsetUs = 0;
        offsetCapped = false;
        transitWindowStartNs = NONE;
        lastTransitArrivalNs = NONE;
        transitMaxUs = NONE;
        previousTransitMaxUs = NONE;
        framesPlayed = 0;
    }

    /** @return this state's fixed index in the table, for per-slot helpers such as the envelope aligner. */
    int slot()
    {
        return slot;
    }

    FrameRing ring()
    {
        return ring;
    }

    GapTracker gaps()
    {
        return gaps;
    }

    EpochCandidate candidate()
    {
        return candidate;
    }

    int encoderId()
    {
        return encoderId;
    }

    int priority()
    {
        return priority;
    }

    void priority(final int priority)
    {
        this.priority = priority;
    }

    boolean hasEpoch()
    {
        return hasEpoch;
    }

    long epoch()
    {
        return epoch;
    }

    void startEpoch(final long epoch)
    {
        if (hasEpoch && highestSequence != NONE)
        {
            ring.startEpoch(highestSequence);
        }
        this.epoch = epoch;
        hasEpoch = true;
        highestSequence = NONE;
        lowestSequence = NONE;
        tailGapTo = NONE;
        gaps.clear();
    }

    long lastFrameNs()
    {
        return lastFrameNs;
    }

    void lastFrameNs(final long lastFrameNs)
    {
        this.lastFrameNs = lastFrameNs;
    }

    long highestSequence()
    {
        return highestSequence;
    }

    long highestTimestampUs()
    {
        return highestTimestampUs;
    }

    int highestDurationUs()
    {
        return highestDurationUs;
    }

    /** @return the last sequence a sender's heartbeat has already been asked about in this epoch, or NONE. */
    long tailGapTo()
    {
        return tailGapTo;
    }

    void tailGapTo(final long sequence)
    {
        tailGapTo = sequence;
    }

    long lowestSequence()
    {
        return lowestSequence;
    }

    void lowestSequence(final long lowestSequence)
    {
        this.lowestSequence = lowestSequence;
    }

    void highest(final long sequence, final long timestampUs, final int durationUs)
    {
        highestSequence = sequence;
        highestTimestampUs = timestampUs;
        highestDurationUs = durationUs;
    }

    long hintSequence()
    {
        return hintSequence;
    }

    void hintSequence(final long hintSequence)
    {
        this.hintSequence = hintSequence;
    }

    long continuousSinceUs()
    {
        return continuousSinceUs;
    }

    void continuousSinceUs(final long continuousSinceUs)
    {
        this.continuousSinceUs = continuousSinceUs;
    }

    /**
     * @return the offset in use: the raw one, or less of a lag when the playout delay cannot cover the raw one.
     */
    long offsetUs()
    {
        return effectiveOffsetUs;
    }

    /**
     * @return the offset relative to the reference encoder's timestamps: operator-set, else learned from matching
     * payloads, else found from the loudness envelope, else 0.
     */
    long rawOffsetUs()
    {
        if (operatorOffset)
        {
            return operatorOffsetUs;
        }
        if (learnedOffset)
        {
            return learnedOffsetUs;
        }
        return envelopeOffset ? envelopeOffsetUs : 0;
    }

    /** @return how {@link #rawOffsetUs()} was found. */
    OffsetSource offsetSource()
    {
        if (operatorOffset)
        {
            return OffsetSource.OPERATOR;
        }
        if (learnedOffset)
        {
            return OffsetSource.HASH;
        }
        return envelopeOffset ? OffsetSource.ENVELOPE : OffsetSource.NONE;
    }

    void effectiveOffsetUs(final long offsetUs, final long rawOffsetUs, final boolean capped)
    {
        effectiveOffsetUs = offsetUs;
        appliedRawOffsetUs = rawOffsetUs;
        offsetCapped = capped;
    }

    /** @return the raw offset the effective one was last computed from. */
    long appliedRawOffsetUs()
    {
        return appliedRawOffsetUs;
    }

    boolean hasEnvelopeOffset()
    {
        return envelopeOffset;
    }

    long envelopeOffsetUs()
    {
        return envelopeOffsetUs;
    }

    double envelopeConfidence()
    {
        return envelopeConfidence;
    }

    void envelopeOffsetUs(final long offsetUs, final double confidence)
    {
        envelopeOffset = true;
        envelopeOffsetUs = offsetUs;
        envelopeConfidence = confidence;
        offsetConfirmed = true;
    }

    void envelopeConfidence(final double confidence)
    {
        envelopeConfidence = confidence;
    }

    /**
     * Offers one new confident envelope alignment while the offset is unconfirmed (the reference restarted): it is
     * confirmed once two consecutive alignments agree within {@code toleranceUs}.
     *
     * @return true when this alignment confirms the previous one.
     */
    boolean offerEnvelopeConfirmation(final long offsetUs, final long toleranceUs)
    {
        final boolean agrees = pendingEnvelope && Math.abs(offsetUs - pendingEnvelopeOffsetUs) <= toleranceUs;
        pendingEnvelope = true;
        pendingEnvelopeOffsetUs = offsetUs;
        return agrees;
    }

    /**
     * The reference encoder restarted: its stamps may have moved, so a learned or aligned offset holds only once
     * a match or an alignment made since confirms it.
     */
    void offsetUnconfirmed()
    {
        offsetConfirmed = false;
        pendingEnvelope = false;
    }

    /**
     * @return whether the offset can be trusted for a planned switch: operator-set, none to learn, or confirmed
     * since the reference last restarted.
     */
    boolean isOffsetConfirmed()
    {
        return offsetConfirmed || operatorOffset || (!learnedOffset && !envelopeOffset);
    }

    boolean isOffsetCapped()
    {
        return offsetCapped;
    }

    /**
     * Notes that a first copy of a frame arrived (stored, late or too old): the clock that tells a burst from live
     * arrivals. A relay's resume after an outage or an ingest's connect burst sends frames stamped into the past
     * faster than real time; the first of them are often too late to store, so the burst is told by every first
     * copy, not only by the stored ones.
     *
     * @return whether this copy arrived less than half a frame after the previous one: inside a burst, whose frames
     * arrive late by design and once, so their transit says nothing about the path.
     */
    boolean arrivesInBurst(final int durationUs, final long nowNs)
    {
        final long sinceLastNs = nowNs - lastTransitArrivalNs;
        lastTransitArrivalNs = nowNs;
        return sinceLastNs < durationUs * 500L;
    }

    /**
     * Records how long after its stamp a frame arrived, in windows of {@code windowNs}; only for frames that did not
     * arrive in a burst ({@link #arrivesInBurst}).
     */
    void recordTransit(final long transitUs, final long nowNs, final long windowNs)
    {
        if (transitWindowStartNs == NONE || nowNs - transitWindowStartNs >= windowNs)
        {
            previousTransitMaxUs = transitMaxUs;
            transitMaxUs = transitUs;
            transitWindowStartNs = nowNs;
        }
        else if (transitUs > transitMaxUs)
        {
            transitMaxUs = transitUs;
        }
    }

    /** @return the highest transit delay over the current and the previous window, or {@link #NONE}. */
    long transitHighUs()
    {
        return Math.max(transitMaxUs, previousTransitMaxUs);
    }

    boolean hasOperatorOffset()
    {
        return operatorOffset;
    }

    void operatorOffsetUs(final long offsetUs)
    {
        operatorOffset = true;
        operatorOffsetUs = offsetUs;
        effectiveOffsetUs(offsetUs, offsetUs, false);
    }

    boolean hasLearnedOffset()
    {
        return learnedOffset;
    }

    /** @return whether the learned offset is in use and the latest match agreed with it. */
    boolean isOffsetSettled()
    {
        return learnedOffset && candidateOffsetUs == learnedOffsetUs;
    }

    long learnedOffsetUs()
    {
        return learnedOffsetUs;
    }

    void forgetLearnedOffset()
    {
        learnedOffset = false;
        learnedOffsetUs = 0;
        candidateCount = 0;
        envelopeOffset = false;
        envelopeOffsetUs = 0;
        envelopeConfidence = 0;
    }

    /**
     * Offer the offset implied by one payload match.
     *
     * @return true when a new offset was adopted (not for small tracking adjustments).
     */
    boolean offerOffset(final long offsetUs, final int confirmations, final long toleranceUs)
    {
        if (candidateCount > 0 && Math.abs(offsetUs - candidateOffsetUs) <= toleranceUs)
        {
            candidateCount++;
        }
        else
        {
            candidateCount = 1;
        }
        candidateOffsetUs = offsetUs;
        if (candidateCount < confirmations)
        {
            return false;
        }
        offsetConfirmed = true;
        if (learnedOffset && Math.abs(offsetUs - learnedOffsetUs) <= toleranceUs)
        {
            learnedOffsetUs = offsetUs;
            return false;
        }
        learnedOffset = true;
        learnedOffsetUs = offsetUs;
        return true;
    }

    long framesPlayed()
    {
        return framesPlayed;
    }

    void onPlayed()
    {
        framesPlayed++;
    }
}
