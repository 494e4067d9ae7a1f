package org.seamcast.edge.listener;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.transport.ByteBufAccess;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A mount's published frames, written back to back into chunks of off-heap memory: the playout thread appends each
 * frame once, the mount's event loop drains them to its listeners, and the drained chunks stay as the burst a new
 * listener starts with, then go back to the playout thread to be written again. A pooled buffer allocated on the
 * playout thread and released on the loop per frame, and about 165 of them held per mount for its burst, were what
 * a mount's frames cost before.
 *
 * <p>A chunk starts with its commit word: the end of what the producer has written, with {@link #SEALED} once it
 * writes no more to it. Each frame is a record: its length (an int), then its bytes, padded to 4. Chunks are plain
 * direct memory the garbage collector frees, so a chunk in any hand at close is never freed under a writer.
 *
 * <p>Threading: {@link #append} and {@link #appendedBytes} on the producer (the playout thread) only;
 * {@link #drain}, {@link #copyBurst}, {@link #burstHeldBytes} and {@link #copy} on the consumer (the mount's event
 * loop) only; {@link #undrainedBytes} from either. Chunks move producer to consumer through one queue and back
 * through another, so each is written by one thread at a time.
 */
final class PublishedFrames
{
    /** Size of a chunk: a flush's worth for listeners; a frame too large for one gets a chunk of its own size. */
    static final int CHUNK_BYTES = 4096;
    /**
     * Most chunks the loop may have to drain: 4 MiB, over 100 s of a 320 kbit/s stream. A loop further behind loses
     * frames ({@link #append} refuses them), counted by the mount.
     */
    static final int MAX_UNDRAINED_CHUNKS = 1024;
    /** {@link #append}'s answer when the frame finds no room. */
    static final int REFUSED = -1;

    private static final int SEALED = Integer.MIN_VALUE;
    private static final int COMMIT_OFFSET = 0;
    private static final int FRAME_BYTES_OFFSET = 4;
    private static final int HEADER_BYTES = 8;
    private static final int LENGTH_BYTES = 4;
    /**
     * Chunks kept for the producer to write again; past these, drained chunks are left to the collector. Enough for
     * what a mount to nobody writes between two drains (MountPoint's 48 KiB, 12 chunks) with room to spare: with 4,
     * each such drain left 8 chunks of direct memory to the collector, and an edge at 250 mounts held 120 MiB more
     * resident memory, freed only when a GC ran their cleaners.
     */
    static final int SPARE_CHUNKS = 32;

    /** What the consumer is given, one frame at a time, while it drains. */
    @FunctionalInterface
    interface FrameHandler
    {
        /**
         * @param buffer holding the frame, valid until the handler returns.
         */
        void onFrame(DirectBuffer buffer, int index, int length);
    }

    private final int burstBytes;
    private final OneToOneConcurrentArrayQueue<UnsafeBuffer> filled =
        new OneToOneConcurrentArrayQueue<>(MAX_UNDRAINED_CHUNKS);
    private final OneToOneConcurrentArrayQueue<UnsafeBuffer> spare = new OneToOneConcurrentArrayQueue<>(SPARE_CHUNKS);
    /** Producer writes after each frame, consumer reads: frame bytes appended since start. */
    private final AtomicLong appendedBytes = new AtomicLong();
    /** Consumer writes after each drain, producer reads: frame bytes drained since start. */
    private final AtomicLong drainedBytes = new AtomicLong();
    private final UnsafeBuffer copyView = new UnsafeBuffer(0, 0);
    /** Producer only: the chunk it writes, also in {@link #filled} or the consumer's {@link #reading}. */
    private UnsafeBuffer writing;
    /** Producer only. */
    private int writeOffset;
    /** Producer only. */
    private long appended;
    /** Producer only. */
    private long chunksAllocated;
    /** Consumer only: the chunk it drains (the oldest it has not finished), null when it has drained them all. */
    private UnsafeBuffer reading;
    /** Consumer only. */
    private int readOffset;
    /** Consumer only: frame bytes drained from {@link #reading}. */
    private int readingFrameBytes;
    /** Consumer only: chunks drained to their end, oldest first, kept for the burst. */
    private final ArrayDeque<UnsafeBuffer> burst = new ArrayDeque<>();
    /** Consumer only: frame bytes in {@link #burst} and drained from {@link #reading}. */
    private int burstHeldBytes;
    /** Consumer only. */
    private long drained;

    /**
     * @param burstBytes the burst a new listener gets: the most recent frames that fit in it.
     */
    PublishedFrames(final int burstBytes)
    {
        this.burstBytes = burstBytes;
    }

    /**
     * Copies a frame in. Producer only.
     *
     * @return {@code length}, or {@link #REFUSED} when {@link #MAX_UNDRAINED_CHUNKS} chunks wait for the consumer.
     */
    int append(final DirectBuffer buffer, final int offset, final int length)
    {
        final int record = BitUtil.align(LENGTH_BYTES + length, LENGTH_BYTES);
        if (writing == null || writeOffset + record > writing.capacity())
        {
            final UnsafeBuffer chunk = nextChunk(HEADER_BYTES + record);
            if (chunk == null)
            {
                return REFUSED;
            }
            if (writing != null)
            {
                // sealed after the next chunk is queued: a consumer that sees the seal finds the next chunk
                writing.putIntOrdered(COMMIT_OFFSET, writeOffset | SEALED);
            }
            writing = chunk;
            writeOffset = HEADER_BYTES;
        }
        writing.putInt(writeOffset, length);
        writing.putBytes(writeOffset + LENGTH_BYTES, buffer, offset, length);
        writeOffset += record;
        writing.putIntOrdered(COMMIT_OFFSET, writeOffset);
        appended += length;
        // a volatile write, not an ordered one: the mount reads who consumes after it (MountPoint#attach's mirror)
        appendedBytes.set(appended);
        return length;
    }

    private UnsafeBuffer nextChunk(final int atLeastBytes)
    {
        UnsafeBuffer chunk = atLeastBytes <= CHUNK_BYTES ? spare.poll() : null;
        if (chunk == null)
        {
            chunk = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(CHUNK_BYTES, atLeastBytes)));
            chunksAllocated++;
        }
        chunk.putInt(COMMIT_OFFSET, HEADER_BYTES);
        // refused, a spare chunk is left to the collector: only the consumer hands chunks back
        return filled.offer(chunk) ? chunk : null;
    }

    /**
     * @return chunks allocated since start: once the burst is full, drained chunks come back and none is. Producer
     * only.
     */
    long chunksAllocated()
    {
        return chunksAllocated;
    }

    /**
     * @return frame bytes appended since start. Producer only.
     */
    long appendedBytes()
    {
        return appended;
    }

    /**
     * @return frame bytes appended and not yet drained; any thread, exact on neither side while the other works.
     */
    long undrainedBytes()
    {
        return appendedBytes.get() - drainedBytes.get();
    }

    /**
     * Hands every frame appended since the last drain to {@code handler}, in order, then keeps the most recent
     * chunks as the burst. Consumer only.
     *
     * @return frame bytes drained.
     */
    int drain(final FrameHandler handler)
    {
        int bytes = 0;
        while (true)
        {
            if (reading == null)
            {
                reading = filled.poll();
                if (reading == null)
                {
                    break;
                }
                readOffset = HEADER_BYTES;
                readingFrameBytes = 0;
            }
            final int commit = reading.getIntVolatile(COMMIT_OFFSET);
            final int end = commit & ~SEALED;
            while (readOffset < end)
            {
                final int length = reading.getInt(readOffset);
                handler.onFrame(reading, readOffset + LENGTH_BYTES, length);
                bytes += length;
                readingFrameBytes += length;
                readOffset += BitUtil.align(LENGTH_BYTES + length, LENGTH_BYTES);
            }
            if ((commit & SEALED) == 0)
            {
                break;
            }
            reading.putInt(FRAME_BYTES_OFFSET, readingFrameBytes);
            burst.addLast(reading);
            reading = null;
        }
        drained += bytes;
        drainedBytes.lazySet(drained);
        burstHeldBytes += bytes;
        while (!burst.isEmpty() && burstHeldBytes - burst.peekFirst().getInt(FRAME_BYTES_OFFSET) >= burstBytes)
        {
            final UnsafeBuffer oldest = burst.removeFirst();
            burstHeldBytes -= oldest.getInt(FRAME_BYTES_OFFSET);
            recycle(oldest);
        }
        return bytes;
    }

    private void recycle(final UnsafeBuffer chunk)
    {
        if (chunk.capacity() == CHUNK_BYTES)
        {
            spare.offer(chunk);
        }
    }

    /**
     * @return frame bytes the burst holds (at most a chunk over {@code burstBytes}). Consumer only.
     */
    int burstHeldBytes()
    {
        return burstHeldBytes;
    }

    /**
     * Copies the burst a new listener gets into one buffer: the most recent drained frames that fit in
     * {@code burstBytes}, back to back, starting on a frame. Consumer only.
     *
     * @return the buffer, which the caller releases, or null when the burst is empty.
     */
    ByteBuf copyBurst(final ByteBufAllocator alloc)
    {
        final int skip = burstHeldBytes - burstBytes;
        final int bytes = walkBurst(skip, null);
        if (bytes == 0)
        {
            return null;
        }
        final ByteBuf target = alloc.directBuffer(bytes, bytes);
        walkBurst(skip, target);
        return target;
    }

    /**
     * Walks the burst's frames, oldest first: leaves out frames while {@code skip} bytes are left to leave out, and
     * copies the others to {@code target} unless it is null.
     *
     * @return frame bytes not left out.
     */
    private int walkBurst(final int skip, final ByteBuf target)
    {
        int toSkip = skip;
        int kept = 0;
        final int chunks = burst.size() + (reading == null ? 0 : 1);
        final Iterator<UnsafeBuffer> older = burst.iterator();
        for (int c = 0; c < chunks; c++)
        {
            final UnsafeBuffer chunk = older.hasNext() ? older.next() : reading;
            final int end = chunk == reading ? readOffset : chunk.getInt(COMMIT_OFFSET) & ~SEALED;
            int offset = HEADER_BYTES;
            while (offset < end)
            {
                final int length = chunk.getInt(offset);
                if (toSkip > 0)
                {
                    toSkip -= length;
                }
                else
                {
                    kept += length;
                    if (target != null)
                    {
                        copy(chunk, offset + LENGTH_BYTES, length, target);
                    }
                }
                offset += BitUtil.align(LENGTH_BYTES + length, LENGTH_BYTES);
            }
        }
        return kept;
    }

    /**
     * Appends {@code length} bytes of {@code source} from {@code index} to {@code target}, growing it if need be.
     * Consumer only (for a {@link FrameHandler} writing the frame it is given into a buffer of its own).
     */
    void copy(final DirectBuffer source, final int index, final int length, final ByteBuf target)
    {
        target.ensureWritable(length);
        final int writerIndex = target.writerIndex();
        ByteBufAccess.wrap(copyView, target, writerIndex, length).putBytes(0, source, index, length);
        target.writerIndex(writerIndex + length);
    }
}
