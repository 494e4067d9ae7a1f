package org.seamcast.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every string Seamcast writes into JSON comes back unchanged through a real parser, however hostile.
 */
class JsonTest
{
    private static final ObjectMapper PARSER = new ObjectMapper();

    static final List<String> HOSTILE = List.of(
        "/a\\",
        "/a\"b",
        "\"},{\"injected\":true,\"x\":\"",
        "tab\there\nnew line\rreturn\bback\fform",
        "nul\u0000bell\u0007esc\u001bunit\u001fdel\u007f",
        "caf\u00e9 \u65e5\u672c \u20ac",
        "music \uD83C\uDFB5 and \uD834\uDD1E (non-BMP)",
        "line\u2028para\u2029sep",
        "</script><script>alert(1)</script>",
        "");

    @Test
    void shouldWriteEveryHostileStringSoAParserReadsItBackUnchanged() throws Exception
    {
        for (final String value : HOSTILE)
        {
            final String json = Json.render(g ->
            {
                g.writeStartObject();
                g.writeStringField(value, value);
                g.writeArrayFieldStart("list");
                g.writeString(value);
                g.writeEndArray();
                g.writeEndObject();
            });

            final JsonNode parsed = PARSER.readTree(json);
            assertThat(parsed.get(value).asText()).as(json).isEqualTo(value);
            assertThat(parsed.get("list").get(0).asText()).isEqualTo(value);
            assertThat(parsed.size()).isEqualTo(2);
        }
    }

    @Test
    void shouldEscapeControlCharactersAndKeepNonAsciiAsItIs()
    {
        final String json = Json.render(g -> g.writeString("a\"\\\u0001\n\u00e9\uD83C\uDFB5"));

        assertThat(json).isEqualTo("\"a\\\"\\\\\\u0001\\n\u00e9\uD83C\uDFB5\"");
    }

    @Test
    void shouldWriteNullForANullStringAndNumbersAsNumbers() throws Exception
    {
        final String json = Json.render(g ->
        {
            g.writeStartObject();
            g.writeStringField("title", null);
            g.writeNumberField("count", Long.MAX_VALUE);
            g.writeNumberField("seconds", 10.005333333333333);
            g.writeBooleanField("up", true);
            g.writeEndObject();
        });

        assertThat(json).isEqualTo(
            "{\"title\":null,\"count\":9223372036854775807,\"seconds\":10.005333333333333,\"up\":true}");
        assertThat(PARSER.readTree(json).get("title").isNull()).isTrue();
    }

    @Test
    void shouldKeepALoneSurrogateFromBreakingTheDocument() throws Exception
    {
        final String json = Json.render(g -> g.writeString("half \uD83C pair"));

        final byte[] served = HttpReply.json(json).body();
        assertThat(PARSER.readTree(served).asText()).startsWith("half ").endsWith(" pair");
    }

    @Test
    void shouldRefuseABodyThatLeavesAnObjectOpen()
    {
        assertThatThrownBy(() -> Json.render(g ->
        {
            g.writeStartObject();
            g.writeArrayFieldStart("open");
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("open");
    }

    @Test
    void shouldRefuseABodyThatWritesAFieldTwice()
    {
        assertThatThrownBy(() -> Json.render(g ->
        {
            g.writeStartObject();
            g.writeNumberField("a", 1);
            g.writeNumberField("a", 2);
            g.writeEndObject();
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("Duplicate field");
    }
}
