package org.seamcast.edge.engine;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * One encoder's frames, indexed by sequence (plus a per-epoch base) modulo a power-of-two capacity, with copied bytes. Entries stay after
 * they are played until their position is reused, so late duplicates are still recognised.
 */
final class FrameRing
{
    static final int NONE = -1;
    private static final byte EMPTY = 0;
    private static final byte PENDING = 1;
    private static final byte RELEASED = 2;
    private static final int MIN_BUFFER_LENGTH = 256;
    /** A pending frame that ended this long before a slot can never be played: slots only move forward. */
    private static final long MAX_SLOT_STEP_US = 1_000_000;

    private final int mask;
    private final int maxFrameLength;
    private final byte[] states;
    private final long[] epochs;
    private final long[] sequences;
    private final long[] timestampsUs;
    private final long[] hashes;
    private final int[] durationsUs;
    private final int[] lengths;
    private final boolean[] clean;
    private final UnsafeBuffer[] buffers;
    private long retainedBytes;
    private int occupied;
    private int pending;
    private long sequenceBase;

    FrameRing(final int capacity, final int maxFrameLength)
    {
        this.mask = capacity - 1;
        this.maxFrameLength = maxFrameLength;
        states = new byte[capacity];
        epochs = new long[capacity];
        sequences = new long[capacity];
        timestampsUs = new long[capacity];
        hashes = new long[capacity];
        durationsUs = new int[capacity];
        lengths = new int[capacity];
        clean = new boolean[capacity];
        buffers = new UnsafeBuffer[capacity];
        for (int i = 0; i < capacity; i++)
        {
            buffers[i] = new UnsafeBuffer(new byte[0]);
        }
    }

    void clear()
    {
        Arrays.fill(states, EMPTY);
        occupied = 0;
        pending = 0;
    }

    int capacity()
    {
        return mask + 1;
    }

    /**
     * Start a new epoch just after the previous one's last position, so the new epoch's low sequences do not
     * overwrite the old epoch's frames still waiting to play.
     */
    void startEpoch(final long previousHighestSequence)
    {
        sequenceBase += previousHighestSequence + 1;
    }

    private int index(final long sequence)
    {
        return (int)(sequence + sequenceBase) & mask;
    }

    /**
     * @return index of the held frame of this epoch and sequence (played or not), or {@link #NONE}.
     */
    int indexOf(final long epoch, final long sequence)
    {
        final int i = index(sequence);
        return states[i] != EMPTY && sequences[i] == sequence && epochs[i] == epoch ? i : NONE;
    }

    boolean contains(final long epoch, final long sequence)
    {
        final int i = index(sequence);
        return states[i] != EMPTY && sequences[i] == sequence && epochs[i] == epoch;
    }

    /**
     * @return whether a frame of this epoch and sequence may take its position: false when the position holds a
     * later sequence of the same epoch.
     */
    boolean canStore(final long epoch, final long sequence)
    {
        final int i = index(sequence);
        return states[i] == EMPTY || epochs[i] != epoch || sequences[i] < sequence;
    }

    int store(
        final long epoch,
        final long sequence,
        final long timestampUs,
        final int durationUs,
        final boolean cleanSwitchPoint,
        final long hash,
        final DirectBuffer src,
        final int offset,
        final int length)
    {
        final int i = index(sequence);
        UnsafeBuffer buffer = buffers[i];
        if (buffer.capacity() < length)
        {
            final int newLength = Math.min(maxFrameLength, Math.max(MIN_BUFFER_LENGTH, Integer.highestOneBit(length - 1) << 1));
            retainedBytes += newLength - buffer.capacity();
            buffer.wrap(new byte[newLength]);
        }
        buffer.putBytes(0, src, offset, length);
        if (states[i] == EMPTY)
        {
            occupied++;
        }
        if (states[i] != PENDING)
        {
            pending++;
        }
        states[i] = PENDING;
        epochs[i] = epoch;
        sequences[i] = sequence;
        timestampsUs[i] = timestampUs;
        durationsUs[i] = durationUs;
        clean[i] = cleanSwitchPoint;
        hashes[i] = hash;
        lengths[i] = length;
        return i;
    }

