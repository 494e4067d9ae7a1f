package org.seamcast.codec.protocol;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
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
    /**
     * The length and the first 16 bytes (little-endian, zero past the end) held in the object itself: a relay or
     * edge compares each received copy's name with the name it found by hash, and at hundreds of mounts the
     * separate byte array was a cache miss per copy.
     */
    private final int length;
    private final long head0;
    private final long head1;

    WireName(final byte[] bytes)
    {
        this.bytes = bytes;
        this.length = bytes.length;
        this.buffer = new UnsafeBuffer(bytes);
        this.head0 = word(buffer, 0, Math.min(bytes.length, Long.BYTES));
        this.head1 = word(buffer, Long.BYTES, Math.min(bytes.length - Long.BYTES, Long.BYTES));
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
        if (length != this.length || word(other, offset, Math.min(length, Long.BYTES)) != head0 ||
            length > Long.BYTES && word(other, offset + Long.BYTES, Math.min(length - Long.BYTES, Long.BYTES)) != head1)
        {
            return false;
        }
        for (int i = 2 * Long.BYTES; i < length; i++)
        {
            if (other.getByte(offset + i) != bytes[i])
            {
                return false;
            }
        }
        return true;
    }

    /** @return {@code count} (0..8) bytes from {@code offset} as a little-endian long, zero above them. */
    private static long word(final DirectBuffer buffer, final int offset, final int count)
    {
        if (count == Long.BYTES)
        {
            return buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
        }
        long word = 0;
        for (int i = count - 1; i >= 0; i--)
        {
            word = word << 8 | buffer.getByte(offset + i) & 0xFF;
        }
        return word;
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
        return length;
    }

    @Override
    public final String toString()
    {
        return text;
    }
}
