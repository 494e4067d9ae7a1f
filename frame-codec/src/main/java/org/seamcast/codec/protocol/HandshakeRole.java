package org.seamcast.codec.protocol;

/**
 * Which end of a TCP connection a HELLO comes from; bound into the handshake proof so a proof cannot be
 * reflected back to the node that made it.
 */
public enum HandshakeRole
{
    /** The end that opened the connection. */
    CONNECTOR(1),
    /** The end that accepted it. */
    ACCEPTOR(2);

    private final int code;

    HandshakeRole(final int code)
    {
        this.code = code;
    }

    public int code()
    {
        return code;
    }

    public HandshakeRole peer()
    {
        return this == CONNECTOR ? ACCEPTOR : CONNECTOR;
    }

    public static HandshakeRole fromCode(final int code)
    {
        return code == 1 ? CONNECTOR : code == 2 ? ACCEPTOR : null;
    }
}