    /**
     * Find the pending frame for a slot: its timestamp plus offset within half a frame of the slot time.
     *
     * @return index, or {@link #NONE}.
     */
    int find(final long slotUs, final long offsetUs, final long hintEpoch, final long hintSequence)
    {
        final int hint = index(hintSequence);
        if (states[hint] == PENDING && sequences[hint] == hintSequence && epochs[hint] == hintEpoch &&
            isAligned(hint, slotUs, offsetUs))
        {
            return hint;
        }

        if (0 == pending)
        {
            return NONE;
        }
        int best = NONE;
        long bestDistanceUs = Long.MAX_VALUE;
        for (int i = 0; i <= mask; i++)
        {
            if (states[i] != PENDING)
            {
                continue;
            }
            if (timestampsUs[i] + offsetUs + durationsUs[i] < slotUs - MAX_SLOT_STEP_US)
            {
                states[i] = RELEASED;
                pending--;
            }
            else if (isAligned(i, slotUs, offsetUs))
            {
                final long distanceUs = Math.abs(timestampsUs[i] + offsetUs - slotUs);
                if (distanceUs < bestDistanceUs || (distanceUs == bestDistanceUs && epochs[i] > epochs[best]))
                {
                    best = i;
                    bestDistanceUs = distanceUs;
                }
            }
        }
        return best;
    }

    /** @return earliest timestamp plus offset of a pending frame, or {@link Long#MAX_VALUE}. */
    long earliestPendingUs(final long offsetUs)
    {
        long earliestUs = Long.MAX_VALUE;
        for (int i = 0; i <= mask; i++)
        {
            if (states[i] == PENDING)
            {
                earliestUs = Math.min(earliestUs, timestampsUs[i] + offsetUs);
            }
        }
        return earliestUs;
    }

    private boolean isAligned(final int i, final long slotUs, final long offsetUs)
    {
        final long deltaUs = timestampsUs[i] + offsetUs - slotUs;
        final int halfUs = durationsUs[i] >> 1;
        return deltaUs >= -halfUs && deltaUs < durationsUs[i] - halfUs;
    }

    /**
     * @return index of the only held frame with this hash, or {@link #NONE} if there is none or more than one
     * (repeated payloads such as digital silence say nothing about alignment).
     */
    int findUniqueHash(final long hash)
    {
        int found = NONE;
        for (int i = 0; i <= mask; i++)
        {
            if (hashes[i] == hash && states[i] != EMPTY)
            {
                if (found != NONE)
                {
                    return NONE;
                }
                found = i;
            }
        }
        return found;
    }

    void markReleased(final int i)
    {
        if (states[i] == PENDING)
        {
            pending--;
        }
        states[i] = RELEASED;
    }

    long epoch(final int i)
    {
        return epochs[i];
    }

    long sequence(final int i)
    {
        return sequences[i];
    }

    long timestampUs(final int i)
    {
        return timestampsUs[i];
    }

    int durationUs(final int i)
    {
        return durationsUs[i];
    }

    long hash(final int i)
    {
        return hashes[i];
    }

    boolean isClean(final int i)
    {
        return clean[i];
    }

    int length(final int i)
    {
        return lengths[i];
    }

    UnsafeBuffer buffer(final int i)
    {
        return buffers[i];
    }

    long retainedBytes()
    {
        return retainedBytes;
    }

    int occupied()
    {
        return occupied;
    }

    int pending()
    {
        return pending;
    }

    /**
     * @return pending frames that still end after {@code slotUs}: the ones that can yet be played.
     */
    int pendingAfter(final long slotUs, final long offsetUs)
    {
        int count = 0;
        for (int i = 0; i <= mask; i++)
        {
            if (states[i] == PENDING && timestampsUs[i] + offsetUs + durationsUs[i] > slotUs)
            {
                count++;
            }
        }
        return count;
    }
}
