package org.seamcast.codec.audio;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IcyDeinterleaverPropertyTest
{
    @Property(tries = 300)
    void anyChunkingYieldsTheSameAudioAndTitles(
        @ForAll @IntRange(min = 1, max = 600) final int metaIntBytes,
        @ForAll @Size(max = 5000) final byte[] original,
        @ForAll @Size(max = 6) final List<@StringLength(max = 300) String> titleTexts,
        @ForAll @Size(min = 1, max = 8) final List<@IntRange(min = 1, max = 700) Integer> chunkSizes)
    {
        final List<String> blocks = new ArrayList<>();
        for (final String title : titleTexts)
        {
            blocks.add(title.isEmpty() ? "" : "StreamTitle='" + title.replace("';", "'") + "';");
        }
        final byte[] stream = IcyStreamBuilder.interleave(original, metaIntBytes, blocks, StandardCharsets.UTF_8);

        final List<String> expectedTitles = new ArrayList<>();
        final IcyDeinterleaver whole = new IcyDeinterleaver(metaIntBytes, (buffer, offset, length) -> { },
            (title, url) -> expectedTitles.add(title));
        whole.onData(stream, 0, stream.length);

        final ByteArrayOutputStream audio = new ByteArrayOutputStream();
        final List<String> titles = new ArrayList<>();
        final IcyDeinterleaver chunked = new IcyDeinterleaver(
            metaIntBytes,
            (buffer, offset, length) ->
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                audio.writeBytes(bytes);
            },
            (title, url) -> titles.add(title));
        int offset = 0;
        int i = 0;
        while (offset < stream.length)
        {
            final int size = Math.min(chunkSizes.get(i++ % chunkSizes.size()), stream.length - offset);
            chunked.onData(Arrays.copyOfRange(stream, offset, offset + size), 0, size);
            offset += size;
        }

        assertThat(audio.toByteArray()).isEqualTo(original);
        assertThat(titles).isEqualTo(expectedTitles);
        assertThat(chunked.metadataBlocks()).isEqualTo(original.length / metaIntBytes);
    }
}
