package org.seamcast.ingest.source;

import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class IceResponseTest
{
    @Test
    void shouldAnswerLikeIcecast()
    {
        assertThat(new String(IceResponse.body(IceResponse.UPDATED, true), StandardCharsets.UTF_8)).isEqualTo(
            "<?xml version=\"1.0\"?>\n<iceresponse><message>Metadata update successful</message>"
                + "<return>1</return></iceresponse>\n");
    }

    @Test
    void shouldQuoteAHostileRequestAsWellFormedXml() throws Exception
    {
        final String hostile = "Source does not exist: /a</message><return>1</return>&\"'\u0000\u0008 \uD83C\uDFB5 \uD800";

        final byte[] body = IceResponse.body(hostile, false);

        final org.w3c.dom.Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(new ByteArrayInputStream(body));
        assertThat(xml.getElementsByTagName("message").item(0).getTextContent())
            .isEqualTo("Source does not exist: /a</message><return>1</return>&\"' \uD83C\uDFB5 ");
        assertThat(xml.getElementsByTagName("return").item(0).getTextContent()).isEqualTo("0");
    }
}
