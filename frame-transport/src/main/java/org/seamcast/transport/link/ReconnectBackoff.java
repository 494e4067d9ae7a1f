package org.seamcast.transport.link;

import java.util.SplittableRandom;

/**
 * Jittered exponential backoff between reconnect attempts, so that many edges that lost the same relay do
 * not all knock on its door in the same millisecond when it comes back.
 *
 * <p>Attempt {@code n} (from 0) waits a uniformly random time in {@code [d/2, d]} where
 * {@code d = min(maxDelayNs, initialDelayNs * 2^n)}. {@link #reset()} after a connection succeeds.
 * Not thread-safe: owned by the link's event loop.
 */
public final class ReconnectBackoff
{
    /** First delay before jitter: near 100 ms, so a blip is repaired before a listener could notice. */
    public static final long DEFAULT_INITIAL_DELAY_NS = 100_000_000L;

    /** Delay cap: a few seconds, so a relay that returns is used again quickly. */
    public static final long DEFAULT_MAX_DELAY_NS = 4_000_000_000L;

    private final long initialDelayNs;
    private final long maxDelayNs;
    private final SplittableRandom random;
    private int attempts;

    public ReconnectBackoff(final long initialDelayNs, final long maxDelayNs, final long seed)
    {
        if (initialDelayNs <= 0)
        {
            throw new IllegalArgumentException("initialDelayNs=" + initialDelayNs + " must be > 0");
        }
        if (maxDelayNs < initialDelayNs)
        {
            throw new IllegalArgumentException(
                "maxDelayNs=" + maxDelayNs + " must be >= initialDelayNs=" + initialDelayNs);
        }
        this.initialDelayNs = initialDelayNs;
        this.maxDelayNs = maxDelayNs;
        this.random = new SplittableRandom(seed);
    }

    public ReconnectBackoff()
    {
        this(DEFAULT_INITIAL_DELAY_NS, DEFAULT_MAX_DELAY_NS, System.nanoTime());
    }

    /**
     * The delay before the next attempt; counts the attempt.
     */
    public long nextDelayNs()
    {
        final long ceiling = ceilingNs(attempts);
        if (attempts < 62)
        {
            attempts++;
        }
        final long floor = ceiling / 2;
        return floor + random.nextLong(ceiling - floor + 1);
    }

    /**
     * Attempts since the last {@link #reset()}.
     */
    public int attempts()
    {
        return attempts;
    }

    /**
     * Starts again from the initial delay, after a connection succeeded.
     */
    public void reset()
    {
        attempts = 0;
    }

    private long ceilingNs(final int attempt)
    {
        final int shift = Math.min(attempt, 62);
        if (initialDelayNs > (maxDelayNs >> shift))
        {
            return maxDelayNs;
        }
        return Math.min(maxDelayNs, initialDelayNs << shift);
    }
}
