package org.seamcast.ingest.source;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The request head of a source or admin connection: {@code SOURCE /mount ICE/1.0}, {@code PUT /mount HTTP/1.1},
 * {@code GET /admin/metadata?...}. Parsed by hand rather than with Netty's HTTP codec because after the head a
 * source's body is raw audio with neither length nor chunking, which an HTTP decoder would read as further
 * requests.
 */
record SourceRequest(String method, String path, String query, String version, Map<String, String> headers)
{
    /**
     * @return the index just past the blank line that ends the head in {@code buf}'s readable bytes, or -1.
     */
    static int endOfHead(final ByteBuf buf)
    {
        final int start = buf.readerIndex();
        final int end = buf.writerIndex();
        for (int i = start; i < end; i++)
        {
            if (buf.getByte(i) == '\n')
            {
                if (i + 1 < end && buf.getByte(i + 1) == '\n')
                {
                    return i + 2 - start;
                }
                if (i + 2 < end && buf.getByte(i + 1) == '\r' && buf.getByte(i + 2) == '\n')
                {
                    return i + 3 - start;
                }
            }
        }
        return -1;
    }

    /**
     * @return the request, or null when the head is not a request line followed by headers.
     */
    static SourceRequest parse(final String head)
    {
        final String[] lines = head.split("\r?\n");
        if (lines.length == 0)
        {
            return null;
        }
        final String[] parts = lines[0].trim().split(" +");
        if (parts.length != 3 || !parts[1].startsWith("/"))
        {
            return null;
        }
        final Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++)
        {
            final String line = lines[i];
            if (line.isEmpty())
            {
                break;
            }
            final int colon = line.indexOf(':');
            if (colon <= 0)
            {
                return null;
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        final int q = parts[1].indexOf('?');
        final String path = q < 0 ? parts[1] : parts[1].substring(0, q);
        final String query = q < 0 ? "" : parts[1].substring(q + 1);
        return new SourceRequest(parts[0].toUpperCase(Locale.ROOT), path, query, parts[2], headers);
    }

    static String decodeHead(final ByteBuf buf, final int length)
    {
        return buf.toString(buf.readerIndex(), length, StandardCharsets.ISO_8859_1);
    }

    String header(final String lowerCaseName)
    {
        return headers.get(lowerCaseName);
    }

    /**
     * @return the query parameter, URL-decoded as UTF-8, or null.
     */
    String parameter(final String name)
    {
        for (final String pair : query.split("&"))
        {
            final int eq = pair.indexOf('=');
            final String key = eq < 0 ? pair : pair.substring(0, eq);
            if (name.equals(key))
            {
                return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
