package org.seamcast.transport.aeron;

import io.aeron.ChannelUriStringBuilder;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.LinkScheme;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns link URLs into Aeron channel URIs: {@code aeron+udp://host:port} is reliable unicast to (or, listening, on)
 * {@code host:port}; {@code mcast://group:port?interface=ADDR&ttl=N} is multicast to the group on that interface.
 * A publication uses {@link AeronMedia#TERM_LENGTH_BYTES}-byte terms unless its address gives a
 * {@code term-length}.
 */
final class AeronChannels
{
    /** The one Aeron stream a link uses; the mounts are multiplexed inside it by the protocol's mount names. */
    static final int STREAM_ID = 0x5EA;

    /**
     * Multicast publications move at the pace of their slowest live receiver ({@code min}), and a receiver silent
     * for {@value #MULTICAST_RECEIVER_TIMEOUT} (a dead edge) stops holding the group back. Aeron's default
     * ({@code max}, the fastest receiver) let a CPU-starved receiver fall further behind than the sender's resend
     * window (half a term) and then wait for a repair that could never come: its image stayed connected and
     * delivered nothing more.
     */
    static final String MULTICAST_RECEIVER_TIMEOUT = "2s";

    static final String MULTICAST_FLOW_CONTROL = "min,t:" + MULTICAST_RECEIVER_TIMEOUT;

    private AeronChannels()
    {
    }

    static String publication(final LinkAddress address)
    {
        final ChannelUriStringBuilder builder = builder(address)
            .termLength(address.termLength() > 0 ? address.termLength() : AeronMedia.TERM_LENGTH_BYTES);
        if (address.scheme() == LinkScheme.MULTICAST)
        {
            builder.flowControl(MULTICAST_FLOW_CONTROL);
        }
        return builder.build();
    }

    static String subscription(final LinkAddress address)
    {
        return builder(address).build();
    }

    private static ChannelUriStringBuilder builder(final LinkAddress address)
    {
        final ChannelUriStringBuilder builder = new ChannelUriStringBuilder().media("udp");
        if (address.scheme() == LinkScheme.AERON_UDP)
        {
            return builder.endpoint(address.host() + ":" + address.port());
        }
        if (address.scheme() == LinkScheme.MULTICAST)
        {
            if (address.port() == 0)
            {
                throw new IllegalArgumentException(
                    "link address " + address + " port=0: a multicast group needs the same port on every member");
            }
            requireOddGroup(address);
            builder.endpoint(address.host() + ":" + address.port()).ttl(address.multicastTtl());
            if (address.multicastInterface() != null)
            {
                builder.networkInterface(address.multicastInterface());
            }
            return builder;
        }
        throw new IllegalArgumentException("Aeron does not carry " + address + "; expected aeron+udp:// or mcast://");
    }

    /**
     * Aeron sends data to the group and control (status messages, NAKs) to the next address up, so the group's last
     * byte must be odd.
     */
    private static void requireOddGroup(final LinkAddress address)
    {
        final byte[] group;
        try
        {
            group = InetAddress.getByName(address.host()).getAddress();
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("link address " + address + " group is not an IP address", ex);
        }
        if ((group[group.length - 1] & 1) == 0)
        {
            throw new IllegalArgumentException("link address " + address + " group " + address.host()
                + " ends in an even number; Aeron multicast needs an odd group address (it uses the next one up"
                + " for control)" + (group.length == 4
                ? ", e.g. " + (group[0] & 0xFF) + "." + (group[1] & 0xFF) + "." + (group[2] & 0xFF) + "."
                + ((group[3] & 0xFF) | 1) : ""));
        }
    }
}
