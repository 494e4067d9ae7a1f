package org.seamcast.edge.engine;

import org.agrona.collections.Int2IntHashMap;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-path counts of copies received, first copies, duplicates and late copies, for at most a fixed number of paths;
 * any further paths share one overflow bucket so hostile path ids cannot grow memory.
 */
final class PathCounters
{
    static final int RECEIVED = 0;
    static final int FIRST_COPIES = 1;
    static final int DUPLICATES = 2;
    static final int LATE = 3;
    private static final int STATS = 4;

    private final Int2IntHashMap indexByPathId;
    private final AtomicLongArray counts;
    private final int maxPaths;

    PathCounters(final int maxPaths)
    {
        this.maxPaths = maxPaths;
        indexByPathId = new Int2IntHashMap(Math.max(8, maxPaths * 2), 0.65f, -1);
        counts = new AtomicLongArray((maxPaths + 1) * STATS);
    }

    int index(final int pathId)
    {
        int index = indexByPathId.get(pathId);
        if (index < 0)
        {
            if (indexByPathId.size() >= maxPaths)
            {
                return maxPaths;
            }
            index = indexByPathId.size();
            indexByPathId.put(pathId, index);
        }
        return index;
    }

    void increment(final int index, final int stat)
    {
        final int i = index * STATS + stat;
        counts.lazySet(i, counts.get(i) + 1);
    }

    long get(final int pathId, final int stat)
    {
        final int index = indexByPathId.get(pathId);
        return index < 0 ? 0 : counts.get(index * STATS + stat);
    }

    /** @return the count of {@code stat} over every path, the overflow bucket's too. Any thread. */
    long total(final int stat)
    {
        long total = 0;
        for (int index = 0; index <= maxPaths; index++)
        {
            total += counts.get(index * STATS + stat);
        }
        return total;
    }

    long overflow(final int stat)
    {
        return counts.get(maxPaths * STATS + stat);
    }

    int trackedPaths()
    {
        return indexByPathId.size();
    }
}
