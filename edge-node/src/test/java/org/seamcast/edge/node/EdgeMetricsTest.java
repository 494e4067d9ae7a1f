package org.seamcast.edge.node;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeMetricsTest
{
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Queue<Runnable> registrations = new ArrayDeque<>();
    private final EdgeMetrics metrics = new EdgeMetrics(registry, List::of, registrations::add);

    @Test
    void shouldRegisterAnEncodersGaugesOnTheRegistrarNotTheThreadThatReportsIt()
    {
        metrics.encoder("/live", 7);

        assertThat(registry.find("seamcast.edge.encoder.offset").gauges()).isEmpty();
        assertThat(registrations).hasSize(1);

        runRegistrations();

        assertThat(registry.find("seamcast.edge.encoder.offset").tag("mount", "/live").tag("encoder", "7").gauges())
            .hasSize(1);
    }

    @Test
    void shouldRegisterAnEncoderOnce()
    {
        metrics.encoder("/live", 7);
        metrics.encoder("/live", 7);
        metrics.encoder("/live", 8);
        runRegistrations();
        final int meters = registry.getMeters().size();

        metrics.encoder("/live", 7);
        runRegistrations();

        assertThat(registry.getMeters()).hasSize(meters);
        assertThat(registry.find("seamcast.edge.encoder.offset").gauges()).hasSize(2);
    }

    private void runRegistrations()
    {
        Runnable registration;
        while ((registration = registrations.poll()) != null)
        {
            registration.run();
        }
    }
}
