package org.seamcast.ingest.source;

import java.nio.charset.StandardCharsets;

/**
 * The XML body Icecast answers admin requests with, so tools that read Icecast's {@code <return>} read ours:
 * <pre>
 *   &lt;?xml version="1.0"?&gt;
 *   &lt;iceresponse&gt;&lt;message&gt;Metadata update successful&lt;/message&gt;&lt;return&gt;1&lt;/return&gt;&lt;/iceresponse&gt;
 * </pre>
 * {@code return} is 1 for success, 0 for a refusal. The message may quote the request (a mount, a charset), so it
 * is escaped, and characters XML 1.0 cannot carry are dropped.
 */
final class IceResponse
{
    /** Content-Type of the body, as Icecast 2.4 sends it. */
    static final String CONTENT_TYPE = "text/xml; charset=utf-8";
    static final String UPDATED = "Metadata update successful";

    private IceResponse()
    {
    }

    /**
     * @return the UTF-8 body saying {@code message}, with {@code <return>} 1 when {@code success}.
     */
    static byte[] body(final String message, final boolean success)
    {
        final StringBuilder b = new StringBuilder(96 + message.length())
            .append("<?xml version=\"1.0\"?>\n<iceresponse><message>");
        escape(message, b);
        return b.append("</message><return>").append(success ? 1 : 0).append("</return></iceresponse>\n")
            .toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void escape(final String text, final StringBuilder b)
    {
        for (int i = 0; i < text.length(); )
        {
            final int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp)
            {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default ->
                {
                    if (isXmlChar(cp))
                    {
                        b.appendCodePoint(cp);
                    }
                }
            }
        }
    }

    private static boolean isXmlChar(final int cp)
    {
        return cp == '\t' || cp == '\n' || cp == '\r' || (cp >= 0x20 && cp <= 0xD7FF)
            || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
    }
}
