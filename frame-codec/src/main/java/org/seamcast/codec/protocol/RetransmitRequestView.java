package org.seamcast.codec.protocol;

import java.nio.ByteOrder;

import static org.seamcast.codec.protocol.WireLayout.*;

/**
 * View of a decoded RETRANSMIT_REQUEST (layout on {@link RetransmitRequestEncoder}).
 */
public final class RetransmitRequestView extends MountMessageView
{
    private int rangesOffset;

    RetransmitRequestView()
    {
    }

    void wrapRanges(final int rangesOffset)
    {
        this.rangesOffset = rangesOffset;
    }

    public long encoderId()
    {
        return buffer.getInt(offset + RETRANSMIT_ENCODER_ID, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    }

    public long epoch()
    {
        return buffer.getLong(offset + RETRANSMIT_EPOCH, ByteOrder.LITTLE_ENDIAN);
    }

    public int rangeCount()
    {
        return buffer.getShort(offset + RETRANSMIT_RANGE_COUNT, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    /**
     * @param index 0..rangeCount-1.
     * @return the first sequence wanted in that range.
     */
    public long rangeFirstSequence(final int index)
    {
        return buffer.getLong(rangesOffset + index * RETRANSMIT_RANGE_LENGTH, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param index 0..rangeCount-1.
     * @return how many consecutive sequences, 1..{@value Protocol#MAX_RETRANSMIT_RANGE_LENGTH}.
     */
    public int rangeLength(final int index)
    {
        return buffer.getShort(rangesOffset + index * RETRANSMIT_RANGE_LENGTH + 8, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }
}
