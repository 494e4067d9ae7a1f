package org.seamcast.ingest.stream;

import java.util.Locale;
import java.util.Map;

/**
 * What a source says about its stream (Icecast's {@code ice-*} / {@code icy-*} request headers and Content-Type),
 * carried into the stream's ANNOUNCE. Values are trimmed to the protocol's limits and stripped of control bytes, so
 * a chatty encoder cannot make the announce unencodable.
 *
 * @param contentType    as sent, or null.
 * @param name           ice-name.
 * @param genre          ice-genre.
 * @param description    ice-description.
 * @param url            ice-url.
 * @param audioInfo      ice-audio-info.
 * @param isPublic       ice-public: 1, 0, or -1 when not sent.
 */
public record StreamHeaders(
    String contentType, String name, String genre, String description, String url, String audioInfo, int isPublic)
{
    public static final StreamHeaders NONE = new StreamHeaders(null, null, null, null, null, null, -1);

    /**
     * Reads the headers from a map keyed by lower-case header name; {@code ice-*} wins over {@code icy-*}.
     */
    public static StreamHeaders from(final Map<String, String> lowerCaseHeaders)
    {
        final String pub = first(lowerCaseHeaders, "ice-public", "icy-pub");
        return new StreamHeaders(
            clean(lowerCaseHeaders.get("content-type"), 64),
            clean(first(lowerCaseHeaders, "ice-name", "icy-name"), 255),
            clean(first(lowerCaseHeaders, "ice-genre", "icy-genre"), 128),
            clean(first(lowerCaseHeaders, "ice-description", "icy-description"), 255),
            clean(first(lowerCaseHeaders, "ice-url", "icy-url"), 255),
            clean(lowerCaseHeaders.get("ice-audio-info"), 128),
            pub == null ? -1 : ("1".equals(pub.trim()) || "true".equalsIgnoreCase(pub.trim()) ? 1 : 0));
    }

    private static String first(final Map<String, String> headers, final String a, final String b)
    {
        final String value = headers.get(a);
        return value != null ? value : headers.get(b.toLowerCase(Locale.ROOT));
    }

    /**
     * Drops control characters and cuts to at most {@code maxBytes} UTF-8 bytes on a character boundary.
     */
    static String clean(final String value, final int maxBytes)
    {
        if (value == null)
        {
            return null;
        }
        final StringBuilder out = new StringBuilder(value.length());
        int bytes = 0;
        for (int i = 0; i < value.length(); )
        {
            final int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isISOControl(cp))
            {
                continue;
            }
            final int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes)
            {
                break;
            }
            bytes += size;
            out.appendCodePoint(cp);
        }
        return out.toString().trim();
    }
}
