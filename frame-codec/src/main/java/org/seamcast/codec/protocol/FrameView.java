package org.seamcast.codec.protocol;

import java.nio.ByteOrder;

import static org.seamcast.codec.protocol.WireLayout.*;

/**
 * Zero-copy view of a decoded FRAME (layout on {@link FrameEncoder}).
 */
public final class FrameView extends MountMessageView
{
    private int payloadOffset;
    private int payloadLength;

    FrameView()
    {
    }

    void wrapPayload(final int payloadOffset, final int payloadLength)
    {
        this.payloadOffset = payloadOffset;
        this.payloadLength = payloadLength;
    }

    public long encoderId()
    {
        return buffer.getInt(offset + FRAME_ENCODER_ID, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    }

    public int priority()
    {
        return buffer.getByte(offset + FRAME_PRIORITY) & 0xFF;
    }

    public long epoch()
    {
        return buffer.getLong(offset + FRAME_EPOCH, ByteOrder.LITTLE_ENDIAN);
    }

    public long sequence()
    {
        return buffer.getLong(offset + FRAME_SEQUENCE, ByteOrder.LITTLE_ENDIAN);
    }

    public long timestampUs()
    {
        return buffer.getLong(offset + FRAME_TIMESTAMP_US, ByteOrder.LITTLE_ENDIAN);
    }

    public int sampleRate()
    {
        return buffer.getInt(offset + FRAME_SAMPLE_RATE, ByteOrder.LITTLE_ENDIAN);
    }

    public int samplesInFrame()
    {
        return buffer.getShort(offset + FRAME_SAMPLES, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    /**
     * @return samplesInFrame / sampleRate in microseconds, rounded down.
     */
    public long durationUs()
    {
        return samplesInFrame() * 1_000_000L / sampleRate();
    }

    public CodecType codec()
    {
        return CodecType.fromCode(buffer.getByte(offset + FRAME_CODEC));
    }

    /**
     * @return true when a receiver may switch to this encoder at this frame without bit-reservoir damage.
     */
    public boolean isCleanSwitch()
    {
        return (flags & Protocol.FLAG_CLEAN_SWITCH) != 0;
    }

    /**
     * @return offset of the audio frame in {@link #buffer()}.
     */
    public int payloadOffset()
    {
        return payloadOffset;
    }

    /**
     * @return audio frame length in bytes.
     */
    public int payloadLength()
    {
        return payloadLength;
    }
}
