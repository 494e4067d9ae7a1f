package org.seamcast.relay.ring;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The last few seconds of one (stream, encoder, epoch) as encoded protocol messages, by sequence number, so an
 * edge that reconnects can resume and one that lost a frame can ask for it again.
 *
 * <p>Messages are copied into one fixed byte ring; an index slot per sequence ({@code sequence % slots}) remembers
 * where each lies. A message is found only while its slot still names its sequence and its bytes have not been
 * overwritten, so memory is fixed at construction whatever arrives. Not thread-safe: owned by the relay's duty
 * thread.
 *
 * <pre>
 *   bytes:  | seq 7 | seq 8 | seq 10 | seq 9 | ......free...... |
 *            ^ oldest still readable             ^ next write (absolute position grows forever)
 *   index:  slot[s % slots] = (sequence, absolute position, length)
 * </pre>
 */
public final class ReplayRing
{
    private final UnsafeBuffer bytes;
    private final int capacity;
    private final int slots;
    private final long[] slotSequence;
    private final long[] slotPosition;
    private final int[] slotLength;
    private long writePosition;
    private long lowestSequence = Long.MAX_VALUE;
    private long highestSequence = -1;

    /**
     * @param capacityBytes bytes of messages kept (e.g. 10 s of 320 kbit/s is 400 KiB).
     * @param slots         sequences indexed; a power of two at least the messages that fit in capacityBytes.
     */
    public ReplayRing(final int capacityBytes, final int slots)
    {
        if (capacityBytes < 1024)
        {
            throw new IllegalArgumentException("capacityBytes=" + capacityBytes + " < 1024");
        }
        if (slots < 2 || Integer.bitCount(slots) != 1)
        {
            throw new IllegalArgumentException("slots=" + slots + " is not a power of two >= 2");
        }
        this.capacity = capacityBytes;
        this.bytes = new UnsafeBuffer(new byte[capacityBytes]);
        this.slots = slots;
        this.slotSequence = new long[slots];
        this.slotPosition = new long[slots];
        this.slotLength = new int[slots];
        java.util.Arrays.fill(slotSequence, -1L);
    }

    /**
     * Keeps a copy of the message for {@code sequence}.
     *
     * @return false (and keeps nothing) when the message is larger than the ring.
     */
    public boolean put(final long sequence, final DirectBuffer src, final int offset, final int length)
    {
        if (length > capacity || length <= 0 || sequence < 0)
        {
            return false;
        }
        long position = writePosition;
        final int start = (int)(position % capacity);
        if (start + length > capacity)
        {
            position += capacity - start;
        }
        bytes.putBytes((int)(position % capacity), src, offset, length);
        writePosition = position + length;

        final int slot = (int)(sequence & (slots - 1));
        slotSequence[slot] = sequence;
        slotPosition[slot] = position;
        slotLength[slot] = length;
        highestSequence = Math.max(highestSequence, sequence);
        lowestSequence = Math.min(lowestSequence, sequence);
        return true;
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
        final int slot = (int)(sequence & (slots - 1));
        return slotSequence[slot] == sequence && slotPosition[slot] >= writePosition - capacity;
    }

    /**
     * Hands the message for {@code sequence} to {@code consumer} if it is still held.
     *
     * @return true if it was.
     */
    public boolean read(final long sequence, final MessageConsumer consumer)
    {
        if (!contains(sequence))
        {
            return false;
        }
        final int slot = (int)(sequence & (slots - 1));
        consumer.accept(sequence, bytes, (int)(slotPosition[slot] % capacity), slotLength[slot]);
        return true;
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
        final long first = Math.max(fromSequence, Math.max(lowestSequence, highestSequence - slots + 1));
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
        if (highestSequence < 0)
        {
            return 0;
        }
        int count = 0;
        for (long sequence = Math.max(0, highestSequence - slots + 1); sequence <= highestSequence; sequence++)
        {
            if (contains(sequence))
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
     * Receives a held message; the bytes are valid only during the call.
     */
    @FunctionalInterface
    public interface MessageConsumer
    {
        void accept(long sequence, DirectBuffer buffer, int offset, int length);
    }
}
