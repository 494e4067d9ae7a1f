package org.seamcast.edge.engine;

/**
 * One encoder's recent loudness envelope as it arrived, frame by frame ({@code timestamp, duration, dB}), in a
 * fixed ring that overwrites the oldest, and how long its estimated frames have been silent. Frames may arrive in
 * any order: the grid is painted by timestamp and the silence bounds are maxima. Single-threaded.
 */
final class EnvelopeHistory
{
    static final long NONE = Long.MIN_VALUE;

    /**
     * Each frame in two longs side by side, its timestamp then its duration (high half) and loudness's float bits
     * (low half): a frame written is one line of one array, where three arrays were three lines far apart, each cold
     * after the encoder's last pass over them (at 250 mounts this was a tenth of the edge's CPU).
     */
    private final long[] entries;
    private final int capacity;
    private final double silenceThresholdDb;
    private long frames;
    /** Where the next frame goes: {@code frames % capacity}, kept without a division. */
    private int next;
    private long latestEndUs = NONE;
    private long firstEstimatedUs = NONE;
    private long latestEstimatedEndUs = NONE;
    private long lastLoudEndUs = NONE;

    EnvelopeHistory(final int capacity, final double silenceThresholdDb)
    {
        entries = new long[2 * capacity];
        this.capacity = capacity;
        this.silenceThresholdDb = silenceThresholdDb;
    }

    /**
     * @param loudnessDb the frame's estimate, or NaN for none (a gap in the envelope, neither silent nor loud).
     */
    void add(final long timestampUs, final int durationUs, final double loudnessDb)
    {
        final int index = next;
        next = index + 1 == capacity ? 0 : index + 1;
        frames++;
        entries[2 * index] = timestampUs;
        entries[2 * index + 1] = (long)durationUs << 32 | (Float.floatToRawIntBits((float)loudnessDb) & 0xFFFF_FFFFL);

        final long endUs = timestampUs + durationUs;
        latestEndUs = Math.max(latestEndUs, endUs);
        if (!Double.isNaN(loudnessDb))
        {
            firstEstimatedUs = firstEstimatedUs == NONE ? timestampUs : Math.min(firstEstimatedUs, timestampUs);
            latestEstimatedEndUs = Math.max(latestEstimatedEndUs, endUs);
            if (loudnessDb >= silenceThresholdDb)
            {
                lastLoudEndUs = Math.max(lastLoudEndUs, endUs);
            }
        }
    }

    void reset()
    {
        frames = 0;
        next = 0;
        latestEndUs = NONE;
        firstEstimatedUs = NONE;
        latestEstimatedEndUs = NONE;
        lastLoudEndUs = NONE;
    }

    /** @return frames held, at most the capacity. */
    int size()
    {
        return (int)Math.min(frames, capacity);
    }

    long timestampUs(final int index)
    {
        return entries[2 * index];
    }

    int durationUs(final int index)
    {
        return (int)(entries[2 * index + 1] >>> 32);
    }

    float loudnessDb(final int index)
    {
        return Float.intBitsToFloat((int)entries[2 * index + 1]);
    }

    /** @return the latest end (timestamp + duration) of any frame held since the reset, or {@link #NONE}. */
    long latestEndUs()
    {
        return latestEndUs;
    }

    /**
     * @return media time from the last frame at or above the threshold (or the first estimated frame) to the end of
     * the latest estimated frame; 0 before any estimate.
     */
    long silentForUs()
    {
        if (latestEstimatedEndUs == NONE)
        {
            return 0;
        }
        return Math.max(0, latestEstimatedEndUs - Math.max(lastLoudEndUs, firstEstimatedUs));
    }
}
