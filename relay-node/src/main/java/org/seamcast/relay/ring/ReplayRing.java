package org.seamcast.relay.ring;

import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * The last seconds of one (stream, encoder, epoch) by sequence number, so an edge that reconnects can resume and one
 * that lost a frame can ask for it again: an index of the stream's messages in the relay's {@link ReplayLog}, which
 * holds the bytes of every stream.
 *
 * <p>An index slot per sequence ({@code sequence % slots}) remembers where its message lies in the log. A message is
 * found while the log still holds it and the record there is that sequence's (a later sequence may have taken the
 * slot). The index starts at {@value #INITIAL_SLOTS} slots and doubles, up to {@code maxSlots}, when a sequence would
 * take the slot of a message the log still holds; a stream that sent one frame costs 512 bytes of index.
 *
 * <p>Not thread-safe: owned by the relay's duty thread, like its log.
 */
public final class ReplayRing
{
    /** Index slots a new ring starts with. */
    public static final int INITIAL_SLOTS = 64;

    private final ReplayLog log;
    private final int maxSlots;
    private int slots;
    private long[] slotPosition;
    /** Positions below this were written before the last {@link #clear}. */
    private long validFrom;
    private long lowestSequence = Long.MAX_VALUE;
    private long highestSequence = -1;

    /**
     * @param log      where the messages go; shared with the relay's other streams.
     * @param maxSlots sequences indexed at most; a power of two at least the messages the stream sends in the log's
     *                 span.
     */
    public ReplayRing(final ReplayLog log, final int maxSlots)
    {
        if (maxSlots < 2 || Integer.bitCount(maxSlots) != 1)
        {
            throw new IllegalArgumentException("slots=" + maxSlots + " is not a power of two >= 2");
        }
        this.log = log;
        this.maxSlots = maxSlots;
        this.validFrom = log.writePosition();
        allocateSlots(Math.min(maxSlots, INITIAL_SLOTS));
    }

    /**
     * Keeps a copy of the message for {@code sequence}. Allocates only when its index grows.
     *
     * @param nowNs the relay's clock, by which the log keeps its span.
     * @return false (and keeps nothing) when the message is larger than the log's records take, or the sequence is
     * negative.
     */
    public boolean put(
        final long sequence, final long nowNs, final DirectBuffer src, final int offset, final int length)
    {
        if (sequence < 0)
        {
            return false;
        }
        final long position = log.append(sequence, nowNs, src, offset, length);
        if (position < 0)
        {
            return false;
        }
        int slot = (int)(sequence & (slots - 1));
        while (slots < maxSlots && isHeld(slotPosition[slot]) && log.sequenceAt(slotPosition[slot]) != sequence)
        {
            allocateSlots(slots << 1);
            slot = (int)(sequence & (slots - 1));
        }
        slotPosition[slot] = position;
        highestSequence = Math.max(highestSequence, sequence);
        lowestSequence = Math.min(lowestSequence, sequence);
        return true;
    }

    /**
     * Forgets every message: the log keeps the bytes until it goes round, but this ring no longer finds them.
     */
    public void clear()
    {
        validFrom = log.writePosition();
        lowestSequence = Long.MAX_VALUE;
        highestSequence = -1;
    }

    /**
     * Whether the message for {@code sequence} is still held.
     */
    public boolean contains(final long sequence)
    {
        if (sequence < 0)
        {
            return false;
        }
        final long position = slotPosition[(int)(sequence & (slots - 1))];
        return isHeld(position) && log.sequenceAt(position) == sequence;
    }

    /**
     * Hands the message for {@code sequence} to {@code consumer} if it is still held.
     *
     * @return true if it was.
     */
    public boolean read(final long sequence, final MessageConsumer consumer)
    {
        if (sequence < 0)
        {
            return false;
        }
        final long position = slotPosition[(int)(sequence & (slots - 1))];
        return position >= validFrom && log.read(position, sequence, consumer);
    }

    /**
     * Hands every held message from {@code fromSequence} up to the highest, in sequence order, to
     * {@code consumer}; sequences no longer held are skipped.
     *
     * @return how many were handed over.
     */
    public int readFrom(final long fromSequence, final MessageConsumer consumer)
    {
        if (highestSequence < 0)
        {
            return 0;
        }
        final long first = Math.max(fromSequence, Math.max(lowestSequence, highestSequence - maxSlots + 1));
        int count = 0;
        for (long sequence = first; sequence <= highestSequence; sequence++)
        {
            if (read(sequence, consumer))
            {
                count++;
            }
        }
        return count;
    }

    /**
     * How many messages are held now, by looking at every index slot (for a once-a-second gauge, not a hot path).
     */
    public int heldCount()
    {
        int count = 0;
        for (int slot = 0; slot < slots; slot++)
        {
            if (isHeld(slotPosition[slot]))
            {
                count++;
            }
        }
        return count;
    }

    /**
     * The highest sequence put, or -1.
     */
    public long highestSequence()
    {
        return highestSequence;
    }

    /**
     * The lowest sequence the ring can still hold: the highest less the most sequences it indexes, or 0.
     */
    public long lowestIndexableSequence()
    {
        return Math.max(0, highestSequence - maxSlots + 1);
    }

    /**
     * Bytes of memory the ring's index takes (its messages are in the log).
     */
    public long allocatedBytes()
    {
        return (long)slots * Long.BYTES;
    }

    private boolean isHeld(final long position)
    {
        return position >= validFrom && log.holds(position);
    }

    private void allocateSlots(final int newSlots)
    {
        final long[] oldPosition = slotPosition;
        slots = newSlots;
        slotPosition = new long[newSlots];
        Arrays.fill(slotPosition, -1L);
        if (oldPosition == null)
        {
            return;
        }
        for (final long position : oldPosition)
        {
            if (isHeld(position))
            {
                final int slot = (int)(log.sequenceAt(position) & (newSlots - 1));
                slotPosition[slot] = Math.max(slotPosition[slot], position);
            }
        }
    }

    /**
     * Receives a held message; the bytes are valid only during the call.
     */
    @FunctionalInterface
    public interface MessageConsumer
    {
        void accept(long sequence, DirectBuffer buffer, int offset, int length);
    }
}
