package org.seamcast.codec.protocol;

import java.util.Arrays;

/**
 * The HMAC-SHA256 keys a node holds, by key id (0..255), each with the {@link KeyRole} that says which messages it
 * may sign; which key signs each kind of message; and whether unsigned messages are refused.
 *
 * <p>Signing: each message is signed with the least privileged key whose role permits it (edge, then ingest, then
 * relay, then any); among keys of the same rank, the preferred signing key ({@link #signingKeyId()}, the first one
 * added unless {@link #withSigningKeyId} says otherwise) wins, then the order keys were added. A keyring of keys
 * without roles ({@link KeyRole#ANY}) therefore signs everything with its first key, as before roles existed.
 *
 * <p>Verifying: a signed message must use a key id the keyring holds, whose role permits the message
 * ({@link DecodeResult#KEY_NOT_PERMITTED} otherwise).
 *
 * <p>Rotation, per role: deploy a keyring holding old and new ids of that role (both verify) with the old one first,
 * then put the new one first everywhere (it signs), then remove the old one.
 *
 * <p>Immutable and thread-safe; each thread makes its own {@link MessageAuthenticator} with
 * {@link #newAuthenticator()}.
 */
public final class Keyring
{
    /** Shortest key accepted: 128 bits. */
    public static final int MIN_KEY_LENGTH = 16;

    private final byte[][] keys;
    private final KeyRole[] roles;
    private final int[] order;
    private final int signingKeyId;
    private final boolean macRequired;
    private final int[] signingKeyIdByClass = new int[KeyRole.Permission.CLASSES];
    private final boolean verifiesAudio;

    private Keyring(
        final byte[][] keys,
        final KeyRole[] roles,
        final int[] order,
        final int signingKeyId,
        final boolean macRequired)
    {
        this.keys = keys;
        this.roles = roles;
        this.order = order;
        this.signingKeyId = signingKeyId;
        this.macRequired = macRequired;
        boolean audio = false;
        for (final int keyId : order)
        {
            audio |= roles[keyId].signsAudio();
        }
        this.verifiesAudio = audio;
        for (int permission = 1; permission <= KeyRole.Permission.LINK; permission <<= 1)
        {
            signingKeyIdByClass[KeyRole.Permission.index(permission)] = choose(permission);
        }
    }

    private int choose(final int permission)
    {
        int chosen = signingKeyId;
        int rank = Integer.MAX_VALUE;
        if (permits(roles[signingKeyId], permission))
        {
            rank = roles[signingKeyId].privilege();
        }
        for (final int keyId : order)
        {
            if (permits(roles[keyId], permission) && roles[keyId].privilege() < rank)
            {
                chosen = keyId;
                rank = roles[keyId].privilege();
            }
        }
        return chosen;
    }

    private static boolean permits(final KeyRole role, final int permission)
    {
        return switch (permission)
        {
            case KeyRole.Permission.AUDIO -> role.permits(MessageType.FRAME, false);
            case KeyRole.Permission.SUBSCRIBE -> role.permits(MessageType.SUBSCRIBE, false);
            default -> role.permits(MessageType.HELLO, false);
        };
    }

    /**
     * A keyring holding one key of role {@link KeyRole#ANY} that signs, with MACs required.
     *
     * @param keyId 0..255.
     * @param key at least {@value #MIN_KEY_LENGTH} bytes.
     * @return the keyring.
     */
    public static Keyring of(final int keyId, final byte[] key)
    {
        return of(keyId, key, KeyRole.ANY);
    }

    /**
     * A keyring holding one key of {@code role} that signs, with MACs required.
     *
     * @param keyId 0..255.
     * @param key at least {@value #MIN_KEY_LENGTH} bytes.
     * @param role which messages it may sign.
     * @return the keyring.
     */
    public static Keyring of(final int keyId, final byte[] key, final KeyRole role)
    {
        checkKeyId(keyId);
        checkKey(key);
        final byte[][] keys = new byte[256][];
        final KeyRole[] roles = new KeyRole[256];
        keys[keyId] = key.clone();
        roles[keyId] = role;
        return new Keyring(keys, roles, new int[] {keyId}, keyId, true);
    }

