package org.seamcast.codec.protocol;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static org.seamcast.codec.protocol.WireLayout.*;

/**
 * Flyweight encoder of RETRANSMIT_REQUEST messages (edge to relay): sequence ranges of one stream to send again
 * from the relay's replay ring.
 * <pre>
 *  offset  size  field
 *   0       8    common header, type 6
 *   8       8    encoder epoch (u64)
 *  16       4    encoder id (u32)
 *  20       2    range count r (u16, 1..64)
 *  22       1+m  mount: length m (u8), bytes
 *  ..       10r  ranges: first sequence (u64, below 2^63), count (u16, 1..65,535)
 *  ..            trailer
 * </pre>
 * The largest request is 939 bytes signed and fits one datagram. Allocation-free. Not thread-safe.
 */
public final class RetransmitRequestEncoder
{
    private final Crc32c crc = new Crc32c();
    private MutableDirectBuffer buffer;
    private int offset;
    private int position;
    private int rangeCount;
    private int set;

    public RetransmitRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset, final MountName mount)
    {
        this.buffer = buffer;
        this.offset = offset;
        rangeCount = 0;
        set = 0;
        buffer.putByte(offset + RETRANSMIT_MOUNT, (byte)mount.length());
        buffer.putBytes(offset + RETRANSMIT_MOUNT + 1, mount.buffer(), 0, mount.length());
        position = offset + RETRANSMIT_MOUNT + 1 + mount.length();
        return this;
    }

    public RetransmitRequestEncoder encoderId(final long encoderId)
    {
        Checks.u32("encoderId", encoderId);
        buffer.putInt(offset + RETRANSMIT_ENCODER_ID, (int)encoderId, ByteOrder.LITTLE_ENDIAN);
        set |= 1;
        return this;
    }

    public RetransmitRequestEncoder epoch(final long epoch)
    {
        buffer.putLong(offset + RETRANSMIT_EPOCH, epoch, ByteOrder.LITTLE_ENDIAN);
        set |= 2;
        return this;
    }

    /**
     * @param firstSequence first missing sequence, at least 0.
     * @param count consecutive sequences, 1..{@value Protocol#MAX_RETRANSMIT_RANGE_LENGTH}.
     * @return this.
     */
    public RetransmitRequestEncoder addRange(final long firstSequence, final int count)
    {
        Checks.count("retransmit range count", rangeCount + 1, Protocol.MAX_RETRANSMIT_RANGES, "MAX_RETRANSMIT_RANGES");
        Checks.range("range count", count, 1, Protocol.MAX_RETRANSMIT_RANGE_LENGTH);
        if (firstSequence < 0 || firstSequence > Long.MAX_VALUE - count + 1)
        {
            throw new IllegalArgumentException(
                "firstSequence=" + firstSequence + " with count=" + count + " outside 0.." + Long.MAX_VALUE);
        }
        buffer.putLong(position, firstSequence, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(position + 8, (short)count, ByteOrder.LITTLE_ENDIAN);
        position += RETRANSMIT_RANGE_LENGTH;
        rangeCount++;
        return this;
    }

    public int finish(final MessageAuthenticator signer)
    {
        if (set != 3)
        {
            throw new IllegalStateException(
                "RETRANSMIT_REQUEST field " + ((set & 1) == 0 ? "encoderId" : "epoch") + " not set");
        }
        if (rangeCount == 0)
        {
            throw new IllegalStateException("RETRANSMIT_REQUEST needs at least one range");
        }
        buffer.putShort(offset + RETRANSMIT_RANGE_COUNT, (short)rangeCount, ByteOrder.LITTLE_ENDIAN);
        return Sealer.seal(buffer, offset, position, MessageType.RETRANSMIT_REQUEST, 0, signer, crc);
    }
}
