package org.seamcast.codec.protocol;

/**
 * The message types of protocol version 1, with their wire codes (header byte 3).
 */
public enum MessageType
{
    FRAME(1),
    ANNOUNCE(2),
    METADATA(3),
    HEARTBEAT(4),
    SUBSCRIBE(5),
    RETRANSMIT_REQUEST(6),
    HELLO(7),
    HELLO_AUTH(8);

    private static final MessageType[] BY_CODE = new MessageType[256];

    static
    {
        for (final MessageType type : values())
        {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    MessageType(final int code)
    {
        this.code = code;
    }

    /**
     * @return the type byte on the wire.
     */
    public int code()
    {
        return code;
    }

    /**
     * @param code a type byte, 0..255.
     * @return the type, or null when the code is not a known type.
     */
    public static MessageType fromCode(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
