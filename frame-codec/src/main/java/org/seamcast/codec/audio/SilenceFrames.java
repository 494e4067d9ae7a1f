package org.seamcast.codec.audio;

import org.agrona.MutableDirectBuffer;

/**
 * Writes frames that decode to digital silence, in a live stream's own format, for an edge's fallback when every
 * encoder is gone.
 * <ul>
 *   <li>MP3: a Layer III header without CRC, all-zero side information ({@code main_data_begin} 0, so the frame
 *   depends on no earlier frame; {@code part2_3_length} 0 and global gain 0) and all-zero main data.</li>
 *   <li>ADTS AAC-LC: one raw_data_block with one element per channel element of the configuration (SCE, CPE, LFE),
 *   each an individual_channel_stream with a long window and {@code max_sfb} 0, so no spectral data, then END.</li>
 * </ul>
 * Pitfalls: a real frame that follows silence may have {@code main_data_begin > 0} and reach back into the silence
 * frames' zero bytes; prefer resuming at a frame with {@code main_data_begin == 0}.
 */
public final class SilenceFrames
{
    /**
     * Longest ADTS silence frame: header plus configuration 7 (SCE, 3 × CPE, LFE).
     */
    public static final int MAX_ADTS_SILENCE_LENGTH = AdtsHeader.HEADER_LENGTH + 28;
    /**
     * Longest silence frame of any stream: Layer III at its highest bitrate per sample (MPEG-1 320 kb/s at 32 kHz,
     * or MPEG-2.5 160 kb/s at 8 kHz) with room for padding, longer than any ADTS one.
     */
    public static final int MAX_LENGTH = 1441;

    private static final int ID_SCE = 0;
    private static final int ID_CPE = 1;
    private static final int ID_LFE = 3;
    private static final int ID_END = 7;

    // Elements per channel_configuration 1..7 (ISO/IEC 14496-3 table 1.19).
    private static final int[][] CHANNEL_ELEMENTS =
    {
        {},
        {ID_SCE},
        {ID_CPE},
        {ID_SCE, ID_CPE},
        {ID_SCE, ID_CPE, ID_SCE},
        {ID_SCE, ID_CPE, ID_CPE},
        {ID_SCE, ID_CPE, ID_CPE, ID_LFE},
        {ID_SCE, ID_CPE, ID_CPE, ID_CPE, ID_LFE},
    };

    private SilenceFrames()
    {
    }

    /**
     * Length of the MP3 silence frame {@link #writeMp3} writes for these parameters.
     *
     * @param version      MPEG version.
     * @param sampleRateHz a rate of that version.
     * @param bitrateKbps  a Layer III bitrate of that version.
     * @return the frame length in bytes.
     */
    public static int mp3FrameLength(final MpegVersion version, final int sampleRateHz, final int bitrateKbps)
    {
        return MpegAudioHeader.frameLengthBytes(mp3Header(version, sampleRateHz, ChannelMode.STEREO, bitrateKbps));
    }

    /**
     * Writes one MPEG Layer III frame of silence.
     *
     * @param version      MPEG version of the stream.
     * @param sampleRateHz sample rate of the stream; must belong to the version.
     * @param channelMode  channel mode of the stream (mono or not decides the side information length).
     * @param bitrateKbps  bitrate of the stream; must be in the version's Layer III table.
     * @param dst          buffer to write to.
     * @param offset       where the frame starts.
     * @return the frame length written.
     */
    public static int writeMp3(
        final MpegVersion version,
        final int sampleRateHz,
        final ChannelMode channelMode,
        final int bitrateKbps,
        final MutableDirectBuffer dst,
        final int offset)
    {
        final int header = mp3Header(version, sampleRateHz, channelMode, bitrateKbps);
        final int length = MpegAudioHeader.frameLengthBytes(header);
        checkCapacity(dst, offset, length);
        dst.setMemory(offset, length, (byte)0);
        dst.putInt(offset, header, java.nio.ByteOrder.BIG_ENDIAN);
        return length;
    }

