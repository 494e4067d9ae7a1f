package org.seamcast.codec.protocol;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * A validated node name (ingest, relay or edge) as carried in HELLO and HEARTBEAT: 1 to
 * {@value Protocol#MAX_NODE_NAME_LENGTH} bytes of ASCII letters, digits and {@code . _ : -}.
 * Names must be unique in a mesh: the handshake refuses a peer that claims the receiver's own name.
 * Immutable and thread-safe.
 */
public final class NodeName extends WireName
{
    private NodeName(final byte[] bytes)
    {
        super(bytes);
    }

    /**
     * @param name e.g. "relay-1.site-a".
     * @return the validated name.
     * @throws IllegalArgumentException naming the value and the rule it breaks.
     */
    public static NodeName of(final String name)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Protocol.MAX_NODE_NAME_LENGTH)
        {
            throw new IllegalArgumentException(
                "nodeName length=" + bytes.length + " > MAX_NODE_NAME_LENGTH=" + Protocol.MAX_NODE_NAME_LENGTH);
        }
        if (!isValid(new UnsafeBuffer(bytes), 0, bytes.length))
        {
            throw new IllegalArgumentException(
                "nodeName=\"" + name + "\" must be 1.." + Protocol.MAX_NODE_NAME_LENGTH +
                " ASCII letters, digits or . _ : -");
        }
        return new NodeName(bytes);
    }

    /**
     * @param buffer holding the name, e.g. a decoded HELLO.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return a copy, validated.
     * @throws IllegalArgumentException when invalid.
     */
    public static NodeName copyOf(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!isValid(buffer, offset, length))
        {
            throw new IllegalArgumentException("nodeName bytes of length=" + length + " are not a valid node name");
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new NodeName(bytes);
    }

    /**
     * @param buffer holding the candidate.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return true when valid.
     */
    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1 || length > Protocol.MAX_NODE_NAME_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final byte b = buffer.getByte(offset + i);
            final boolean ok = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
                b == '.' || b == '_' || b == ':' || b == '-';
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof NodeName other && other.matches(buffer(), 0, length());
    }

    @Override
    public int hashCode()
    {
        return toString().hashCode();
    }
}
