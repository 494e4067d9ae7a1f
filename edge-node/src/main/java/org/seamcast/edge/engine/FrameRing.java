package org.seamcast.edge.engine;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * One encoder's frames, indexed by sequence (plus a per-epoch base) modulo a power-of-two capacity, with copied bytes. Entries stay after
 * they are played until their position is reused, so late duplicates are still recognised.
 * <p>
 * A ring given a span holds that much audio and no more: it is sized by the shortest frame it has stored (first
 * frame on; a format with shorter frames grows it once), up to the capacity it was given. Frame bytes live in a
 * {@link FrameArena} sized to the span's bytes, which grows rather than lose a frame still waiting to play; a frame
 * already played may lose its bytes before its entry goes ({@link #hasBytes}).
 */
final class FrameRing implements FrameArena.Owner
{
    static final int NONE = -1;
    private static final byte EMPTY = 0;
    private static final byte PENDING = 1;
    private static final byte RELEASED = 2;
    private static final byte[] NO_BYTES = new byte[0];
    /** Frames held beyond the span: room for a frame's jitter and for a backup running a little ahead. */
    static final int SPAN_MARGIN_FRAMES = 64;
    private static final int MIN_CAPACITY = 16;
    /** A pending frame that ended this long before a slot can never be played: slots only move forward. */
    static final long MAX_SLOT_STEP_US = 1_000_000;

    private final int maxCapacity;
    private final long spanUs;
    private final long reserveSpanUs;
    private int sizedForDurationUs = Integer.MAX_VALUE;
    private int mask;
    private byte[] states;
    private long[] epochs;
    private long[] sequences;
    private long[] positions;
    private long[] timestampsUs;
    private long[] hashes;
    private int[] durationsUs;
    private int[] lengths;
    private boolean[] clean;
    private long[] arenaPositions;
    private final FrameArena arena;
    /** The one view {@link #buffer} wraps around a frame's bytes: a view per slot cost 48 bytes a slot. */
    private final UnsafeBuffer view = new UnsafeBuffer(NO_BYTES);
    private long lostFrames;
    private long staleBeforeUs = Long.MIN_VALUE;
    private int occupied;
    private int pending;
    private long sequenceBase;

    /**
     * A ring of a fixed capacity.
     */
    FrameRing(final int capacity, final int maxFrameLength)
    {
        this(capacity, 0, maxFrameLength);
    }

    /**
     * A ring whose arena reserves the bytes of its whole span at once.
     */
    FrameRing(final int maxCapacity, final long spanUs, final int maxFrameLength)
    {
        this(maxCapacity, spanUs, spanUs, maxFrameLength);
    }

    /**
     * @param maxCapacity    most frames held, a power of two; the capacity when {@code spanUs} is 0.
     * @param spanUs         audio the ring's entries must cover, or 0 for a fixed capacity.
     * @param reserveSpanUs  audio whose bytes the arena reserves on the first frame (at most {@code spanUs}): what
     *                       waits to play in steady state; the arena doubles when more must wait (frames early, slots
     *                       late), so the rest of the span costs memory only once it is used.
     * @param maxFrameLength largest frame stored.
     */
    FrameRing(final int maxCapacity, final long spanUs, final long reserveSpanUs, final int maxFrameLength)
    {
        if (reserveSpanUs < 0 || reserveSpanUs > spanUs)
        {
            throw new IllegalArgumentException("reserveSpanUs=" + reserveSpanUs + " is not in 0.." + spanUs);
        }
        this.maxCapacity = maxCapacity;
        this.spanUs = spanUs;
        this.reserveSpanUs = reserveSpanUs;
        allocate(0 == spanUs ? maxCapacity : Math.min(maxCapacity, MIN_CAPACITY));
        arena = new FrameArena(this, (long)maxCapacity * maxFrameLength);
    }

    private void allocate(final int capacity)
    {
        mask = capacity - 1;
        states = new byte[capacity];
        epochs = new long[capacity];
        sequences = new long[capacity];
        positions = new long[capacity];
        timestampsUs = new long[capacity];
        hashes = new long[capacity];
        durationsUs = new int[capacity];
        lengths = new int[capacity];
        clean = new boolean[capacity];
        arenaPositions = new long[capacity];
    }

    /**
     * @return frames a span ring holds for frames of this duration: the span and the margin, to a power of two.
     */
    static int capacityFor(final long spanUs, final int durationUs, final int maxCapacity)
    {
        final long frames = spanUs / Math.max(1, durationUs) + SPAN_MARGIN_FRAMES;
        return (int)Math.min(maxCapacity, Math.max(MIN_CAPACITY, Long.highestOneBit(frames - 1) << 1));
    }

    /**
     * Grows a span ring that is too small for frames this short, keeping every entry at its position. Allocates,
     * but only on an encoder's first frame and when its frames get shorter.
     */
    private void sizeFor(final int durationUs)
    {
        sizedForDurationUs = durationUs;
        final int capacity = capacityFor(spanUs, durationUs, maxCapacity);
        if (capacity <= mask + 1)
        {
            return;
        }
        final byte[] oldStates = states;
        final long[] oldEpochs = epochs;
        final long[] oldSequences = sequences;
        final long[] oldPositions = positions;
        final long[] oldTimestampsUs = timestampsUs;
        final long[] oldHashes = hashes;
        final int[] oldDurationsUs = durationsUs;
        final int[] oldLengths = lengths;
        final boolean[] oldClean = clean;
        final long[] oldArenaPositions = arenaPositions;
        allocate(capacity);
        final int[] renumber = new int[oldStates.length];
        for (int i = 0; i < oldStates.length; i++)
        {
            if (oldStates[i] == EMPTY)
            {
                renumber[i] = -1;
                continue;
            }
            final int j = (int)oldPositions[i] & mask;
            renumber[i] = j;
            states[j] = oldStates[i];
            epochs[j] = oldEpochs[i];
            sequences[j] = oldSequences[i];
            positions[j] = oldPositions[i];
            timestampsUs[j] = oldTimestampsUs[i];
            hashes[j] = oldHashes[i];
            durationsUs[j] = oldDurationsUs[i];
            lengths[j] = oldLengths[i];
            clean[j] = oldClean[i];
            arenaPositions[j] = oldArenaPositions[i];
        }
        arena.renumber(renumber);
    }

    /**
     * The mount's playout reached this time on this encoder's own timestamps: a pending frame that ended more than
     * {@link #MAX_SLOT_STEP_US} before it can never play (a backup's frames wait as long as their slots are ahead),
     * so its bytes may be lapped.
     */
    void slotReached(final long encoderSlotUs)
    {
        staleBeforeUs = encoderSlotUs - MAX_SLOT_STEP_US;
    }

    @Override
    public boolean isWanted(final int slot, final long position)
    {
        return states[slot] == PENDING && arenaPositions[slot] == position &&
            timestampsUs[slot] + durationsUs[slot] >= staleBeforeUs;
    }

    @Override
    public int lengthAt(final int slot, final long position)
    {
        return states[slot] != EMPTY && arenaPositions[slot] == position ? lengths[slot] : -1;
    }

    @Override
    public void onMoved(final int slot, final long position)
    {
        arenaPositions[slot] = position;
    }

    @Override
    public void onLost(final int slot, final long position)
    {
        if (isWanted(slot, position))
        {
            markReleased(slot);
            lostFrames++;
        }
    }

    void clear()
    {
        staleBeforeUs = Long.MIN_VALUE;
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
        if (durationUs < sizedForDurationUs && 0 != spanUs)
        {
            sizeFor(durationUs);
        }
        final int i = index(sequence);
        arena.reserve(0 == spanUs ? (mask + 1) * length : FrameArena.capacityFor(reserveSpanUs, durationUs, length));
        final long arenaPosition = arena.append(i, src, offset, length);
        if (view.byteArray() != NO_BYTES && view.byteArray() != arena.bytes())
        {
            view.wrap(NO_BYTES); // the arena grew or shrank: the view must not keep the array it left
        }
        arenaPositions[i] = arenaPosition;
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
        positions[i] = sequence + sequenceBase;
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
            isAligned(hint, slotUs, offsetUs) && arena.holds(arenaPositions[hint]))
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
            if (timestampsUs[i] + offsetUs + durationsUs[i] < slotUs - MAX_SLOT_STEP_US ||
                !arena.holds(arenaPositions[i]))
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

    /**
     * The frame that follows the one played in the slot before, when it lies more than half a frame but at most one
     * and a half frames before the slot: an ingest steps its stamps back by up to a frame and its 1 ms headroom at
     * once when a read arrives earlier than they allowed (a pullback), and the frame after the step was skipped
     * without a trace, the next one taking its slot. The engine plays it when its encoder has a later frame for the
     * slot (its stream goes on) or no other encoder has one. The last frame of a connection, stamped at the close,
     * steps back too: played early it moved the grid a frame back, and the byte-identical backup taking over
     * repeated a frame behind a bridge; that backup's aligned frame is the same audio.
     *
     * @return index, or {@link #NONE}.
     */
    int findEarlyContinuation(final long slotUs, final long offsetUs, final long epoch, final long sequence)
    {
        final int i = index(sequence);
        return states[i] == PENDING && sequences[i] == sequence && epochs[i] == epoch &&
            continuesAt(i, slotUs, offsetUs) && arena.holds(arenaPositions[i]) ? i : NONE;
    }

    private boolean continuesAt(final int i, final long slotUs, final long offsetUs)
    {
        final long deltaUs = timestampsUs[i] + offsetUs - slotUs;
        return deltaUs >= -(durationsUs[i] + (durationsUs[i] >> 1)) && deltaUs < durationsUs[i] - (durationsUs[i] >> 1);
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

    /**
     * @return the frame's bytes, {@link #length} of them, while {@link #hasBytes} (always for a frame that waits to
     * play), else none; in the ring's one view, so valid until the next call and until the next {@link #store}.
     */
    UnsafeBuffer buffer(final int i)
    {
        if (hasBytes(i))
        {
            view.wrap(arena.bytes(), arena.offset(arenaPositions[i]), lengths[i]);
        }
        else
        {
            view.wrap(NO_BYTES);
        }
        return view;
    }

    /** @return whether the held frame still has its bytes: a frame already played may have lost them. */
    boolean hasBytes(final int i)
    {
        return states[i] != EMPTY && arena.holds(arenaPositions[i]);
    }

    /** @return the byte arrays this ring keeps reachable (the arena's, and the view's when it wraps one): for tests. */
    java.util.List<byte[]> heldArrays()
    {
        return view.byteArray() == NO_BYTES || view.byteArray() == arena.bytes() ?
            java.util.List.of(arena.bytes()) : java.util.List.of(arena.bytes(), view.byteArray());
    }

    /** @return the arena's array: for tests. */
    byte[] arenaBytes()
    {
        return arena.bytes();
    }

    /** @return bytes allocated for frame bytes: the arena. */
    long retainedBytes()
    {
        return arena.capacity();
    }

    /** @return frames dropped unplayed because the arena, at its largest, had to lap them. */
    long lostFrames()
    {
        return lostFrames;
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
