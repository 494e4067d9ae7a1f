package org.seamcast.edge.engine;

import org.agrona.DirectBuffer;

/**
 * The bytes of one encoder's frames, appended in arrival order to one circular array, each frame contiguous, so a
 * ring holds the bytes of the audio it keeps rather than a slot's worth of the largest frame for every slot. A frame's
 * bytes stay until the array laps them. Before it does, the owner is asked whether the frame is still wanted (waiting
 * to play); if so the array doubles (copying what it holds, positions unchanged) instead of overwriting it. Positions
 * are absolute byte counts; a frame's place in the array is its position modulo the capacity, which is why the
 * capacity doubles (a frame contiguous in an array is contiguous in one twice as long). Once what made it grow has
 * passed, a grown array halves again, moving the frames it keeps to new positions it tells the owner of, so memory
 * follows what waits rather than the worst moment since the start. Single-threaded: the engine's.
 */
final class FrameArena
{
    /** Asks the arena's owner about the frames it is about to lap. */
    interface Owner
    {
        /**
         * @return whether the frame stored at {@code position} for {@code slot} is still wanted: its bytes must not
         * be overwritten.
         */
        boolean isWanted(int slot, long position);

        /**
         * The frame stored at {@code position} for {@code slot} loses its bytes although it was wanted: the arena is
         * at its largest. Its owner drops it.
         */
        void onLost(int slot, long position);

        /**
         * @return the length of the frame the owner holds for {@code slot} at {@code position}, or -1 when it holds
         * none there any more (the slot was stored again or emptied): the arena need not keep those bytes.
         */
        int lengthAt(int slot, long position);

        /**
         * The frame held for {@code slot} now has its bytes at {@code position}: the array shrank and moved it.
         */
        void onMoved(int slot, long position);
    }

    static final int ALIGNMENT = 64;
    static final int MIN_CAPACITY = 4096;
    /**
     * Appends between two looks at whether a grown array can halve again (26 s of MP3): what made it grow (frames
     * early, playout behind, a start-up) has passed once what waits fits in the half with room to spare.
     */
    static final int SHRINK_CHECK_INTERVAL = 1024;

    private final Owner owner;
    private final long maxCapacity;
    private byte[] bytes;
    private int capacity;
    private int reservedCapacity;
    private int appendsSinceShrinkCheck;
    private long writePosition;
    private long validFrom;
    private int[] laps = new int[64];
    private long[] lapPositions = new long[64];
    private int lapHead;
    private int lapSize;

    /**
     * @param owner       decides which frames must not be lapped.
     * @param maxCapacity largest the array may grow to (it stops doubling past this).
     */
    FrameArena(final Owner owner, final long maxCapacity)
    {
        this.owner = owner;
        this.maxCapacity = maxCapacity;
    }

    /**
     * @return capacity for frames of {@code length} bytes each over {@code spanUs}: the frames' bytes, to the next
     * 64 bytes, at least {@link #MIN_CAPACITY}.
     */
    static int capacityFor(final long spanUs, final int durationUs, final int length)
    {
        final long bytes = (spanUs / Math.max(1, durationUs) + 1) * length;
        return (int)Math.min(1 << 30, Math.max(MIN_CAPACITY, (bytes + ALIGNMENT - 1) & -ALIGNMENT));
    }

    /** Allocates the array on first use; nothing is allocated before an encoder sends a frame. */
    void reserve(final int capacity)
    {
        if (null == bytes)
        {
            this.capacity = Math.max(MIN_CAPACITY, (capacity + ALIGNMENT - 1) & -ALIGNMENT);
            reservedCapacity = this.capacity;
            bytes = new byte[this.capacity];
        }
    }

    /**
     * Copies a frame in, after the last, at the start of the array if it would not fit before the end.
     *
     * @return the frame's position; its bytes are at {@code offset(position)} in {@link #bytes()}.
     */
    long append(final int slot, final DirectBuffer src, final int offset, final int length)
    {
        reserve(length);
        if (++appendsSinceShrinkCheck >= SHRINK_CHECK_INTERVAL)
        {
            appendsSinceShrinkCheck = 0;
            if (capacity / 2 >= reservedCapacity)
            {
                shrinkIfQuiet();
            }
        }
        while (length > capacity)
        {
            grow();
        }
        long position = place(length);
        while (!makeRoom(slot, position, length))
        {
            grow();
            position = place(length);
        }
        src.getBytes(offset, bytes, offset(position), length);
        writePosition = position + length;
        remember(slot, position);
        return position;
    }

    private long place(final int length)
    {
        final int at = offset(writePosition);
        return at + length > capacity ? writePosition + (capacity - at) : writePosition;
    }

    /**
     * Pops the frames the bytes up to {@code position + length} lap; false (and nothing popped past a wanted frame)
     * when a wanted frame is in the way and the array can still grow.
     */
    private boolean makeRoom(final int slot, final long position, final int length)
    {
        final long lappedBelow = position + length - capacity;
        while (lapSize > 0 && lapPositions[lapHead] < lappedBelow)
        {
            final int lappedSlot = laps[lapHead];
            final long lappedPosition = lapPositions[lapHead];
            if (lappedSlot >= 0 && lappedSlot != slot && owner.isWanted(lappedSlot, lappedPosition))
            {
                if (capacity < maxCapacity)
                {
                    return false;
                }
                owner.onLost(lappedSlot, lappedPosition);
            }
            lapHead = (lapHead + 1) & (laps.length - 1);
            lapSize--;
        }
        validFrom = Math.max(validFrom, lappedBelow);
        return true;
    }

