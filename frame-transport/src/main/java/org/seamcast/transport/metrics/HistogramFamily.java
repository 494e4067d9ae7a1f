package org.seamcast.transport.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Prometheus histogram ({@code NAME_bucket{le}}, {@code NAME_count}, {@code NAME_sum}) whose children are
 * {@link FixedBucketHistogram}s, one per label set, recorded without allocation; only a scrape allocates. Values are
 * recorded as {@code long}s in a small unit and exported divided by {@code unitsPerExported} (1,000,000 for
 * microseconds exported as seconds, so a bound of 10,000 µs reads {@code le="0.01"} exactly).
 *
 * <p>Micrometer's own distribution summaries keep time windows and a maximum per record; this keeps only the
 * buckets and the sum, which is what {@code histogram_quantile} and a heatmap read.
 */
public final class HistogramFamily implements MultiCollector
{
    /** Most bounds a family may have; a few dozen buckets is already a fine resolution. */
    public static final int MAX_BOUNDS = 64;

    private final String name;
    private final String help;
    private final double unitsPerExported;
    private final long[] upperBounds;
    private final double[] exportedBounds;
    private final String[] labelNames;
    private final List<FixedBucketHistogram> children = new CopyOnWriteArrayList<>();

    /**
     * @param name        Prometheus name, ending in its base unit, e.g. {@code seamcast_edge_path_headroom_seconds}.
     * @param help        the HELP text.
     * @param unitsPerExported recorded units in one exported unit, e.g. 1e6 for µs recorded and seconds exported.
     * @param upperBounds bucket upper bounds in recorded units, strictly ascending; {@code +Inf} is added.
     * @param labelNames  names of the labels each child is tagged with.
     */
    public HistogramFamily(
        final String name,
        final String help,
        final double unitsPerExported,
        final long[] upperBounds,
        final String... labelNames)
    {
        if (upperBounds.length < 1 || upperBounds.length > MAX_BOUNDS)
        {
            throw new IllegalArgumentException(
                "upperBounds.length=" + upperBounds.length + " outside 1.." + MAX_BOUNDS);
        }
        for (int i = 1; i < upperBounds.length; i++)
        {
            if (upperBounds[i] <= upperBounds[i - 1])
            {
                throw new IllegalArgumentException("upperBounds[" + i + "]=" + upperBounds[i]
                    + " <= upperBounds[" + (i - 1) + "]=" + upperBounds[i - 1]);
            }
        }
        this.name = name;
        this.help = help;
        this.unitsPerExported = unitsPerExported;
        this.upperBounds = upperBounds.clone();
        this.exportedBounds = new double[upperBounds.length + 1];
        for (int i = 0; i < upperBounds.length; i++)
        {
            exportedBounds[i] = upperBounds[i] / unitsPerExported;
        }
        exportedBounds[upperBounds.length] = Double.POSITIVE_INFINITY;
        this.labelNames = labelNames.clone();
    }

    /**
     * Exports this family with {@code registry}'s scrape, when it is a Prometheus registry (otherwise nothing).
     *
     * @return this.
     */
    public HistogramFamily registerWith(final MeterRegistry registry)
    {
        if (registry instanceof PrometheusMeterRegistry prometheus)
        {
            prometheus.getPrometheusRegistry().register(this);
        }
        return this;
    }

    /**
     * Makes a child for one set of label values; cold path. Children made with the same values are exported as one
     * series, their counts and sums added, so each of several threads can record into a child of its own.
     *
     * @param labelValues one per label name, in order.
     * @return the new child, exported from now on.
     */
    public FixedBucketHistogram child(final String... labelValues)
    {
        if (labelValues.length != labelNames.length)
        {
            throw new IllegalArgumentException("labelValues.length=" + labelValues.length + " != labelNames.length="
                + labelNames.length + " for " + name);
        }
        final FixedBucketHistogram child = new FixedBucketHistogram(upperBounds, labelValues.clone());
        children.add(child);
        return child;
    }

    /**
     * @return the bucket upper bounds in recorded units.
     */
    public long[] upperBounds()
    {
        return upperBounds.clone();
    }

    @Override
    public MetricSnapshots collect()
    {
        // children with the same label values are one series: each of several owner threads records into its own
        final Map<List<String>, long[]> counts = new LinkedHashMap<>();
        final Map<List<String>, Long> sums = new LinkedHashMap<>();
        for (final FixedBucketHistogram child : children)
        {
            final List<String> labels = List.of(child.labelValues());
            final long[] series = counts.computeIfAbsent(labels, k -> new long[exportedBounds.length]);
            for (int i = 0; i < series.length; i++)
            {
                series[i] += child.bucketCount(i);
            }
            sums.merge(labels, child.sum(), Long::sum);
        }
        final HistogramSnapshot.Builder histogram = HistogramSnapshot.builder().name(name).help(help);
        for (final Map.Entry<List<String>, long[]> series : counts.entrySet())
        {
            histogram.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(exportedBounds, series.getValue()))
                .sum(sums.get(series.getKey()) / unitsPerExported)
                .labels(Labels.of(labelNames, series.getKey().toArray(new String[0])))
                .build());
        }
        return new MetricSnapshots(histogram.build());
    }

    @Override
    public List<String> getPrometheusNames()
    {
        return List.of(name);
    }

    @Override
    public String toString()
    {
        return "HistogramFamily{" + name + " " + Arrays.toString(labelNames) + "}";
    }
}
