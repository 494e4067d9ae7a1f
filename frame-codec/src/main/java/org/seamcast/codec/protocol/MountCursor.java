package org.seamcast.codec.protocol;

/**
 * Iterates the mount list of a SUBSCRIBE without allocating: {@code while (cursor.next()) { ... }}.
 * Each entry on the wire: mount length (u8), mount.
 */
public final class MountCursor extends MountEntryCursor
{
    MountCursor()
    {
        super(0);
    }

    /**
     * Goes back before the first entry.
     *
     * @return this.
     */
    public MountCursor rewind()
    {
        goBeforeFirst();
        return this;
    }
}
