package org.seamcast.codec.protocol;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static org.seamcast.codec.protocol.WireLayout.*;

/**
 * Writes one (encoder id, epoch, sequence, mount) list entry, as read by {@link StreamPositionCursor}.
 */
final class PositionEntry
{
    private PositionEntry()
    {
    }

    static int put(
        final MutableDirectBuffer buffer,
        final int position,
        final int messageOffset,
        final MountName mount,
        final long encoderId,
        final long epoch,
        final long sequence,
        final String sequenceName)
    {
        Checks.u32("encoderId", encoderId);
        if (sequence < 0)
        {
            throw new IllegalArgumentException(sequenceName + "=" + sequence + " < 0");
        }
        final int end = position + POSITION_MOUNT + 1 + mount.length();
        final int projected = end - messageOffset + Protocol.MAC_TRAILER_LENGTH + Protocol.CRC_LENGTH;
        if (projected > Protocol.MAX_MESSAGE_LENGTH)
        {
            throw new IllegalArgumentException(
                "message length=" + projected + " > MAX_MESSAGE_LENGTH=" + Protocol.MAX_MESSAGE_LENGTH);
        }
        buffer.putInt(position + POSITION_ENCODER_ID, (int)encoderId, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(position + POSITION_EPOCH, epoch, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(position + POSITION_SEQUENCE, sequence, ByteOrder.LITTLE_ENDIAN);
        buffer.putByte(position + POSITION_MOUNT, (byte)mount.length());
        buffer.putBytes(position + POSITION_MOUNT + 1, mount.buffer(), 0, mount.length());
        return end;
    }
}
