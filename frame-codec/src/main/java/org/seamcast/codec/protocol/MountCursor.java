package org.seamcast.codec.protocol;

import org.agrona.DirectBuffer;

/**
 * Iterates the mount list of a SUBSCRIBE without allocating: {@code while (cursor.next()) { ... }}.
 * Each entry on the wire: mount length (u8), mount.
 */
public final class MountCursor
{
    private DirectBuffer buffer;
    private int start;
    private int count;
    private int index;
    private int entryOffset;
    private int nextOffset;

    MountCursor()
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
    public MountCursor rewind()
    {
        index = -1;
        nextOffset = start;
        return this;
    }

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
        nextOffset = entryOffset + 1 + mountLength();
        return true;
    }

    /**
     * @return the buffer holding the message.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int mountOffset()
    {
        return entryOffset + 1;
    }

    public int mountLength()
    {
        return buffer.getByte(entryOffset) & 0xFF;
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
