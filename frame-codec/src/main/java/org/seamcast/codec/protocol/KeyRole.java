package org.seamcast.codec.protocol;

import java.util.Locale;

/**
 * Who holds a key, and so which messages it may sign. Messages fall into three classes:
 *
 * <pre>
 *   class      messages                                                    who signs them
 *   AUDIO      FRAME, ANNOUNCE, METADATA, HEARTBEAT with stream entries     ingests (relays forward them verbatim)
 *   SUBSCRIBE  SUBSCRIBE, RETRANSMIT_REQUEST                               edges, downstream relays
 *   LINK       HELLO, HELLO_AUTH, HEARTBEAT without stream entries          every node, on its own links
 *
 *   role       AUDIO  SUBSCRIBE  LINK
 *   ingest       x                x
 *   relay        x        x       x
 *   edge                  x       x
 *   any          x        x       x      (a key file line without a role: the meaning keys had before roles)
 * </pre>
 *
 * A message signed with a key whose role does not permit its class is refused as
 * {@link DecodeResult#KEY_NOT_PERMITTED}: a relay accepts audio only from an ingest or relay key, and an edge's key
 * lets it subscribe and ask for retransmits but never inject audio.
 *
 * <p>Pitfalls: HMAC keys are symmetric, so whoever can verify a key's messages can also forge them. That is why an
 * edge holds no audio key at all: it accepts audio from the relays it authenticated over TCP without checking its
 * MAC (see {@link MessageDecoder#acceptUnverifiedAudio(boolean)}).
 */
public enum KeyRole
{
    /** No role given: every message, as before roles existed. */
    ANY(Permission.AUDIO | Permission.SUBSCRIBE | Permission.LINK, 3),
    /** An ingest's key: signs audio and its own links. */
    INGEST(Permission.AUDIO | Permission.LINK, 1),
    /** A relay's key: signs everything a relay or an ingest may sign. */
    RELAY(Permission.AUDIO | Permission.SUBSCRIBE | Permission.LINK, 2),
    /** An edge's key: subscribes, asks for retransmits, proves itself on its links; never signs audio. */
    EDGE(Permission.SUBSCRIBE | Permission.LINK, 0);

    private final int permissions;
    private final int privilege;

    KeyRole(final int permissions, final int privilege)
    {
        this.permissions = permissions;
        this.privilege = privilege;
    }

    /**
     * @param type a message type.
     * @param carriesStreamPositions for a HEARTBEAT, whether it has stream entries (which speak for streams, so
     *                               need an audio key).
     * @return true when a key of this role may sign such a message.
     */
    public boolean permits(final MessageType type, final boolean carriesStreamPositions)
    {
        return (permissions & Permission.of(type, carriesStreamPositions)) != 0;
    }

    /**
     * @return true when keys of this role sign audio.
     */
    public boolean signsAudio()
    {
        return (permissions & Permission.AUDIO) != 0;
    }

    /**
     * Rank used to choose a signing key: the least privileged key that permits a message signs it.
     */
    int privilege()
    {
        return privilege;
    }

    /**
     * The lower-case name used in key files, e.g. {@code ingest}.
     */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param label {@code ingest}, {@code relay}, {@code edge} or {@code any}.
     * @return the role.
     * @throws IllegalArgumentException naming the label and the accepted ones.
     */
    public static KeyRole fromLabel(final String label)
    {
        for (final KeyRole role : values())
        {
            if (role.label().equals(label))
            {
                return role;
            }
        }
        throw new IllegalArgumentException("key role '" + label + "' is not one of ingest, relay, edge, any");
    }

    /**
     * The class bits of {@link KeyRole}'s table.
     */
    static final class Permission
    {
        static final int AUDIO = 1;
        static final int SUBSCRIBE = 2;
        static final int LINK = 4;
        static final int CLASSES = 3;

        private Permission()
        {
        }

        static int of(final MessageType type, final boolean carriesStreamPositions)
        {
            return switch (type)
            {
                case FRAME, ANNOUNCE, METADATA -> AUDIO;
                case HEARTBEAT -> carriesStreamPositions ? AUDIO : LINK;
                case SUBSCRIBE, RETRANSMIT_REQUEST -> SUBSCRIBE;
                case HELLO, HELLO_AUTH -> LINK;
            };
        }

        /**
         * 0 for AUDIO, 1 for SUBSCRIBE, 2 for LINK.
         */
        static int index(final int permission)
        {
            return Integer.numberOfTrailingZeros(permission);
        }
    }
}
