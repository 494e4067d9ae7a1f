package org.seamcast.codec.protocol;

import java.nio.ByteOrder;

import static org.seamcast.codec.protocol.WireLayout.*;

/**
 * View of a decoded HEARTBEAT (layout on {@link HeartbeatEncoder}).
 */
public final class HeartbeatView extends MessageView
{
    private final StreamPositionCursor streams = new StreamPositionCursor();
    private int nodeNameLength;

    HeartbeatView()
    {
    }

    void wrapBody(final int nodeNameLength, final int streamsOffset, final int streamCount)
    {
        this.nodeNameLength = nodeNameLength;
        streams.reset(buffer, streamsOffset, streamCount);
    }

    public int nodeNameOffset()
    {
        return offset + HEARTBEAT_NODE_NAME + 1;
    }

    public int nodeNameLength()
    {
        return nodeNameLength;
    }

    public boolean nodeNameMatches(final NodeName name)
    {
        return name.matches(buffer, nodeNameOffset(), nodeNameLength);
    }

    /**
     * @return the sender's wall clock when it sent this heartbeat, microseconds since the Unix epoch.
     */
    public long senderTimeUs()
    {
        return buffer.getLong(offset + HEARTBEAT_SENDER_TIME_US, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @return the sender's heartbeat counter on this path, to detect lost heartbeats.
     */
    public long heartbeatSequence()
    {
        return buffer.getLong(offset + HEARTBEAT_SEQUENCE, ByteOrder.LITTLE_ENDIAN);
    }

    public int streamCount()
    {
        return streams.count();
    }

    /**
     * @return the cursor over (mount, encoder id, epoch, last sequence sent), rewound.
     */
    public StreamPositionCursor streams()
    {
        return streams.rewind();
    }
}
