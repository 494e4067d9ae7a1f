package org.seamcast.codec.audio;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

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
    /**
     * Largest {@code main_data_begin} on MPEG-1 (9 bits): the most bytes a frame can borrow.
     */
    static final int MAX_MAIN_DATA_BEGIN_MPEG_1 = 511;

    /**
     * Largest {@code main_data_begin} on MPEG-2 and 2.5 (8 bits).
     */
    static final int MAX_MAIN_DATA_BEGIN_LSF = 255;

    /**
     * Longest side information: MPEG-1 with two channels.
     */
    static final int MAX_SIDE_INFO_LENGTH = 32;

    private static final int MAX_BIG_VALUES = 288;
    private static final int MPEG_1_GRANULE_CHANNEL_BITS = 59;
    private static final int LSF_GRANULE_CHANNEL_BITS = 63;
    private static final int PART2_3_LENGTH_BITS = 12;

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

    /**
     * @param header a valid Layer III header.
     * @return bytes from the header's first byte to the side information: 4, or 6 with a CRC.
     */
    static int sideInfoOffset(final int header)
    {
        return MpegAudioHeader.HEADER_LENGTH + (MpegAudioHeader.hasCrc(header) ? MpegAudioHeader.CRC_LENGTH : 0);
    }

    /**
     * @param header a valid Layer III header.
     * @return bytes before the main-data area: header, optional CRC and side information.
     */
    static int mainDataAreaOffset(final int header)
    {
        return sideInfoOffset(header) + MpegAudioHeader.sideInfoLengthBytes(header);
    }

    /**
     * @param header a valid Layer III header.
     * @return the largest {@code main_data_begin} the version can express.
     */
    static int maxMainDataBegin(final int header)
    {
        return MpegAudioHeader.version(header) == MpegVersion.MPEG_1 ? MAX_MAIN_DATA_BEGIN_MPEG_1 : MAX_MAIN_DATA_BEGIN_LSF;
    }

    /**
     * Sums {@code part2_3_length} over the frame's granules and channels: the bits of main data the frame decodes.
     *
     * @param buffer      holding at least the frame's header, CRC and side information.
     * @param frameOffset of the header.
     * @param header      the frame's valid Layer III header.
     * @return the main data length in bits.
     */
    static int mainDataBits(final DirectBuffer buffer, final int frameOffset, final int header)
    {
        final boolean mpeg1 = MpegAudioHeader.version(header) == MpegVersion.MPEG_1;
        final int channels = MpegAudioHeader.channels(header);
        final int blocks = (mpeg1 ? 2 : 1) * channels;
        final int blockBits = mpeg1 ? MPEG_1_GRANULE_CHANNEL_BITS : LSF_GRANULE_CHANNEL_BITS;
        int bit = (frameOffset + sideInfoOffset(header)) * 8 +
            (mpeg1 ? 9 + (channels == 1 ? 5 : 3) + 4 * channels : 8 + channels);
        int total = 0;
        for (int block = 0; block < blocks; block++)
        {
            total += bits(buffer, bit, PART2_3_LENGTH_BITS);
            bit += blockBits;
        }
        return total;
    }

    /**
     * Overwrites {@code main_data_begin}, leaving every other side-information bit as it was.
     *
     * @param buffer        holding the frame.
     * @param frameOffset   of the header.
     * @param header        the frame's valid Layer III header.
     * @param mainDataBegin the new back-pointer, 0 to {@link #maxMainDataBegin(int)}.
     */
    static void putMainDataBegin(
        final MutableDirectBuffer buffer, final int frameOffset, final int header, final int mainDataBegin)
    {
        final int index = frameOffset + sideInfoOffset(header);
        if (MpegAudioHeader.version(header) == MpegVersion.MPEG_1)
        {
            buffer.putByte(index, (byte)(mainDataBegin >>> 1));
            final int second = buffer.getByte(index + 1) & 0x7F;
            buffer.putByte(index + 1, (byte)(second | ((mainDataBegin & 1) << 7)));
        }
        else
        {
            buffer.putByte(index, (byte)mainDataBegin);
        }
    }

    /**
     * Reads up to 17 bits, most significant first; bytes past the buffer read as zero.
     */
    private static int bits(final DirectBuffer buffer, final int bitOffset, final int count)
    {
        return BitField.read(buffer, bitOffset, count, buffer.capacity());
    }
}
