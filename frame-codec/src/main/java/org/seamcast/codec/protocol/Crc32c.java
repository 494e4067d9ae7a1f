package org.seamcast.codec.protocol;

import org.agrona.DirectBuffer;

import java.util.zip.CRC32C;

/**
 * CRC32C over a range of any {@link DirectBuffer} without allocating: arrays are fed directly,
 * off-heap memory through a small scratch array. Not thread-safe: one per encoder or decoder.
 */
final class Crc32c
{
    private static final int SCRATCH_LENGTH = 2048;

    private final CRC32C crc = new CRC32C();
    private final byte[] scratch = new byte[SCRATCH_LENGTH];

    int compute(final DirectBuffer buffer, final int offset, final int length)
    {
        crc.reset();
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            crc.update(array, buffer.wrapAdjustment() + offset, length);
        }
        else
        {
            for (int done = 0; done < length; )
            {
                final int chunk = Math.min(SCRATCH_LENGTH, length - done);
                buffer.getBytes(offset + done, scratch, 0, chunk);
                crc.update(scratch, 0, chunk);
                done += chunk;
            }
        }
        return (int)crc.getValue();
    }
}
