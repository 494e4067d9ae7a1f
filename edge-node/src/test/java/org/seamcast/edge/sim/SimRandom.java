package org.seamcast.edge.sim;

import java.util.SplittableRandom;

/**
 * The simulator's only source of randomness: seeded, so a schedule replays exactly from its seed.
 */
public final class SimRandom
{
    private final SplittableRandom random;

    public SimRandom(final long seed)
    {
        random = new SplittableRandom(seed);
    }

    public long nextLong(final long boundExclusive)
    {
        return boundExclusive <= 0 ? 0 : random.nextLong(boundExclusive);
    }

    public long between(final long min, final long maxInclusive)
    {
        return min + nextLong(maxInclusive - min + 1);
    }

    public int nextInt(final int boundExclusive)
    {
        return boundExclusive <= 0 ? 0 : random.nextInt(boundExclusive);
    }

    public double nextDouble()
    {
        return random.nextDouble();
    }

    public boolean chance(final double probability)
    {
        return probability > 0 && random.nextDouble() < probability;
    }

    public long nextLong()
    {
        return random.nextLong();
    }

    static long mix(final long value)
    {
        long x = value + 0x9E3779B97F4A7C15L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }
}
