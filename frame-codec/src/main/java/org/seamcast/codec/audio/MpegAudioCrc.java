package org.seamcast.codec.audio;

import org.agrona.DirectBuffer;

/**
 * The 16-bit CRC of a protected Layer III frame (protection bit 0), as ISO/IEC 11172-3 defines it: generator
 * x<sup>16</sup> + x<sup>15</sup> + x<sup>2</sup> + 1 (0x8005), register preset to 0xFFFF, bits fed most significant
 * first, no final inversion. It covers the last two header bytes and the whole side information, not the main data:
 * <pre>
 *  offset 0     2     4     6                      6 + side info
 *         +-----+-----+-----+----------------------+-----------------
 *         | sync| hdr | CRC |  side information    |  main data ...
 *         +-----+-----+-----+----------------------+-----------------
 *               \_____/     \______________________/
 *                  covered by the CRC
 * </pre>
 */
final class MpegAudioCrc
{
    private static final int POLYNOMIAL = 0x8005;
    private static final int PRESET = 0xFFFF;

    private MpegAudioCrc()
    {
    }

    /**
     * @param buffer      holding the frame's header, CRC and side information.
     * @param frameOffset of the header.
     * @param header      the frame's valid Layer III header.
     * @return the CRC the frame should carry at {@code frameOffset + 4}.
     */
    static int compute(final DirectBuffer buffer, final int frameOffset, final int header)
    {
        int crc = PRESET;
        crc = update(crc, buffer.getByte(frameOffset + 2));
        crc = update(crc, buffer.getByte(frameOffset + 3));
        final int sideInfoOffset = frameOffset + MpegAudioHeader.HEADER_LENGTH + MpegAudioHeader.CRC_LENGTH;
        final int sideInfoEnd = sideInfoOffset + MpegAudioHeader.sideInfoLengthBytes(header);
        for (int i = sideInfoOffset; i < sideInfoEnd; i++)
        {
            crc = update(crc, buffer.getByte(i));
        }
        return crc;
    }

    private static int update(final int crc, final byte value)
    {
        int register = crc;
        for (int bit = 7; bit >= 0; bit--)
        {
            final boolean feedback = ((register >>> 15) & 1) != ((value >>> bit) & 1);
            register = (register << 1) & 0xFFFF;
            if (feedback)
            {
                register ^= POLYNOMIAL;
            }
        }
        return register;
    }
}
