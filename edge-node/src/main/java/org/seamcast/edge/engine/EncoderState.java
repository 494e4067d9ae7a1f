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
    private int encoderId;
    private int priority;
    private long epoch;
    private boolean hasEpoch;
    private long highestSequence = NONE;
    private long lowestSequence = NONE;
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
    private long framesPlayed;

    EncoderState(final int framesPerEncoder, final int maxFrameLength, final int maxGaps)
    {
        ring = new FrameRing(framesPerEncoder, maxFrameLength);
        gaps = new GapTracker(maxGaps);
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
        epoch = 0;
        hasEpoch = false;
        highestSequence = NONE;
        lowestSequence = NONE;
        lastFrameNs = 0;
        hintSequence = NONE;
        continuousSinceUs = NONE;
        operatorOffset = false;
        operatorOffsetUs = 0;
        forgetLearnedOffset();
        framesPlayed = 0;
    }

    FrameRing ring()
    {
        return ring;
    }

    GapTracker gaps()
    {
        return gaps;
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

    long offsetUs()
    {
        return operatorOffset ? operatorOffsetUs : (learnedOffset ? learnedOffsetUs : 0);
    }

    boolean hasOperatorOffset()
    {
        return operatorOffset;
    }

    void operatorOffsetUs(final long offsetUs)
    {
        operatorOffset = true;
        operatorOffsetUs = offsetUs;
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