    /**
     * Writes one ADTS AAC frame of silence (one raw data block, 1024 samples).
     *
     * @param profile                ADTS profile: 1 (AAC-LC) or 0 (AAC Main), whose syntax for silence is the same.
     * @param samplingFrequencyIndex 0..12.
     * @param channelConfiguration   1..7.
     * @param dst                    buffer to write to.
     * @param offset                 where the frame starts.
     * @return the frame length written.
     */
    public static int writeAdts(
        final int profile,
        final int samplingFrequencyIndex,
        final int channelConfiguration,
        final MutableDirectBuffer dst,
        final int offset)
    {
        if (profile != AdtsHeader.PROFILE_AAC_LC && profile != 0)
        {
            throw new IllegalArgumentException("ADTS profile=" + profile + " unsupported: silence needs 0 (Main) or 1 (LC)");
        }
        if (AdtsHeader.sampleRateHzOfIndex(samplingFrequencyIndex) < 0)
        {
            throw new IllegalArgumentException(
                "samplingFrequencyIndex=" + samplingFrequencyIndex + " outside 0..12");
        }
        if (channelConfiguration < 1 || channelConfiguration > 7)
        {
            throw new IllegalArgumentException("channelConfiguration=" + channelConfiguration + " outside 1..7");
        }

        final int[] elements = CHANNEL_ELEMENTS[channelConfiguration];
        int bits = 3;
        for (final int element : elements)
        {
            bits += element == ID_CPE ? 52 : 29;
        }
        final int length = AdtsHeader.HEADER_LENGTH + (bits + 7) / 8;
        checkCapacity(dst, offset, length);
        dst.setMemory(offset, length, (byte)0);

        int bit = 0;
        bit = putBits(dst, offset, bit, 0xFFF, 12);
        bit = putBits(dst, offset, bit, 0, 1);                      // ID: MPEG-4
        bit = putBits(dst, offset, bit, 0, 2);                      // layer
        bit = putBits(dst, offset, bit, 1, 1);                      // protection_absent
        bit = putBits(dst, offset, bit, profile, 2);
        bit = putBits(dst, offset, bit, samplingFrequencyIndex, 4);
        bit = putBits(dst, offset, bit, 0, 1);                      // private
        bit = putBits(dst, offset, bit, channelConfiguration, 3);
        bit = putBits(dst, offset, bit, 0, 4);                      // original, home, copyright id bit and start
        bit = putBits(dst, offset, bit, length, 13);
        bit = putBits(dst, offset, bit, 0x7FF, 11);                 // buffer fullness: VBR
        bit = putBits(dst, offset, bit, 0, 2);                      // one raw data block

        int sceTag = 0;
        int cpeTag = 0;
        int lfeTag = 0;
        for (final int element : elements)
        {
            bit = putBits(dst, offset, bit, element, 3);
            if (element == ID_CPE)
            {
                bit = putBits(dst, offset, bit, cpeTag++, 4);
                bit = putBits(dst, offset, bit, 0, 1);              // common_window
                bit = putSilentChannelStream(dst, offset, bit);
                bit = putSilentChannelStream(dst, offset, bit);
            }
            else
            {
                bit = putBits(dst, offset, bit, element == ID_SCE ? sceTag++ : lfeTag++, 4);
                bit = putSilentChannelStream(dst, offset, bit);
            }
        }
        putBits(dst, offset, bit, ID_END, 3);

        return length;
    }

