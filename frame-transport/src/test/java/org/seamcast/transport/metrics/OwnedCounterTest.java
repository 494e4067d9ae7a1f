package org.seamcast.transport.metrics;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OwnedCounterTest
{
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void shouldCountOnTheOwnerThreadAndShowAsACounterInTheScrape() throws Exception
    {
        final OwnedCounter counter = OwnedCounter.register(registry, "seamcast.test.frames", "frames counted",
            Tags.of("path", "tcp://a:1"));
        final Thread owner = new Thread(() ->
        {
            for (int i = 0; i < 1_000; i++)
            {
                counter.increment();
            }
        });
        owner.start();
        owner.join();

        assertThat(counter.get()).isEqualTo(1_000);
        assertThat(registry.scrape()).contains("# TYPE seamcast_test_frames_total counter")
            .contains("seamcast_test_frames_total{path=\"tcp://a:1\"} 1000.0");
    }

    @Test
    void shouldLeaveTheScrapeWhenItsMeterIsRemoved()
    {
        final OwnedCounter counter = OwnedCounter.register(registry, "seamcast.test.gone", "gone", Tags.empty());
        counter.increment();

        registry.remove(counter.meter());

        assertThat(registry.scrape()).doesNotContain("seamcast_test_gone");
    }
}
