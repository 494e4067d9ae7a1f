package org.seamcast.codec.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Rules for free-text fields (stream headers, titles): UTF-8 bytes, bounded length, and no control bytes
 * (0x00..0x1F, 0x7F) so a value can never inject a CR/LF into an HTTP or ICY header downstream.
 */
final class TextField
{
    private TextField()
    {
    }

    static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if ((b >= 0 && b < 0x20) || b == 0x7F)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes {@code value} as UTF-8 at {@code index} and returns the byte length.
     */
    static int put(
        final MutableDirectBuffer buffer, final int index, final String value, final int maxLength, final String name)
    {
        final byte[] bytes = encode(value, maxLength, name);
        buffer.putBytes(index, bytes);
        return bytes.length;
    }

    /**
     * @return {@code value} as UTF-8, checked against the limit and for control bytes.
     */
    static byte[] encode(final String value, final int maxLength, final String name)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxLength)
        {
            throw new IllegalArgumentException(name + " length=" + bytes.length + " > limit=" + maxLength);
        }
        for (final byte b : bytes)
        {
            if ((b >= 0 && b < 0x20) || b == 0x7F)
            {
                throw new IllegalArgumentException(name + " contains control byte 0x" + Integer.toHexString(b));
            }
        }
        return bytes;
    }

    static String get(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
