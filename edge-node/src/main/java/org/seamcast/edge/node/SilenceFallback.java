package org.seamcast.edge.node;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.audio.AudioFrameHeader;
import org.seamcast.codec.audio.HeaderStatus;
import org.seamcast.codec.audio.SilenceFrames;
import org.seamcast.edge.engine.FallbackFrameSource;
import org.agrona.DirectBuffer;

/**
 * Fallback frames of silence in the mount's own format (the format of the last encoder frame it saw), so listeners
 * stay connected and their decoders undisturbed while no encoder has audio. Owned by the playout thread.
 */
final class SilenceFallback implements FallbackFrameSource
{
    private final AudioFrameHeader header = new AudioFrameHeader();
    private final UnsafeBuffer silence = new UnsafeBuffer(new byte[SilenceFrames.MAX_LENGTH]);
    private int silenceLength;
    private int durationUs;
    private long formatKey = -1;

    /**
     * Learns the format from a frame the mount received; cheap when it has not changed.
     */
    void learnFormat(final DirectBuffer buffer, final int offset, final int length)
    {
        if (header.wrap(buffer, offset, length) != HeaderStatus.VALID)
        {
            return;
        }
        final long key = ((long)header.format().ordinal() << 56) | ((long)header.sampleRateHz() << 24)
            | ((long)header.channels() << 16) | header.bitrateKbps();
        if (key == formatKey && silenceLength > 0)
        {
            return;
        }
        formatKey = key;
        try
        {
            silenceLength = SilenceFrames.writeLike(header, silence, 0);
            durationUs = (int)(header.durationNs() / 1000);
        }
        catch (final IllegalArgumentException ex)
        {
            silenceLength = 0;
        }
    }

    @Override
    public int writeNextFrame(final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        if (silenceLength == 0 || silenceLength > capacity)
        {
            return 0;
        }
        buffer.putBytes(offset, silence, 0, silenceLength);
        return silenceLength;
    }

    @Override
    public int maxFrameLength()
    {
        return SilenceFrames.MAX_LENGTH;
    }

    @Override
    public int lastFrameDurationUs()
    {
        return durationUs;
    }
}
