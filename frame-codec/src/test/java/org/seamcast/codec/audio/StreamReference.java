package org.seamcast.codec.audio;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixture's audio frames as one-shot splitting finds them (already checked against ffprobe), cached per fixture,
 * and helpers to rebuild streams from them.
 */
record StreamReference(byte[] file, List<byte[]> frames)
{
    private static final Map<String, StreamReference> CACHE = new ConcurrentHashMap<>();

    static StreamReference of(final String fixtureName)
    {
        return CACHE.computeIfAbsent(fixtureName, name ->
        {
            final byte[] file = Fixtures.bytes(name);
            return new StreamReference(file, Collections.unmodifiableList(FrameCollector.split(file).frames));
        });
    }

    /**
     * @return the audio frames back to back, without tags or Xing frames.
     */
    byte[] bareStream()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(out::writeBytes);
        return out.toByteArray();
    }

    List<Integer> frameStarts()
    {
        final List<Integer> starts = new ArrayList<>();
        int offset = 0;
        for (final byte[] frame : frames)
        {
            starts.add(offset);
            offset += frame.length;
        }
        return starts;
    }

    static void feedInChunks(final AudioFrameSplitter splitter, final byte[] stream, final List<Integer> chunkSizes)
    {
        int offset = 0;
        int i = 0;
        while (offset < stream.length)
        {
            final int size = chunkSizes.isEmpty() ? stream.length : Math.min(chunkSizes.get(i++ % chunkSizes.size()),
                stream.length - offset);
            splitter.onData(stream, offset, size);
            if (splitter.bufferedBytes() > AudioFrameSplitter.BUFFER_CAPACITY)
            {
                throw new AssertionError("bufferedBytes=" + splitter.bufferedBytes() + " > capacity");
            }
            offset += size;
        }
        splitter.finish();
    }
}
