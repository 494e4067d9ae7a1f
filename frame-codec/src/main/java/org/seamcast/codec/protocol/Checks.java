package org.seamcast.codec.protocol;

/**
 * Argument checks for encoders; messages name the value and the limit.
 */
final class Checks
{
    private Checks()
    {
    }

    static void u32(final String name, final long value)
    {
        if (value < 0 || value > 0xFFFF_FFFFL)
        {
            throw new IllegalArgumentException(name + "=" + value + " outside 0..4294967295");
        }
    }

    static void range(final String name, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + "=" + value + " outside " + min + ".." + max);
        }
    }

    static void count(final String name, final int count, final int max, final String maxName)
    {
        if (count > max)
        {
            throw new IllegalArgumentException(name + "=" + count + " > " + maxName + "=" + max);
        }
    }
}
