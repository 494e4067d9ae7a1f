package org.seamcast.codec.protocol;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static org.seamcast.codec.protocol.WireLayout.*;

/**
 * Iterates the (mount, encoder id, epoch, sequence) entries of a HEARTBEAT (last sequence sent) or of a
 * SUBSCRIBE (next sequence wanted) without allocating: {@code while (cursor.next()) { ... }}.
 * Each entry on the wire: encoder id (u32), epoch (u64), sequence (u64), mount length (u8), mount.
 */
public final class StreamPositionCursor
{
    private DirectBuffer buffer;
    private int start;
    private int count;
    private int index;
    private int entryOffset;
    private int nextOffset;

    StreamPositionCursor()
    {
    }

    void reset(final DirectBuffer buffer, final int start, final int count)
    {
        this.buffer = buffer;
        this.start = start;
        this.count = count;
        rewind();
    }

    /**
     * Goes back before the first entry.
     *
     * @return this.
     */
    public StreamPositionCursor rewind()
    {
        index = -1;
        nextOffset = start;
        return this;
    }

    /**
     * @return the number of entries.
     */
    public int count()
    {
        return count;
    }

    /**
     * @return true when moved to the next entry, false after the last.
     */
    public boolean next()
    {
        if (index + 1 >= count)
        {
            return false;
        }
        index++;
        entryOffset = nextOffset;
        nextOffset = entryOffset + POSITION_MOUNT + 1 + mountLength();
        return true;
    }

    /**
     * @return the buffer holding the message.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    public long encoderId()
    {
        return buffer.getInt(entryOffset + POSITION_ENCODER_ID, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    }

    public long epoch()
    {
        return buffer.getLong(entryOffset + POSITION_EPOCH, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @return last sequence sent (HEARTBEAT) or next sequence wanted (SUBSCRIBE).
     */
    public long sequence()
    {
        return buffer.getLong(entryOffset + POSITION_SEQUENCE, ByteOrder.LITTLE_ENDIAN);
    }

    public int mountOffset()
    {
        return entryOffset + POSITION_MOUNT + 1;
    }

    public int mountLength()
    {
        return buffer.getByte(entryOffset + POSITION_MOUNT) & 0xFF;
    }

    public long mountHash()
    {
        return MountName.hash(buffer, mountOffset(), mountLength());
    }

    public boolean mountMatches(final MountName mount)
    {
        return mount.matches(buffer, mountOffset(), mountLength());
    }
}
