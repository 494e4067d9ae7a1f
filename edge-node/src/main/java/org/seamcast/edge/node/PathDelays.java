package org.seamcast.edge.node;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long the ingests' stream heartbeats take to reach the edge over each path: the edge's clock at arrival minus
 * the heartbeat's sender time, smoothed per path as TCP smooths its round-trip time (each sample moves the estimate
 * by 1/{@value #SMOOTHING_DIVISOR} of its difference). It is the delay the playout delay must cover, from the clock
 * the frames are stamped with, so it is only as exact as the NTP sync of the ingests and the edge; it can read
 * negative when their clocks disagree by more than the delay.
 *
 * <p>Threading: {@link #sample} on the playout thread; the readers from any thread (gauges, status).
 */
final class PathDelays
{
    /** Each sample moves the estimate by the difference divided by this. */
    static final int SMOOTHING_DIVISOR = 8;

    private static final long NONE = Long.MIN_VALUE;

    private final AtomicLongArray smoothedUs;

    PathDelays(final int paths)
    {
        smoothedUs = new AtomicLongArray(paths);
        for (int i = 0; i < paths; i++)
        {
            smoothedUs.set(i, NONE);
        }
    }

    /**
     * @param pathId       the path a stream heartbeat arrived on.
     * @param senderTimeUs its sender's clock when it was sent, µs since the Unix epoch.
     * @param nowUs        the edge's clock now, µs since the Unix epoch.
     */
    void sample(final int pathId, final long senderTimeUs, final long nowUs)
    {
        final long delayUs = nowUs - senderTimeUs;
        final long previousUs = smoothedUs.get(pathId);
        smoothedUs.lazySet(pathId,
            previousUs == NONE ? delayUs : previousUs + (delayUs - previousUs) / SMOOTHING_DIVISOR);
    }

    /**
     * @return whether path {@code pathId} has carried a stream heartbeat.
     */
    boolean isKnown(final int pathId)
    {
        return smoothedUs.get(pathId) != NONE;
    }

    /**
     * @return the smoothed delay of path {@code pathId} in µs; meaningful only when {@link #isKnown}.
     */
    long delayUs(final int pathId)
    {
        return smoothedUs.get(pathId);
    }

    /**
     * @return the smoothed delay of path {@code pathId} in seconds, NaN before its first stream heartbeat (a gauge).
     */
    double delaySeconds(final int pathId)
    {
        final long delayUs = smoothedUs.get(pathId);
        return delayUs == NONE ? Double.NaN : delayUs / 1e6;
    }
}
