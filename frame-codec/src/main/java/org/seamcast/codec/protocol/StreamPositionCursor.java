package org.seamcast.codec.protocol;

import java.nio.ByteOrder;

import static org.seamcast.codec.protocol.WireLayout.POSITION_ENCODER_ID;
import static org.seamcast.codec.protocol.WireLayout.POSITION_EPOCH;
import static org.seamcast.codec.protocol.WireLayout.POSITION_MOUNT;
import static org.seamcast.codec.protocol.WireLayout.POSITION_SEQUENCE;

/**
 * Iterates the (mount, encoder id, epoch, sequence) entries of a HEARTBEAT (last sequence sent) or of a
 * SUBSCRIBE (next sequence wanted) without allocating: {@code while (cursor.next()) { ... }}.
 * Each entry on the wire: encoder id (u32), epoch (u64), sequence (u64), mount length (u8), mount.
 */
public final class StreamPositionCursor extends MountEntryCursor
{
    StreamPositionCursor()
    {
        super(POSITION_MOUNT);
    }

    /**
     * Goes back before the first entry.
     *
     * @return this.
     */
    public StreamPositionCursor rewind()
    {
        goBeforeFirst();
        return this;
    }

    public long encoderId()
    {
        return buffer().getInt(entryOffset() + POSITION_ENCODER_ID, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    }

    public long epoch()
    {
        return buffer().getLong(entryOffset() + POSITION_EPOCH, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @return last sequence sent (HEARTBEAT) or next sequence wanted (SUBSCRIBE).
     */
    public long sequence()
    {
        return buffer().getLong(entryOffset() + POSITION_SEQUENCE, ByteOrder.LITTLE_ENDIAN);
    }
}
