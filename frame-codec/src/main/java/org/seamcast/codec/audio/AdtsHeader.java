package org.seamcast.codec.audio;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Static accessors over the 56-bit fixed + variable ADTS header held in the low bits of a {@code long}.
 * <pre>
 *  AAAAAAAA AAAABCCD EEFFFFGH HHIJKLMM MMMMMMMM MMMOOOOO OOOOOOPP  (QQQQQQQQ QQQQQQQQ)
 *  A syncword 0xFFF   B ID (0 MPEG-4, 1 MPEG-2)   C layer (00)   D protection_absent
 *  E profile (audio object type - 1; 1 = AAC-LC)   F sampling_frequency_index   G private
 *  H channel_configuration   I original/copy   J home   K copyright id bit   L copyright id start
 *  M aac_frame_length (13 bits, header included)   O adts_buffer_fullness (0x7FF = VBR)
 *  P number_of_raw_data_blocks_in_frame (blocks - 1)   Q CRC, present when protection_absent = 0
 * </pre>
 * Pitfalls: accessors other than {@link #check(long)} assume a header {@link #isValid(long)} accepted.
 */
public final class AdtsHeader
{
    /**
     * Bytes in a header without CRC.
     */
    public static final int HEADER_LENGTH = 7;

    /**
     * Bytes in a header with CRC (protection_absent = 0).
     */
    public static final int HEADER_WITH_CRC_LENGTH = 9;

    /**
     * Longest frame the 13-bit aac_frame_length can describe.
     */
    public static final int MAX_FRAME_LENGTH = 8191;

    /**
     * Samples per channel in one raw data block.
     */
    public static final int SAMPLES_PER_RAW_DATA_BLOCK = 1024;

    /**
     * ADTS profile value for AAC-LC (audio object type 2).
     */
    public static final int PROFILE_AAC_LC = 1;

    private static final int[] SAMPLE_RATES_HZ =
    {
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350
    };

    private static final int[] CHANNELS = {0, 1, 2, 3, 4, 5, 6, 8};

    private AdtsHeader()
    {
    }

    /**
     * Reads the seven header bytes at {@code offset}, big-endian, into the low 56 bits of a long.
     *
     * @param buffer holding the frame.
     * @param offset of the frame's first byte.
     * @return the header, for the other accessors.
     */
    public static long read(final DirectBuffer buffer, final int offset)
    {
        return ((buffer.getInt(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL) << 24) |
            ((buffer.getShort(offset + 4, ByteOrder.BIG_ENDIAN) & 0xFFFFL) << 8) |
            (buffer.getByte(offset + 6) & 0xFFL);
    }

    /**
     * Checks a header and names the first reason it is unusable.
     *
     * @param header as returned by {@link #read(DirectBuffer, int)}.
     * @return {@link HeaderStatus#VALID} or the reason.
     */
    public static HeaderStatus check(final long header)
    {
        if (((header >>> 44) & 0xFFF) != 0xFFF)
        {
            return HeaderStatus.NO_SYNC;
        }
        if (layer(header) != 0)
        {
            return HeaderStatus.RESERVED_LAYER;
        }
        if (samplingFrequencyIndex(header) >= SAMPLE_RATES_HZ.length)
        {
            return HeaderStatus.RESERVED_SAMPLE_RATE;
        }
        if (frameLengthBytes(header) < headerLengthBytes(header))
        {
            return HeaderStatus.BAD_FRAME_LENGTH;
        }

        return HeaderStatus.VALID;
    }

    /**
     * @param header to check.
     * @return true when {@link #check(long)} would return {@link HeaderStatus#VALID}.
     */
    public static boolean isValid(final long header)
    {
        return check(header) == HeaderStatus.VALID;
    }

    /**
     * Whether two valid headers can belong to the same stream: same layer, profile, sample rate and channel layout.
     *
     * @param header one header.
     * @param other  another header.
     * @return true when consistent.
     */
    public static boolean isConsistent(final long header, final long other)
    {
        // layer (bits 42..41), profile (39..38), sampling_frequency_index (37..34), channel_configuration (32..30)
        final long mask = 0x0000_06FD_C000_0000L;
        return (header & mask) == (other & mask);
    }

    /**
     * @param header a valid header.
     * @return the ID bit: 0 for MPEG-4, 1 for MPEG-2.
     */
    public static int id(final long header)
    {
        return (int)(header >>> 43) & 1;
    }

    /**
     * @param header a header.
     * @return the layer bits, always 0 in a valid header.
     */
    public static int layer(final long header)
    {
        return (int)(header >>> 41) & 3;
    }

    /**
     * @param header a valid header.
     * @return true when a 16-bit CRC follows (protection_absent = 0).
     */
    public static boolean hasCrc(final long header)
    {
        return ((header >>> 40) & 1) == 0;
    }

    /**
     * @param header a valid header.
     * @return the profile field: audio object type minus one (0 Main, 1 LC, 2 SSR, 3 LTP).
     */
    public static int profile(final long header)
    {
        return (int)(header >>> 38) & 3;
    }

    /**
     * @param header a valid header.
     * @return sampling_frequency_index, 0..12.
     */
    public static int samplingFrequencyIndex(final long header)
    {
        return (int)(header >>> 34) & 0xF;
    }

    /**
     * @param header a valid header.
     * @return the sample rate in Hz.
     */
    public static int sampleRateHz(final long header)
    {
        return SAMPLE_RATES_HZ[samplingFrequencyIndex(header)];
    }

    /**
     * @param index a sampling_frequency_index.
     * @return its rate in Hz, or -1 when the index is reserved.
     */
    public static int sampleRateHzOfIndex(final int index)
    {
        return index >= 0 && index < SAMPLE_RATES_HZ.length ? SAMPLE_RATES_HZ[index] : -1;
    }

    /**
     * @param header a valid header.
     * @return the private bit.
     */
    public static boolean isPrivate(final long header)
    {
        return ((header >>> 33) & 1) != 0;
    }

    /**
     * @param header a valid header.
     * @return channel_configuration, 0..7 (0: described by a program config element in the payload).
     */
    public static int channelConfiguration(final long header)
    {
        return (int)(header >>> 30) & 7;
    }

    /**
     * @param header a valid header.
     * @return channels for the configuration (configuration 7 is 7.1, 8 channels), 0 when not in the header.
     */
    public static int channels(final long header)
    {
        return CHANNELS[channelConfiguration(header)];
    }

    /**
     * @param header a valid header.
     * @return the original/copy bit.
     */
    public static boolean isOriginal(final long header)
    {
        return ((header >>> 29) & 1) != 0;
    }

    /**
     * @param header a valid header.
     * @return the home bit.
     */
    public static boolean isHome(final long header)
    {
        return ((header >>> 28) & 1) != 0;
    }

    /**
     * @param header a valid header.
     * @return copyright_identification_bit.
     */
    public static boolean copyrightIdentificationBit(final long header)
    {
        return ((header >>> 27) & 1) != 0;
    }

    /**
     * @param header a valid header.
     * @return copyright_identification_start.
     */
    public static boolean copyrightIdentificationStart(final long header)
    {
        return ((header >>> 26) & 1) != 0;
    }

    /**
     * @param header a valid header.
     * @return aac_frame_length: the whole frame in bytes, header included.
     */
    public static int frameLengthBytes(final long header)
    {
        return (int)(header >>> 13) & 0x1FFF;
    }

    /**
     * @param header a valid header.
     * @return adts_buffer_fullness (0x7FF signals variable bitrate).
     */
    public static int bufferFullness(final long header)
    {
        return (int)(header >>> 2) & 0x7FF;
    }

    /**
     * @param header a valid header.
     * @return raw data blocks in the frame: number_of_raw_data_blocks_in_frame + 1.
     */
    public static int rawDataBlocks(final long header)
    {
        return ((int)header & 3) + 1;
    }

    /**
     * @param header a valid header.
     * @return samples per channel: 1024 × raw data blocks.
     */
    public static int samplesPerFrame(final long header)
    {
        return SAMPLES_PER_RAW_DATA_BLOCK * rawDataBlocks(header);
    }

    /**
     * @param header a valid header.
     * @return 7, or 9 with CRC.
     */
    public static int headerLengthBytes(final long header)
    {
        return hasCrc(header) ? HEADER_WITH_CRC_LENGTH : HEADER_LENGTH;
    }

    /**
     * @param header a valid header.
     * @return the frame's duration in nanoseconds (rounded down).
     */
    public static long durationNs(final long header)
    {
        return samplesPerFrame(header) * 1_000_000_000L / sampleRateHz(header);
    }

    /**
     * Describes a header for logs and CLI output, e.g. {@code AAC-LC}.
     *
     * @param header a valid header.
     * @return the description.
     */
    public static String describe(final long header)
    {
        final String[] profiles = {"AAC Main", "AAC-LC", "AAC SSR", "AAC LTP"};
        return profiles[profile(header)];
    }
}
