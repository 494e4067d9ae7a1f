package org.seamcast.codec.audio;

import org.agrona.DirectBuffer;

/**
 * A reusable view of one frame's header, MP3 or ADTS, so callers read stream parameters without knowing the
 * format. The splitter hands the same instance to every callback; {@link #wrap(DirectBuffer, int, int)} lets a
 * receiver of frame bytes (for example from the wire) reuse one of its own.
 */
public final class AudioFrameHeader
{
    private AudioFormat format;
    private int mpegHeader;
    private long adtsHeader;
    private int mainDataBegin = -1;

    /**
     * Points this view at the frame starting at {@code offset}, detecting MP3 or ADTS from its sync bits.
     *
     * @param buffer holding the frame.
     * @param offset of its first byte.
     * @param length bytes available from {@code offset}.
     * @return {@link HeaderStatus#VALID} when the view now describes the frame; otherwise the view is unchanged.
     */
    public HeaderStatus wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 2)
        {
            return HeaderStatus.TRUNCATED;
        }
        final int second = buffer.getByte(offset + 1) & 0xFF;
        if ((buffer.getByte(offset) & 0xFF) != 0xFF || (second & 0xE0) != 0xE0)
        {
            return HeaderStatus.NO_SYNC;
        }

        if ((second & 0xF6) == 0xF0)
        {
            if (length < AdtsHeader.HEADER_LENGTH)
            {
                return HeaderStatus.TRUNCATED;
            }
            final long header = AdtsHeader.read(buffer, offset);
            final HeaderStatus status = AdtsHeader.check(header);
            if (status == HeaderStatus.VALID)
            {
                wrapAdts(header);
            }
            return status;
        }

        if (length < MpegAudioHeader.HEADER_LENGTH)
        {
            return HeaderStatus.TRUNCATED;
        }
        final int header = MpegAudioHeader.read(buffer, offset);
        final HeaderStatus status = MpegAudioHeader.check(header);
        if (status == HeaderStatus.VALID)
        {
            final int needed = MpegAudioHeader.HEADER_LENGTH + (MpegAudioHeader.hasCrc(header) ? 2 : 0) + 2;
            wrapMpeg(header, length >= needed ? MpegAudioHeader.mainDataBegin(buffer, offset) : -1);
        }
        return status;
    }

    void wrapMpeg(final int header, final int mainDataBegin)
    {
        this.format = AudioFormat.MP3;
        this.mpegHeader = header;
        this.adtsHeader = 0;
        this.mainDataBegin = mainDataBegin;
    }

    void wrapAdts(final long header)
    {
        this.format = AudioFormat.ADTS;
        this.mpegHeader = 0;
        this.adtsHeader = header;
        this.mainDataBegin = -1;
    }

    /**
     * @return MP3 or ADTS; null before the first wrap.
     */
    public AudioFormat format()
    {
        return format;
    }

    /**
     * @return the 32-bit MPEG header for {@link MpegAudioHeader}'s accessors; 0 for ADTS.
     */
    public int mpegHeader()
    {
        return mpegHeader;
    }

    /**
     * @return the 56-bit ADTS header for {@link AdtsHeader}'s accessors; 0 for MP3.
     */
    public long adtsHeader()
    {
        return adtsHeader;
    }

    /**
     * @return the whole frame's length in bytes.
     */
    public int frameLengthBytes()
    {
        return format == AudioFormat.MP3 ?
            MpegAudioHeader.frameLengthBytes(mpegHeader) : AdtsHeader.frameLengthBytes(adtsHeader);
    }

    /**
     * @return the sample rate in Hz.
     */
    public int sampleRateHz()
    {
        return format == AudioFormat.MP3 ? MpegAudioHeader.sampleRateHz(mpegHeader) : AdtsHeader.sampleRateHz(adtsHeader);
    }

    /**
     * @return the channel count (ADTS channel configuration 0, defined in-band, gives 0).
     */
    public int channels()
    {
        return format == AudioFormat.MP3 ? MpegAudioHeader.channels(mpegHeader) : AdtsHeader.channels(adtsHeader);
    }

    /**
     * @return PCM samples per channel this frame decodes to.
     */
    public int samplesPerFrame()
    {
        return format == AudioFormat.MP3 ?
            MpegAudioHeader.samplesPerFrame(mpegHeader) : AdtsHeader.samplesPerFrame(adtsHeader);
    }

    /**
     * @return the frame's duration in nanoseconds, rounded down; sum samples instead to avoid drift.
     */
    public long durationNs()
    {
        return samplesPerFrame() * 1_000_000_000L / sampleRateHz();
    }

    /**
     * @return true when the frame carries a CRC after its header.
     */
    public boolean hasCrc()
    {
        return format == AudioFormat.MP3 ? MpegAudioHeader.hasCrc(mpegHeader) : AdtsHeader.hasCrc(adtsHeader);
    }

    /**
     * @return the nominal bitrate in kb/s for MP3; for ADTS the rate this frame's size implies.
     */
    public int bitrateKbps()
    {
        if (format == AudioFormat.MP3)
        {
            return MpegAudioHeader.bitrateKbps(mpegHeader);
        }
        return (int)((long)AdtsHeader.frameLengthBytes(adtsHeader) * 8 * AdtsHeader.sampleRateHz(adtsHeader) /
            (AdtsHeader.samplesPerFrame(adtsHeader) * 1000L));
    }

    /**
     * @return Layer III {@code main_data_begin} in bytes (0: no dependence on earlier frames); -1 when not Layer III.
     */
    public int mainDataBegin()
    {
        return mainDataBegin;
    }

    /**
     * @return true when this frame decodes without bytes from earlier frames (always for ADTS and Layers I/II).
     */
    public boolean isSelfContained()
    {
        return mainDataBegin <= 0;
    }

    /**
     * @return e.g. {@code MPEG-1 Layer III} or {@code AAC-LC}.
     */
    public String describe()
    {
        return format == AudioFormat.MP3 ? MpegAudioHeader.describe(mpegHeader) : AdtsHeader.describe(adtsHeader);
    }

    @Override
    public String toString()
    {
        return null == format ? "AudioFrameHeader{}" :
            "AudioFrameHeader{" + describe() + ", " + sampleRateHz() + " Hz, " + channels() + " ch, " +
            frameLengthBytes() + " bytes, mainDataBegin=" + mainDataBegin + '}';
    }
}
