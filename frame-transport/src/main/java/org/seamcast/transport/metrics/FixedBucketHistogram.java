package org.seamcast.transport.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A histogram over fixed bucket bounds of {@code long} values (e.g. microseconds), recorded by one thread without
 * allocating and read by any thread: a binary search and two ordered stores per value. Exported by the
 * {@link HistogramFamily} that made it.
 *
 * <p>Threading: {@link #record} from one owner thread only; the readers may run on any thread and see each bucket
 * and the sum at most one record apart.
 */
public final class FixedBucketHistogram
{
    private final long[] upperBounds;
    private final AtomicLongArray counts;
    private final AtomicLong sum = new AtomicLong();
    private final String[] labelValues;

    FixedBucketHistogram(final long[] upperBounds, final String[] labelValues)
    {
        this.upperBounds = upperBounds;
        this.counts = new AtomicLongArray(upperBounds.length + 1);
        this.labelValues = labelValues;
    }

    /**
     * Counts {@code value} in the first bucket whose upper bound is {@code >= value}, or the overflow bucket.
     */
    public void record(final long value)
    {
        int low = 0;
        int high = upperBounds.length;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (upperBounds[mid] < value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        counts.lazySet(low, counts.get(low) + 1);
        sum.lazySet(sum.get() + value);
    }

    /**
     * @param bucket index, 0 to the number of bounds (the last is the overflow bucket, above every bound).
     * @return values counted in that bucket alone (not cumulative).
     */
    public long bucketCount(final int bucket)
    {
        return counts.get(bucket);
    }

    /**
     * @return values recorded.
     */
    public long count()
    {
        long count = 0;
        for (int i = 0; i < counts.length(); i++)
        {
            count += counts.get(i);
        }
        return count;
    }

    /**
     * @return sum of the values recorded.
     */
    public long sum()
    {
        return sum.get();
    }

    String[] labelValues()
    {
        return labelValues;
    }
}
