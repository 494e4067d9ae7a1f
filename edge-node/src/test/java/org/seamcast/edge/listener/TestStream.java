package org.seamcast.edge.listener;

import java.io.ByteArrayOutputStream;

/**
 * The stream the listener tests play: 128 kbit/s MP3 headers and numbered 417-byte frames, none alike, so a
 * listener's bytes show which frames it got, in which order.
 */
final class TestStream
{
    static final int FRAME_BYTES = 417;
    static final StreamHeaders MP3 = new StreamHeaders(
        "audio/mpeg", "Seamcast Test FM", "Jazz", "A test station", "http://example.invalid", true,
        "samplerate=44100;channels=2;bitrate=128", 128);

    private TestStream()
    {
    }

    static byte[] frame(final int index)
    {
        final byte[] frame = new byte[FRAME_BYTES];
        for (int i = 0; i < FRAME_BYTES; i++)
        {
            frame[i] = (byte)(index * 31 + i);
        }
        return frame;
    }

    /**
     * Frames {@code first} .. {@code first + count - 1}, back to back.
     */
    static byte[] frames(final int first, final int count)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = first; i < first + count; i++)
        {
            out.writeBytes(frame(i));
        }
        return out.toByteArray();
    }
}
