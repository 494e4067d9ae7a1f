package org.seamcast.codec.audio;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Estimates one frame's loudness from the side information its bitstream already carries, without decoding audio,
 * so an edge can follow the loudness envelope of every encoder of a mount (to align encoders that share no bytes,
 * and to notice dead air) for the cost of reading a few dozen bits per frame.
 * <p>
 * The estimate is the frame's RMS level in dB relative to a full-scale square wave (a full-scale sine reads -3 dB),
 * the convention of ffmpeg's {@code astats}. It is the level of the largest quantiser step times the largest
 * quantised value the Huffman table selection admits:
 * <pre>
 *  MP3 Layer III (MPEG-1: 2 granules, MPEG-2/2.5: 1), per granule and channel of the side information:
 *    part2_3_length(12) big_values(9) global_gain(8) scalefac_compress(4|9) window_switching(1)
 *      window_switching=0: table_select 3 x (5) region0_count(4) region1_count(3)
 *      window_switching=1: block_type(2) mixed(1) table_select 2 x (5) subblock_gain 3 x (3)
 *    preflag(1, MPEG-1 only) scalefac_scale(1) count1table_select(1)
 *
 *    E(granule, channel) = 0                                        when part2_3_length = 0 (nothing coded)
 *                        = 2^((global_gain - 210) / 2) * w * peak^(8/3) otherwise: peak = the largest value the
 *                          selected tables hold (1 for count1-only granules, 15 + 2^linbits - 1 for escape
 *                          tables); w = 1, or for short blocks the mean over the 3 windows of 2^(-4 subblock_gain)
 *    dB(granule) = 10 log10(mean of E over channels) + MP3_CALIBRATION_DB   (SILENCE_DB when nothing is coded)
 *    dB = mean of dB(granule) over the frame's granules (in dB, so that a sound starting in the second granule
 *         of an MPEG-1 frame raises the frame half way, not all the way)
 *
 *  ADTS AAC-LC (one raw_data_block; FIL and DSE elements before the first channel element are skipped):
 *    SCE: id(3)=0 tag(4) | global_gain(8) ics_info section_data ...
 *    CPE: id(3)=1 tag(4) common_window(1) [ics_info ms_mask_present(2) [ms_used]] | global_gain(8) [ics_info]
 *         section_data ...            (the first channel only)
 *    ics_info: reserved(1) window_sequence(2) window_shape(1) then max_sfb(6) predictor_data_present(1),
 *              or for eight short windows max_sfb(4) scale_factor_grouping(7)
 *    section_data: per window group, until max_sfb bands are covered: sect_cb(4), sect_len in 5-bit (long) or
 *                  3-bit (short) increments, an all-ones increment continuing
 *
 *    dB = 1.5 * (global_gain - 100) + 20 log10(peak^(4/3)) + AAC_CALIBRATION_DB, peak = the largest value the
 *         section codebooks hold (16 for the escape codebook); {@link #SILENCE_DB} when no band is coded
 * </pre>
 * Accuracy (measured by {@code FrameLoudnessCalibrationTest}, see docs/codec.md): for LAME MP3 the frame
 * estimate follows the level one for one; its offset depends on the material (tones read a few dB low, noise a
 * few dB high) and on the encoder's settings. With ffmpeg's AAC encoder {@code global_gain} follows the level of
 * broadband material but not of pure tones: AAC estimates are an envelope to correlate, not a meter. Digital
 * silence reads {@link #SILENCE_DB} in both formats. {@link #estimateLagUs} says when the audio an estimate
 * describes plays, for lining up envelopes of different formats.
 * <p>
 * Pitfalls: {@link #NO_ESTIMATE} is NaN, so test it with {@link #isEstimate(double)}, never with {@code ==}.
 * Scale factors are not read (in MP3 they may sit in earlier frames' bytes; in AAC they are Huffman coded), which
 * is what limits the accuracy. Stateless and allocation-free: safe to call from any thread.
 */
public final class FrameLoudness
{
    /**
     * Returned when the frame gives no estimate: Layers I and II, free format, AAC profiles other than LC, several
     * raw data blocks, a first element other than SCE or CPE, a frame shorter than its header says, or side
     * information that no encoder writes. NaN: test with {@link #isEstimate(double)}.
     */
    public static final double NO_ESTIMATE = Double.NaN;

    /**
     * Digital silence (nothing coded), and the floor of every estimate.
     */
    public static final double SILENCE_DB = -120.0;

    /**
     * Ceiling of every estimate, so garbage that passes as side information cannot dominate an envelope.
     */
    public static final double MAX_DB = 20.0;

    /**
     * Added to the MP3 formula so that a LAME encoding reads its RMS level (fitted on tones, noise, speech).
     */
    public static final double MP3_CALIBRATION_DB = -5.0;

    /**
     * Added to the AAC formula so that ffmpeg's AAC encoder reads its RMS level on program material.
     */
    public static final double AAC_CALIBRATION_DB = -135.0;

    /**
     * Layer III: the audio a frame's side information describes leaves a decoder this many samples after the frame's
     * own place in the decoded stream (the decoder delay of the synthesis filterbank and overlap).
     */
    public static final int MP3_ESTIMATE_LAG_SAMPLES = 529;

    /**
     * MPEG-1 Layer III frames carry two granules and the estimate follows the louder one, so it rises a granule early
     * on an onset: measured against MPEG-2 and AAC encodings, MPEG-1 estimates lag by one granule more.
     */
    public static final int MPEG1_EXTRA_LAG_SAMPLES = 288;

    /**
     * AAC: a frame's spectrum covers two frames of output by overlap-add, so the audio it describes is centred half
     * a frame after the frame's own place in the decoded stream.
     */
    public static final int AAC_ESTIMATE_LAG_SAMPLES = 512;

    /**
     * Decibels per step of a {@code global_gain}: a step is a factor 2^(1/4) in amplitude.
     */
    static final double DB_PER_GAIN_STEP = 20.0 * Math.log10(2.0) / 4.0;

    // Bit positions are ints: frames must start where offset * 8 plus a whole frame cannot overflow.
    private static final int MAX_FRAME_OFFSET = Integer.MAX_VALUE / 8 - AdtsHeader.MAX_FRAME_LENGTH - 8;

    private static final int MP3_GAIN_OFFSET = 210;
    private static final int AAC_GAIN_OFFSET = 100;

    private static final int MAX_LONG_WINDOW_BANDS = 51;
    private static final int MAX_SHORT_WINDOW_BANDS = 15;
    private static final int EIGHT_SHORT_SEQUENCE = 2;
    private static final int MAX_ELEMENTS_BEFORE_AUDIO = 8;

    private static final int ID_SCE = 0;
    private static final int ID_CPE = 1;
    private static final int ID_DSE = 4;
    private static final int ID_FIL = 6;

    private static final int ZERO_CODEBOOK = 0;
    private static final int RESERVED_CODEBOOK = 12;
    private static final int NOISE_CODEBOOK = 13;

    // Largest absolute value each Layer III Huffman table codes (ISO/IEC 11172-3 annex B): tables 1..15 by their
    // size, 16..31 as 15 + 2^linbits - 1. Tables 4 and 14 do not exist and read 0.
    private static final int[] MP3_TABLE_PEAK =
    {
        0, 1, 2, 2, 0, 3, 3, 5, 5, 5, 7, 7, 7, 15, 0, 15,
        16, 18, 22, 30, 78, 270, 1038, 8206,
        30, 46, 78, 142, 270, 526, 2062, 8206
    };

    // Largest absolute value each AAC spectral codebook codes (ISO/IEC 14496-3 4.6.3); 16 stands for an escape.
    private static final int SHORT_BLOCK_TYPE = 2;

    // A short window's step is 2^(-2 * subblock_gain) of the granule's: its energy 2^(-4 * subblock_gain).
    private static final double[] SUBBLOCK_GAIN_ENERGY = new double[8];

    private static final int[] AAC_CODEBOOK_PEAK = {0, 1, 1, 2, 2, 4, 4, 7, 7, 12, 12, 16};

    private static final double[] MP3_GAIN_ENERGY = new double[256];
    private static final double[] MP3_TABLE_PEAK_ENERGY = new double[MP3_TABLE_PEAK.length];
    private static final double[] AAC_CODEBOOK_PEAK_DB = new double[AAC_CODEBOOK_PEAK.length];

    static
    {
        for (int gain = 0; gain < MP3_GAIN_ENERGY.length; gain++)
        {
            MP3_GAIN_ENERGY[gain] = Math.pow(2.0, (gain - MP3_GAIN_OFFSET) / 2.0);
        }
        for (int table = 0; table < MP3_TABLE_PEAK.length; table++)
        {
            MP3_TABLE_PEAK_ENERGY[table] = Math.pow(Math.max(1, MP3_TABLE_PEAK[table]), 8.0 / 3.0);
        }
        for (int gain = 0; gain < SUBBLOCK_GAIN_ENERGY.length; gain++)
        {
            SUBBLOCK_GAIN_ENERGY[gain] = Math.pow(2.0, -4.0 * gain);
        }
        for (int codebook = 0; codebook < AAC_CODEBOOK_PEAK.length; codebook++)
        {
            AAC_CODEBOOK_PEAK_DB[codebook] = codebook == 0 ?
                Double.NEGATIVE_INFINITY : 20.0 * Math.log10(Math.pow(AAC_CODEBOOK_PEAK[codebook], 4.0 / 3.0));
        }
    }

    private FrameLoudness()
    {
    }

    /**
     * @param loudnessDb a value returned by {@link #loudnessDb(DirectBuffer, int, int)}.
     * @return false for {@link #NO_ESTIMATE}.
     */
    public static boolean isEstimate(final double loudnessDb)
    {
        return !Double.isNaN(loudnessDb);
    }

    /**
     * Estimates the loudness of the MP3 or ADTS frame at {@code offset}, telling the format from its sync bits.
     *
     * @param buffer holding the frame.
     * @param offset of the frame's first header byte.
     * @param length bytes of the frame available from {@code offset} (at least its header's frame length).
     * @return dB relative to full scale in [{@link #SILENCE_DB}, {@link #MAX_DB}], or {@link #NO_ESTIMATE}.
     */
    public static double loudnessDb(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 2 || (long)offset + length > buffer.capacity() || offset > MAX_FRAME_OFFSET)
        {
            return NO_ESTIMATE;
        }
        final int first = buffer.getByte(offset) & 0xFF;
        final int second = buffer.getByte(offset + 1) & 0xFF;
        if (first != 0xFF || (second & 0xE0) != 0xE0)
        {
            return NO_ESTIMATE;
        }
        return (second & 0xF6) == 0xF0 ? adtsLoudnessDb(buffer, offset, length) : mp3LoudnessDb(buffer, offset, length);
    }

    /**
     * How much later than the frame's own timestamp the audio its estimate describes plays: add it to the timestamp
     * before correlating envelopes of different formats, so that an MP3 and an AAC encoder of the same audio line up
     * on what a listener hears.
     *
     * @param buffer holding the frame.
     * @param offset of the frame's first header byte.
     * @param length bytes of the frame available from {@code offset}.
     * @return the lag in µs; 0 when the frame is neither Layer III nor ADTS.
     */
    public static long estimateLagUs(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < MpegAudioHeader.HEADER_LENGTH || (long)offset + length > buffer.capacity() ||
            offset > MAX_FRAME_OFFSET)
        {
            return 0;
        }
        final int second = buffer.getByte(offset + 1) & 0xFF;
        if ((buffer.getByte(offset) & 0xFF) != 0xFF || (second & 0xE0) != 0xE0)
        {
            return 0;
        }
        if ((second & 0xF6) == 0xF0)
        {
            if (length < AdtsHeader.HEADER_LENGTH)
            {
                return 0;
            }
            final long header = AdtsHeader.read(buffer, offset);
            return AdtsHeader.isValid(header) ?
                AAC_ESTIMATE_LAG_SAMPLES * 1_000_000L / AdtsHeader.sampleRateHz(header) : 0;
        }
        final int header = MpegAudioHeader.read(buffer, offset);
        if (!MpegAudioHeader.isValid(header) || MpegAudioHeader.layer(header) != 3)
        {
            return 0;
        }
        final int lagSamples = MP3_ESTIMATE_LAG_SAMPLES +
            (MpegAudioHeader.version(header) == MpegVersion.MPEG_1 ? MPEG1_EXTRA_LAG_SAMPLES : 0);
        return lagSamples * 1_000_000L / MpegAudioHeader.sampleRateHz(header);
    }

    private static double mp3LoudnessDb(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MpegAudioHeader.HEADER_LENGTH)
        {
            return NO_ESTIMATE;
        }
        final int header = MpegAudioHeader.read(buffer, offset);
        if (!MpegAudioHeader.isValid(header) || MpegAudioHeader.layer(header) != 3 ||
            length < MpegAudioHeader.frameLengthBytes(header))
        {
            return NO_ESTIMATE;
        }

        final boolean mpeg1 = MpegAudioHeader.version(header) == MpegVersion.MPEG_1;
        final int channels = MpegAudioHeader.channels(header);
        final int sideInfoOffset = offset + MpegAudioHeader.HEADER_LENGTH +
            (MpegAudioHeader.hasCrc(header) ? MpegAudioHeader.CRC_LENGTH : 0);
        final int limit = offset + MpegAudioHeader.frameLengthBytes(header);
        if (sideInfoOffset + MpegAudioHeader.sideInfoLengthBytes(header) > limit ||
            isVbrInfoFrame(buffer, offset, sideInfoOffset + MpegAudioHeader.sideInfoLengthBytes(header), limit))
        {
            return NO_ESTIMATE;
        }

        int bit = sideInfoOffset * 8 +
            (mpeg1 ? 9 + (channels == 1 ? 5 : 3) + 4 * channels : 8 + (channels == 1 ? 1 : 2));
        final int granules = mpeg1 ? 2 : 1;
        double codedEnergyProduct = 1.0;
        int codedGranules = 0;
        for (int granule = 0; granule < granules; granule++)
        {
            double energy = 0.0;
            for (int channel = 0; channel < channels; channel++)
            {
                final int part23Length = BitField.read(buffer, bit, 12, limit);
                final int bigValues = BitField.read(buffer, bit + 12, 9, limit);
                final int globalGain = BitField.read(buffer, bit + 21, 8, limit);
                bit += 29 + (mpeg1 ? 4 : 9);
                final boolean windowSwitching = BitField.read(buffer, bit, 1, limit) == 1;
                bit += 1;
                final int tables;
                double windowGain = 1.0;
                if (windowSwitching)
                {
                    final boolean shortBlocks = BitField.read(buffer, bit, 2, limit) == SHORT_BLOCK_TYPE;
                    tables = BitField.read(buffer, bit + 3, 10, limit) << 5;
                    if (shortBlocks)
                    {
                        final int subblockGains = BitField.read(buffer, bit + 13, 9, limit);
                        windowGain = (SUBBLOCK_GAIN_ENERGY[subblockGains >>> 6] +
                            SUBBLOCK_GAIN_ENERGY[(subblockGains >>> 3) & 7] +
                            SUBBLOCK_GAIN_ENERGY[subblockGains & 7]) / 3.0;
                    }
                    bit += 3 + 10 + 9;
                }
                else
                {
                    tables = BitField.read(buffer, bit, 15, limit);
                    bit += 15 + 4 + 3;
                }
                bit += mpeg1 ? 3 : 2;

                if (part23Length != 0)
                {
                    double peakEnergy = 1.0;
                    if (bigValues != 0)
                    {
                        peakEnergy = Math.max(peakEnergy, Math.max(
                            MP3_TABLE_PEAK_ENERGY[tables >>> 10],
                            Math.max(MP3_TABLE_PEAK_ENERGY[(tables >>> 5) & 31], MP3_TABLE_PEAK_ENERGY[tables & 31])));
                    }
                    energy += MP3_GAIN_ENERGY[globalGain] * windowGain * peakEnergy;
                }
            }
            if (energy != 0.0)
            {
                codedEnergyProduct *= energy / channels;
                codedGranules++;
            }
        }
        if (codedGranules == 0)
        {
            return SILENCE_DB;
        }
        final double codedDb = clamp(10.0 * Math.log10(codedEnergyProduct) / codedGranules + MP3_CALIBRATION_DB);
        return (codedDb * codedGranules + SILENCE_DB * (granules - codedGranules)) / granules;
    }

    private static boolean isVbrInfoFrame(
        final DirectBuffer buffer, final int frameOffset, final int afterSideInfo, final int limit)
    {
        if (afterSideInfo + 4 <= limit)
        {
            final int tag = buffer.getInt(afterSideInfo, ByteOrder.BIG_ENDIAN);
            if (tag == 0x58696E67 || tag == 0x496E666F)
            {
                return true;
            }
        }
        return frameOffset + 40 <= limit &&
            buffer.getInt(frameOffset + 36, ByteOrder.BIG_ENDIAN) == 0x56425249;
    }

    private static double adtsLoudnessDb(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < AdtsHeader.HEADER_LENGTH)
        {
            return NO_ESTIMATE;
        }
        final long header = AdtsHeader.read(buffer, offset);
        if (!AdtsHeader.isValid(header) || AdtsHeader.profile(header) != AdtsHeader.PROFILE_AAC_LC ||
            AdtsHeader.rawDataBlocks(header) != 1 || length < AdtsHeader.frameLengthBytes(header))
        {
            return NO_ESTIMATE;
        }

        final int limit = offset + AdtsHeader.frameLengthBytes(header);
        final int limitBit = limit * 8;
        int bit = (offset + AdtsHeader.headerLengthBytes(header)) * 8;
        for (int element = 0; element < MAX_ELEMENTS_BEFORE_AUDIO; element++)
        {
            final int id = BitField.read(buffer, bit, 3, limit);
            bit += 3;
            if (id == ID_FIL)
            {
                int count = BitField.read(buffer, bit, 4, limit);
                bit += 4;
                if (count == 15)
                {
                    count += BitField.read(buffer, bit, 8, limit) - 1;
                    bit += 8;
                }
                bit += 8 * count;
            }
            else if (id == ID_DSE)
            {
                final boolean byteAlign = BitField.read(buffer, bit + 4, 1, limit) == 1;
                int count = BitField.read(buffer, bit + 5, 8, limit);
                bit += 13;
                if (count == 255)
                {
                    count += BitField.read(buffer, bit, 8, limit);
                    bit += 8;
                }
                if (byteAlign)
                {
                    bit = (bit + 7) & ~7;
                }
                bit += 8 * count;
            }
            else if (id == ID_SCE || id == ID_CPE)
            {
                return channelStreamLoudnessDb(buffer, bit + 4, id == ID_CPE, limit);
            }
            else
            {
                return NO_ESTIMATE;
            }
            if (bit > limitBit)
            {
                return NO_ESTIMATE;
            }
        }
        return NO_ESTIMATE;
    }

    /**
     * Reads the first individual_channel_stream of an SCE or CPE whose element id and tag end before {@code bit}.
     */
    private static double channelStreamLoudnessDb(
        final DirectBuffer buffer, final int elementBit, final boolean pair, final int limit)
    {
        int bit = elementBit;
        int windowSequence = 0;
        int maxSfb = 0;
        int windowGroups = 1;
        boolean commonWindow = false;
        if (pair)
        {
            commonWindow = BitField.read(buffer, bit, 1, limit) == 1;
            bit += 1;
            if (commonWindow)
            {
                final long info = icsInfo(buffer, bit, limit);
                if (info < 0)
                {
                    return NO_ESTIMATE;
                }
                bit = (int)(info >>> 32);
                windowSequence = (int)(info >>> 16) & 3;
                maxSfb = (int)(info >>> 8) & 0xFF;
                windowGroups = (int)info & 0xFF;
                final int msMaskPresent = BitField.read(buffer, bit, 2, limit);
                bit += 2;
                if (msMaskPresent == 3)
                {
                    return NO_ESTIMATE;
                }
                if (msMaskPresent == 1)
                {
                    bit += windowGroups * maxSfb;
                }
            }
        }

        final int globalGain = BitField.read(buffer, bit, 8, limit);
        bit += 8;
        if (!commonWindow)
        {
            final long info = icsInfo(buffer, bit, limit);
            if (info < 0)
            {
                return NO_ESTIMATE;
            }
            bit = (int)(info >>> 32);
            windowSequence = (int)(info >>> 16) & 3;
            maxSfb = (int)(info >>> 8) & 0xFF;
            windowGroups = (int)info & 0xFF;
        }

        final int lengthBits = windowSequence == EIGHT_SHORT_SEQUENCE ? 3 : 5;
        final int escape = (1 << lengthBits) - 1;
        final int limitBit = limit * 8;
        int peakCodebook = ZERO_CODEBOOK;
        boolean noise = false;
        for (int group = 0; group < windowGroups; group++)
        {
            int band = 0;
            while (band < maxSfb)
            {
                if (bit + 4 + lengthBits > limitBit)
                {
                    return NO_ESTIMATE;
                }
                final int codebook = BitField.read(buffer, bit, 4, limit);
                bit += 4;
                int sectionLength = 0;
                int increment;
                do
                {
                    if (bit + lengthBits > limitBit)
                    {
                        return NO_ESTIMATE;
                    }
                    increment = BitField.read(buffer, bit, lengthBits, limit);
                    bit += lengthBits;
                    sectionLength += increment;
                }
                while (increment == escape);

                band += sectionLength;
                if (codebook == RESERVED_CODEBOOK || sectionLength == 0 || band > maxSfb)
                {
                    return NO_ESTIMATE;
                }
                if (codebook < RESERVED_CODEBOOK)
                {
                    peakCodebook = AAC_CODEBOOK_PEAK[codebook] > AAC_CODEBOOK_PEAK[peakCodebook] ?
                        codebook : peakCodebook;
                }
                else if (codebook == NOISE_CODEBOOK)
                {
                    noise = true;
                }
            }
        }

        if (peakCodebook == ZERO_CODEBOOK)
        {
            if (!noise)
            {
                return SILENCE_DB;
            }
            peakCodebook = 1;
        }
        return clamp((globalGain - AAC_GAIN_OFFSET) * DB_PER_GAIN_STEP + AAC_CODEBOOK_PEAK_DB[peakCodebook] +
            AAC_CALIBRATION_DB);
    }

    /**
     * Reads ics_info at {@code bit}.
     *
     * @return -1 when impossible for AAC-LC, else the bit after it (bits 63..32), window_sequence (17..16),
     * max_sfb (15..8) and the number of window groups (7..0).
     */
    private static long icsInfo(final DirectBuffer buffer, final int bit, final int limit)
    {
        final int reserved = BitField.read(buffer, bit, 1, limit);
        final int windowSequence = BitField.read(buffer, bit + 1, 2, limit);
        int next = bit + 4;
        final int maxSfb;
        int windowGroups = 1;
        if (windowSequence == EIGHT_SHORT_SEQUENCE)
        {
            maxSfb = BitField.read(buffer, next, 4, limit);
            final int grouping = BitField.read(buffer, next + 4, 7, limit);
            next += 11;
            windowGroups += 7 - Integer.bitCount(grouping);
            if (maxSfb > MAX_SHORT_WINDOW_BANDS)
            {
                return -1;
            }
        }
        else
        {
            maxSfb = BitField.read(buffer, next, 6, limit);
            final int predictorDataPresent = BitField.read(buffer, next + 6, 1, limit);
            next += 7;
            if (maxSfb > MAX_LONG_WINDOW_BANDS || predictorDataPresent != 0)
            {
                return -1;
            }
        }
        if (reserved != 0 || next > limit * 8)
        {
            return -1;
        }
        return ((long)next << 32) | ((long)windowSequence << 16) | ((long)maxSfb << 8) | windowGroups;
    }

    private static double clamp(final double db)
    {
        return Math.max(SILENCE_DB, Math.min(MAX_DB, db));
    }
}
