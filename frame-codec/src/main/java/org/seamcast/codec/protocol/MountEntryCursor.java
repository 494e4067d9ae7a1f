package org.seamcast.codec.protocol;

import org.agrona.DirectBuffer;

/**
 * Walks a list of entries in a message without allocating, each entry being a fixed part followed by a mount
 * (length u8, then the name's bytes): the one iteration {@link MountCursor} and {@link StreamPositionCursor} share,
 * which differ only in the fixed part.
 *
 * <pre>
 *   entry:  [ fixed part: mountField bytes ][ mount length u8 ][ mount bytes ]
 * </pre>
 */
abstract class MountEntryCursor
{
    private final int mountField;
    private DirectBuffer buffer;
    private int start;
    private int count;
    private int index;
    private int entryOffset;
    private int nextOffset;

    /**
     * @param mountField bytes of each entry before its mount length byte.
     */
    MountEntryCursor(final int mountField)
    {
        this.mountField = mountField;
    }

    final void reset(final DirectBuffer buffer, final int start, final int count)
    {
        this.buffer = buffer;
        this.start = start;
        this.count = count;
        goBeforeFirst();
    }

    final void goBeforeFirst()
    {
        index = -1;
        nextOffset = start;
    }

    /**
     * @return the number of entries.
     */
    public final int count()
    {
        return count;
    }

    /**
     * @return true when moved to the next entry, false after the last.
     */
    public final boolean next()
    {
        if (index + 1 >= count)
        {
            return false;
        }
        index++;
        entryOffset = nextOffset;
        nextOffset = entryOffset + mountField + 1 + mountLength();
        return true;
    }

    /**
     * @return the buffer holding the message.
     */
    public final DirectBuffer buffer()
    {
        return buffer;
    }

    public final int mountOffset()
    {
        return entryOffset + mountField + 1;
    }

    public final int mountLength()
    {
        return buffer.getByte(entryOffset + mountField) & 0xFF;
    }

    public final long mountHash()
    {
        return MountName.hash(buffer, mountOffset(), mountLength());
    }

    public final boolean mountMatches(final MountName mount)
    {
        return mount.matches(buffer, mountOffset(), mountLength());
    }

    /**
     * @return where the current entry starts.
     */
    final int entryOffset()
    {
        return entryOffset;
    }
}
