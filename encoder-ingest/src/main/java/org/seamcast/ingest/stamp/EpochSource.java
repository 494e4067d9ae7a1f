package org.seamcast.ingest.stamp;

import org.agrona.concurrent.EpochClock;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out encoder epochs: the wall clock in milliseconds, but strictly increasing even when two source
 * connections start in the same millisecond or the clock steps back. A restarted ingest starts later on the wall
 * clock, so its epochs are larger than any the previous process used and its sequence numbers never collide with
 * the old ones.
 *
 * <p>Thread-safe: any input thread may take an epoch.
 */
public final class EpochSource
{
    private final EpochClock clock;
    private final AtomicLong last = new AtomicLong();

    public EpochSource(final EpochClock clock)
    {
        this.clock = clock;
    }

    /**
     * @return an epoch greater than every one returned before.
     */
    public long next()
    {
        final long nowMs = clock.time();
        return last.updateAndGet(previous -> Math.max(previous + 1, nowMs));
    }
}
