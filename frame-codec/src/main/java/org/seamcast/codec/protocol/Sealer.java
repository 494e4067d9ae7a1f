package org.seamcast.codec.protocol;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Writes the common header and the trailer (optional key id and HMAC tag, then CRC32C) around an encoded body.
 */
final class Sealer
{
    private Sealer()
    {
    }

    static int trailerLength(final MessageAuthenticator signer)
    {
        return (signer != null ? Protocol.MAC_TRAILER_LENGTH : 0) + Protocol.CRC_LENGTH;
    }

    static void checkLength(final MessageType type, final int length, final int limit, final String limitName)
    {
        if (length > limit)
        {
            throw new IllegalArgumentException(
                type + " message length=" + length + " > " + limitName + "=" + limit);
        }
    }

    static int seal(
        final MutableDirectBuffer buffer,
        final int offset,
        final int bodyEnd,
        final MessageType type,
        final int typeFlags,
        final MessageAuthenticator signer,
        final Crc32c crc)
    {
        return seal(buffer, offset, bodyEnd, type, typeFlags, false, signer, crc);
    }

    /**
     * @param carriesStreamPositions for a HEARTBEAT, whether it has stream entries (an audio key signs those).
     */
    static int seal(
        final MutableDirectBuffer buffer,
        final int offset,
        final int bodyEnd,
        final MessageType type,
        final int typeFlags,
        final boolean carriesStreamPositions,
        final MessageAuthenticator signer,
        final Crc32c crc)
    {
        final int totalLength = bodyEnd - offset + trailerLength(signer);
        checkLength(type, totalLength, Protocol.MAX_MESSAGE_LENGTH, "MAX_MESSAGE_LENGTH");
        final int flags = typeFlags | (signer != null ? Protocol.FLAG_SIGNED : 0);
        buffer.putByte(offset, Protocol.MAGIC_0);
        buffer.putByte(offset + 1, Protocol.MAGIC_1);
        buffer.putByte(offset + Protocol.VERSION_OFFSET, (byte)Protocol.VERSION);
        buffer.putByte(offset + Protocol.TYPE_OFFSET, (byte)type.code());
        buffer.putShort(offset + Protocol.FLAGS_OFFSET, (short)flags, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + Protocol.LENGTH_FIELD_OFFSET, (short)totalLength, ByteOrder.LITTLE_ENDIAN);
        int position = bodyEnd;
        if (signer != null)
        {
            final int keyId = signer.signingKeyId(type, carriesStreamPositions);
            buffer.putByte(position, (byte)keyId);
            position++;
            signer.sign(keyId, buffer, offset, position - offset, buffer, position);
            position += Protocol.MAC_TAG_LENGTH;
        }
        buffer.putInt(position, crc.compute(buffer, offset, position - offset), ByteOrder.LITTLE_ENDIAN);
        return totalLength;
    }
}
