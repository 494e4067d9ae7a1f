package org.seamcast.codec.audio;

import org.agrona.DirectBuffer;

/**
 * Rejects Layer III candidates whose side information no encoder can produce, so bytes that merely look like a
 * header (inside audio or garbage) are much less likely to be taken for a frame.
 * <pre>
 *  MPEG-1:     main_data_begin(9) private(5 mono / 3 stereo) scfsi(4 per channel), then 2 granules × channels of
 *  MPEG-2/2.5: main_data_begin(8) private(1 mono / 2 stereo),                      then 1 granule × channels of
 *    part2_3_length(12) big_values(9) global_gain(8) scalefac_compress(4 MPEG-1 / 9 MPEG-2) window_switching(1)
 *    22 bits of block type or table selection, preflag(1, MPEG-1 only) scalefac_scale(1) count1table_select(1)
 * </pre>
 * A granule is impossible when big_values exceeds 288 (576 lines / 2) or window switching is on with block_type 0;
 * a frame is impossible when its part2_3_lengths add up to more bits than its main data and the reservoir hold.
 */
final class Layer3SideInfo
{
    private static final int MAX_BIG_VALUES = 288;

    private Layer3SideInfo()
    {
    }

    /**
     * @param buffer      holding the whole frame.
     * @param frameOffset of the header.
     * @param header      the frame's valid Layer III header.
     * @param frameLength of the frame in bytes.
     * @return false when the side information is impossible.
     */
    static boolean isPlausible(final DirectBuffer buffer, final int frameOffset, final int header, final int frameLength)
    {
        final boolean mpeg1 = MpegAudioHeader.version(header) == MpegVersion.MPEG_1;
        final int channels = MpegAudioHeader.channels(header);
        final int sideInfoOffset = MpegAudioHeader.HEADER_LENGTH + (MpegAudioHeader.hasCrc(header) ? 2 : 0);
        final int sideInfoLength = MpegAudioHeader.sideInfoLengthBytes(header);
        if (sideInfoOffset + sideInfoLength > frameLength)
        {
            return false;
        }

        final int base = (frameOffset + sideInfoOffset) * 8;
        int bit = 0;
        final int mainDataBegin = bits(buffer, base, mpeg1 ? 9 : 8);
        bit += mpeg1 ? 9 + (channels == 1 ? 5 : 3) + 4 * channels : 8 + (channels == 1 ? 1 : 2);

        final int granules = mpeg1 ? 2 : 1;
        long part23Bits = 0;
        for (int granule = 0; granule < granules; granule++)
        {
            for (int channel = 0; channel < channels; channel++)
            {
                part23Bits += bits(buffer, base + bit, 12);
                final int bigValues = bits(buffer, base + bit + 12, 9);
                final int windowSwitchingBit = bit + 12 + 9 + 8 + (mpeg1 ? 4 : 9);
                final boolean windowSwitching = bits(buffer, base + windowSwitchingBit, 1) == 1;
                final int blockType = bits(buffer, base + windowSwitchingBit + 1, 2);
                if (bigValues > MAX_BIG_VALUES || (windowSwitching && blockType == 0))
                {
                    return false;
                }
                bit = windowSwitchingBit + 1 + 22 + (mpeg1 ? 3 : 2);
            }
        }

        final long availableBits = 8L * (mainDataBegin + frameLength - sideInfoOffset - sideInfoLength);
        return part23Bits <= availableBits;
    }

    private static int bits(final DirectBuffer buffer, final int bitOffset, final int count)
    {
        return BitField.read(buffer, bitOffset, count, buffer.capacity());
    }
}
