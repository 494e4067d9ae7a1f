package org.seamcast.transport;

import org.seamcast.codec.protocol.DecodeResult;

/**
 * Why a message was not delivered, as the {@code reason} tag of the drop counters.
 */
public enum DropReason
{
    TOO_SHORT,
    BAD_MAGIC,
    UNSUPPORTED_VERSION,
    BAD_LENGTH,
    CRC_MISMATCH,
    MAC_MISSING,
    UNKNOWN_KEY_ID,
    MAC_MISMATCH,
    UNKNOWN_TYPE,
    FIELD_OUT_OF_RANGE,
    /** Signed with a key whose role may not sign this message (e.g. audio signed with an edge's key). */
    KEY_NOT_PERMITTED,
    /** A message other than HELLO before the handshake completed, or a failed handshake. */
    UNAUTHENTICATED,
    /** The link was not connected. */
    NOT_CONNECTED,
    /** The peer could not keep up: its write buffer was over the high water mark. */
    BACKPRESSURE,
    /** Larger than the transport carries (e.g. a UDP datagram). */
    OVERSIZED,
    /** A handler threw; counted so a bug shows in metrics, and the link carries on. */
    HANDLER_ERROR,
    /**
     * A TLS handshake failed: the peer's certificate is not trusted (or this node's is not trusted by the peer), or
     * one end speaks TLS and the other plain TCP. Counted once per failed connection, at both ends.
     */
    TLS_HANDSHAKE;

    /**
     * The drop reason for a failed decode.
     */
    public static DropReason of(final DecodeResult result)
    {
        return switch (result)
        {
            case TOO_SHORT -> TOO_SHORT;
            case BAD_MAGIC -> BAD_MAGIC;
            case UNSUPPORTED_VERSION -> UNSUPPORTED_VERSION;
            case BAD_LENGTH -> BAD_LENGTH;
            case CRC_MISMATCH -> CRC_MISMATCH;
            case MAC_MISSING -> MAC_MISSING;
            case UNKNOWN_KEY_ID -> UNKNOWN_KEY_ID;
            case MAC_MISMATCH -> MAC_MISMATCH;
            case UNKNOWN_TYPE -> UNKNOWN_TYPE;
            case FIELD_OUT_OF_RANGE -> FIELD_OUT_OF_RANGE;
            case KEY_NOT_PERMITTED -> KEY_NOT_PERMITTED;
            case OK -> throw new IllegalArgumentException("OK is not a drop reason");
        };
    }

    /**
     * The lower-case tag value, e.g. {@code crc_mismatch}.
     */
    public String tag()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
