package org.seamcast.codec.protocol;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import static org.seamcast.codec.protocol.WireLayout.*;

/**
 * One end of the TCP handshake: both ends send HELLO at once; when a keyring is configured each then sends
 * HELLO_AUTH proving the shared key over both fresh nonces, so a peer without the key is refused and a recorded
 * handshake cannot be replayed (the proof binds the receiver's new nonce). The proof also binds the sender's
 * role and both names, and HELLOs that claim this node's name, role or nonce are refused, so a proof cannot be
 * reflected back to its maker.
 * <pre>
 *  HELLO (type 7, flags bit 8 = AUTH_REQUIRED)
 *  offset  size  field
 *   0       8    common header (its version byte is the protocol version the sender speaks)
 *   8      16    nonce, fresh random bytes per connection
 *  24       1    role (1 = connector, 2 = acceptor)
 *  25     1+n    node name: length n (u8, 1..64), bytes
 *  ..            trailer
 *
 *  HELLO_AUTH (type 8)
 *   0       8    common header
 *   8       1    key id of the proof
 *   9      32    proof = HMAC-SHA256(key[key id], transcript)
 *  41            trailer
 *
 *  transcript = "seamcast-hello-auth-1" (21 ASCII bytes) | sender role (u8) | sender nonce (16) |
 *               receiver nonce (16) | sender name length (u8) | sender name | receiver name length (u8) |
 *               receiver name
 * </pre>
 * Usage: {@code encodeHello} (at once when {@link #sendsHelloFirst()}, else right after the peer's HELLO); on the
 * peer's HELLO {@code onHello}, then (with a keyring) {@code encodeHelloAuth}; on the peer's HELLO_AUTH
 * {@code onHelloAuth}; forward audio only when {@link #isComplete()}. The transport owns the timeout. Once per
 * connection: not thread-safe, may allocate.
 * <p>
 * Keys per role: the connector signs and proves with its least privileged link key (an edge with its edge key). A
 * keyed acceptor waits for the connector's HELLO and then signs its own HELLO, HELLO_AUTH and later link messages
 * with the key id the connector used, if it holds it: so an ingest that holds only the ingest key and an edge that
 * holds only the edge key can both verify the same relay.
 */
public final class Handshake
{
    private static final byte[] LABEL = "seamcast-hello-auth-1".getBytes(StandardCharsets.US_ASCII);

    private final HandshakeRole role;
    private final NodeName ownName;
    private final MessageAuthenticator authenticator;
    private final boolean authRequired;
    private final byte[] ownNonce = new byte[Protocol.NONCE_LENGTH];
    private final byte[] peerNonce = new byte[Protocol.NONCE_LENGTH];
    private final UnsafeBuffer transcript = new UnsafeBuffer(new byte[256]);
    private final byte[] proof = new byte[Protocol.PROOF_LENGTH];
    private final Crc32c crc = new Crc32c();
    private NodeName peerName;
    private boolean peerHelloReceived;
    private boolean peerAuthenticated;

    /**
     * @param role this end's role.
     * @param ownName this node's name.
     * @param authenticator proves and checks the key, or null when no keyring is configured.
     * @param random source of the nonce.
     */
    public Handshake(
        final HandshakeRole role,
        final NodeName ownName,
        final MessageAuthenticator authenticator,
        final SecureRandom random)
    {
        this.role = role;
        this.ownName = ownName;
        this.authenticator = authenticator;
        this.authRequired = authenticator != null && authenticator.keyring().isMacRequired();
        random.nextBytes(ownNonce);
    }

    /**
     * @return true when this end sends its HELLO as soon as the connection opens: the connector always, and an
     * acceptor without keys; a keyed acceptor sends its HELLO once the connector's has told it which key to use.
     */
    public boolean sendsHelloFirst()
    {
        return role == HandshakeRole.CONNECTOR || authenticator == null;
    }

    /**
     * @param buffer to write into.
     * @param offset of the message.
     * @return length of this end's HELLO.
     */
    public int encodeHello(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putBytes(offset + HELLO_NONCE, ownNonce);
        buffer.putByte(offset + HELLO_ROLE, (byte)role.code());
        buffer.putByte(offset + HELLO_NODE_NAME, (byte)ownName.length());
        buffer.putBytes(offset + HELLO_NODE_NAME + 1, ownName.buffer(), 0, ownName.length());
        final int bodyEnd = offset + HELLO_NODE_NAME + 1 + ownName.length();
        return Sealer.seal(buffer, offset, bodyEnd, MessageType.HELLO,
            authRequired ? Protocol.FLAG_AUTH_REQUIRED : 0, authenticator, crc);
    }

