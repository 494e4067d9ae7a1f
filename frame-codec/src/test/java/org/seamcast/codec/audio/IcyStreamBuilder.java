package org.seamcast.codec.audio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.List;

/**
 * Interleaves audio with ICY metadata blocks the way an Icecast or SHOUTcast server does.
 */
final class IcyStreamBuilder
{
    private IcyStreamBuilder()
    {
    }

    /**
     * @param audio        the audio bytes.
     * @param metaIntBytes audio bytes between blocks.
     * @param blocks       metadata text for each block in turn (null or "" for an empty block); repeats the last.
     */
    static byte[] interleave(final byte[] audio, final int metaIntBytes, final List<String> blocks, final Charset charset)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int block = 0;
        for (int offset = 0; offset < audio.length; offset += metaIntBytes)
        {
            final int n = Math.min(metaIntBytes, audio.length - offset);
            out.write(audio, offset, n);
            if (n == metaIntBytes)
            {
                final String text = blocks.isEmpty() ? null : blocks.get(Math.min(block++, blocks.size() - 1));
                out.writeBytes(block(text, charset));
            }
        }
        return out.toByteArray();
    }

    static byte[] block(final String text, final Charset charset)
    {
        if (null == text || text.isEmpty())
        {
            return new byte[] {0};
        }
        final byte[] bytes = text.getBytes(charset);
        final int units = (bytes.length + 15) / 16;
        final byte[] block = new byte[1 + units * 16];
        block[0] = (byte)units;
        System.arraycopy(bytes, 0, block, 1, bytes.length);
        return block;
    }
}
