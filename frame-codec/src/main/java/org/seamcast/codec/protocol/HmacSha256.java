package org.seamcast.codec.protocol;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA256 (RFC 2104) over one reused {@link MessageDigest}, with the padded keys of each key id prepared once.
 * Used instead of {@code javax.crypto.Mac} because on JDK 17 {@code Mac.doFinal(byte[], int)} allocates a new
 * 32-byte array per call (48 bytes measured), which the per-frame path must not. The result is identical
 * (checked against {@code Mac} in tests). Not thread-safe.
 */
final class HmacSha256
{
    static final int TAG_LENGTH = 32;
    private static final int BLOCK_LENGTH = 64;

    private final MessageDigest sha256;
    private final byte[][] innerPads = new byte[256][];
    private final byte[][] outerPads = new byte[256][];

    HmacSha256()
    {
        try
        {
            sha256 = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 unavailable", ex);
        }
    }

    void setKey(final int keyId, final byte[] key)
    {
        final byte[] block = new byte[BLOCK_LENGTH];
        final byte[] k = key.length > BLOCK_LENGTH ? sha256.digest(key) : key;
        System.arraycopy(k, 0, block, 0, k.length);
        final byte[] inner = new byte[BLOCK_LENGTH];
        final byte[] outer = new byte[BLOCK_LENGTH];
        for (int i = 0; i < BLOCK_LENGTH; i++)
        {
            inner[i] = (byte)(block[i] ^ 0x36);
            outer[i] = (byte)(block[i] ^ 0x5C);
        }
        innerPads[keyId] = inner;
        outerPads[keyId] = outer;
    }

    boolean hasKey(final int keyId)
    {
        return innerPads[keyId] != null;
    }

    void start(final int keyId)
    {
        sha256.reset();
        sha256.update(innerPads[keyId]);
    }

    void update(final byte[] bytes, final int offset, final int length)
    {
        sha256.update(bytes, offset, length);
    }

    /**
     * Completes the MAC started with {@link #start(int)} into {@code out[0..32)}.
     */
    void finish(final int keyId, final byte[] out)
    {
        try
        {
            sha256.digest(out, 0, TAG_LENGTH);
            sha256.update(outerPads[keyId]);
            sha256.update(out, 0, TAG_LENGTH);
            sha256.digest(out, 0, TAG_LENGTH);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
