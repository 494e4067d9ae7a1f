package org.seamcast.codec.audio;

/**
 * Builds ADTS headers field by field for tests; defaults describe AAC-LC, 44.1 kHz, stereo, 400 bytes, no CRC.
 */
final class AdtsHeaderBuilder
{
    private int id;
    private int layer;
    private int protectionAbsent = 1;
    private int profile = 1;
    private int samplingFrequencyIndex = 4;
    private int privateBit;
    private int channelConfiguration = 2;
    private int original;
    private int home;
    private int copyrightIdBit;
    private int copyrightIdStart;
    private int frameLength = 400;
    private int bufferFullness = 0x7FF;
    private int rawDataBlocks = 1;

    static AdtsHeaderBuilder header()
    {
        return new AdtsHeaderBuilder();
    }

    AdtsHeaderBuilder id(final int value)
    {
        id = value;
        return this;
    }

    AdtsHeaderBuilder layer(final int value)
    {
        layer = value;
        return this;
    }

    AdtsHeaderBuilder protectionAbsent(final int value)
    {
        protectionAbsent = value;
        return this;
    }

    AdtsHeaderBuilder profile(final int value)
    {
        profile = value;
        return this;
    }

    AdtsHeaderBuilder samplingFrequencyIndex(final int value)
    {
        samplingFrequencyIndex = value;
        return this;
    }

    AdtsHeaderBuilder privateBit(final int value)
    {
        privateBit = value;
        return this;
    }

    AdtsHeaderBuilder channelConfiguration(final int value)
    {
        channelConfiguration = value;
        return this;
    }

    AdtsHeaderBuilder original(final int value)
    {
        original = value;
        return this;
    }

    AdtsHeaderBuilder home(final int value)
    {
        home = value;
        return this;
    }

    AdtsHeaderBuilder copyrightIdBit(final int value)
    {
        copyrightIdBit = value;
        return this;
    }

    AdtsHeaderBuilder copyrightIdStart(final int value)
    {
        copyrightIdStart = value;
        return this;
    }

    AdtsHeaderBuilder frameLength(final int value)
    {
        frameLength = value;
        return this;
    }

    AdtsHeaderBuilder bufferFullness(final int value)
    {
        bufferFullness = value;
        return this;
    }

    AdtsHeaderBuilder rawDataBlocks(final int value)
    {
        rawDataBlocks = value;
        return this;
    }

    long build()
    {
        return 0xFFFL << 44 |
            (long)id << 43 |
            (long)layer << 41 |
            (long)protectionAbsent << 40 |
            (long)profile << 38 |
            (long)samplingFrequencyIndex << 34 |
            (long)privateBit << 33 |
            (long)channelConfiguration << 30 |
            (long)original << 29 |
            (long)home << 28 |
            (long)copyrightIdBit << 27 |
            (long)copyrightIdStart << 26 |
            (long)frameLength << 13 |
            (long)bufferFullness << 2 |
            (rawDataBlocks - 1);
    }
}
