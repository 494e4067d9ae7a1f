package org.seamcast.cli;

import java.net.InetSocketAddress;

/**
 * The one spelling of a socket address that every address option of every command accepts:
 *
 * <pre>
 *   host:port       a name or IPv4 address, e.g. 127.0.0.1:9101 or relay-1.example.net:9001
 *   :port           every interface (0.0.0.0), e.g. :9101
 *   [v6]:port       an IPv6 address in brackets, e.g. [::1]:9101 or [::]:9101
 *   none            nothing is served, for options that allow it (see {@link #parseOrNone})
 * </pre>
 *
 * Port 0 picks a free port when binding.
 */
final class HostPort
{
    /** The word an optional address option takes to serve nothing. */
    static final String NONE = "none";

    /** The host a bare {@code :port} binds to. */
    static final String ALL_INTERFACES = "0.0.0.0";

    static final int MAX_PORT = 65_535;

    private HostPort()
    {
    }

    /**
     * Reads {@code host:port}, {@code :port} or {@code [v6]:port}.
     *
     * @throws IllegalArgumentException naming the value and what is wrong with it.
     */
    static InetSocketAddress parse(final String value)
    {
        final int colon = value.lastIndexOf(':');
        if (colon < 0 || colon == value.length() - 1)
        {
            throw new IllegalArgumentException("'" + value + "' is not host:port, :port or [v6]:port");
        }
        final String host = host(value, value.substring(0, colon));
        final String portText = value.substring(colon + 1);
        final int port;
        try
        {
            port = Integer.parseInt(portText);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("'" + value + "' port '" + portText + "' is not a number", ex);
        }
        if (port < 0 || port > MAX_PORT)
        {
            throw new IllegalArgumentException("'" + value + "' port=" + port + " is not in 0.." + MAX_PORT);
        }
        return new InetSocketAddress(host, port);
    }

    /**
     * As {@link #parse}, and {@value #NONE} (any case) gives null.
     */
    static InetSocketAddress parseOrNone(final String value)
    {
        return NONE.equalsIgnoreCase(value.strip()) ? null : parse(value);
    }

    /**
     * The address as {@code host:port}, with IPv6 hosts in brackets, or {@value #NONE} for null.
     */
    static String format(final InetSocketAddress address)
    {
        if (address == null)
        {
            return NONE;
        }
        final String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static String host(final String value, final String text)
    {
        if (text.isEmpty())
        {
            return ALL_INTERFACES;
        }
        if (text.startsWith("["))
        {
            if (!text.endsWith("]") || text.length() == 2)
            {
                throw new IllegalArgumentException("'" + value + "' has an unclosed or empty [v6] host");
            }
            return text.substring(1, text.length() - 1);
        }
        if (text.indexOf(':') >= 0 || text.indexOf(']') >= 0)
        {
            throw new IllegalArgumentException("'" + value + "': write an IPv6 host in brackets, e.g. [::1]:9101");
        }
        return text;
    }
}
