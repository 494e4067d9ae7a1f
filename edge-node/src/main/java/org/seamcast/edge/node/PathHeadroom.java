package org.seamcast.edge.node;

import com.fasterxml.jackson.core.JsonGenerator;
import io.micrometer.core.instrument.MeterRegistry;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.metrics.FixedBucketHistogram;
import org.seamcast.transport.metrics.HistogramFamily;

import java.io.IOException;
import java.util.List;

/**
 * How much of the playout delay D is left when each copy arrives, per path: {@code deadline - arrival}, where a
 * copy's deadline is its timestamp plus its encoder's offset plus D, for every copy a path delivers (first, duplicate
 * or late; a late copy's headroom is negative). Arrival is when the playout thread takes the copy from its inbox.
 *
 * <p>Exported as the Prometheus histogram {@code seamcast_edge_path_headroom_seconds{path,address}} and, for the
 * status page, as the lowest and mean headroom and the number of copies of each second of the last
 * {@link SampleRing#CAPACITY} seconds. Recording is a few array stores: nothing is allocated per copy.
 *
 * <p>Threading: one per playout agent, on its thread only, except the histogram's scrape; the agents' histograms of a
 * path are one series ({@link HistogramFamily} adds children with the same labels), and the status page's seconds are
 * put together from each agent's {@link Window}.
 */
final class PathHeadroom
{
    /** Bucket upper bounds in µs: late (at most 0), then up to 10 s, finest where a LAN's D lives. */
    static final long[] BOUNDS_US =
        {
            0, 10_000, 20_000, 50_000, 100_000, 150_000, 200_000, 300_000, 400_000, 500_000, 750_000,
            1_000_000, 1_500_000, 2_000_000, 3_000_000, 5_000_000, 10_000_000
        };

    static final String METRIC = "seamcast_edge_path_headroom_seconds";

    private final FixedBucketHistogram[] histograms;
    private final long[] windowMinUs;
    private final long[] windowSumUs;
    private final long[] windowCopies;
    private final SampleRing[] minMs;
    private final SampleRing[] meanMs;
    private final SampleRing[] copies;

    /**
     * @return the histogram every agent's headroom records into, exported with {@code registry}.
     */
    static HistogramFamily family(final MeterRegistry registry)
    {
        return new HistogramFamily(METRIC,
            "time left before the playout deadline when a path delivers a copy (negative: late), every copy counted",
            1e6, BOUNDS_US, "path", "address").registerWith(registry);
    }

    /**
     * @param family from {@link #family}, shared by the edge's playout agents.
     * @param relays the edge's paths in path-id order (their addresses label the series).
     */
    PathHeadroom(final HistogramFamily family, final List<LinkAddress> relays)
    {
        final int paths = relays.size();
        histograms = new FixedBucketHistogram[paths];
        windowMinUs = new long[paths];
        windowSumUs = new long[paths];
        windowCopies = new long[paths];
        minMs = new SampleRing[paths];
        meanMs = new SampleRing[paths];
        copies = new SampleRing[paths];
        for (int p = 0; p < paths; p++)
        {
            histograms[p] = family.child(Integer.toString(p), relays.get(p).toString());
            windowMinUs[p] = Long.MAX_VALUE;
            minMs[p] = new SampleRing();
            meanMs[p] = new SampleRing();
            copies[p] = new SampleRing();
        }
    }

    /**
     * Counts one copy delivered by {@code pathId} with {@code headroomNs} left before its deadline.
     */
    void record(final int pathId, final long headroomNs)
    {
        if (pathId < 0 || pathId >= histograms.length)
        {
            return;
        }
        final long headroomUs = headroomNs / 1000;
        histograms[pathId].record(headroomUs);
        windowMinUs[pathId] = Math.min(windowMinUs[pathId], headroomUs);
        windowSumUs[pathId] += headroomUs;
        windowCopies[pathId]++;
    }

    /**
     * Closes the current second as history tick {@code tick} and starts the next.
     */
    void tick(final long tick)
    {
        for (int p = 0; p < histograms.length; p++)
        {
            final long n = windowCopies[p];
            copies[p].record(tick, n);
            minMs[p].record(tick, n == 0 ? SampleRing.ABSENT : Math.floorDiv(windowMinUs[p], 1000));
            meanMs[p].record(tick, n == 0 ? SampleRing.ABSENT : Math.floorDiv(windowSumUs[p] / n, 1000));
            windowMinUs[p] = Long.MAX_VALUE;
            windowSumUs[p] = 0;
            windowCopies[p] = 0;
        }
    }

