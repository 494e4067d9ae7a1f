package org.seamcast.codec.protocol;

/**
 * The audio framing a FRAME or ANNOUNCE carries, with its wire code.
 */
public enum CodecType
{
    /** MPEG audio (Layer I/II/III) frames; content type {@code audio/mpeg}. */
    MP3(1),
    /** AAC in ADTS frames; content type {@code audio/aac}. */
    ADTS(2);

    private final int code;

    CodecType(final int code)
    {
        this.code = code;
    }

    /**
     * @return the codec byte on the wire.
     */
    public int code()
    {
        return code;
    }

    /**
     * @param code a codec byte.
     * @return the codec, or null when unknown.
     */
    public static CodecType fromCode(final int code)
    {
        switch (code)
        {
            case 1:
                return MP3;
            case 2:
                return ADTS;
            default:
                return null;
        }
    }

    /**
     * Whether a sample rate is one this codec's frame headers can express.
     *
     * @param sampleRate in Hz.
     * @return true when valid for this codec.
     */
    public boolean isValidSampleRate(final int sampleRate)
    {
        switch (sampleRate)
        {
            case 8_000:
            case 11_025:
            case 12_000:
            case 16_000:
            case 22_050:
            case 24_000:
            case 32_000:
            case 44_100:
            case 48_000:
                return true;
            case 7_350:
            case 64_000:
            case 88_200:
            case 96_000:
                return this == ADTS;
            default:
                return false;
        }
    }

    /**
     * Whether a frame of this codec can hold this many samples per channel: 384, 576 or 1152 for MP3,
     * 1024 times 1 to 4 raw data blocks for ADTS.
     *
     * @param samples per channel in one frame.
     * @return true when valid for this codec.
     */
    public boolean isValidSamplesPerFrame(final int samples)
    {
        if (this == MP3)
        {
            return samples == 384 || samples == 576 || samples == 1152;
        }
        return samples == 1024 || samples == 2048 || samples == 3072 || samples == 4096;
    }
}
