package org.seamcast.codec.audio;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IcyDeinterleaverTest
{
    private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
    private final List<String> titles = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();

    @Test
    void shouldStripMetadataBlocksAndSurfaceStreamTitleAndUrl()
    {
        final byte[] original = sequence(1000);
        final byte[] stream = IcyStreamBuilder.interleave(original, 100, List.of(
            "StreamTitle='Artist - Song';StreamUrl='http://example.org/';", "", "", "StreamTitle='Next - Song';"),
            StandardCharsets.UTF_8);
        final IcyDeinterleaver deinterleaver = newDeinterleaver(100);

        deinterleaver.onData(stream, 0, stream.length);

        assertThat(audio.toByteArray()).isEqualTo(original);
        assertThat(titles).containsExactly("Artist - Song", "Next - Song");
        assertThat(urls).containsExactly("http://example.org/", null);
        assertThat(deinterleaver.metadataBlocks()).isEqualTo(10);
        assertThat(deinterleaver.audioBytes()).isEqualTo(1000);
    }

    @Test
    void shouldReportRepeatedMetadataOnlyOnce()
    {
        final byte[] stream = IcyStreamBuilder.interleave(sequence(800), 64, List.of("StreamTitle='Same';"),
            StandardCharsets.UTF_8);
        final IcyDeinterleaver deinterleaver = newDeinterleaver(64);

        deinterleaver.onData(stream, 0, stream.length);

        assertThat(titles).containsExactly("Same");
        assertThat(deinterleaver.metadataBlocks()).isEqualTo(12);
    }

    @Test
    void shouldKeepQuotesInsideATitle()
    {
        final byte[] stream = IcyStreamBuilder.interleave(sequence(32), 16,
            List.of("StreamTitle='Don't Stop - It's Time';StreamUrl='';"), StandardCharsets.UTF_8);

        newDeinterleaver(16).onData(stream, 0, stream.length);

        assertThat(titles).containsExactly("Don't Stop - It's Time");
        assertThat(urls).containsExactly("");
    }

    @Test
    void shouldDecodeUtf8AndFallBackToLatin1()
    {
        final byte[] utf8 = IcyStreamBuilder.interleave(sequence(16), 16, List.of("StreamTitle='Björk – Jóga';"),
            StandardCharsets.UTF_8);
        final byte[] latin1 = IcyStreamBuilder.interleave(sequence(16), 16, List.of("StreamTitle='Sigur Rós';"),
            StandardCharsets.ISO_8859_1);

        newDeinterleaver(16).onData(utf8, 0, utf8.length);
        newDeinterleaver(16).onData(latin1, 0, latin1.length);

        assertThat(titles).containsExactly("Björk – Jóga", "Sigur Rós");
    }

    @Test
    void shouldFeedASplitterDirectly()
    {
        final byte[] mp3 = Fixtures.bytes("mp3-mpeg1-48000-192k-stereo-stream.mp3");
        final byte[] stream = IcyStreamBuilder.interleave(mp3, 8192, List.of("StreamTitle='A';", "StreamTitle='B';"),
            StandardCharsets.UTF_8);
        final FrameCollector collector = new FrameCollector();
        final AudioFrameSplitter splitter = new AudioFrameSplitter(collector, AudioFormat.MP3);
        final IcyDeinterleaver deinterleaver = new IcyDeinterleaver(8192, splitter::onData, (title, url) -> titles.add(title));

        deinterleaver.onData(stream, 0, stream.length);
        splitter.finish();

        assertThat(FrameCollector.sameFrames(StreamReference.of("mp3-mpeg1-48000-192k-stereo-stream.mp3").frames(),
            collector.frames)).isTrue();
        assertThat(titles).containsExactly("A", "B");
    }

    @Test
    void shouldRejectANonPositiveMetaIntNamingTheValue()
    {
        assertThatThrownBy(() -> newDeinterleaver(0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("icy-metaint=0");
    }

    private IcyDeinterleaver newDeinterleaver(final int metaIntBytes)
    {
        return new IcyDeinterleaver(
            metaIntBytes,
            (buffer, offset, length) ->
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                audio.writeBytes(bytes);
            },
            (title, url) ->
            {
                titles.add(title);
                urls.add(url);
            });
    }

    private static byte[] sequence(final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 31 + 7);
        }
        return bytes;
    }
}
