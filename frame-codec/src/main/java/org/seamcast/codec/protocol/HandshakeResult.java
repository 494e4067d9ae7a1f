package org.seamcast.codec.protocol;

/**
 * Outcome of a handshake step in {@link Handshake}; anything but OK means: close the connection and count it.
 */
public enum HandshakeResult
{
    OK,
    /** The peer claims the same role (both connector or both acceptor). */
    ROLE_MISMATCH,
    /** The peer claims this node's own name (a loop, or a reflected handshake). */
    OWN_NAME,
    /** The peer echoed this node's own nonce (a reflected handshake). */
    OWN_NONCE,
    /** A HELLO_AUTH before the peer's HELLO, or a second HELLO. */
    OUT_OF_ORDER,
    /** HELLO_AUTH received but this node holds no keys. */
    NO_KEYRING,
    /** HELLO_AUTH made with a key id this node does not hold. */
    UNKNOWN_KEY_ID,
    /** HELLO_AUTH proof does not match: the peer does not hold the key, or replays an old handshake. */
    PROOF_MISMATCH
}
