package org.seamcast.codec.protocol;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The validated ASCII bytes of a name carried on the wire, compared with received bytes without allocating: what a
 * {@link MountName} and a {@link NodeName} share. Each subclass holds its own rule and its own identity. Immutable
 * and thread-safe.
 */
abstract class WireName
{
    private final byte[] bytes;
    private final UnsafeBuffer buffer;
    private final String text;

    WireName(final byte[] bytes)
    {
        this.bytes = bytes;
        this.buffer = new UnsafeBuffer(bytes);
        this.text = new String(bytes, StandardCharsets.US_ASCII);
    }

    /**
     * @param other  buffer holding candidate bytes.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return true when the bytes equal this name.
     */
    public final boolean matches(final DirectBuffer other, final int offset, final int length)
    {
        if (length != bytes.length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (other.getByte(offset + i) != bytes[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return a read-only view of the bytes; do not modify.
     */
    public final DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the length in bytes.
     */
    public final int length()
    {
        return bytes.length;
    }

    @Override
    public final String toString()
    {
        return text;
    }
}
