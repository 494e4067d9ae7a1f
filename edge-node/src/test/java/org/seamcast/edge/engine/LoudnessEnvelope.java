package org.seamcast.edge.engine;

/**
 * One encoding's frames as an ingest would stamp them from the start of the stream: start and duration in µs (from
 * sample counts) and {@code FrameLoudness}'s estimate. {@code codecDelayUs} is how much later than the source the
 * encoding's decoded audio is (encoder plus decoder delay), so frame {@code k} carries source time
 * {@code startUs[k] - codecDelayUs}; its estimate describes the audio played {@code estimateLagUs[k]} later.
 */
record LoudnessEnvelope(
    String name, long[] startUs, int[] durationUs, double[] loudnessDb, long[] estimateLagUs, long codecDelayUs)
{
    int frames()
    {
        return startUs.length;
    }

    /** @return the shortest frame duration. */
    int frameUs()
    {
        int shortest = Integer.MAX_VALUE;
        for (final int duration : durationUs)
        {
            shortest = Math.min(shortest, duration);
        }
        return shortest;
    }
}
