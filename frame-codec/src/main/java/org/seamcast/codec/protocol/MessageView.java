package org.seamcast.codec.protocol;

import org.agrona.DirectBuffer;

/**
 * Base of the reusable flyweight views a {@link MessageDecoder} hands out after a successful decode: the
 * validated message's place in the caller's buffer, to forward it verbatim or read its fields in place.
 * A view is valid until the next {@code decode} on the same decoder and while the buffer is unchanged.
 */
public abstract class MessageView
{
    DirectBuffer buffer;
    int offset;
    int length;
    int flags;

    MessageView()
    {
    }

    final void wrapMessage(final DirectBuffer buffer, final int offset, final int length, final int flags)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.flags = flags;
    }

    /**
     * @return the buffer holding the message.
     */
    public final DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return offset of the message's first byte in {@link #buffer()}.
     */
    public final int messageOffset()
    {
        return offset;
    }

    /**
     * @return the whole message length, header and trailer included (forward these bytes unchanged).
     */
    public final int messageLength()
    {
        return length;
    }

    /**
     * @return the header flags.
     */
    public final int flags()
    {
        return flags;
    }

    /**
     * @return true when the message carries an HMAC tag.
     */
    public final boolean isSigned()
    {
        return (flags & Protocol.FLAG_SIGNED) != 0;
    }

    /**
     * @return the key id the message is signed with, or -1 when it is unsigned.
     */
    public final int macKeyId()
    {
        return isSigned() ?
            buffer.getByte(offset + length - Protocol.CRC_LENGTH - Protocol.MAC_TRAILER_LENGTH) & 0xFF : -1;
    }
}
