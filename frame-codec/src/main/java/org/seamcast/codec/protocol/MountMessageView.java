package org.seamcast.codec.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A view of a message about one mount, giving zero-copy access to the mount name and its hash.
 */
public abstract class MountMessageView extends MessageView
{
    int mountOffset;
    int mountLength;
    private long mountHash;
    private boolean mountHashed;

    MountMessageView()
    {
    }

    final void wrapMount(final int mountOffset, final int mountLength)
    {
        this.mountOffset = mountOffset;
        this.mountLength = mountLength;
        mountHashed = false;
    }

    /**
     * @return offset of the mount name's first byte in {@link #buffer()}.
     */
    public final int mountOffset()
    {
        return mountOffset;
    }

    /**
     * @return mount name length in bytes.
     */
    public final int mountLength()
    {
        return mountLength;
    }

    /**
     * @return {@link MountName#hash(org.agrona.DirectBuffer, int, int)} of the mount name, computed once.
     */
    public final long mountHash()
    {
        if (!mountHashed)
        {
            mountHash = MountName.hash(buffer, mountOffset, mountLength);
            mountHashed = true;
        }
        return mountHash;
    }

    /**
     * @param mount to compare with.
     * @return true when this message is about that mount.
     */
    public final boolean mountMatches(final MountName mount)
    {
        return mount.matches(buffer, mountOffset, mountLength);
    }

    /**
     * @return the mount name as a new String (allocates; for logs and cold paths).
     */
    public final String mountString()
    {
        final byte[] bytes = new byte[mountLength];
        buffer.getBytes(mountOffset, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