    /**
     * @return the last {@link SampleRing#CAPACITY} seconds of every path up to {@code lastTick}, copied for another
     * thread.
     */
    Window window(final long lastTick)
    {
        final int paths = histograms.length;
        final long[][] min = new long[paths][SampleRing.CAPACITY];
        final long[][] mean = new long[paths][SampleRing.CAPACITY];
        final long[][] count = new long[paths][SampleRing.CAPACITY];
        final long firstTick = lastTick - SampleRing.CAPACITY + 1;
        for (int p = 0; p < paths; p++)
        {
            for (int i = 0; i < SampleRing.CAPACITY; i++)
            {
                min[p][i] = minMs[p].get(firstTick + i);
                mean[p][i] = meanMs[p].get(firstTick + i);
                count[p][i] = copies[p].get(firstTick + i);
            }
        }
        return new Window(lastTick, min, mean, count);
    }

    /**
     * @return copies counted in the histogram of {@code pathId} so far.
     */
    long copiesRecorded(final int pathId)
    {
        return histograms[pathId].count();
    }

    /**
     * Every path's lowest and mean headroom (ms) and copies of each second from {@code lastTick - CAPACITY + 1} to
     * {@code lastTick}, {@link SampleRing#ABSENT} where there were none: one agent's, or several put together.
     */
    record Window(long lastTick, long[][] minMs, long[][] meanMs, long[][] copies)
    {
        /**
         * The agents' windows as one, up to the oldest {@code lastTick} among them (an agent closes a second at its
         * next duty cycle): per second the copies added, the lowest of the lowest, the mean weighted by copies.
         */
        static Window merge(final List<Window> windows)
        {
            if (windows.size() == 1)
            {
                return windows.get(0);
            }
            long lastTick = Long.MAX_VALUE;
            for (final Window window : windows)
            {
                lastTick = Math.min(lastTick, window.lastTick);
            }
            final int paths = windows.get(0).copies.length;
            final long[][] min = new long[paths][SampleRing.CAPACITY];
            final long[][] mean = new long[paths][SampleRing.CAPACITY];
            final long[][] count = new long[paths][SampleRing.CAPACITY];
            for (int p = 0; p < paths; p++)
            {
                for (int i = 0; i < SampleRing.CAPACITY; i++)
                {
                    long copies = 0;
                    long lowest = Long.MAX_VALUE;
                    long weighted = 0;
                    boolean recorded = false;
                    for (final Window window : windows)
                    {
                        final int at = (int)(i - (window.lastTick - lastTick));
                        final long n = at >= 0 ? window.copies[p][at] : SampleRing.ABSENT;
                        if (n == SampleRing.ABSENT)
                        {
                            continue;
                        }
                        recorded = true;
                        if (n > 0)
                        {
                            copies += n;
                            lowest = Math.min(lowest, window.minMs[p][at]);
                            weighted += window.meanMs[p][at] * n;
                        }
                    }
                    count[p][i] = recorded ? copies : SampleRing.ABSENT;
                    min[p][i] = copies == 0 ? SampleRing.ABSENT : lowest;
                    mean[p][i] = copies == 0 ? SampleRing.ABSENT : Math.floorDiv(weighted, copies);
                }
            }
            return new Window(lastTick, min, mean, count);
        }

        /**
         * Writes {@code "headroom": {"minMs": [...], "meanMs": [...], "copies": [...]}} for one path, oldest second
         * first, {@code null} where absent.
         */
        void write(final JsonGenerator json, final int pathId) throws IOException
        {
            json.writeObjectFieldStart("headroom");
            if (pathId >= 0 && pathId < copies.length)
            {
                writeArray(json, "minMs", minMs[pathId]);
                writeArray(json, "meanMs", meanMs[pathId]);
                writeArray(json, "copies", copies[pathId]);
            }
            json.writeEndObject();
        }

        private static void writeArray(final JsonGenerator json, final String name, final long[] values)
            throws IOException
        {
            json.writeArrayFieldStart(name);
            for (final long value : values)
            {
                if (value == SampleRing.ABSENT)
                {
                    json.writeNull();
                }
                else
                {
                    json.writeNumber(value);
                }
            }
            json.writeEndArray();
        }
    }
}
