package org.seamcast.codec.protocol;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static org.seamcast.codec.protocol.WireLayout.*;

/**
 * Flyweight encoder of HEARTBEAT messages: per-path liveness and delay, and the last sequence sent per stream
 * so a receiver notices tail loss even when a stream goes silent.
 * <pre>
 *  offset  size  field
 *   0       8    common header, type 4
 *   8       8    sender wall clock in microseconds since the Unix epoch (i64)
 *  16       8    heartbeat sequence on this path (u64)
 *  24       2    stream count s (u16, at most 1,024)
 *  26       1+n  sender node name: length n (u8, 1..64), bytes
 *  ..            s entries: encoder id (u32), epoch (u64), last sequence sent (u64, below 2^63),
 *                           mount length m (u8), mount (m bytes)
 *  ..            trailer
 * </pre>
 * A sender with more streams than fit splits them over several heartbeats; each is complete on its own.
 * Use {@link #encodedLength(MessageAuthenticator)} and {@link #entryLength(MountName)} to stay within
 * {@link Protocol#MAX_DATAGRAM_LENGTH} on UDP. Allocation-free. Not thread-safe.
 */
public final class HeartbeatEncoder
{
    private final Crc32c crc = new Crc32c();
    private MutableDirectBuffer buffer;
    private int offset;
    private int position;
    private int streamCount;
    private int set;

    public HeartbeatEncoder wrap(final MutableDirectBuffer buffer, final int offset, final NodeName sender)
    {
        this.buffer = buffer;
        this.offset = offset;
        streamCount = 0;
        set = 0;
        buffer.putByte(offset + HEARTBEAT_NODE_NAME, (byte)sender.length());
        buffer.putBytes(offset + HEARTBEAT_NODE_NAME + 1, sender.buffer(), 0, sender.length());
        position = offset + HEARTBEAT_NODE_NAME + 1 + sender.length();
        return this;
    }

    public HeartbeatEncoder senderTimeUs(final long senderTimeUs)
    {
        buffer.putLong(offset + HEARTBEAT_SENDER_TIME_US, senderTimeUs, ByteOrder.LITTLE_ENDIAN);
        set |= 1;
        return this;
    }

    public HeartbeatEncoder heartbeatSequence(final long heartbeatSequence)
    {
        buffer.putLong(offset + HEARTBEAT_SEQUENCE, heartbeatSequence, ByteOrder.LITTLE_ENDIAN);
        set |= 2;
        return this;
    }

    /**
     * @param mount the stream.
     * @param encoderId of the encoder.
     * @param epoch of the encoder.
     * @param lastSequence last sequence sent on this path.
     * @return this.
     */
    public HeartbeatEncoder addStream(
        final MountName mount, final long encoderId, final long epoch, final long lastSequence)
    {
        Checks.count("heartbeat stream count", streamCount + 1, Protocol.MAX_HEARTBEAT_STREAMS,
            "MAX_HEARTBEAT_STREAMS");
        position = PositionEntry.put(buffer, position, offset, mount, encoderId, epoch, lastSequence,
            "lastSequence");
        streamCount++;
        return this;
    }

    /**
     * @param mount of a candidate entry.
     * @return bytes the entry would add.
     */
    public static int entryLength(final MountName mount)
    {
        return POSITION_MOUNT + 1 + mount.length();
    }

    /**
     * @param signer as for finish.
     * @return the length finish would return now.
     */
    public int encodedLength(final MessageAuthenticator signer)
    {
        return position - offset + Sealer.trailerLength(signer);
    }

    public int finish(final MessageAuthenticator signer)
    {
        if (set != 3)
        {
            throw new IllegalStateException("HEARTBEAT field " + ((set & 1) == 0 ? "senderTimeUs" : "heartbeatSequence") +
                " not set");
        }
        buffer.putShort(offset + HEARTBEAT_STREAM_COUNT, (short)streamCount, ByteOrder.LITTLE_ENDIAN);
        return Sealer.seal(buffer, offset, position, MessageType.HEARTBEAT, 0, streamCount > 0, signer, crc);
    }
}
