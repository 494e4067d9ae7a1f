package org.seamcast.transport.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FixedBucketHistogramTest
{
    private static final long[] BOUNDS_US = {0, 10_000, 100_000, 500_000};

    @Test
    void shouldCountEachValueInTheFirstBucketWhoseBoundIsAtLeastIt()
    {
        final FixedBucketHistogram histogram = new HistogramFamily("x_seconds", "x", 1e6, BOUNDS_US, "path")
            .child("0");

        for (final long value : new long[] {-5_000, 0, 1, 10_000, 10_001, 500_000, 500_001, 9_000_000})
        {
            histogram.record(value);
        }

        assertThat(List.of(histogram.bucketCount(0), histogram.bucketCount(1), histogram.bucketCount(2),
            histogram.bucketCount(3), histogram.bucketCount(4))).containsExactly(2L, 2L, 1L, 1L, 2L);
        assertThat(histogram.count()).isEqualTo(8);
        assertThat(histogram.sum()).isEqualTo(-5_000 + 1 + 10_000 + 10_001 + 500_000 + 500_001 + 9_000_000L);
    }

    @Test
    void shouldExportACumulativePrometheusHistogramScaledToSecondsWithItsHelp()
    {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final HistogramFamily family = new HistogramFamily("seamcast_test_headroom_seconds",
            "how much time was left", 1e6, BOUNDS_US, "path").registerWith(registry);
        family.child("0").record(50_000);
        family.child("1").record(-1);

        final PrometheusText text = PrometheusText.parse(registry.scrape());

        assertThat(text.types()).containsEntry("seamcast_test_headroom_seconds", "histogram");
        assertThat(text.helps()).containsEntry("seamcast_test_headroom_seconds", "how much time was left");
        assertThat(text.samples("seamcast_test_headroom_seconds_bucket").stream()
            .filter(s -> s.labels().get("path").equals("0"))
            .map(s -> s.labels().get("le") + "=" + (long)s.value()).toList())
            .containsExactly("0.0=0", "0.01=0", "0.1=1", "0.5=1", "+Inf=1");
        assertThat(text.samples("seamcast_test_headroom_seconds_count"))
            .extracting(s -> Map.entry(s.labels().get("path"), s.value()))
            .containsExactlyInAnyOrder(Map.entry("0", 1.0), Map.entry("1", 1.0));
        assertThat(text.samples("seamcast_test_headroom_seconds_sum").get(0).value()).isEqualTo(0.05);
        registry.close();
    }

    @Test
    void shouldExportChildrenWithTheSameLabelsAsOneSeriesTheirCountsAndSumsAdded()
    {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final HistogramFamily family = new HistogramFamily("seamcast_test_headroom_seconds",
            "how much time was left", 1e6, BOUNDS_US, "path").registerWith(registry);
        final FixedBucketHistogram firstThreads = family.child("0");
        final FixedBucketHistogram secondThreads = family.child("0");
        firstThreads.record(50_000);
        secondThreads.record(50_000);
        secondThreads.record(400_000);
        family.child("1").record(1);

        final PrometheusText text = PrometheusText.parse(registry.scrape());

        assertThat(text.samples("seamcast_test_headroom_seconds_count"))
            .extracting(s -> Map.entry(s.labels().get("path"), s.value()))
            .containsExactlyInAnyOrder(Map.entry("0", 3.0), Map.entry("1", 1.0));
        assertThat(text.samples("seamcast_test_headroom_seconds_bucket").stream()
            .filter(s -> s.labels().get("path").equals("0"))
            .map(s -> s.labels().get("le") + "=" + (long)s.value()).toList())
            .containsExactly("0.0=0", "0.01=0", "0.1=2", "0.5=3", "+Inf=3");
        assertThat(text.samples("seamcast_test_headroom_seconds_sum").stream()
            .filter(s -> s.labels().get("path").equals("0")).findFirst().orElseThrow().value()).isEqualTo(0.5);
        registry.close();
    }

    @Test
    void shouldRefuseBoundsThatDoNotAscendNamingBoth()
    {
        assertThatThrownBy(() -> new HistogramFamily("x", "x", 1, new long[] {1, 5, 5}, "path"))
            .hasMessage("upperBounds[2]=5 <= upperBounds[1]=5");
    }
}
