package org.seamcast.edge.engine;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * 64-bit hash of a frame's bytes, eight bytes at a time, used to recognise byte-identical frames from different
 * encoders. Not cryptographic.
 */
final class FrameHash
{
    private static final long SEED = 0x9E3779B97F4A7C15L;
    private static final long MULTIPLIER = 0xFF51AFD7ED558CCDL;

    private FrameHash()
    {
    }

    static long hash(final DirectBuffer buffer, final int offset, final int length)
    {
        long h = SEED ^ length;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            h = Long.rotateLeft((h ^ buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN)) * MULTIPLIER, 29);
        }
        long tail = 0;
        for (; i < length; i++)
        {
            tail = (tail << 8) | (buffer.getByte(offset + i) & 0xFF);
        }
        return finish(h ^ tail);
    }

    private static long finish(final long value)
    {
        long x = value;
        x ^= x >>> 33;
        x *= MULTIPLIER;
        x ^= x >>> 33;
        x *= 0xC4CEB9FE1A85EC53L;
        x ^= x >>> 33;
        return x;
    }
}