    /**
     * @param keyId 0..255.
     * @param key at least {@value #MIN_KEY_LENGTH} bytes, copied.
     * @return a keyring that also verifies (and may sign) with this key, of role {@link KeyRole#ANY}.
     */
    public Keyring withKey(final int keyId, final byte[] key)
    {
        return withKey(keyId, key, KeyRole.ANY);
    }

    /**
     * @param keyId 0..255; a key already held under it is replaced.
     * @param key at least {@value #MIN_KEY_LENGTH} bytes, copied.
     * @param role which messages it may sign.
     * @return a keyring that also verifies (and may sign) with this key.
     */
    public Keyring withKey(final int keyId, final byte[] key, final KeyRole role)
    {
        checkKeyId(keyId);
        checkKey(key);
        final byte[][] copy = keys.clone();
        final KeyRole[] roleCopy = roles.clone();
        copy[keyId] = key.clone();
        roleCopy[keyId] = role;
        final int[] newOrder;
        if (keys[keyId] == null)
        {
            newOrder = Arrays.copyOf(order, order.length + 1);
            newOrder[order.length] = keyId;
        }
        else
        {
            newOrder = order;
        }
        return new Keyring(copy, roleCopy, newOrder, signingKeyId, macRequired);
    }

    /**
     * @param keyId a key id this keyring holds.
     * @return a keyring that prefers that key for signing (among keys of the same role rank).
     */
    public Keyring withSigningKeyId(final int keyId)
    {
        checkKeyId(keyId);
        if (keys[keyId] == null)
        {
            throw new IllegalArgumentException("signingKeyId=" + keyId + " is not in the keyring");
        }
        return new Keyring(keys, roles, order, keyId, macRequired);
    }

    /**
     * @param required false to accept unsigned messages too (e.g. while a mesh is being migrated to keys).
     * @return a keyring with that policy.
     */
    public Keyring withMacRequired(final boolean required)
    {
        return new Keyring(keys, roles, order, signingKeyId, required);
    }

    /**
     * @return the preferred signing key id: the first key added, or the one named by {@link #withSigningKeyId}.
     */
    public int signingKeyId()
    {
        return signingKeyId;
    }

    /**
     * @param type the message type.
     * @param carriesStreamPositions for a HEARTBEAT, whether it has stream entries.
     * @return the key id that signs such a message: the least privileged key whose role permits it, or the
     * preferred key when none does (the receiver will then refuse it).
     */
    public int signingKeyId(final MessageType type, final boolean carriesStreamPositions)
    {
        return signingKeyIdByClass[KeyRole.Permission.index(KeyRole.Permission.of(type, carriesStreamPositions))];
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

    /**
     * @param keyId 0..255.
     * @return the role of that key, or null when the keyring does not hold it.
     */
    public KeyRole role(final int keyId)
    {
        return hasKey(keyId) ? roles[keyId] : null;
    }

    /**
     * @param keyId a key id.
     * @param type the message type.
     * @param carriesStreamPositions for a HEARTBEAT, whether it has stream entries.
     * @return true when the keyring holds the key and its role may sign such a message.
     */
    public boolean permits(final int keyId, final MessageType type, final boolean carriesStreamPositions)
    {
        return hasKey(keyId) && roles[keyId].permits(type, carriesStreamPositions);
    }

    /**
     * @return true when at least one key may sign audio, so audio can be verified; false for an edge's keyring.
     */
    public boolean verifiesAudio()
    {
        return verifiesAudio;
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

    private static void checkKey(final byte[] key)
    {
        if (key.length < MIN_KEY_LENGTH)
        {
            throw new IllegalArgumentException("key length=" + key.length + " < MIN_KEY_LENGTH=" + MIN_KEY_LENGTH);
        }
    }

    @Override
    public String toString()
    {
        final StringBuilder ids = new StringBuilder();
        for (final int keyId : order)
        {
            ids.append(ids.length() == 0 ? "" : ", ").append(keyId).append(':').append(roles[keyId].label());
        }
        return "Keyring{keys=[" + ids + "], signingKeyId=" + signingKeyId + ", macRequired=" + macRequired + "}";
    }
}
