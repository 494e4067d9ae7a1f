package org.seamcast.codec.protocol;

/**
 * Outcome of {@link MessageDecoder#decode}: OK, or why the message must be dropped (and counted).
 * The checks run in the order of the constants (a truncation is found right after the length bounds), so a
 * corrupt message is reported as {@link #CRC_MISMATCH} before its MAC is looked at.
 */
public enum DecodeResult
{
    /** A valid message; its view may be read. */
    OK,
    /** Fewer bytes than the smallest message (header plus CRC), or than the total length field says. */
    TOO_SHORT,
    /** The first two bytes are not 'S' 'C'. */
    BAD_MAGIC,
    /** A version this codec does not speak. */
    UNSUPPORTED_VERSION,
    /**
     * The total length field is below the minimum or its trailer, above {@link Protocol#MAX_MESSAGE_LENGTH}, or does
     * not match the body's own length prefixes and counts ({@link MessageDecoder#errorField()} says which).
     */
    BAD_LENGTH,
    /** The CRC32C trailer does not match. */
    CRC_MISMATCH,
    /** The decoder's keyring requires a MAC and the message is unsigned. */
    MAC_MISSING,
    /** The message is signed with a key id the keyring does not hold. */
    UNKNOWN_KEY_ID,
    /** The HMAC tag does not match. */
    MAC_MISMATCH,
    /** The type byte is not a known {@link MessageType}. */
    UNKNOWN_TYPE,
    /** A field holds a value outside its range ({@link MessageDecoder#errorField()} says which). */
    FIELD_OUT_OF_RANGE,
    /**
     * Signed with a key the keyring holds whose {@link KeyRole} may not sign this message, e.g. a FRAME signed with an
     * edge's key. Checked last, once the body (and a HEARTBEAT's stream count) is known.
     */
    KEY_NOT_PERMITTED
}
