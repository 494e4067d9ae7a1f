package org.seamcast.codec.audio;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Static accessors over a 32-bit MPEG audio frame header held in an {@code int}, so parsing allocates nothing.
 * <pre>
 *  AAAAAAAA AAABBCCD EEEEFFGH IIJJKLMM
 *  A sync (11 bits, all ones)     B version (00 2.5, 01 reserved, 10 MPEG-2, 11 MPEG-1)
 *  C layer (01 III, 10 II, 11 I)  D protection (0 = 16-bit CRC follows the header)
 *  E bitrate index (0 free, 15 bad)  F sample rate index (3 reserved)  G padding  H private
 *  I channel mode  J mode extension  K copyright  L original  M emphasis
 * </pre>
 * Frame length in bytes: Layer I {@code (12 * bitrate / rate + padding) * 4}; Layer II {@code 144 * bitrate / rate
 * + padding}; Layer III {@code 144 * bitrate / rate + padding} on MPEG-1 and {@code 72 * bitrate / rate + padding}
 * on MPEG-2/2.5.
 * <p>
 * Pitfalls: every accessor other than {@link #check(int)} assumes a header that {@link #isValid(int)} accepted.
 */
public final class MpegAudioHeader
{
    /**
     * Bytes in the header itself.
     */
    public static final int HEADER_LENGTH = 4;

    /**
     * Bytes of the optional CRC that follows the header when the protection bit is 0.
     */
    public static final int CRC_LENGTH = 2;

    /**
     * Longest frame any valid (non free-format) header describes: MPEG-2 Layer II, 160 kb/s at 8 kHz, padded.
     */
    public static final int MAX_FRAME_LENGTH = 2881;

    private static final int[][] BITRATES_KBPS =
    {
        // MPEG-1 Layer I, II, III
        {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448, -1},
        {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, -1},
        {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, -1},
        // MPEG-2 and 2.5 Layer I, II, III
        {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256, -1},
        {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, -1},
        {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, -1},
    };

    private static final int[][] SAMPLE_RATES_HZ =
    {
        {11025, 12000, 8000, -1},
        {-1, -1, -1, -1},
        {22050, 24000, 16000, -1},
        {44100, 48000, 32000, -1},
    };

    private static final MpegVersion[] VERSIONS = {MpegVersion.MPEG_2_5, null, MpegVersion.MPEG_2, MpegVersion.MPEG_1};

    private MpegAudioHeader()
    {
    }

    /**
     * Reads the four header bytes at {@code offset}, big-endian.
     *
     * @param buffer holding the frame.
     * @param offset of the frame's first byte.
     * @return the header as an int, for the other accessors.
     */
    public static int read(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Checks a header and names the first reason it is unusable.
     *
     * @param header as returned by {@link #read(DirectBuffer, int)}.
     * @return {@link HeaderStatus#VALID} or the reason; free format gives {@link HeaderStatus#FREE_FORMAT_UNSUPPORTED}.
     */
    public static HeaderStatus check(final int header)
    {
        if ((header & 0xFFE00000) != 0xFFE00000)
        {
            return HeaderStatus.NO_SYNC;
        }
        if (versionBits(header) == 1)
        {
            return HeaderStatus.RESERVED_VERSION;
        }
        if (layerBits(header) == 0)
        {
            return HeaderStatus.RESERVED_LAYER;
        }
        final int bitrateIndex = bitrateIndex(header);
        if (bitrateIndex == 0)
        {
            return HeaderStatus.FREE_FORMAT_UNSUPPORTED;
        }
        if (bitrateIndex == 15)
        {
            return HeaderStatus.BAD_BITRATE;
        }
        if (sampleRateIndex(header) == 3)
        {
            return HeaderStatus.RESERVED_SAMPLE_RATE;
        }

        return HeaderStatus.VALID;
    }

    /**
     * @param header to check.
     * @return true when {@link #check(int)} would return {@link HeaderStatus#VALID}.
     */
    public static boolean isValid(final int header)
    {
        return (header & 0xFFE00000) == 0xFFE00000 &&
            versionBits(header) != 1 &&
            layerBits(header) != 0 &&
            bitrateIndex(header) != 0 &&
            bitrateIndex(header) != 15 &&
            sampleRateIndex(header) != 3;
    }

    /**
     * Whether two valid headers can belong to the same stream: same version, layer, sample rate and mono-ness.
     * Bitrate, padding and stereo versus joint stereo may change from frame to frame.
     *
     * @param header one header.
     * @param other  another header.
     * @return true when consistent.
     */
    public static boolean isConsistent(final int header, final int other)
    {
        // version (2), layer (2), sample rate (2) bits
        final int mask = 0x001E0C00;
        return (header & mask) == (other & mask) &&
            ((header & 0xC0) == 0xC0) == ((other & 0xC0) == 0xC0);
    }

    /**
     * @param header a valid header.
     * @return the MPEG version.
     */
    public static MpegVersion version(final int header)
    {
        return VERSIONS[versionBits(header)];
    }

    /**
     * @param header a valid header.
     * @return the layer, 1, 2 or 3.
     */
    public static int layer(final int header)
    {
        return 4 - layerBits(header);
    }

    /**
     * @param header a valid header.
     * @return true when a 16-bit CRC follows the header (protection bit 0).
     */
    public static boolean hasCrc(final int header)
    {
        return (header & 0x00010000) == 0;
    }

    /**
     * @param header a valid header.
     * @return the bitrate index, 1..14.
     */
    public static int bitrateIndex(final int header)
    {
        return (header >>> 12) & 0xF;
    }

    /**
     * @param header a valid header.
     * @return the bitrate in kb/s from the table for its version and layer.
     */
    public static int bitrateKbps(final int header)
    {
        return BITRATES_KBPS[tableRow(header)][bitrateIndex(header)];
    }

    /**
     * @param header a valid header.
     * @return the sample rate index, 0..2.
     */
    public static int sampleRateIndex(final int header)
    {
        return (header >>> 10) & 3;
    }

    /**
     * @param header a valid header.
     * @return the sample rate in Hz.
     */
    public static int sampleRateHz(final int header)
    {
        return SAMPLE_RATES_HZ[versionBits(header)][sampleRateIndex(header)];
    }

    /**
     * @param header a valid header.
     * @return true when the frame carries one padding slot.
     */
    public static boolean isPadded(final int header)
    {
        return (header & 0x200) != 0;
    }

    /**
     * @param header a valid header.
     * @return the channel mode.
     */
    public static ChannelMode channelMode(final int header)
    {
        return ChannelMode.fromHeaderBits(header >>> 6);
    }

    /**
     * @param header a valid header.
     * @return 1 for mono, else 2.
     */
    public static int channels(final int header)
    {
        return (header & 0xC0) == 0xC0 ? 1 : 2;
    }

    /**
     * @param header a valid header.
     * @return the mode extension bits (joint stereo tools).
     */
    public static int modeExtension(final int header)
    {
        return (header >>> 4) & 3;
    }

    /**
     * @param header a valid header.
     * @return the private bit.
     */
    public static boolean isPrivate(final int header)
    {
        return (header & 0x100) != 0;
    }

    /**
     * @param header a valid header.
     * @return the copyright bit.
     */
    public static boolean isCopyright(final int header)
    {
        return (header & 0x8) != 0;
    }

    /**
     * @param header a valid header.
     * @return the original bit.
     */
    public static boolean isOriginal(final int header)
    {
        return (header & 0x4) != 0;
    }

    /**
     * @param header a valid header.
     * @return the emphasis bits (0 none, 1 50/15 µs, 2 reserved, 3 CCITT J.17).
     */
    public static int emphasis(final int header)
    {
        return header & 3;
    }

    /**
     * @param header a valid header.
     * @return PCM samples per channel the frame decodes to: 384 (I), 1152 (II, III MPEG-1), 576 (III MPEG-2/2.5).
     */
    public static int samplesPerFrame(final int header)
    {
        switch (layer(header))
        {
            case 1:
                return 384;
            case 2:
                return 1152;
            default:
                return version(header).layer3SamplesPerFrame();
        }
    }

    /**
     * @param header a valid header.
     * @return the whole frame's length in bytes, header included.
     */
    public static int frameLengthBytes(final int header)
    {
        final int bitrateBps = bitrateKbps(header) * 1000;
        final int sampleRateHz = sampleRateHz(header);
        final int padding = isPadded(header) ? 1 : 0;
        switch (layer(header))
        {
            case 1:
                return (12 * bitrateBps / sampleRateHz + padding) * 4;
            case 2:
                return 144 * bitrateBps / sampleRateHz + padding;
            default:
                return (versionBits(header) == 3 ? 144 : 72) * bitrateBps / sampleRateHz + padding;
        }
    }

    /**
     * @param header a valid header.
     * @return the frame's duration in nanoseconds (rounded down).
     */
    public static long durationNs(final int header)
    {
        return samplesPerFrame(header) * 1_000_000_000L / sampleRateHz(header);
    }

    /**
     * @param header a valid Layer III header.
     * @return bytes of Layer III side information: 17 or 32 on MPEG-1, 9 or 17 on MPEG-2/2.5 (mono or not).
     */
    public static int sideInfoLengthBytes(final int header)
    {
        final boolean mono = channels(header) == 1;
        if (versionBits(header) == 3)
        {
            return mono ? 17 : 32;
        }
        return mono ? 9 : 17;
    }

    /**
     * Reads Layer III {@code main_data_begin}: how many bytes before this frame's side information its main data
     * starts (the bit reservoir). Zero means the frame does not depend on earlier frames' bytes. 9 bits on MPEG-1,
     * 8 bits on MPEG-2/2.5, located after the optional CRC.
     *
     * @param buffer      holding the frame.
     * @param frameOffset of the frame's header; the frame must be at least header + CRC + 2 bytes long.
     * @return the back-pointer in bytes, or -1 when the frame is not Layer III.
     */
    public static int mainDataBegin(final DirectBuffer buffer, final int frameOffset)
    {
        final int header = read(buffer, frameOffset);
        if (layer(header) != 3)
        {
            return -1;
        }

        final int sideInfoOffset = frameOffset + HEADER_LENGTH + (hasCrc(header) ? CRC_LENGTH : 0);
        final int first = buffer.getByte(sideInfoOffset) & 0xFF;
        if (versionBits(header) == 3)
        {
            return (first << 1) | ((buffer.getByte(sideInfoOffset + 1) & 0xFF) >>> 7);
        }
        return first;
    }

    /**
     * Describes a header for logs and CLI output, e.g. {@code MPEG-1 Layer III}.
     *
     * @param header a valid header.
     * @return the description.
     */
    public static String describe(final int header)
    {
        final String version;
        switch (version(header))
        {
            case MPEG_1:
                version = "MPEG-1";
                break;
            case MPEG_2:
                version = "MPEG-2";
                break;
            default:
                version = "MPEG-2.5";
                break;
        }
        final String[] layers = {"", "I", "II", "III"};
        return version + " Layer " + layers[layer(header)];
    }

    /**
     * Looks up the bitrate index for a bitrate, the inverse of {@link #bitrateKbps(int)}.
     *
     * @return the index 1..14, or -1 when the version and layer have no such bitrate.
     */
    static int bitrateIndexOf(final MpegVersion version, final int layer, final int bitrateKbps)
    {
        final int[] row = BITRATES_KBPS[(version == MpegVersion.MPEG_1 ? 0 : 3) + layer - 1];
        for (int i = 1; i < 15; i++)
        {
            if (row[i] == bitrateKbps)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @return the sample rate index 0..2, or -1 when the version has no such rate.
     */
    static int sampleRateIndexOf(final MpegVersion version, final int sampleRateHz)
    {
        final int[] row = SAMPLE_RATES_HZ[version.headerBits()];
        for (int i = 0; i < 3; i++)
        {
            if (row[i] == sampleRateHz)
            {
                return i;
            }
        }
        return -1;
    }

    private static int tableRow(final int header)
    {
        return (versionBits(header) == 3 ? 0 : 3) + layer(header) - 1;
    }

    private static int versionBits(final int header)
    {
        return (header >>> 19) & 3;
    }

    private static int layerBits(final int header)
    {
        return (header >>> 17) & 3;
    }
}
