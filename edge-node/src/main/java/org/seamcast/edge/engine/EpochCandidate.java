package org.seamcast.edge.engine;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Frames of an encoder that do not continue what plays, a new epoch or a sequence far beyond the highest seen,
 * held until they prove themselves: {@code proofFrames} distinct sequences of one epoch within a span of twice
 * that many. One forged message (an epoch of 2^62, a sequence of 2^60) therefore never takes the air, and a real
 * ingest restart loses nothing: its held frames are stored as soon as it has proved itself. Copies may arrive
 * reordered, duplicated or with losses, as from any path.
 *
 * <p>Holds at most {@code 2 × proofFrames} frames, kept in sequence order. A frame of another epoch starts a new
 * run and discards the old one; a sequence beyond the span slides the run forward, discarding what falls out.
 * Buffers grow once to the largest frame held, so a candidate costs nothing until one appears. Owned by the
 * engine's thread.
 */
final class EpochCandidate
{
    /** {@link #offer} result: the frame is held. */
    static final int HELD = 0;
    /** {@link #offer} result: a copy of a frame the run already holds. */
    static final int DUPLICATE = 1;
    /** {@link #offer} result: the frame is older than the run's span and was not kept. */
    static final int TOO_OLD = 2;

    private static final int MIN_BUFFER_LENGTH = 256;

    private final int proofFrames;
    private final int capacity;
    private final int maxFrameLength;
    private final int[] pathIds;
    private final long[] sequences;
    private final long[] timestampsUs;
    private final int[] durationsUs;
    private final boolean[] clean;
    private final int[] lengths;
    private final UnsafeBuffer[] buffers;
    private long epoch;
    private int size;
    private long discarded;

    EpochCandidate(final int proofFrames, final int maxFrameLength)
    {
        this.proofFrames = proofFrames;
        this.capacity = 2 * proofFrames;
        this.maxFrameLength = maxFrameLength;
        pathIds = new int[capacity];
        sequences = new long[capacity];
        timestampsUs = new long[capacity];
        durationsUs = new int[capacity];
        clean = new boolean[capacity];
        lengths = new int[capacity];
        buffers = new UnsafeBuffer[capacity];
    }

    /**
     * Holds one frame, in sequence order. Frames dropped from the run (another epoch began, or they fell out of
     * its span) are counted in {@link #discarded()}.
     *
     * @return {@link #HELD}, {@link #DUPLICATE} or {@link #TOO_OLD}.
     */
    int offer(
        final int pathId,
        final long epoch,
        final long sequence,
        final long timestampUs,
        final int durationUs,
        final boolean cleanSwitchPoint,
        final DirectBuffer src,
        final int offset,
        final int length)
    {
        if (size > 0 && epoch != this.epoch)
        {
            clear();
        }
        this.epoch = epoch;
        if (size > 0)
        {
            if (sequence <= sequences[size - 1] - capacity)
            {
                return TOO_OLD;
            }
            int drop = 0;
            while (drop < size && sequences[drop] <= sequence - capacity)
            {
                drop++;
            }
            removeFirst(drop);
        }
        int i = size;
        while (i > 0 && sequences[i - 1] >= sequence)
        {
            if (sequences[i - 1] == sequence)
            {
                return DUPLICATE;
            }
            i--;
        }
        if (size == capacity)
        {
            if (i == 0)
            {
                return TOO_OLD;
            }
            removeFirst(1);
            i--;
        }
        UnsafeBuffer buffer = buffers[size];
        for (int j = size; j > i; j--)
        {
            pathIds[j] = pathIds[j - 1];
            sequences[j] = sequences[j - 1];
            timestampsUs[j] = timestampsUs[j - 1];
            durationsUs[j] = durationsUs[j - 1];
            clean[j] = clean[j - 1];
            lengths[j] = lengths[j - 1];
            buffers[j] = buffers[j - 1];
        }
        if (null == buffer || buffer.capacity() < length)
        {
            buffer = new UnsafeBuffer(new byte[Math.min(maxFrameLength, Math.max(MIN_BUFFER_LENGTH,
                Integer.highestOneBit(Math.max(1, length - 1)) << 1))]);
        }
        buffers[i] = buffer;
        buffer.putBytes(0, src, offset, length);
        pathIds[i] = pathId;
        sequences[i] = sequence;
        timestampsUs[i] = timestampUs;
        durationsUs[i] = durationUs;
        clean[i] = cleanSwitchPoint;
        lengths[i] = length;
        size++;
        return HELD;
    }

    /**
     * Drops the {@code count} lowest sequences; their buffers move behind the frames kept, to be reused.
     */
    private void removeFirst(final int count)
    {
        for (int k = 0; k < count; k++)
        {
            final UnsafeBuffer free = buffers[0];
            for (int j = 1; j < size; j++)
            {
                pathIds[j - 1] = pathIds[j];
                sequences[j - 1] = sequences[j];
                timestampsUs[j - 1] = timestampsUs[j];
                durationsUs[j - 1] = durationsUs[j];
                clean[j - 1] = clean[j];
                lengths[j - 1] = lengths[j];
                buffers[j - 1] = buffers[j];
            }
            buffers[size - 1] = free;
            size--;
            discarded++;
        }
    }

    /** Forgets the run, counting its frames as discarded. */
    void clear()
    {
        discarded += size;
        size = 0;
    }

    /** Forgets the run after its frames were stored. */
    void promoted()
    {
        size = 0;
    }

    /** @return whether the run holds {@code proofFrames} frames. */
    boolean isProven()
    {
        return size >= proofFrames;
    }

    int size()
    {
        return size;
    }

    long epoch()
    {
        return epoch;
    }

    /** @return frames discarded so far: runs broken off or overtaken before they proved themselves. */
    long discarded()
    {
        return discarded;
    }

    int pathId(final int n)
    {
        return pathIds[n];
    }

    long sequence(final int n)
    {
        return sequences[n];
    }

    long timestampUs(final int n)
    {
        return timestampsUs[n];
    }

    int durationUs(final int n)
    {
        return durationsUs[n];
    }

    boolean isClean(final int n)
    {
        return clean[n];
    }

    int length(final int n)
    {
        return lengths[n];
    }

    UnsafeBuffer buffer(final int n)
    {
        return buffers[n];
    }

    long retainedBytes()
    {
        long bytes = 0;
        for (final UnsafeBuffer buffer : buffers)
        {
            bytes += null == buffer ? 0 : buffer.capacity();
        }
        return bytes;
    }
}