    private void remember(final int slot, final long position)
    {
        if (lapSize == laps.length)
        {
            final int[] newLaps = new int[laps.length * 2];
            final long[] newPositions = new long[laps.length * 2];
            for (int k = 0; k < lapSize; k++)
            {
                newLaps[k] = laps[(lapHead + k) & (laps.length - 1)];
                newPositions[k] = lapPositions[(lapHead + k) & (laps.length - 1)];
            }
            laps = newLaps;
            lapPositions = newPositions;
            lapHead = 0;
        }
        final int tail = (lapHead + lapSize) & (laps.length - 1);
        laps[tail] = slot;
        lapPositions[tail] = position;
        lapSize++;
    }

    /** Doubles the array, copying the bytes it still holds to the same positions. */
    private void grow()
    {
        final int newCapacity = capacity * 2;
        final byte[] newBytes = new byte[newCapacity];
        long p = Math.max(validFrom, writePosition - capacity);
        while (p < writePosition)
        {
            final int from = (int)(p % capacity);
            final int to = (int)(p % newCapacity);
            final int n = (int)Math.min(writePosition - p, Math.min(capacity - from, newCapacity - to));
            System.arraycopy(bytes, from, newBytes, to, n);
            p += n;
        }
        validFrom = Math.max(validFrom, writePosition - capacity);
        bytes = newBytes;
        capacity = newCapacity;
    }

    /**
     * Halves a grown array when every frame still wanted lies in the last 15/32 of it (15/16 of the half, room left
     * to append before a wanted frame is in the way again): those frames and the newest of the rest move, back to
     * back, each contiguous, the owner told of each new position, to positions after the last written, so no old
     * position is reused; older frames lose their bytes, as a lap would take them.
     */
    private void shrinkIfQuiet()
    {
        final int newCapacity = capacity / 2;
        final long keepFrom = writePosition - (newCapacity - newCapacity / 16);
        int first = lapSize;
        for (int k = 0; k < lapSize; k++)
        {
            final int at = (lapHead + k) & (laps.length - 1);
            if (lapPositions[at] >= keepFrom)
            {
                first = Math.min(first, k);
                break;
            }
            if (laps[at] >= 0 && owner.isWanted(laps[at], lapPositions[at]))
            {
                return; // a frame waiting to play lies further back: the array is still in use
            }
        }
        long newWrite = writePosition;
        for (int k = first; k < lapSize; k++)
        {
            final int at = (lapHead + k) & (laps.length - 1);
            final int length = laps[at] < 0 ? -1 : owner.lengthAt(laps[at], lapPositions[at]);
            if (length > 0)
            {
                newWrite = placeIn(newWrite, length, newCapacity) + length;
            }
        }
        if (newWrite - writePosition > newCapacity)
        {
            return;
        }

        final byte[] newBytes = new byte[newCapacity];
        final int[] newLaps = new int[laps.length];
        final long[] newPositions = new long[laps.length];
        final long base = writePosition;
        newWrite = base;
        int kept = 0;
        for (int k = first; k < lapSize; k++)
        {
            final int at = (lapHead + k) & (laps.length - 1);
            final int slot = laps[at];
            final int length = slot < 0 ? -1 : owner.lengthAt(slot, lapPositions[at]);
            if (length > 0)
            {
                final long position = placeIn(newWrite, length, newCapacity);
                System.arraycopy(bytes, offset(lapPositions[at]), newBytes, (int)(position % newCapacity), length);
                owner.onMoved(slot, position);
                newLaps[kept] = slot;
                newPositions[kept] = position;
                kept++;
                newWrite = position + length;
            }
        }
        bytes = newBytes;
        capacity = newCapacity;
        laps = newLaps;
        lapPositions = newPositions;
        lapHead = 0;
        lapSize = kept;
        validFrom = base;
        writePosition = newWrite;
    }

    /** @return where a frame of {@code length} bytes written at {@code position} goes in an array of this size. */
    private static long placeIn(final long position, final int length, final int capacity)
    {
        final int at = (int)(position % capacity);
        return at + length > capacity ? position + (capacity - at) : position;
    }

    /**
     * Renumbers the slots of the frames it remembers, when the ring that owns them grows.
     *
     * @param renumber old slot to new slot, -1 for a slot that held nothing.
     */
    void renumber(final int[] renumber)
    {
        for (int k = 0; k < lapSize; k++)
        {
            final int at = (lapHead + k) & (laps.length - 1);
            laps[at] = laps[at] < 0 ? -1 : renumber[laps[at]];
        }
    }

    /** @return whether the frame at {@code position} still has its bytes (the array has not lapped it). */
    boolean holds(final long position)
    {
        return position >= Math.max(validFrom, writePosition - capacity);
    }

    int offset(final long position)
    {
        return (int)(position % capacity);
    }

    byte[] bytes()
    {
        return bytes;
    }

    int capacity()
    {
        return capacity;
    }
}
