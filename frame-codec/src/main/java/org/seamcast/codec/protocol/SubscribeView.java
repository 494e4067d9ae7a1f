package org.seamcast.codec.protocol;

/**
 * View of a decoded SUBSCRIBE (layout on {@link SubscribeEncoder}).
 */
public final class SubscribeView extends MessageView
{
    private final MountCursor mounts = new MountCursor();
    private final StreamPositionCursor resumePoints = new StreamPositionCursor();

    SubscribeView()
    {
    }

    void wrapLists(final int mountsOffset, final int mountCount, final int resumeOffset, final int resumeCount)
    {
        mounts.reset(buffer, mountsOffset, mountCount);
        resumePoints.reset(buffer, resumeOffset, resumeCount);
    }

    /**
     * @return true when the subscriber wants every mount (the mount list is empty).
     */
    public boolean isAllMounts()
    {
        return mounts.count() == 0;
    }

    public int mountCount()
    {
        return mounts.count();
    }

    /**
     * @return the cursor over the mounts wanted, rewound.
     */
    public MountCursor mounts()
    {
        return mounts.rewind();
    }

    public int resumePointCount()
    {
        return resumePoints.count();
    }

    /**
     * @return the cursor over (mount, encoder id, epoch, next sequence wanted), rewound.
     */
    public StreamPositionCursor resumePoints()
    {
        return resumePoints.rewind();
    }
}
