package org.seamcast.codec.audio;

/**
 * The MPEG audio version of a frame header: MPEG-1, MPEG-2 (LSF) or the unofficial MPEG-2.5.
 */
public enum MpegVersion
{
    MPEG_1(3, 1152),
    MPEG_2(2, 576),
    MPEG_2_5(0, 576);

    private final int headerBits;
    private final int layer3SamplesPerFrame;

    MpegVersion(final int headerBits, final int layer3SamplesPerFrame)
    {
        this.headerBits = headerBits;
        this.layer3SamplesPerFrame = layer3SamplesPerFrame;
    }

    /**
     * @return the two version bits as they appear in the header (bits 20..19).
     */
    public int headerBits()
    {
        return headerBits;
    }

    /**
     * @return true for MPEG-2 and MPEG-2.5, the "lower sampling frequency" versions.
     */
    public boolean isLowSamplingFrequency()
    {
        return this != MPEG_1;
    }

    int layer3SamplesPerFrame()
    {
        return layer3SamplesPerFrame;
    }
}
