package org.seamcast.relay.ring;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * The last few seconds of one (stream, encoder, epoch) as encoded protocol messages, by sequence number, so an
 * edge that reconnects can resume and one that lost a frame can ask for it again.
 *
 * <p>Messages are copied into a byte ring made of chunks of {@value #CHUNK_BYTES} bytes (one chunk when the ring is
 * smaller); an index slot per sequence ({@code sequence % slots}) remembers where each lies. A message never
 * straddles two chunks: one that does not fit the rest of a chunk starts the next one. A message is found only while
 * its slot still names its sequence and its bytes have not been overwritten.
 *
 * <p>Memory grows with what the ring holds, never reserved up front for whoever sends a first message: a chunk is
 * allocated when the write position first reaches it, and the index starts at {@value #INITIAL_SLOTS} slots and
 * doubles, up to {@code maxSlots}, when a sequence would overwrite a slot still holding a live message. A ring with a
 * span stops taking chunks once what it holds covers that much media time, and goes round in the chunks it has: a
 * 128 kbit/s stream keeps its ten seconds in 176-192 KiB, not in the 480 KiB sized for 320 kbit/s. Once the ring has gone
 * round once it allocates nothing more.
 *
 * <pre>
 *   chunks: | seq 7 | seq 8 | seq 10 |pad| seq 9 | ......not yet allocated...... |
 *            ^ oldest still readable           ^ next write (absolute position grows forever)
 *   index:  slot[s % slots] = (sequence, absolute position, length)
 * </pre>
 *
 * <p>Not thread-safe: owned by the relay's duty thread.
 */
public final class ReplayRing
{
    /** Bytes of one chunk: more than the largest FRAME message (8,514 bytes), small enough for a one-frame stream. */
    public static final int CHUNK_BYTES = 16 * 1024;

    /** Index slots a new ring starts with. */
    public static final int INITIAL_SLOTS = 64;

    /** Smallest capacity accepted. */
    public static final int MIN_CAPACITY_BYTES = 1024;

    private final UnsafeBuffer[] chunks;
    private final int chunkBytes;
    private final long spanUs;
    private int chunkCount;
    private int capacity;
    private long firstTimestampUs;
    private final int maxSlots;
    private int slots;
    private long[] slotSequence;
    private long[] slotPosition;
    private int[] slotLength;
    private long writePosition;
    private long lowestSequence = Long.MAX_VALUE;
    private long highestSequence = -1;
    private int allocatedChunks;

    /**
     * @param capacityBytes bytes of messages kept at most; rounded up to whole chunks when above one chunk.
     * @param maxSlots      sequences indexed at most; a power of two at least the messages that fit in capacityBytes.
     * @param spanUs        media time (by the timestamps given to {@link #put}) after which the ring stops taking
     *                      chunks and goes round in those it has; 0 for none: only capacityBytes bounds it.
     */
    public ReplayRing(final int capacityBytes, final int maxSlots, final long spanUs)
    {
        if (capacityBytes < MIN_CAPACITY_BYTES)
        {
            throw new IllegalArgumentException("capacityBytes=" + capacityBytes + " < " + MIN_CAPACITY_BYTES);
        }
        if (maxSlots < 2 || Integer.bitCount(maxSlots) != 1)
        {
            throw new IllegalArgumentException("slots=" + maxSlots + " is not a power of two >= 2");
        }
        if (spanUs < 0)
        {
            throw new IllegalArgumentException("spanUs=" + spanUs + " < 0");
        }
        this.chunkBytes = Math.min(capacityBytes, CHUNK_BYTES);
        this.spanUs = spanUs;
        chunkCount = (int)(((long)capacityBytes + chunkBytes - 1) / chunkBytes);
        this.chunks = new UnsafeBuffer[chunkCount];
        this.capacity = chunkCount * chunkBytes;
        this.maxSlots = maxSlots;
        allocateSlots(Math.min(maxSlots, INITIAL_SLOTS));
    }

    /**
     * Keeps a copy of the message for {@code sequence}. Allocates only while the ring is filling for the first time.
     *
     * @param timestampUs the message's media time, which a ring with a span measures what it holds by.
     * @return false (and keeps nothing) when the message is larger than one chunk.
     */
    public boolean put(
        final long sequence, final long timestampUs, final DirectBuffer src, final int offset, final int length)
    {
        if (length > chunkBytes || length <= 0 || sequence < 0)
        {
            return false;
        }
        long position = writePosition;
        final int start = (int)(position % chunkBytes);
        if (start + length > chunkBytes)
        {
            position += chunkBytes - start;
        }
        if (0 == position)
        {
            firstTimestampUs = timestampUs;
        }
        chunkToWrite(position, timestampUs).putBytes((int)(position % chunkBytes), src, offset, length);
        writePosition = position + length;

        int slot = (int)(sequence & (slots - 1));
        while (slots < maxSlots && slotSequence[slot] != sequence && isLive(slot))
        {
            allocateSlots(slots << 1);
            slot = (int)(sequence & (slots - 1));
        }
        slotSequence[slot] = sequence;
        slotPosition[slot] = position;
        slotLength[slot] = length;
        highestSequence = Math.max(highestSequence, sequence);
        lowestSequence = Math.min(lowestSequence, sequence);
        return true;
    }

    /**
     * Forgets every message; the memory already taken is kept for reuse.
     */
    public void clear()
    {
        Arrays.fill(slotSequence, -1L);
        writePosition = 0;
        lowestSequence = Long.MAX_VALUE;
        highestSequence = -1;
    }

    /**
     * Whether the message for {@code sequence} is still held.
     */
    public boolean contains(final long sequence)
    {
        return sequence >= 0 && isLive((int)(sequence & (slots - 1))) &&
            slotSequence[(int)(sequence & (slots - 1))] == sequence;
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
        final long position = slotPosition[slot];
        consumer.accept(sequence, chunk(position), (int)(position % chunkBytes), slotLength[slot]);
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
            if (isLive(slot))
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
     * Bytes of memory the ring has taken so far for messages and their index.
     */
    public long allocatedBytes()
    {
        return (long)allocatedChunks * chunkBytes + (long)slots * (Long.BYTES + Long.BYTES + Integer.BYTES);
    }

    /**
     * Byte capacity once every chunk is taken: less than asked for once a ring with a span has stopped taking chunks.
     */
    public int capacityBytes()
    {
        return capacity;
    }

    private boolean isLive(final int slot)
    {
        return slotSequence[slot] >= 0 && slotPosition[slot] >= writePosition - capacity;
    }

    /**
     * The chunk a message at {@code position} goes to. A ring with a span that reaches a chunk it has not taken yet,
     * holding the span already, goes round in the chunks it has instead: every position written so far lies below
     * them, so its place is the same modulo either count.
     */
    private UnsafeBuffer chunkToWrite(final long position, final long timestampUs)
    {
        if (0 != spanUs && allocatedChunks < chunkCount && position / chunkBytes == allocatedChunks &&
            timestampUs - firstTimestampUs >= spanUs)
        {
            chunkCount = allocatedChunks;
            capacity = chunkCount * chunkBytes;
        }
        return chunk(position);
    }

    private UnsafeBuffer chunk(final long position)
    {
        final int index = (int)((position / chunkBytes) % chunkCount);
        UnsafeBuffer chunk = chunks[index];
        if (chunk == null)
        {
            chunk = new UnsafeBuffer(new byte[chunkBytes]);
            chunks[index] = chunk;
            allocatedChunks++;
        }
        return chunk;
    }

    private void allocateSlots(final int newSlots)
    {
        final long[] oldSequence = slotSequence;
        final long[] oldPosition = slotPosition;
        final int[] oldLength = slotLength;
        slots = newSlots;
        slotSequence = new long[newSlots];
        slotPosition = new long[newSlots];
        slotLength = new int[newSlots];
        Arrays.fill(slotSequence, -1L);
        if (oldSequence == null)
        {
            return;
        }
        for (int i = 0; i < oldSequence.length; i++)
        {
            final long sequence = oldSequence[i];
            if (sequence >= 0 && oldPosition[i] >= writePosition - capacity)
            {
                final int slot = (int)(sequence & (newSlots - 1));
                slotSequence[slot] = sequence;
                slotPosition[slot] = oldPosition[i];
                slotLength[slot] = oldLength[i];
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
