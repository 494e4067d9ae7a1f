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
 * <p>Threading: the playout thread only, except the histogram's scrape.
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
     * @param registry where the histogram is exported.
     * @param relays   the edge's paths in path-id order (their addresses label the series).
     */
    PathHeadroom(final MeterRegistry registry, final List<LinkAddress> relays)
    {
        final HistogramFamily family = new HistogramFamily(METRIC,
            "time left before the playout deadline when a path delivers a copy (negative: late), every copy counted",
            1e6, BOUNDS_US, "path", "address").registerWith(registry);
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
     * Writes {@code "headroom": {"minMs": [...], "meanMs": [...], "copies": [...]}} for one path, ending at
     * {@code lastTick}.
     */
    void write(final JsonGenerator json, final int pathId, final long lastTick) throws IOException
    {
        json.writeObjectFieldStart("headroom");
        if (pathId >= 0 && pathId < histograms.length)
        {
            json.writeFieldName("minMs");
            minMs[pathId].write(json, lastTick);
            json.writeFieldName("meanMs");
            meanMs[pathId].write(json, lastTick);
            json.writeFieldName("copies");
            copies[pathId].write(json, lastTick);
        }
        json.writeEndObject();
    }

    /**
     * @return copies counted in the histogram of {@code pathId} so far.
     */
    long copiesRecorded(final int pathId)
    {
        return histograms[pathId].count();
    }
}