    /**
     * @param hello the peer's HELLO, decoded OK.
     * @return OK, or why to close.
     */
    public HandshakeResult onHello(final HelloView hello)
    {
        if (peerHelloReceived)
        {
            return HandshakeResult.OUT_OF_ORDER;
        }
        if (hello.role() != role.peer())
        {
            return HandshakeResult.ROLE_MISMATCH;
        }
        if (hello.nodeNameMatches(ownName))
        {
            return HandshakeResult.OWN_NAME;
        }
        int same = 0;
        for (int i = 0; i < Protocol.NONCE_LENGTH; i++)
        {
            peerNonce[i] = hello.buffer().getByte(hello.nonceOffset() + i);
            same |= peerNonce[i] ^ ownNonce[i];
        }
        if (same == 0)
        {
            return HandshakeResult.OWN_NONCE;
        }
        peerName = hello.nodeName();
        peerHelloReceived = true;
        final int keyId = hello.macKeyId();
        if (role == HandshakeRole.ACCEPTOR && authenticator != null && keyId >= 0 &&
            authenticator.keyring().permits(keyId, MessageType.HELLO, false))
        {
            authenticator.linkKeyId(keyId);
        }
        return HandshakeResult.OK;
    }

    /**
     * @param buffer to write into.
     * @param offset of the message.
     * @return length of this end's HELLO_AUTH.
     * @throws IllegalStateException without a keyring or before the peer's HELLO.
     */
    public int encodeHelloAuth(final MutableDirectBuffer buffer, final int offset)
    {
        if (authenticator == null || !peerHelloReceived)
        {
            throw new IllegalStateException("HELLO_AUTH needs a keyring and the peer's HELLO first");
        }
        final int keyId = authenticator.signingKeyId(MessageType.HELLO_AUTH, false);
        final int length = transcript(role, ownNonce, peerNonce, ownName, peerName);
        authenticator.fullMac(keyId, transcript, 0, length, proof);
        buffer.putByte(offset + HELLO_AUTH_KEY_ID, (byte)keyId);
        buffer.putBytes(offset + HELLO_AUTH_PROOF, proof);
        return Sealer.seal(buffer, offset, offset + HELLO_AUTH_END, MessageType.HELLO_AUTH, 0, authenticator, crc);
    }

    /**
     * @param auth the peer's HELLO_AUTH, decoded OK.
     * @return OK when the peer proved the key for this connection.
     */
    public HandshakeResult onHelloAuth(final HelloAuthView auth)
    {
        if (!peerHelloReceived || peerAuthenticated)
        {
            return HandshakeResult.OUT_OF_ORDER;
        }
        if (authenticator == null)
        {
            return HandshakeResult.NO_KEYRING;
        }
        final int keyId = auth.keyId();
        if (!authenticator.hasKey(keyId))
        {
            return HandshakeResult.UNKNOWN_KEY_ID;
        }
        final int length = transcript(role.peer(), peerNonce, ownNonce, peerName, ownName);
        authenticator.fullMac(keyId, transcript, 0, length, proof);
        int diff = 0;
        for (int i = 0; i < Protocol.PROOF_LENGTH; i++)
        {
            diff |= proof[i] ^ auth.buffer().getByte(auth.proofOffset() + i);
        }
        if (diff != 0)
        {
            return HandshakeResult.PROOF_MISMATCH;
        }
        peerAuthenticated = true;
        return HandshakeResult.OK;
    }

    private int transcript(
        final HandshakeRole senderRole,
        final byte[] senderNonce,
        final byte[] receiverNonce,
        final NodeName senderName,
        final NodeName receiverName)
    {
        int position = 0;
        transcript.putBytes(position, LABEL);
        position += LABEL.length;
        transcript.putByte(position++, (byte)senderRole.code());
        transcript.putBytes(position, senderNonce);
        position += Protocol.NONCE_LENGTH;
        transcript.putBytes(position, receiverNonce);
        position += Protocol.NONCE_LENGTH;
        transcript.putByte(position++, (byte)senderName.length());
        transcript.putBytes(position, senderName.buffer(), 0, senderName.length());
        position += senderName.length();
        transcript.putByte(position++, (byte)receiverName.length());
        transcript.putBytes(position, receiverName.buffer(), 0, receiverName.length());
        position += receiverName.length();
        return position;
    }

    /**
     * @return true when the peer's HELLO was accepted and, if this node requires MACs, the peer proved the key.
     */
    public boolean isComplete()
    {
        return peerHelloReceived && (peerAuthenticated || !authRequired);
    }

    /**
     * @return true when the peer proved the shared key.
     */
    public boolean isPeerAuthenticated()
    {
        return peerAuthenticated;
    }

    /**
     * @return the peer's name after its HELLO, else null.
     */
    public NodeName peerName()
    {
        return peerName;
    }

    /**
     * @return a copy of this end's nonce (for tests and logs).
     */
    public byte[] ownNonce()
    {
        return ownNonce.clone();
    }
}
