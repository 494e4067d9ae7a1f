package org.seamcast.codec.protocol;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static org.seamcast.codec.protocol.WireLayout.*;

/**
 * Encoder of METADATA messages: the ICY StreamTitle (and optional StreamUrl) from a media time on.
 * <pre>
 *  offset  size  field
 *   0       8    common header, type 3
 *   8       8    encoder epoch (u64)
 *  16       8    media timestamp in microseconds (i64) from which the title applies
 *  24       4    encoder id (u32)
 *  28       1+m  mount: length m (u8), bytes
 *  ..       2+t  StreamTitle: length t (u16, at most 768), UTF-8 bytes
 *  ..       1+u  StreamUrl: length u (u8, at most 255, 0 = absent), UTF-8 bytes
 *  ..            trailer
 * </pre>
 * No control bytes are allowed in either string; the largest METADATA is 1,331 bytes signed and fits one
 * datagram. Allocates when converting Strings (METADATA is rare). Not thread-safe.
 */
public final class MetadataEncoder
{
    private static final int ENCODER_ID = 1;
    private static final int EPOCH = 2;
    private static final int TIMESTAMP = 4;
    private static final int TITLE = 8;
    private static final int ALL = 15;
    private static final String[] NAMES = { "encoderId", "epoch", "timestampUs", "streamTitle" };

    private final Crc32c crc = new Crc32c();
    private MutableDirectBuffer buffer;
    private int offset;
    private int position;
    private int set;
    private boolean urlSet;

    public MetadataEncoder wrap(final MutableDirectBuffer buffer, final int offset, final MountName mount)
    {
        this.buffer = buffer;
        this.offset = offset;
        set = 0;
        urlSet = false;
        buffer.putByte(offset + METADATA_MOUNT, (byte)mount.length());
        buffer.putBytes(offset + METADATA_MOUNT + 1, mount.buffer(), 0, mount.length());
        position = offset + METADATA_MOUNT + 1 + mount.length();
        return this;
    }

    public MetadataEncoder encoderId(final long encoderId)
    {
        Checks.u32("encoderId", encoderId);
        buffer.putInt(offset + METADATA_ENCODER_ID, (int)encoderId, ByteOrder.LITTLE_ENDIAN);
        set |= ENCODER_ID;
        return this;
    }

    public MetadataEncoder epoch(final long epoch)
    {
        buffer.putLong(offset + METADATA_EPOCH, epoch, ByteOrder.LITTLE_ENDIAN);
        set |= EPOCH;
        return this;
    }

    public MetadataEncoder timestampUs(final long timestampUs)
    {
        buffer.putLong(offset + METADATA_TIMESTAMP_US, timestampUs, ByteOrder.LITTLE_ENDIAN);
        set |= TIMESTAMP;
        return this;
    }

    /**
     * @param streamTitle e.g. "Artist - Title"; must be set before streamUrl.
     * @return this.
     */
    public MetadataEncoder streamTitle(final String streamTitle)
    {
        if ((set & TITLE) != 0)
        {
            throw new IllegalStateException("streamTitle already set");
        }
        final int length = TextField.put(
            buffer, position + 2, streamTitle, Protocol.MAX_STREAM_TITLE_LENGTH, "streamTitle");
        buffer.putShort(position, (short)length, ByteOrder.LITTLE_ENDIAN);
        position += 2 + length;
        set |= TITLE;
        return this;
    }

    /**
     * @param streamUrl optional; after streamTitle.
     * @return this.
     */
    public MetadataEncoder streamUrl(final String streamUrl)
    {
        if ((set & TITLE) == 0 || urlSet)
        {
            throw new IllegalStateException("streamUrl must be set once, after streamTitle");
        }
        final int length = TextField.put(buffer, position + 1, streamUrl, Protocol.MAX_STREAM_URL_LENGTH, "streamUrl");
        buffer.putByte(position, (byte)length);
        position += 1 + length;
        urlSet = true;
        return this;
    }

    public int finish(final MessageAuthenticator signer)
    {
        if (set != ALL)
        {
            throw new IllegalStateException(
                "METADATA field " + NAMES[Integer.numberOfTrailingZeros(~set)] + " not set");
        }
        if (!urlSet)
        {
            buffer.putByte(position++, (byte)0);
            urlSet = true;
        }
        return Sealer.seal(buffer, offset, position, MessageType.METADATA, 0, signer, crc);
    }
}
