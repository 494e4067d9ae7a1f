package org.seamcast.codec.audio;

import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Records every frame a splitter emits, copied, with the samples they decode to.
 */
final class FrameCollector implements AudioFrameHandler
{
    final List<byte[]> frames = new ArrayList<>();
    long samples;
    int sampleRateHz;
    int channels;
    AudioFormat format;
    long frameBytes;

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length, final AudioFrameHeader header)
    {
        final byte[] frame = new byte[length];
        buffer.getBytes(offset, frame);
        frames.add(frame);
        samples += header.samplesPerFrame();
        sampleRateHz = header.sampleRateHz();
        channels = header.channels();
        format = header.format();
        frameBytes += length;
        if (header.frameLengthBytes() != length)
        {
            throw new AssertionError("header length " + header.frameLengthBytes() + " != emitted " + length);
        }
    }

    double durationSeconds()
    {
        return (double)samples / sampleRateHz;
    }

    static FrameCollector split(final byte[] stream)
    {
        final FrameCollector collector = new FrameCollector();
        final AudioFrameSplitter splitter = new AudioFrameSplitter(collector);
        splitter.onData(stream, 0, stream.length);
        splitter.finish();
        return collector;
    }

    static boolean sameFrames(final List<byte[]> expected, final List<byte[]> actual)
    {
        if (expected.size() != actual.size())
        {
            return false;
        }
        for (int i = 0; i < expected.size(); i++)
        {
            if (!Arrays.equals(expected.get(i), actual.get(i)))
            {
                return false;
            }
        }
        return true;
    }
}
