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
 *
 * <p>The request line is split at its first and last space, so an old encoder's unencoded spaces in the target
 * ({@code GET /admin.cgi?song=A B&pass=x HTTP/1.0}) stay part of the query.
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
        final String requestLine = lines[0].trim();
        final int firstSpace = requestLine.indexOf(' ');
        final int lastSpace = requestLine.lastIndexOf(' ');
        if (firstSpace <= 0 || lastSpace == firstSpace)
        {
            return null;
        }
        final String target = requestLine.substring(firstSpace + 1, lastSpace).trim();
        final String version = requestLine.substring(lastSpace + 1);
        if (!target.startsWith("/") || !isProtocolVersion(version))
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
        final int q = target.indexOf('?');
        final String path = q < 0 ? target : target.substring(0, q);
        final String query = q < 0 ? "" : target.substring(q + 1);
        final String method = requestLine.substring(0, firstSpace).toUpperCase(Locale.ROOT);
        return new SourceRequest(method, path, query, version, headers);
    }

    private static boolean isProtocolVersion(final String version)
    {
        return version.regionMatches(true, 0, "HTTP/", 0, 5) || version.regionMatches(true, 0, "ICE/", 0, 4);
    }

    static String decodeHead(final ByteBuf buf, final int length)
    {
        return buf.toString(buf.readerIndex(), length, StandardCharsets.ISO_8859_1);
    }

    String header(final String lowerCaseName)
    {
        return headers.get(lowerCaseName);
    }
}
