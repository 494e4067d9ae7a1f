package org.seamcast.codec.protocol;

import java.util.Arrays;

/**
 * The shared HMAC-SHA256 keys of a mesh, by key id (0..255), with the id used to sign and whether unsigned
 * messages are refused. Rotate keys by deploying a keyring holding old and new ids (verifying both),
 * then switching the signing id, then removing the old key.
 * <p>
 * Immutable and thread-safe; each thread makes its own {@link MessageAuthenticator} with
 * {@link #newAuthenticator()}.
 */
public final class Keyring
{
    /** Shortest key accepted: 128 bits. */
    public static final int MIN_KEY_LENGTH = 16;

    private final byte[][] keys;
    private final int signingKeyId;
    private final boolean macRequired;

    private Keyring(final byte[][] keys, final int signingKeyId, final boolean macRequired)
    {
        this.keys = keys;
        this.signingKeyId = signingKeyId;
        this.macRequired = macRequired;
    }

    /**
     * A keyring holding one key that signs, with MACs required.
     *
     * @param keyId 0..255.
     * @param key at least {@value #MIN_KEY_LENGTH} bytes.
     * @return the keyring.
     */
    public static Keyring of(final int keyId, final byte[] key)
    {
        return new Keyring(new byte[256][], keyId, true).withKey(keyId, key);
    }

    /**
     * @param keyId 0..255.
     * @param key at least {@value #MIN_KEY_LENGTH} bytes, copied.
     * @return a keyring that also verifies with this key.
     */
    public Keyring withKey(final int keyId, final byte[] key)
    {
        checkKeyId(keyId);
        if (key.length < MIN_KEY_LENGTH)
        {
            throw new IllegalArgumentException("key length=" + key.length + " < MIN_KEY_LENGTH=" + MIN_KEY_LENGTH);
        }
        final byte[][] copy = keys.clone();
        copy[keyId] = key.clone();
        return new Keyring(copy, signingKeyId, macRequired);
    }

    /**
     * @param keyId a key id this keyring holds.
     * @return a keyring that signs with that key.
     */
    public Keyring withSigningKeyId(final int keyId)
    {
        checkKeyId(keyId);
        if (keys[keyId] == null)
        {
            throw new IllegalArgumentException("signingKeyId=" + keyId + " is not in the keyring");
        }
        return new Keyring(keys, keyId, macRequired);
    }

    /**
     * @param required false to accept unsigned messages too (e.g. while a mesh is being migrated to keys).
     * @return a keyring with that policy.
     */
    public Keyring withMacRequired(final boolean required)
    {
        return new Keyring(keys, signingKeyId, required);
    }

    /**
     * @return the key id new messages are signed with.
     */
    public int signingKeyId()
    {
        return signingKeyId;
    }

    /**
     * @return true when unsigned messages are refused.
     */
    public boolean isMacRequired()
    {
        return macRequired;
    }

    /**
     * @param keyId 0..255.
     * @return true when the keyring holds that key.
     */
    public boolean hasKey(final int keyId)
    {
        return keyId >= 0 && keyId < keys.length && keys[keyId] != null;
    }

    byte[] key(final int keyId)
    {
        return keys[keyId];
    }

    /**
     * @return a new authenticator for the calling thread.
     */
    public MessageAuthenticator newAuthenticator()
    {
        return new MessageAuthenticator(this);
    }

    private static void checkKeyId(final int keyId)
    {
        if (keyId < 0 || keyId > 255)
        {
            throw new IllegalArgumentException("keyId=" + keyId + " outside 0..255");
        }
    }

    @Override
    public String toString()
    {
        final int[] ids = new int[256];
        int n = 0;
        for (int i = 0; i < keys.length; i++)
        {
            if (keys[i] != null)
            {
                ids[n++] = i;
            }
        }
        return "Keyring{keyIds=" + Arrays.toString(Arrays.copyOf(ids, n)) + ", signingKeyId=" + signingKeyId +
            ", macRequired=" + macRequired + "}";
    }
}