    /**
     * Writes a silence frame matching the stream a header came from (its bitrate, for MP3).
     *
     * @param header of a frame of the stream.
     * @param dst    buffer to write to.
     * @param offset where the frame starts.
     * @return the frame length written.
     */
    public static int writeLike(final AudioFrameHeader header, final MutableDirectBuffer dst, final int offset)
    {
        if (header.format() == AudioFormat.MP3)
        {
            final int mpegHeader = header.mpegHeader();
            if (MpegAudioHeader.layer(mpegHeader) != 3)
            {
                throw new IllegalArgumentException("layer=" + MpegAudioHeader.layer(mpegHeader) +
                    " unsupported: MP3 silence frames are Layer III");
            }
            return writeMp3(
                MpegAudioHeader.version(mpegHeader),
                MpegAudioHeader.sampleRateHz(mpegHeader),
                MpegAudioHeader.channelMode(mpegHeader),
                MpegAudioHeader.bitrateKbps(mpegHeader),
                dst,
                offset);
        }
        if (header.format() == AudioFormat.ADTS)
        {
            final long adtsHeader = header.adtsHeader();
            return writeAdts(
                AdtsHeader.profile(adtsHeader),
                AdtsHeader.samplingFrequencyIndex(adtsHeader),
                AdtsHeader.channelConfiguration(adtsHeader),
                dst,
                offset);
        }
        throw new IllegalArgumentException("header wraps no frame");
    }

    private static int mp3Header(
        final MpegVersion version, final int sampleRateHz, final ChannelMode channelMode, final int bitrateKbps)
    {
        final int sampleRateIndex = MpegAudioHeader.sampleRateIndexOf(version, sampleRateHz);
        if (sampleRateIndex < 0)
        {
            throw new IllegalArgumentException("sampleRateHz=" + sampleRateHz + " not defined for " + version);
        }
        final int bitrateIndex = MpegAudioHeader.bitrateIndexOf(version, 3, bitrateKbps);
        if (bitrateIndex < 0)
        {
            throw new IllegalArgumentException("bitrateKbps=" + bitrateKbps + " not in the Layer III table of " + version);
        }

        return 0xFFE00000 |
            version.headerBits() << 19 |
            1 << 17 |                       // Layer III
            1 << 16 |                       // no CRC
            bitrateIndex << 12 |
            sampleRateIndex << 10 |
            channelMode.ordinal() << 6 |
            1 << 2;                         // original
    }

    /**
     * individual_channel_stream for silence: global_gain, ics_info (long window, max_sfb 0, no prediction), no
     * pulse, TNS or gain control data. 22 bits.
     */
    private static int putSilentChannelStream(final MutableDirectBuffer dst, final int offset, final int bit)
    {
        int b = putBits(dst, offset, bit, 100, 8);  // global_gain: unused without bands
        b = putBits(dst, offset, b, 0, 1);          // ics_reserved_bit
        b = putBits(dst, offset, b, 0, 2);          // window_sequence ONLY_LONG_SEQUENCE
        b = putBits(dst, offset, b, 0, 1);          // window_shape
        b = putBits(dst, offset, b, 0, 6);          // max_sfb
        b = putBits(dst, offset, b, 0, 1);          // predictor_data_present
        b = putBits(dst, offset, b, 0, 1);          // pulse_data_present
        b = putBits(dst, offset, b, 0, 1);          // tns_data_present
        return putBits(dst, offset, b, 0, 1);       // gain_control_data_present
    }

    /**
     * Writes {@code count} bits of {@code value}, most significant first, into zeroed bytes.
     */
    private static int putBits(final MutableDirectBuffer dst, final int offset, final int bit, final int value, final int count)
    {
        for (int i = count - 1; i >= 0; i--)
        {
            if (((value >>> i) & 1) != 0)
            {
                final int index = offset + ((bit + count - 1 - i) >>> 3);
                final int mask = 0x80 >>> ((bit + count - 1 - i) & 7);
                dst.putByte(index, (byte)(dst.getByte(index) | mask));
            }
        }
        return bit + count;
    }

    private static void checkCapacity(final MutableDirectBuffer dst, final int offset, final int length)
    {
        if (offset < 0 || offset > dst.capacity() - length)
        {
            throw new IndexOutOfBoundsException(
                "offset=" + offset + " + frame length=" + length + " > capacity=" + dst.capacity());
        }
    }
}
