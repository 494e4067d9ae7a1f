package org.seamcast.ingest.source;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of a request's query string, percent-decoded to raw bytes: what the bytes mean (UTF-8, Latin-1,
 * whatever {@code charset=} says) is decided later, by the parameter's reader. {@code +} is a space, as Icecast
 * reads it; a byte the client did not encode (an old encoder's raw Latin-1 or space) is kept as it came. When a
 * name appears twice, the first value counts.
 *
 * <p>Malformed input is a result, not an exception: {@link #problem()} says what is wrong and where, e.g.
 * {@code "bad percent-encoding '%zz' in parameter song at offset 12"}.
 */
final class QueryParameters
{
    /** More parameters than this is not a metadata request but an attack on the map. */
    static final int MAX_PARAMETERS = 64;

    private static final int HEX_DIGITS = 2;

    private final Map<String, byte[]> values;
    private final String problem;

    private QueryParameters(final Map<String, byte[]> values, final String problem)
    {
        this.values = values;
        this.problem = problem;
    }

    /**
     * @param query the text after '?', each char one byte of the request (the head is read as ISO-8859-1).
     */
    static QueryParameters parse(final String query)
    {
        final Map<String, byte[]> values = new LinkedHashMap<>();
        int start = 0;
        int count = 0;
        while (start <= query.length())
        {
            int end = query.indexOf('&', start);
            if (end < 0)
            {
                end = query.length();
            }
            if (end > start)
            {
                if (++count > MAX_PARAMETERS)
                {
                    return refused("query has more than MAX_PARAMETERS=" + MAX_PARAMETERS + " parameters");
                }
                final int eq = query.indexOf('=', start);
                final int nameEnd = eq < 0 || eq > end ? end : eq;
                final ByteArrayOutputStream name = new ByteArrayOutputStream(nameEnd - start);
                final String nameProblem = decode(query, start, nameEnd, name, "a parameter name");
                if (nameProblem != null)
                {
                    return refused(nameProblem);
                }
                final String key = name.toString(StandardCharsets.ISO_8859_1);
                final ByteArrayOutputStream value = new ByteArrayOutputStream(Math.max(0, end - nameEnd - 1));
                final String valueProblem = nameEnd < end ?
                    decode(query, nameEnd + 1, end, value, "parameter " + key) : null;
                if (valueProblem != null)
                {
                    return refused(valueProblem);
                }
                values.putIfAbsent(key, value.toByteArray());
            }
            start = end + 1;
        }
        return new QueryParameters(values, null);
    }

    private static QueryParameters refused(final String problem)
    {
        return new QueryParameters(Map.of(), problem);
    }

    private static String decode(
        final String query, final int from, final int to, final ByteArrayOutputStream out, final String what)
    {
        for (int i = from; i < to; i++)
        {
            final char c = query.charAt(i);
            if (c == '%')
            {
                final int high = i + 1 < to ? hex(query.charAt(i + 1)) : -1;
                final int low = i + 2 < to ? hex(query.charAt(i + 2)) : -1;
                if (high < 0 || low < 0)
                {
                    return "bad percent-encoding '" + visible(query.substring(i, Math.min(to, i + 1 + HEX_DIGITS)))
                        + "' in " + what + " at offset " + i + " of the query";
                }
                out.write(high << 4 | low);
                i += HEX_DIGITS;
            }
            else if (c == '+')
            {
                out.write(' ');
            }
            else
            {
                out.write(c);
            }
        }
        return null;
    }

    private static int hex(final char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static String visible(final String text)
    {
        final StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int)c));
        }
        return b.toString();
    }

    /**
     * @return why the query cannot be read, or null when it can.
     */
    String problem()
    {
        return problem;
    }

    /**
     * @return the parameter's bytes, or null when absent ({@code name} and {@code name=} give an empty array).
     */
    byte[] bytes(final String name)
    {
        return values.get(name);
    }

    /**
     * @return the parameter read as UTF-8 (malformed bytes replaced), or null when absent: for names, modes,
     * passwords and charsets, never for titles.
     */
    String text(final String name)
    {
        final byte[] value = values.get(name);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    boolean has(final String name)
    {
        return values.containsKey(name);
    }
}
