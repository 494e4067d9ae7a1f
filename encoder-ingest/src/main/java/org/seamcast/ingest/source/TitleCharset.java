package org.seamcast.ingest.source;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

/**
 * How the bytes of a title sent to {@code /admin/metadata} become text. Encoders disagree: current automation
 * sends UTF-8, older hardware and Windows encoders send Latin-1 (ISO-8859-1) or their code page, some say which
 * with {@code charset=}. The rule:
 * <ul>
 *   <li>{@code charset=} names a charset Java knows ({@code ISO-8859-1}, {@code latin1}, {@code windows-1252},
 *   {@code Shift_JIS}, ...): the bytes are decoded in it, unmappable bytes becoming U+FFFD;</li>
 *   <li>no {@code charset=}, or UTF-8: strict UTF-8, and bytes that are not valid UTF-8 are read as Latin-1. A
 *   Latin-1 title with any accented letter is almost never valid UTF-8, so both kinds of encoder come out right
 *   without configuration;</li>
 *   <li>a charset Java does not know is refused ({@link #forName} returns null) rather than guessed.</li>
 * </ul>
 * Stateless and thread-safe.
 */
final class TitleCharset
{
    private TitleCharset()
    {
    }

    /**
     * @param name the {@code charset=} parameter, or null when absent.
     * @return the charset, UTF-8 when {@code name} is null or empty, or null when Java does not know the name.
     */
    static Charset forName(final String name)
    {
        if (name == null || name.isBlank())
        {
            return StandardCharsets.UTF_8;
        }
        try
        {
            return Charset.forName(name.trim());
        }
        catch (final IllegalCharsetNameException | UnsupportedCharsetException ex)
        {
            return null;
        }
    }

    /**
     * @return {@code bytes} as text in {@code charset}, with the UTF-8 to Latin-1 fallback described above.
     */
    static String decode(final byte[] bytes, final Charset charset)
    {
        if (!StandardCharsets.UTF_8.equals(charset))
        {
            return new String(bytes, charset);
        }
        try
        {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        }
        catch (final CharacterCodingException ex)
        {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
