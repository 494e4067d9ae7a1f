package org.seamcast.codec.protocol;

import static org.seamcast.codec.protocol.WireLayout.*;

/**
 * View of a decoded HELLO (layout on {@link HelloEncoder}).
 */
public final class HelloView extends MessageView
{
    private int nodeNameLength;

    HelloView()
    {
    }

    void wrapBody(final int nodeNameLength)
    {
        this.nodeNameLength = nodeNameLength;
    }

    /**
     * @return the protocol version the sender speaks (the header version).
     */
    public int protocolVersion()
    {
        return buffer.getByte(offset + Protocol.VERSION_OFFSET) & 0xFF;
    }

    public HandshakeRole role()
    {
        return HandshakeRole.fromCode(buffer.getByte(offset + HELLO_ROLE));
    }

    public boolean isAuthRequired()
    {
        return (flags & Protocol.FLAG_AUTH_REQUIRED) != 0;
    }

    /**
     * @return offset of the {@value Protocol#NONCE_LENGTH}-byte nonce in {@link #buffer()}.
     */
    public int nonceOffset()
    {
        return offset + HELLO_NONCE;
    }

    public int nodeNameOffset()
    {
        return offset + HELLO_NODE_NAME + 1;
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
     * @return a copy of the sender's name (allocates; once per connection).
     */
    public NodeName nodeName()
    {
        return NodeName.copyOf(buffer, nodeNameOffset(), nodeNameLength);
    }
}
