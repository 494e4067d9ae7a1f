package org.seamcast.transport.link;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a link goes, written as a URL so an operator can put any mix of transports on one command line.
 *
 * <pre>
 *   tcp://host:port[?tls=true]
 *   udp://host:port
 *   aeron+udp://host:port[?term-length=BYTES]
 *   mcast://group:port[?interface=ADDR][&amp;ttl=N][&amp;term-length=BYTES]
 * </pre>
 *
 * {@code term-length} sizes the Aeron term buffers of a publication to the address (a power of two,
 * {@value #MIN_TERM_LENGTH}..{@value #MAX_TERM_LENGTH}; default 128 KiB, 8 s of one 128 kbit/s stream): a link
 * carrying hundreds of streams rotates its terms many times a second otherwise, and may run only half a term
 * (at most Aeron's 128 KiB receiver window) ahead of its receiver.
 *
 * Parsing validates everything once, so a bad address is refused at start with a message naming it.
 */
public final class LinkAddress
{
    /** Largest UDP datagram a link sends: below a 1,500-byte Ethernet MTU with IP/UDP headers and slack. */
    public static final int MAX_DATAGRAM_LENGTH = 1400;

    /** Multicast TTL when the address does not give one: stay on the local network segment. */
    public static final int DEFAULT_MULTICAST_TTL = 1;

    /** Smallest {@code term-length} an Aeron address may give (Aeron's own minimum). */
    public static final int MIN_TERM_LENGTH = 64 * 1024;

    /** Largest {@code term-length} an Aeron address may give (Aeron's own maximum). */
    public static final int MAX_TERM_LENGTH = 1024 * 1024 * 1024;

    private static final Map<LinkScheme, Set<String>> ALLOWED_PARAMETERS = Map.of(
        LinkScheme.TCP, Set.of("tls"),
        LinkScheme.UDP, Set.of(),
        LinkScheme.AERON_UDP, Set.of("term-length"),
        LinkScheme.MULTICAST, Set.of("interface", "ttl", "term-length"));

    private final LinkScheme scheme;
    private final String host;
    private final int port;
    private final Map<String, String> parameters;
    private final String text;

    private LinkAddress(
        final LinkScheme scheme, final String host, final int port, final Map<String, String> parameters)
    {
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.parameters = parameters;
        this.text = format(scheme, host, port, parameters);
    }

    /**
     * Parses and validates a link URL.
     *
     * @param url such as {@code udp://10.0.0.2:9001}.
     * @return the address.
     * @throws IllegalArgumentException naming the address and what is wrong with it.
     */
    public static LinkAddress parse(final String url)
    {
        if (url == null || url.isBlank())
        {
            throw new IllegalArgumentException("link address is empty; expected e.g. tcp://host:port");
        }

        final URI uri;
        try
        {
            uri = new URI(url.trim());
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalArgumentException("link address '" + url + "' is not a URL: " + ex.getMessage(), ex);
        }

        if (uri.getScheme() == null || !url.contains("://"))
        {
            throw new IllegalArgumentException(
                "link address '" + url + "' has no scheme; expected one of " + schemes());
        }
        final LinkScheme scheme = LinkScheme.fromScheme(uri.getScheme());
        if (scheme == null)
        {
            throw new IllegalArgumentException(
                "link address '" + url + "' has unknown scheme '" + uri.getScheme() + "'; expected one of " + schemes());
        }
        final String host = uri.getHost();
        if (host == null || host.isEmpty())
        {
            throw new IllegalArgumentException("link address '" + url + "' has no host; expected " + scheme.scheme()
                + "://host:port");
        }
        final int port = uri.getPort();
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException(
                "link address '" + url + "' port=" + port + " is not in 0..65535 (0 only to listen on any port)");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath()))
        {
            throw new IllegalArgumentException(
                "link address '" + url + "' has a path '" + uri.getRawPath() + "'; links take no path");
        }

        final Map<String, String> parameters = parseQuery(url, uri.getRawQuery());
        final Set<String> allowed = ALLOWED_PARAMETERS.get(scheme);
        for (final String key : parameters.keySet())
        {
            if (!allowed.contains(key))
            {
                throw new IllegalArgumentException("link address '" + url + "' has unknown parameter '" + key
                    + "' for " + scheme.scheme() + "; allowed: " + allowed);
            }
        }

        final LinkAddress address = new LinkAddress(scheme, host, port, Collections.unmodifiableMap(parameters));
        address.validate(url);
        return address;
    }

    private void validate(final String url)
    {
        if (parameters.containsKey("tls"))
        {
            final String tls = parameters.get("tls");
            if (!"true".equals(tls) && !"false".equals(tls))
            {
                throw new IllegalArgumentException("link address '" + url + "' tls=" + tls + " is not true or false");
            }
        }
        if (parameters.containsKey("term-length"))
        {
            final int termLength = parseInt(url, "term-length", parameters.get("term-length"));
            if (termLength < MIN_TERM_LENGTH || termLength > MAX_TERM_LENGTH || Integer.bitCount(termLength) != 1)
            {
                throw new IllegalArgumentException("link address '" + url + "' term-length=" + termLength
                    + " is not a power of two in " + MIN_TERM_LENGTH + ".." + MAX_TERM_LENGTH);
            }
        }
        if (scheme == LinkScheme.MULTICAST)
        {
            final InetAddress group = literalAddress(url, host, "group");
            if (!group.isMulticastAddress())
            {
                throw new IllegalArgumentException(
                    "link address '" + url + "' group " + host + " is not a multicast address (224.0.0.0/4 or ff00::/8)");
            }
            if (parameters.containsKey("interface"))
            {
                literalAddress(url, parameters.get("interface"), "interface");
            }
            if (parameters.containsKey("ttl"))
            {
                final int ttl = parseInt(url, "ttl", parameters.get("ttl"));
                if (ttl < 0 || ttl > 255)
                {
                    throw new IllegalArgumentException("link address '" + url + "' ttl=" + ttl + " is not in 0..255");
                }
            }
        }
    }

    private static InetAddress literalAddress(final String url, final String value, final String what)
    {
        final String literal = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*"))
        {
            throw new IllegalArgumentException(
                "link address '" + url + "' " + what + " '" + value + "' must be a numeric IP address");
        }
        try
        {
            return InetAddress.getByName(literal);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(
                "link address '" + url + "' " + what + " '" + value + "' is not an IP address", ex);
        }
    }

    private static int parseInt(final String url, final String key, final String value)
    {
        try
        {
            return Integer.parseInt(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("link address '" + url + "' " + key + "=" + value + " is not a number", ex);
        }
    }

    private static Map<String, String> parseQuery(final String url, final String query)
    {
        final Map<String, String> parameters = new LinkedHashMap<>();
        if (query == null || query.isEmpty())
        {
            return parameters;
        }
        for (final String pair : query.split("&"))
        {
            final int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1)
            {
                throw new IllegalArgumentException(
                    "link address '" + url + "' parameter '" + pair + "' is not key=value");
            }
            final String key = pair.substring(0, eq).toLowerCase(Locale.ROOT);
            if (parameters.put(key, pair.substring(eq + 1)) != null)
            {
                throw new IllegalArgumentException("link address '" + url + "' repeats parameter '" + key + "'");
            }
        }
        return parameters;
    }

    private static String schemes()
    {
        final StringBuilder builder = new StringBuilder();
        for (final LinkScheme value : LinkScheme.values())
        {
            builder.append(builder.length() == 0 ? "" : ", ").append(value.scheme()).append("://");
        }
        return builder.toString();
    }

    private static String format(
        final LinkScheme scheme, final String host, final int port, final Map<String, String> parameters)
    {
        final StringBuilder builder = new StringBuilder(scheme.scheme()).append("://").append(host).append(':').append(port);
        char separator = '?';
        for (final Map.Entry<String, String> entry : parameters.entrySet())
        {
            builder.append(separator).append(entry.getKey()).append('=').append(entry.getValue());
            separator = '&';
        }
        return builder.toString();
    }

    /**
     * Checks that this address can be sent or connected to, not only listened on.
     *
     * @throws IllegalArgumentException for port 0.
     */
    public LinkAddress requireDestination()
    {
        if (port == 0)
        {
            throw new IllegalArgumentException("link address '" + text + "' port=0 can be listened on, not sent to");
        }
        return this;
    }

    public LinkScheme scheme()
    {
        return scheme;
    }

    public String host()
    {
        return host;
    }

    public int port()
    {
        return port;
    }

    /**
     * The host and port, unresolved, so that a relay that is not up yet does not fail parsing.
     */
    public InetSocketAddress socketAddress()
    {
        return InetSocketAddress.createUnresolved(
            host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host, port);
    }

    /**
     * Whether a TCP link is wrapped in TLS ({@code ?tls=true}).
     */
    public boolean tls()
    {
        return "true".equals(parameters.get("tls"));
    }

    /**
     * The interface address a multicast link joins the group on, or {@code null} for the system default.
     */
    public String multicastInterface()
    {
        return parameters.get("interface");
    }

    /**
     * The Aeron term length the address gives, or 0 when it gives none (the transport's default applies).
     */
    public int termLength()
    {
        final String termLength = parameters.get("term-length");
        return termLength == null ? 0 : Integer.parseInt(termLength);
    }

    /**
     * The multicast TTL, {@link #DEFAULT_MULTICAST_TTL} unless the address gives one.
     */
    public int multicastTtl()
    {
        final String ttl = parameters.get("ttl");
        return ttl == null ? DEFAULT_MULTICAST_TTL : Integer.parseInt(ttl);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof LinkAddress && text.equals(((LinkAddress)o).text);
    }

    @Override
    public int hashCode()
    {
        return text.hashCode();
    }

    /**
     * The normalised URL, fit for logs and metric tags.
     */
    @Override
    public String toString()
    {
        return text;
    }
}
