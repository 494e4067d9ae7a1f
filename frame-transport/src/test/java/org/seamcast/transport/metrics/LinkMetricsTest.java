package org.seamcast.transport.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.seamcast.transport.DropReason;
import org.seamcast.transport.LinkMetrics;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.link.LinkAddress;

import static org.assertj.core.api.Assertions.assertThat;

class LinkMetricsTest
{
    private static final String PATH = "tcp://127.0.0.1:9001";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @AfterEach
    void close()
    {
        registry.close();
    }

    @Test
    void shouldNameTrafficInBaseUnitsWithoutRepeatingTheUnit()
    {
        final LinkMetrics metrics = new LinkMetrics(registry, PATH);
        metrics.received(100);
        metrics.received(50);
        metrics.sent(7);
        metrics.dropped(DropReason.CRC_MISMATCH);

        final PrometheusText text = PrometheusText.parse(registry.scrape());

        assertThat(value(text, "seamcast_link_in_messages_total")).isEqualTo(2);
        assertThat(value(text, "seamcast_link_in_bytes_total")).isEqualTo(150);
        assertThat(value(text, "seamcast_link_out_messages_total")).isEqualTo(1);
        assertThat(value(text, "seamcast_link_out_bytes_total")).isEqualTo(7);
        assertThat(text.samples("seamcast_link_drops_total").stream()
            .filter(s -> s.labels().get("reason").equals("crc_mismatch")).findFirst().orElseThrow().value())
            .isEqualTo(1);
        assertThat(text.sampleNames()).noneMatch(name -> name.contains("bytes_in_bytes") || name.contains("_bytes_bytes"));
        assertThat(text.helps()).allSatisfy((family, help) -> assertThat(help).as(family).isNotBlank());
    }

    @Test
    void shouldExportWhetherADialledLinkIsUp()
    {
        final FakeLink link = new FakeLink();
        new LinkMetrics(registry, PATH).up(link);

        assertThat(value(PrometheusText.parse(registry.scrape()), "seamcast_link_up")).isEqualTo(0);
        link.connected = true;
        assertThat(value(PrometheusText.parse(registry.scrape()), "seamcast_link_up")).isEqualTo(1);
    }

    private static double value(final PrometheusText text, final String name)
    {
        return text.samples(name).stream().filter(s -> PATH.equals(s.labels().get("path"))).findFirst()
            .orElseThrow(() -> new AssertionError(name + " with path " + PATH + " missing in " + text.sampleNames()))
            .value();
    }

    private static final class FakeLink implements MessageLink
    {
        volatile boolean connected;

        @Override
        public LinkAddress address()
        {
            return LinkAddress.parse(PATH);
        }

        @Override
        public boolean offer(final DirectBuffer buffer, final int offset, final int length)
        {
            return false;
        }

        @Override
        public void flush()
        {
        }

        @Override
        public boolean isConnected()
        {
            return connected;
        }

        @Override
        public String problem()
        {
            return connected ? null : "refused";
        }

        @Override
        public void close()
        {
        }
    }
}
