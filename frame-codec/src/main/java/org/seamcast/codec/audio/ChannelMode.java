package org.seamcast.codec.audio;

/**
 * MPEG audio channel mode, in header bit order (bits 7..6).
 */
public enum ChannelMode
{
    STEREO,
    JOINT_STEREO,
    DUAL_CHANNEL,
    MONO;

    private static final ChannelMode[] VALUES = values();

    /**
     * @return the number of audio channels this mode carries.
     */
    public int channels()
    {
        return this == MONO ? 1 : 2;
    }

    static ChannelMode fromHeaderBits(final int bits)
    {
        return VALUES[bits & 3];
    }
}
