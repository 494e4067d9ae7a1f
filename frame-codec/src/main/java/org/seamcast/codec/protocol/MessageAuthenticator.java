package org.seamcast.codec.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Signs and verifies messages with the keys of a {@link Keyring}: HMAC-SHA256 truncated to
 * {@value Protocol#MAC_TAG_LENGTH} bytes, compared in constant time. Each message is signed with the key the keyring
 * chooses for its kind ({@link Keyring#signingKeyId(MessageType, boolean)}), except that the accepting end of a TCP
 * connection signs its link messages with the key its peer used (see {@link Handshake}).
 * <p>
 * Threading: NOT thread-safe. It holds one reused SHA-256 digest with the padded keys of every key id and a
 * scratch array; each thread (event loop, agent) makes its own with {@link Keyring#newAuthenticator()}.
 * Signing and verifying allocate nothing (which is why it does not use {@code javax.crypto.Mac}, whose
 * {@code doFinal} allocates per call on JDK 17; the tags are identical).
 */
public final class MessageAuthenticator
{
    private static final int SCRATCH_LENGTH = 2048;

    private final Keyring keyring;
    private final HmacSha256 hmac = new HmacSha256();
    private final byte[] scratch = new byte[SCRATCH_LENGTH];
    private final byte[] tag = new byte[HmacSha256.TAG_LENGTH];
    private int linkKeyId = -1;

    MessageAuthenticator(final Keyring keyring)
    {
        this.keyring = keyring;
        for (int id = 0; id < 256; id++)
        {
            if (keyring.hasKey(id))
            {
                hmac.setKey(id, keyring.key(id));
            }
        }
    }

    /**
     * @return the keyring this authenticator uses.
     */
    public Keyring keyring()
    {
        return keyring;
    }

    /**
     * The key id that signs a message of this kind on this authenticator.
     */
    int signingKeyId(final MessageType type, final boolean carriesStreamPositions)
    {
        if (linkKeyId >= 0 && KeyRole.Permission.of(type, carriesStreamPositions) == KeyRole.Permission.LINK)
        {
            return linkKeyId;
        }
        return keyring.signingKeyId(type, carriesStreamPositions);
    }

    /**
     * Signs link messages (HELLO, HELLO_AUTH, HEARTBEAT without stream entries) with {@code keyId} from now on: a TCP
     * acceptor answers with the key its connector proved itself with, which the connector surely holds.
     */
    void linkKeyId(final int keyId)
    {
        linkKeyId = keyId;
    }

    boolean hasKey(final int keyId)
    {
        return hmac.hasKey(keyId & 0xFF);
    }

    /**
     * Writes the truncated tag over {@code [offset, offset + length)} with key {@code keyId}.
     */
    void sign(final int keyId, final DirectBuffer buffer, final int offset, final int length,
        final MutableDirectBuffer dst, final int dstOffset)
    {
        digest(keyId, buffer, offset, length);
        dst.putBytes(dstOffset, tag, 0, Protocol.MAC_TAG_LENGTH);
    }

    /**
     * @return true when the truncated tag at {@code tagOffset} matches the bytes under key {@code keyId},
     * which must be held ({@link #hasKey}).
     */
    boolean verify(final int keyId, final DirectBuffer buffer, final int offset, final int length, final int tagOffset)
    {
        digest(keyId, buffer, offset, length);
        int diff = 0;
        for (int i = 0; i < Protocol.MAC_TAG_LENGTH; i++)
        {
            diff |= tag[i] ^ buffer.getByte(tagOffset + i);
        }
        return diff == 0;
    }

    /**
     * Full 32-byte HMAC of a handshake transcript, written into {@code out}.
     */
    void fullMac(final int keyId, final DirectBuffer buffer, final int offset, final int length, final byte[] out)
    {
        digest(keyId, buffer, offset, length);
        System.arraycopy(tag, 0, out, 0, HmacSha256.TAG_LENGTH);
    }

    private void digest(final int keyId, final DirectBuffer buffer, final int offset, final int length)
    {
        hmac.start(keyId);
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            hmac.update(array, buffer.wrapAdjustment() + offset, length);
        }
        else
        {
            for (int done = 0; done < length; )
            {
                final int chunk = Math.min(SCRATCH_LENGTH, length - done);
                buffer.getBytes(offset + done, scratch, 0, chunk);
                hmac.update(scratch, 0, chunk);
                done += chunk;
            }
        }
        hmac.finish(keyId, tag);
    }
}
