package org.seamcast.codec.audio;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Recognises the metadata tags found in MP3 and AAC files and streams, so the splitter can skip them whole.
 * <pre>
 *  ID3v2:  "ID3" major(2..4) revision flags size(4 bytes, 7 bits each)   then size bytes, then a 10-byte footer if flagged
 *  ID3v1:  "TAG" + 125 bytes (128 in all), at the end of a file
 *  APEv2:  "APETAGEX" version(LE32) size(LE32, items + footer) items(LE32) flags(LE32, bit 29 = header) 8 zero
 * </pre>
 * Methods return {@link #NEED_MORE} when the bytes so far could still start a tag, {@link #NONE} when they cannot.
 */
final class MediaTags
{
    static final int NEED_MORE = -1;
    static final int NONE = 0;

    static final int ID3V2_HEADER_LENGTH = 10;
    static final int ID3V1_LENGTH = 128;
    static final int APE_HEADER_LENGTH = 32;

    /**
     * APE tags larger than this are treated as garbage rather than trusted to skip megabytes.
     */
    static final int MAX_APE_TAG_LENGTH = 16 * 1024 * 1024;

    private static final byte[] ID3 = {'I', 'D', '3'};
    private static final byte[] TAG = {'T', 'A', 'G'};
    private static final byte[] APE = {'A', 'P', 'E', 'T', 'A', 'G', 'E', 'X'};

    private MediaTags()
    {
    }

    /**
     * @return the whole ID3v2 tag's length (header, body, optional footer), {@link #NONE} or {@link #NEED_MORE}.
     */
    static int id3v2Length(final DirectBuffer buffer, final int offset, final int available)
    {
        final int prefix = prefixMatch(buffer, offset, available, ID3);
        if (prefix <= 0)
        {
            return prefix;
        }
        if (available < ID3V2_HEADER_LENGTH)
        {
            return NEED_MORE;
        }

        final int major = buffer.getByte(offset + 3) & 0xFF;
        final int revision = buffer.getByte(offset + 4) & 0xFF;
        final int flags = buffer.getByte(offset + 5) & 0xFF;
        if (major < 2 || major > 4 || revision == 0xFF || (flags & 0x0F) != 0)
        {
            return NONE;
        }

        int size = 0;
        for (int i = 6; i < 10; i++)
        {
            final int b = buffer.getByte(offset + i) & 0xFF;
            if (b >= 0x80)
            {
                return NONE;
            }
            size = (size << 7) | b;
        }
        final boolean footer = major == 4 && (flags & 0x10) != 0;
        return ID3V2_HEADER_LENGTH + size + (footer ? ID3V2_HEADER_LENGTH : 0);
    }

    /**
     * @return 128 when an ID3v1 tag starts here, {@link #NONE} or {@link #NEED_MORE}.
     */
    static int id3v1Length(final DirectBuffer buffer, final int offset, final int available)
    {
        final int prefix = prefixMatch(buffer, offset, available, TAG);
        return prefix <= 0 ? prefix : ID3V1_LENGTH;
    }

    /**
     * @return the APE tag's size field (items + footer) when a valid APE header or footer starts here,
     * {@link #NONE} or {@link #NEED_MORE}.
     */
    static int apeSizeField(final DirectBuffer buffer, final int offset, final int available)
    {
        final int prefix = prefixMatch(buffer, offset, available, APE);
        if (prefix <= 0)
        {
            return prefix;
        }
        if (available < APE_HEADER_LENGTH)
        {
            return NEED_MORE;
        }

        final int size = buffer.getInt(offset + 12, ByteOrder.LITTLE_ENDIAN);
        if (size < APE_HEADER_LENGTH || size > MAX_APE_TAG_LENGTH)
        {
            return NONE;
        }
        return size;
    }

    /**
     * @return true when the APE block at {@code offset} (already recognised) is a header, false for a footer.
     */
    static boolean isApeHeader(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getInt(offset + 20, ByteOrder.LITTLE_ENDIAN) & (1 << 29)) != 0;
    }

    /**
     * @return 1 when the whole signature matches, {@link #NEED_MORE} when the available bytes match its start,
     * else {@link #NONE}.
     */
    private static int prefixMatch(final DirectBuffer buffer, final int offset, final int available, final byte[] signature)
    {
        final int n = Math.min(available, signature.length);
        for (int i = 0; i < n; i++)
        {
            if (buffer.getByte(offset + i) != signature[i])
            {
                return NONE;
            }
        }
        return n == signature.length ? 1 : NEED_MORE;
    }
}
