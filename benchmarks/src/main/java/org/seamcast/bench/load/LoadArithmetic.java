package org.seamcast.bench.load;

import java.util.Locale;

/**
 * The arithmetic of the mesh load harness, kept apart so it can be checked without running a mesh: the send
 * schedule of the simulated encoders, CPU per frame copy, vCPUs, and the spread of per-slice figures.
 */
public final class LoadArithmetic
{
    /** One MP3 frame at 44.1 kHz: 1,152 samples, 26.122449 ms. */
    public static final long MP3_FRAME_INTERVAL_NS = 1_152L * 1_000_000_000L / 44_100L;

    private LoadArithmetic()
    {
    }

    /**
     * When global send slot {@code slot} is due. Slots go round the encoders in order, so encoder
     * {@code slot % encoders} sends its frame {@code slot / encoders} at {@code startNs + slot * intervalNs / encoders}:
     * every encoder sends one frame per interval, and their sends are spread evenly over the interval.
     */
    static long dueNs(final long startNs, final long slot, final int encoders, final long frameIntervalNs)
    {
        return startNs + slot * frameIntervalNs / encoders;
    }

    /**
     * The media timestamp of frame {@code sequence} of mount {@code mount}: both encoders of a mount stamp the same
     * time for the same frame (one studio), and mounts are offset from each other by their share of the interval.
     */
    static long timestampUs(
        final long t0Us, final long sequence, final int mount, final int mounts, final long frameIntervalNs)
    {
        return t0Us + (sequence * mounts + mount) * frameIntervalNs / mounts / 1_000L;
    }

    /**
     * @return the first sequence a mount's encoders send when the mounts start one after another over
     * {@code rampFrames} frame periods: mount 0 at once, the last one period short of the ramp's end.
     */
    static long firstSequence(final int mount, final int mounts, final long rampFrames)
    {
        return mount * rampFrames / mounts;
    }

    /**
     * Microseconds of CPU per copy, or NaN when no copy was counted.
     */
    public static double microsPerCopy(final long cpuNs, final long copies)
    {
        return copies <= 0 ? Double.NaN : cpuNs / 1_000.0 / copies;
    }

    /**
     * CPU time as a number of fully busy CPUs over a wall-clock window.
     */
    public static double vcpus(final long cpuNs, final long wallNs)
    {
        return wallNs <= 0 ? Double.NaN : (double)cpuNs / wallNs;
    }

    /**
     * Events per second over a wall-clock window.
     */
    public static double perSecond(final long count, final long wallNs)
    {
        return wallNs <= 0 ? Double.NaN : count * 1e9 / wallNs;
    }

    /**
     * Frames {@code encoders} real-time encoders send in {@code windowNs}.
     */
    public static double expectedFrames(final int encoders, final long windowNs, final long frameIntervalNs)
    {
        return (double)encoders * windowNs / frameIntervalNs;
    }

    /**
     * Mean and sample standard deviation of the values that are numbers; NaN values (an empty slice) are skipped.
     */
    public static Spread spread(final double[] values)
    {
        int n = 0;
        double sum = 0;
        for (final double value : values)
        {
            if (!Double.isNaN(value))
            {
                sum += value;
                n++;
            }
        }
        if (n == 0)
        {
            return new Spread(Double.NaN, Double.NaN, 0);
        }
        final double mean = sum / n;
        if (n == 1)
        {
            return new Spread(mean, Double.NaN, 1);
        }
        double squares = 0;
        for (final double value : values)
        {
            if (!Double.isNaN(value))
            {
                squares += (value - mean) * (value - mean);
            }
        }
        return new Spread(mean, Math.sqrt(squares / (n - 1)), n);
    }

    /**
     * The index of the first group whose prefixes one starts {@code threadName}, or {@code groups.length} (other).
     */
    static int groupOf(final String threadName, final String[][] groups)
    {
        for (int i = 0; i < groups.length; i++)
        {
            for (final String prefix : groups[i])
            {
                if (threadName.startsWith(prefix))
                {
                    return i;
                }
            }
        }
        return groups.length;
    }

    /**
     * Mean and sample standard deviation of {@code n} values.
     */
    public record Spread(double mean, double sd, int n)
    {
        public String format(final int decimals)
        {
            if (Double.isNaN(mean))
            {
                return "-";
            }
            final String pattern = "%." + decimals + "f";
            return String.format(Locale.ROOT, pattern, mean)
                + (Double.isNaN(sd) ? "" : " ± " + String.format(Locale.ROOT, pattern, sd));
        }
    }
}
