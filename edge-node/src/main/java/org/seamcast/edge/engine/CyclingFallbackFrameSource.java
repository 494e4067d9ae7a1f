package org.seamcast.edge.engine;

import org.agrona.MutableDirectBuffer;

import java.util.List;

/**
 * Fallback that plays a fixed list of frames (a configured file already split into frames, or one silence frame)
 * round and round, restarting from the first frame each time fallback begins.
 */
public final class CyclingFallbackFrameSource implements FallbackFrameSource
{
    private final byte[][] frames;
    private final int frameDurationUs;
    private final int maxFrameLength;
    private int next;

    /**
     * @param frames          frames to cycle through, at least one, each non-empty; copied.
     * @param frameDurationUs duration of each frame in µs.
     */
    public CyclingFallbackFrameSource(final List<byte[]> frames, final int frameDurationUs)
    {
        if (frames.isEmpty())
        {
            throw new IllegalArgumentException("frames.size=0 < 1");
        }
        if (frameDurationUs <= 0)
        {
            throw new IllegalArgumentException("frameDurationUs=" + frameDurationUs + " <= 0");
        }
        this.frames = new byte[frames.size()][];
        for (int i = 0; i < this.frames.length; i++)
        {
            final byte[] frame = frames.get(i);
            if (frame.length == 0)
            {
                throw new IllegalArgumentException("frames[" + i + "].length=0 < 1");
            }
            this.frames[i] = frame.clone();
        }
        this.frameDurationUs = frameDurationUs;
        int longest = 0;
        for (final byte[] frame : this.frames)
        {
            longest = Math.max(longest, frame.length);
        }
        this.maxFrameLength = longest;
    }

    @Override
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    public int writeNextFrame(final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        final byte[] frame = frames[next];
        if (frame.length > capacity)
        {
            return 0;
        }
        next = next + 1 == frames.length ? 0 : next + 1;
        buffer.putBytes(offset, frame);
        return frame.length;
    }

    public int lastFrameDurationUs()
    {
        return frameDurationUs;
    }

    public void onFallbackStart()
    {
        next = 0;
    }
}
