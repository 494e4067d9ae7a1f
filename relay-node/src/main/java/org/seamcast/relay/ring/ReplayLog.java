package org.seamcast.relay.ring;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The relay's replay memory: one append-only log of the messages of every stream, in arrival order, that keeps at
 * least the last {@code spanNs} of them within a byte bound. Each stream's {@link ReplayRing} indexes its own messages
 * in it by sequence.
 *
 * <p>Why one log and not a ring per stream: a relay writes every frame it relays into its replay memory, and with a
 * ring per stream each write went to a different stream's ring, memory untouched since that ring last went round
 * (ten seconds ago): a cache and TLB miss per line, about 2.2 µs of the relay's 6.5 µs per copy at 500 streams. The
 * log's writes are back to back, so the next line is in cache or on its way.
 *
 * <p>The log is a run of chunks of {@value #CHUNK_BYTES} bytes addressed by an absolute position that only grows
 * ({@code chunk = position / CHUNK_BYTES}); a record ({@value #HEADER_BYTES}-byte header: sequence, length; then the
 * message, padded to 8 bytes) never straddles two chunks. When the head chunk is full the log takes the next one:
 * the oldest chunk again once everything in it is older than the span (or the byte bound is reached), else a new
 * one; chunks older than the span and a quarter are let go, so memory follows the traffic both ways and, at a
 * steady rate, the log allocates nothing.
 *
 * <pre>
 *   chunks:  | oldest ... | ... | head: rec rec rec ->    |      (positions grow forever; a chunk is reused by
 *   record:  | sequence (8) | length (4) | message ... pad |       the next chunk number once its data is old)
 * </pre>
 *
 * <p>Not thread-safe: owned by the relay's duty thread.
 */
public final class ReplayLog
{
    /** Bytes of one chunk: the unit the log grows and shrinks by, far above the largest FRAME (8,514 bytes). */
    public static final int CHUNK_BYTES = 64 * 1024;

    /** Bytes before each message: its sequence and its length. */
    public static final int HEADER_BYTES = 12;

    /** The largest message a record can hold. */
    public static final int MAX_MESSAGE_BYTES = CHUNK_BYTES - HEADER_BYTES;

    /** Smallest byte bound accepted: two chunks, one to write while the other is read. */
    public static final long MIN_CAPACITY_BYTES = 2L * CHUNK_BYTES;

    private static final int LENGTH_OFFSET = 8;
    private static final long NONE = -1;

    private final long spanNs;
    /** Chunks wholly older than the span and this are let go: a dead band, so a steady rate allocates nothing. */
    private final long releaseAfterNs;
    private final int maxChunks;
    private final UnsafeBuffer[] chunks;
    /** When each chunk became the head: its records are at least as new, and older than the next chunk's start. */
    private final long[] chunkStartNs;
    private long oldestChunk;
    private long headChunk = NONE;
    private int chunksHeld;
    private long writePosition;

    /**
     * @param capacityBytes bytes the log may take at most; rounded down to whole chunks.
     * @param spanNs        how long back every record is kept, as long as the byte bound allows.
     */
    public ReplayLog(final long capacityBytes, final long spanNs)
    {
        if (capacityBytes < MIN_CAPACITY_BYTES || capacityBytes / CHUNK_BYTES > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("capacityBytes=" + capacityBytes + " is not in " + MIN_CAPACITY_BYTES +
                ".." + (long)Integer.MAX_VALUE * CHUNK_BYTES);
        }
        if (spanNs < 0)
        {
            throw new IllegalArgumentException("spanNs=" + spanNs + " < 0");
        }
        this.spanNs = spanNs;
        this.releaseAfterNs = spanNs + spanNs / 4;
        this.maxChunks = (int)(capacityBytes / CHUNK_BYTES);
        this.chunks = new UnsafeBuffer[maxChunks];
        this.chunkStartNs = new long[maxChunks];
    }

    /**
     * Appends the message for {@code sequence}.
     *
     * @param nowNs the caller's clock, which the span is measured by.
     * @return the record's position, or -1 (nothing kept) when the message is larger than {@link #MAX_MESSAGE_BYTES}
     * or empty.
     */
    public long append(
        final long sequence, final long nowNs, final DirectBuffer src, final int offset, final int length)
    {
        if (length <= 0 || length > MAX_MESSAGE_BYTES)
        {
            return NONE;
        }
        final int recordBytes = (HEADER_BYTES + length + 7) & ~7;
        long position = writePosition;
        // a new chunk when none is taken, when the last record filled the head exactly, or when this one won't fit
        if (position / CHUNK_BYTES != headChunk || (int)(position % CHUNK_BYTES) + recordBytes > CHUNK_BYTES)
        {
            position = advance(nowNs);
        }
        final UnsafeBuffer chunk = chunks[index(headChunk)];
        final int at = (int)(position % CHUNK_BYTES);
        chunk.putLong(at, sequence);
        chunk.putInt(at + LENGTH_OFFSET, length);
        chunk.putBytes(at + HEADER_BYTES, src, offset, length);
        writePosition = position + recordBytes;
        return position;
    }

    /**
     * Whether the record at {@code position} is still held (not yet overwritten).
     */
    public boolean holds(final long position)
    {
        return position >= oldestPosition() && position < writePosition;
    }

    /**
     * The position of the oldest record that may still be held; everything below it is gone.
     */
    public long oldestPosition()
    {
        return headChunk == NONE ? writePosition : oldestChunk * CHUNK_BYTES;
    }

    /**
     * Where the next record goes at the earliest: every record appended later lies at or above it.
     */
    public long writePosition()
    {
        return writePosition;
    }

    /**
     * The sequence of the record at {@code position}, which must be {@linkplain #holds held}.
     */
    long sequenceAt(final long position)
    {
        return chunks[index(position / CHUNK_BYTES)].getLong((int)(position % CHUNK_BYTES));
    }

    /**
     * Hands the record at {@code position} to {@code consumer} if it is held and is the message for
     * {@code sequence}.
     *
     * @return true if it was.
     */
    boolean read(final long position, final long sequence, final ReplayRing.MessageConsumer consumer)
    {
        if (!holds(position))
        {
            return false;
        }
        final UnsafeBuffer chunk = chunks[index(position / CHUNK_BYTES)];
        final int at = (int)(position % CHUNK_BYTES);
        if (chunk.getLong(at) != sequence)
        {
            return false;
        }
        consumer.accept(sequence, chunk, at + HEADER_BYTES, chunk.getInt(at + LENGTH_OFFSET));
        return true;
    }

    /**
     * Bytes of memory the log holds now.
     */
    public long allocatedBytes()
    {
        return (long)chunksHeld * CHUNK_BYTES;
    }

    /**
     * The byte bound, in whole chunks.
     */
    public long capacityBytes()
    {
        return (long)maxChunks * CHUNK_BYTES;
    }

    /**
     * How far back the log reaches now: {@code nowNs} less the start of its oldest chunk; 0 while it is empty.
     */
    public long heldNs(final long nowNs)
    {
        return headChunk == NONE ? 0 : nowNs - chunkStartNs[index(oldestChunk)];
    }

    /**
     * Moves the head to the next chunk number: the oldest chunk's memory when all of it is older than the span (or
     * the bound is reached), else a new chunk; first lets go of old chunks the span no longer needs.
     *
     * @return the new head chunk's first position.
     */
    private long advance(final long nowNs)
    {
        UnsafeBuffer chunk = null;
        if (headChunk != NONE)
        {
            // a chunk is wholly older than the span once the chunk after it started that long ago. Let go of the
            // oldest while the next one is older than the span and a quarter: the traffic fell. Dropping on the span
            // alone, a steady rate whose chunks start a batch early or late dropped one and allocated one again
            // every few chunks (GC took 5 % of a relay's CPU at 250 mounts).
            while (chunksHeld > 2 && isOlderThan(oldestChunk + 1, releaseAfterNs, nowNs))
            {
                release();
            }
            if (chunksHeld > 1 && isOlderThan(oldestChunk, spanNs, nowNs) || chunksHeld == maxChunks)
            {
                chunk = release();
            }
        }
        if (chunk == null)
        {
            chunk = new UnsafeBuffer(new byte[CHUNK_BYTES]);
        }
        headChunk = headChunk == NONE ? oldestChunk : headChunk + 1;
        chunks[index(headChunk)] = chunk;
        chunkStartNs[index(headChunk)] = nowNs;
        chunksHeld++;
        writePosition = headChunk * CHUNK_BYTES;
        return writePosition;
    }

    /**
     * Whether every record of {@code chunk} (not the head) is at least {@code ageNs} old.
     */
    private boolean isOlderThan(final long chunk, final long ageNs, final long nowNs)
    {
        return chunk < headChunk && nowNs - chunkStartNs[index(chunk + 1)] >= ageNs;
    }

    private UnsafeBuffer release()
    {
        final int index = index(oldestChunk);
        final UnsafeBuffer chunk = chunks[index];
        chunks[index] = null;
        oldestChunk++;
        chunksHeld--;
        return chunk;
    }

    private int index(final long chunk)
    {
        return (int)(chunk % maxChunks);
    }
}
