package org.seamcast.codec.protocol;

import java.nio.ByteOrder;

import static org.seamcast.codec.protocol.WireLayout.*;

/**
 * View of a decoded METADATA (layout on {@link MetadataEncoder}).
 */
public final class MetadataView extends MountMessageView
{
    private int titleOffset;
    private int titleLength;
    private int urlOffset;
    private int urlLength;

    MetadataView()
    {
    }

    void wrapText(final int titleOffset, final int titleLength, final int urlOffset, final int urlLength)
    {
        this.titleOffset = titleOffset;
        this.titleLength = titleLength;
        this.urlOffset = urlOffset;
        this.urlLength = urlLength;
    }

    public long encoderId()
    {
        return buffer.getInt(offset + METADATA_ENCODER_ID, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    }

    public long epoch()
    {
        return buffer.getLong(offset + METADATA_EPOCH, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @return media time from which the title applies, microseconds since the Unix epoch.
     */
    public long timestampUs()
    {
        return buffer.getLong(offset + METADATA_TIMESTAMP_US, ByteOrder.LITTLE_ENDIAN);
    }

    public int streamTitleOffset()
    {
        return titleOffset;
    }

    public int streamTitleLength()
    {
        return titleLength;
    }

    public int streamUrlOffset()
    {
        return urlOffset;
    }

    /**
     * @return StreamUrl length, 0 when absent.
     */
    public int streamUrlLength()
    {
        return urlLength;
    }

    public String streamTitle()
    {
        return TextField.get(buffer, titleOffset, titleLength);
    }

    public String streamUrl()
    {
        return TextField.get(buffer, urlOffset, urlLength);
    }
}
