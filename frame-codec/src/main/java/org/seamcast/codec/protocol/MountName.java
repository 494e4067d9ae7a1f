package org.seamcast.codec.protocol;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A validated mount name such as {@code /live.mp3}, holding its wire bytes and a 64-bit hash so nodes can
 * key maps by {@link #hash()} (e.g. Agrona's {@code Long2ObjectHashMap}) and confirm with
 * {@link #matches(DirectBuffer, int, int)} against the bytes of a received message without allocating.
 * <p>
 * Rule: {@value Protocol#MIN_MOUNT_NAME_LENGTH} to {@value Protocol#MAX_MOUNT_NAME_LENGTH} bytes, the first
 * is '/', every byte is printable ASCII 0x21..0x7E except '?' and '#' (which would end the path of the
 * listener URL the mount is served at). Immutable and thread-safe.
 */
public final class MountName extends WireName
{
    private static final long LOW_BITS = 0x0101_0101_0101_0101L;
    private static final long TOP_BITS = 0x8080_8080_8080_8080L;

    private final long hash;

    private MountName(final byte[] bytes)
    {
        super(bytes);
        this.hash = hash(buffer(), 0, bytes.length);
    }

    /**
     * @param name e.g. "/live.mp3".
     * @return the validated mount name.
     * @throws IllegalArgumentException naming the value and the rule it breaks.
     */
    public static MountName of(final String name)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        checkValid(new UnsafeBuffer(bytes), 0, bytes.length, name);
        return new MountName(bytes);
    }

    /**
     * Copies a mount name out of a buffer, e.g. from a decoded view, the first time a node sees it.
     *
     * @param buffer holding the name bytes.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return the validated mount name.
     * @throws IllegalArgumentException when the bytes are not a valid mount name.
     */
    public static MountName copyOf(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 0 || length > Protocol.MAX_MOUNT_NAME_LENGTH)
        {
            throw new IllegalArgumentException(
                "mountName length=" + length + " > MAX_MOUNT_NAME_LENGTH=" + Protocol.MAX_MOUNT_NAME_LENGTH);
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        checkValid(new UnsafeBuffer(bytes), 0, length, null);
        return new MountName(bytes);
    }

    /**
     * @param buffer holding the candidate.
     * @param offset of its first byte.
     * @param length in bytes.
     * @return true when the bytes are a valid mount name.
     */
    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < Protocol.MIN_MOUNT_NAME_LENGTH || length > Protocol.MAX_MOUNT_NAME_LENGTH)
        {
            return false;
        }
        if (buffer.getByte(offset) != '/')
        {
            return false;
        }
        final int end = offset + length;
        int i = offset + 1;
        if (end - i < Long.BYTES)
        {
            for (; i < end; i++)
            {
                final byte b = buffer.getByte(i);
                if (b < 0x21 || b > 0x7E || b == '?' || b == '#')
                {
                    return false;
                }
            }
            return true;
        }
        for (; i + Long.BYTES <= end; i += Long.BYTES)
        {
            if (!isValidWord(buffer.getLong(i, ByteOrder.LITTLE_ENDIAN)))
            {
                return false;
            }
        }
        // the last eight bytes, overlapping ones already found valid, so no byte is read outside the name
        return i == end || isValidWord(buffer.getLong(end - Long.BYTES, ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * Eight name bytes at once: each in 0x21..0x7E and neither '?' nor '#'. Once no byte has its top bit set, each
     * sum below stays within its byte, so the top bits say exactly which bytes fail.
     */
    private static boolean isValidWord(final long word)
    {
        if ((word & TOP_BITS) != 0)
        {
            return false;
        }
        final long belowSpace = ~(word + (0x80 - 0x21) * LOW_BITS);
        final long delete = word + LOW_BITS;
        final long questionMark = ~((word ^ '?' * LOW_BITS) + 0x7F * LOW_BITS);
        final long hash = ~((word ^ '#' * LOW_BITS) + 0x7F * LOW_BITS);
        return ((belowSpace | delete | questionMark | hash) & TOP_BITS) == 0;
    }

    private static void checkValid(final DirectBuffer buffer, final int offset, final int length, final String name)
    {
        if (length > Protocol.MAX_MOUNT_NAME_LENGTH)
        {
            throw new IllegalArgumentException(
                "mountName length=" + length + " > MAX_MOUNT_NAME_LENGTH=" + Protocol.MAX_MOUNT_NAME_LENGTH);
        }
        if (length < Protocol.MIN_MOUNT_NAME_LENGTH)
        {
            throw new IllegalArgumentException(
                "mountName length=" + length + " < MIN_MOUNT_NAME_LENGTH=" + Protocol.MIN_MOUNT_NAME_LENGTH);
        }
        if (!isValid(buffer, offset, length))
        {
            throw new IllegalArgumentException("mountName=" + (name != null ? "\"" + name + "\"" : "(bytes)") +
                " must start with '/' and hold only printable ASCII 0x21..0x7E other than '?' and '#'");
        }
    }

    /**
     * The 64-bit hash used for every mount, computed the same way over any buffer.
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return the hash.
     */
    public static long hash(final DirectBuffer buffer, final int offset, final int length)
    {
        long h = 0x9E3779B97F4A7C15L ^ length;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            h = Long.rotateLeft((h ^ buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN)) * 0xC2B2AE3D27D4EB4FL, 31);
        }
        long tail = 0;
        for (; i < length; i++)
        {
            tail = (tail << 8) | (buffer.getByte(offset + i) & 0xFF);
        }
        h ^= tail;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }

    /**
     * @return the 64-bit hash, equal to {@link #hash(DirectBuffer, int, int)} over the bytes.
     */
    public long hash()
    {
        return hash;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof MountName other && other.hash == hash && other.matches(buffer(), 0, length());
    }

    @Override
    public int hashCode()
    {
        return (int)(hash ^ (hash >>> 32));
    }
}
