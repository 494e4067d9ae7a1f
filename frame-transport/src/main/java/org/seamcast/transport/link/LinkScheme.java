package org.seamcast.transport.link;

/**
 * The transports a link address can name, by URL scheme.
 */
public enum LinkScheme
{
    /** Length-prefixed messages over TCP (Netty), optionally with TLS. */
    TCP("tcp"),
    /** Datagrams of at most {@link LinkAddress#MAX_DATAGRAM_LENGTH} bytes over UDP (Netty). */
    UDP("udp"),
    /** Reliable unicast UDP through an embedded Aeron media driver. */
    AERON_UDP("aeron+udp"),
    /** Aeron multicast to a group on a given interface. */
    MULTICAST("mcast");

    private final String scheme;

    LinkScheme(final String scheme)
    {
        this.scheme = scheme;
    }

    /**
     * The URL scheme, e.g. {@code "aeron+udp"}.
     */
    public String scheme()
    {
        return scheme;
    }

    static LinkScheme fromScheme(final String scheme)
    {
        for (final LinkScheme value : values())
        {
            if (value.scheme.equalsIgnoreCase(scheme))
            {
                return value;
            }
        }
        return null;
    }
}
