package org.seamcast.codec.audio;

import org.agrona.DirectBuffer;

/**
 * Reads bit fields, most significant bit first, from side information that is not byte-aligned (Layer III side
 * information, AAC syntax elements). Stateless: callers keep their own bit position, so nothing is allocated.
 * Bytes at or past {@code limit} read as zero; a caller that must not read past the frame compares its final bit
 * position with {@code limit * 8}.
 */
final class BitField
{
    /**
     * Longest field {@link #read} returns in one call.
     */
    static final int MAX_BITS = 17;

    private BitField()
    {
    }

    /**
     * @param buffer    holding the bits.
     * @param bitOffset of the field's first bit, counted from byte 0 of the buffer.
     * @param count     of bits, 1 to {@link #MAX_BITS}.
     * @param limit     index of the first byte that reads as zero (at most the buffer's capacity).
     * @return the field as an unsigned value.
     */
    static int read(final DirectBuffer buffer, final int bitOffset, final int count, final int limit)
    {
        final int index = bitOffset >>> 3;
        final int window = (byteAt(buffer, index, limit) << 16) | (byteAt(buffer, index + 1, limit) << 8) |
            byteAt(buffer, index + 2, limit);
        return (window >>> (24 - (bitOffset & 7) - count)) & ((1 << count) - 1);
    }

    private static int byteAt(final DirectBuffer buffer, final int index, final int limit)
    {
        return index < limit ? buffer.getByte(index) & 0xFF : 0;
    }
}
