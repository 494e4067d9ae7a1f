package org.seamcast.edge.listener;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

/**
 * One listener's position in its ICY metadata interval. Confined to its mount's event loop.
 */
final class ListenerSession
{
    private final Channel channel;
    private final boolean icyMetadata;
    private final int metaintBytes;
    private final boolean listener;
    private int bytesUntilMetadata;
    private int titleVersionSent = -1;

    ListenerSession(final Channel channel, final boolean icyMetadata, final int metaintBytes, final boolean listener)
    {
        this.channel = channel;
        this.listener = listener;
        this.icyMetadata = icyMetadata;
        this.metaintBytes = metaintBytes;
        this.bytesUntilMetadata = metaintBytes;
    }

    /**
     * False for a push to Icecast, which consumes frames but is not a listener.
     */
    boolean isListener()
    {
        return listener;
    }

    Channel channel()
    {
        return channel;
    }

    /**
     * Writes (without flushing) a shared frame, interleaving a metadata block where the interval ends.
     */
    void send(final ByteBuf frame, final MountPoint mount)
    {
        if (!icyMetadata)
        {
            channel.write(frame.retainedDuplicate(), channel.voidPromise());
            return;
        }

        int index = frame.readerIndex();
        int remaining = frame.readableBytes();
        while (remaining > 0)
        {
            final int chunk = Math.min(remaining, bytesUntilMetadata);
            channel.write(frame.retainedSlice(index, chunk), channel.voidPromise());
            index += chunk;
            remaining -= chunk;
            bytesUntilMetadata -= chunk;
            if (bytesUntilMetadata == 0)
            {
                writeMetadata(mount);
                bytesUntilMetadata = metaintBytes;
            }
        }
    }

    private void writeMetadata(final MountPoint mount)
    {
        final int version = mount.titleVersion();
        if (version != titleVersionSent)
        {
            titleVersionSent = version;
            channel.write(mount.titleBlock().duplicate(), channel.voidPromise());
        }
        else
        {
            channel.write(Unpooled.wrappedBuffer(IcyMetadataBlock.EMPTY), channel.voidPromise());
        }
    }
}
