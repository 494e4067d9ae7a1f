package org.seamcast.codec.protocol;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static org.seamcast.codec.protocol.WireLayout.*;

/**
 * Encoder of SUBSCRIBE messages (edge or downstream relay to relay, over TCP): which mounts to receive and
 * where to resume each stream from. A SUBSCRIBE replaces the connection's previous subscription.
 * <pre>
 *  offset  size  field
 *   0       8    common header, type 5
 *   8       2    mount count k (u16, at most 1,024; 0 = every mount)
 *  10       2    resume point count r (u16, at most 1,024)
 *  12            k mounts: length m (u8), mount
 *  ..            r resume points: encoder id (u32), epoch (u64), next sequence wanted (u64, below 2^63),
 *                                 mount length m (u8), mount
 *  ..            trailer
 * </pre>
 * The whole message is bounded by {@link Protocol#MAX_MESSAGE_LENGTH}. Add all mounts before any resume
 * point. Allocation-free. Not thread-safe.
 */
public final class SubscribeEncoder
{
    private final Crc32c crc = new Crc32c();
    private MutableDirectBuffer buffer;
    private int offset;
    private int position;
    private int mountCount;
    private int resumeCount;

    public SubscribeEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        mountCount = 0;
        resumeCount = 0;
        position = offset + SUBSCRIBE_LISTS;
        return this;
    }

    /**
     * @param mount to receive; with none added, every mount is received.
     * @return this.
     */
    public SubscribeEncoder addMount(final MountName mount)
    {
        if (resumeCount > 0)
        {
            throw new IllegalStateException("mounts must be added before resume points");
        }
        Checks.count("subscribe mount count", mountCount + 1, Protocol.MAX_SUBSCRIBE_MOUNTS, "MAX_SUBSCRIBE_MOUNTS");
        final int projected = position + 1 + mount.length() - offset + Protocol.MAC_TRAILER_LENGTH + Protocol.CRC_LENGTH;
        if (projected > Protocol.MAX_MESSAGE_LENGTH)
        {
            throw new IllegalArgumentException(
                "message length=" + projected + " > MAX_MESSAGE_LENGTH=" + Protocol.MAX_MESSAGE_LENGTH);
        }
        buffer.putByte(position, (byte)mount.length());
        buffer.putBytes(position + 1, mount.buffer(), 0, mount.length());
        position += 1 + mount.length();
        mountCount++;
        return this;
    }

    /**
     * @param mount the stream.
     * @param encoderId of the encoder.
     * @param epoch of the encoder.
     * @param nextSequence first sequence the subscriber has not received.
     * @return this.
     */
    public SubscribeEncoder addResumePoint(
        final MountName mount, final long encoderId, final long epoch, final long nextSequence)
    {
        Checks.count("subscribe resume point count", resumeCount + 1, Protocol.MAX_RESUME_POINTS, "MAX_RESUME_POINTS");
        position = PositionEntry.put(buffer, position, offset, mount, encoderId, epoch, nextSequence, "nextSequence");
        resumeCount++;
        return this;
    }

    public int finish(final MessageAuthenticator signer)
    {
        buffer.putShort(offset + SUBSCRIBE_MOUNT_COUNT, (short)mountCount, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + SUBSCRIBE_RESUME_COUNT, (short)resumeCount, ByteOrder.LITTLE_ENDIAN);
        return Sealer.seal(buffer, offset, position, MessageType.SUBSCRIBE, 0, signer, crc);
    }
}
