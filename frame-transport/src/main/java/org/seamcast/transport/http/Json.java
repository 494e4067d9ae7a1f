package org.seamcast.transport.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The one way Seamcast writes JSON (node status, the Icecast-compatible {@code /status-json.xsl},
 * {@code seamcast probe --json}): jackson-core's streaming {@link JsonGenerator}, so every string is escaped by a
 * writer tested far beyond ours (quotes, backslashes, control characters, non-BMP characters) and a mount or title
 * sent by a stranger can never make the output invalid.
 *
 * <p>Pitfalls: write numbers with {@code writeNumber}, never as raw text; {@code writeStringField(name, null)}
 * writes {@code null}. A body that leaves an object or array open, or writes a field twice, fails with
 * {@link IllegalStateException} instead of being mended or emitting a document parsers disagree on.
 *
 * <p>Thread-safe: the factory is shared, each call has its own generator.
 */
public final class Json
{
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
        .enable(StreamWriteFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    private static final int INITIAL_CAPACITY = 256;

    private Json()
    {
    }

    /**
     * What a document holds, written into the generator it is handed.
     */
    @FunctionalInterface
    public interface Body
    {
        void write(JsonGenerator json) throws IOException;
    }

    /**
     * @return the document {@code body} writes, as one string without a trailing newline.
     * @throws IllegalStateException when {@code body} leaves an object or array open or repeats a field.
     */
    public static String render(final Body body)
    {
        final StringWriter out = new StringWriter(INITIAL_CAPACITY);
        try (JsonGenerator json = FACTORY.createGenerator(out))
        {
            body.write(json);
            if (!json.getOutputContext().inRoot())
            {
                throw new IllegalStateException("JSON body left " + json.getOutputContext().typeDesc() + " open");
            }
        }
        catch (final JsonGenerationException ex)
        {
            throw new IllegalStateException("JSON body is malformed: " + ex.getOriginalMessage(), ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("writing JSON into memory failed", ex);
        }
        return out.toString();
    }
}
