package org.seamcast.codec.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * Signs and verifies messages with the keys of a {@link Keyring}: HMAC-SHA256 truncated to
 * {@value Protocol#MAC_TAG_LENGTH} bytes, compared in constant time.
 * <p>
 * Threading: NOT thread-safe. It holds one reused {@link Mac} per key id and a scratch array; each thread
 * (event loop, agent) makes its own with {@link Keyring#newAuthenticator()}. Signing and verifying allocate
 * nothing.
 */
public final class MessageAuthenticator
{
    private static final String ALGORITHM = "HmacSHA256";
    private static final int FULL_TAG_LENGTH = 32;
    private static final int SCRATCH_LENGTH = 2048;

    private final Keyring keyring;
    private final Mac[] macs = new Mac[256];
    private final byte[] scratch = new byte[SCRATCH_LENGTH];
    private final byte[] tag = new byte[FULL_TAG_LENGTH];

    MessageAuthenticator(final Keyring keyring)
    {
        this.keyring = keyring;
        for (int id = 0; id < macs.length; id++)
        {
            if (keyring.hasKey(id))
            {
                try
                {
                    final Mac mac = Mac.getInstance(ALGORITHM);
                    mac.init(new SecretKeySpec(keyring.key(id), ALGORITHM));
                    macs[id] = mac;
                }
                catch (final GeneralSecurityException ex)
                {
                    throw new IllegalStateException("HmacSHA256 unavailable", ex);
                }
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

    int signingKeyId()
    {
        return keyring.signingKeyId();
    }

    boolean hasKey(final int keyId)
    {
        return macs[keyId & 0xFF] != null;
    }

    /**
     * Writes the truncated tag over {@code [offset, offset + length)} with the signing key.
     */
    void sign(final DirectBuffer buffer, final int offset, final int length, final MutableDirectBuffer dst,
        final int dstOffset)
    {
        final Mac mac = macs[keyring.signingKeyId()];
        digest(mac, buffer, offset, length);
        dst.putBytes(dstOffset, tag, 0, Protocol.MAC_TAG_LENGTH);
    }

    /**
     * @return true when the truncated tag at {@code tagOffset} matches the bytes under key {@code keyId},
     * which must be held ({@link #hasKey}).
     */
    boolean verify(final int keyId, final DirectBuffer buffer, final int offset, final int length, final int tagOffset)
    {
        digest(macs[keyId], buffer, offset, length);
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
        digest(macs[keyId], buffer, offset, length);
        System.arraycopy(tag, 0, out, 0, FULL_TAG_LENGTH);
    }

    private void digest(final Mac mac, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            mac.update(array, buffer.wrapAdjustment() + offset, length);
        }
        else
        {
            for (int done = 0; done < length; )
            {
                final int chunk = Math.min(SCRATCH_LENGTH, length - done);
                buffer.getBytes(offset + done, scratch, 0, chunk);
                mac.update(scratch, 0, chunk);
                done += chunk;
            }
        }
        try
        {
            mac.doFinal(tag, 0);
        }
        catch (final ShortBufferException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
