package org.seamcast.codec.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worked examples in docs/protocol.md are what the encoder produces and what the decoder reads.
 */
class WorkedExampleTest
{
    static final String UNSIGNED_HEX =
        "53 43 01 01 00 01 40 00 07 00 00 00 44 ac 00 00 " +
        "00 f1 53 65 00 00 00 00 2a 00 00 00 00 00 00 00 " +
        "00 40 1e 18 24 0a 06 00 80 04 00 01 09 2f 6c 69 " +
        "76 65 2e 6d 70 33 04 00 ff fb 90 64 34 88 69 99";
    static final String SIGNED_HEX =
        "53 43 01 01 01 01 51 00 07 00 00 00 44 ac 00 00 " +
        "00 f1 53 65 00 00 00 00 2a 00 00 00 00 00 00 00 " +
        "00 40 1e 18 24 0a 06 00 80 04 00 01 09 2f 6c 69 " +
        "76 65 2e 6d 70 33 04 00 ff fb 90 64 01 1e c6 cd " +
        "94 a7 58 79 4b 32 ee eb 57 fa 51 58 72 59 9c b3 " +
        "9e";
    private static final Keyring EXAMPLE_KEYRING =
        Keyring.of(1, "seamcast-example-key-0123456789ab".getBytes(StandardCharsets.US_ASCII));

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

    private String encodeExample(final MessageAuthenticator signer)
    {
        final int length = new FrameEncoder().wrap(buffer, 0, MountName.of("/live.mp3"))
            .encoderId(7).priority(0).epoch(1_700_000_000L).sequence(42).timestampUs(1_700_000_000_000_000L)
            .codec(CodecType.MP3).sampleRate(44_100).samplesInFrame(1152).cleanSwitch(true)
            .payload(new byte[] { (byte)0xFF, (byte)0xFB, (byte)0x90, 0x64 }, 0, 4)
            .finish(signer);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    @Test
    void shouldEncodeTheUnsignedWorkedExampleByteForByte()
    {
        assertThat(encodeExample(null)).isEqualTo(UNSIGNED_HEX);
    }

    @Test
    void shouldEncodeTheSignedWorkedExampleByteForByte()
    {
        assertThat(encodeExample(EXAMPLE_KEYRING.newAuthenticator())).isEqualTo(SIGNED_HEX);
    }

    @Test
    void shouldDecodeTheSignedWorkedExampleWithTheExampleKey()
    {
        final byte[] bytes = HexFormat.ofDelimiter(" ").parseHex(SIGNED_HEX);
        final MessageDecoder decoder = new MessageDecoder(EXAMPLE_KEYRING.newAuthenticator());

        assertThat(decoder.decode(new UnsafeBuffer(bytes), 0, bytes.length)).isEqualTo(DecodeResult.OK);
        assertThat(decoder.isMacVerified()).isTrue();
        final FrameView frame = decoder.frame();
        assertThat(frame.mountString()).isEqualTo("/live.mp3");
        assertThat(frame.sequence()).isEqualTo(42);
        assertThat(frame.timestampUs()).isEqualTo(1_700_000_000_000_000L);
        assertThat(frame.payloadLength()).isEqualTo(4);
    }

    @Test
    void shouldShowTheSameHexInTheProtocolDocument() throws IOException
    {
        final Path doc = Path.of("..", "docs", "protocol.md");
        assertThat(doc).as("docs/protocol.md, relative to the frame-codec module").exists();
        final String text = Files.readString(doc).replaceAll("\\s+", " ");

        assertThat(text).contains("<!-- worked-example-unsigned --> ``` " + UNSIGNED_HEX + " ```");
        assertThat(text).contains("<!-- worked-example-signed --> ``` " + SIGNED_HEX + " ```");
    }
}
