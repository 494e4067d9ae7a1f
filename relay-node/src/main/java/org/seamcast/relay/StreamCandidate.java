package org.seamcast.relay;

import org.seamcast.relay.ring.SequenceWindow;

/**
 * A stream that has not yet proven itself: a new epoch of a (mount, encoder) that already has a current stream, or a
 * run of sequences of the current epoch too far from what the relay has seen. It must deliver continuous frames
 * (each at most {@value #MAX_SEQUENCE_GAP} sequences after the last) for long enough before it may displace the
 * current stream; until then the current stream's frames keep flowing, so no single message can stall or fork it.
 *
 * <p>This is only the bookkeeping of the proof: which sequences count, how many, since when. A new epoch's frames are
 * held in its own {@link StreamState}'s ring meanwhile; a sequence jump's are counted, not held. One per
 * {@link EncoderLine}, reused, so proving allocates nothing.
 *
 * <p>Threading: owned by the relay agent.
 */
final class StreamCandidate
{
    /** Largest step from one counted sequence to the next: a few frames lost on a path do not end the proof. */
    static final int MAX_SEQUENCE_GAP = 8;

    /** {@link #classify}: the sequence continues the run (or starts it). */
    static final int AHEAD = 1;
    /** {@link #classify}: at or behind the run's last sequence, within the dedup window. */
    static final int BEHIND = 0;
    /** {@link #classify}: too far from the run to be part of it. */
    static final int OUTSIDE = -1;

    /**
     * What a candidate would replace.
     */
    enum Kind
    {
        /** An epoch other than the current stream's. */
        NEW_EPOCH,
        /** The current epoch, at sequences too far from the current stream's. */
        SEQUENCE_JUMP
    }

    private Kind kind;
    private long epoch;
    private StreamState stream;
    private long lastSequence = -1;
    private long lowestHeldSequence = Long.MAX_VALUE;
    private int frames;
    private long firstProgressNs;
    private long lastProgressNs;

    /**
     * Starts proving a candidate, with no frames counted yet.
     *
     * @param stream where a new epoch's frames are held; the current stream for a sequence jump.
     */
    void start(final Kind kind, final long epoch, final StreamState stream, final long nowNs)
    {
        this.kind = kind;
        this.epoch = epoch;
        this.stream = stream;
        lastSequence = -1;
        lowestHeldSequence = Long.MAX_VALUE;
        frames = 0;
        firstProgressNs = nowNs;
        lastProgressNs = nowNs;
    }

    void clear()
    {
        kind = null;
        stream = null;
    }

    boolean isActive()
    {
        return kind != null;
    }

    boolean isFor(final Kind kind, final long epoch)
    {
        return this.kind == kind && this.epoch == epoch;
    }

    /**
     * Whether the candidate has made no progress for {@code stallNs}: its proof starts again, and another candidate
     * may take its place.
     */
    boolean isStale(final long nowNs, final long stallNs)
    {
        return nowNs - lastProgressNs > stallNs;
    }

    /**
     * Where {@code sequence} lies relative to the run: {@link #AHEAD}, {@link #BEHIND} or {@link #OUTSIDE}.
     */
    int classify(final long sequence)
    {
        if (lastSequence < 0 || (sequence > lastSequence && sequence - lastSequence <= MAX_SEQUENCE_GAP))
        {
            return AHEAD;
        }
        if (sequence <= lastSequence && lastSequence - sequence < SequenceWindow.WINDOW)
        {
            return BEHIND;
        }
        return OUTSIDE;
    }

    /**
     * Counts a sequence that {@link #classify} found {@link #AHEAD}. After a stall the proof starts again from it.
     */
    void progress(final long sequence, final long nowNs, final long stallNs)
    {
        if (frames == 0 || nowNs - lastProgressNs > stallNs)
        {
            frames = 0;
            firstProgressNs = nowNs;
        }
        frames++;
        lastSequence = sequence;
        lastProgressNs = nowNs;
    }

    /**
     * Remembers that a frame was held in the candidate's ring, so the held frames can be sent once it is promoted.
     */
    void held(final long sequence)
    {
        lowestHeldSequence = Math.min(lowestHeldSequence, sequence);
    }

    /**
     * Whether at least {@code proofFrames} continuous frames have arrived over at least {@code proofNs}.
     */
    boolean isProven(final int proofFrames, final long proofNs)
    {
        return frames >= proofFrames && lastProgressNs - firstProgressNs >= proofNs;
    }

    Kind kind()
    {
        return kind;
    }

    long epoch()
    {
        return epoch;
    }

    StreamState stream()
    {
        return stream;
    }

    long lastSequence()
    {
        return lastSequence;
    }

    long lowestHeldSequence()
    {
        return lowestHeldSequence;
    }

    int frames()
    {
        return frames;
    }
}
