package org.seamcast.edge.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.seamcast.transport.http.Json;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.metrics.HistogramFamily;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PathHeadroomTest
{
    private static final long MS = 1_000_000L;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<LinkAddress> relays =
        List.of(LinkAddress.parse("tcp://relay-1:9001"), LinkAddress.parse("udp://0.0.0.0:9002"));
    private final HistogramFamily family = PathHeadroom.family(registry);
    private final PathHeadroom headroom = new PathHeadroom(family, relays);

    @AfterEach
    void close()
    {
        registry.close();
    }

    @Test
    void shouldCountEveryCopyInItsPathsBucketsLateOnesBelowZero()
    {
        headroom.record(0, 450 * MS);
        headroom.record(0, 480 * MS);
        headroom.record(0, -3 * MS);
        headroom.record(1, 90 * MS);
        headroom.record(7, 90 * MS);

        final String text = registry.scrape();

        assertThat(text).contains(
            "seamcast_edge_path_headroom_seconds_bucket{address=\"tcp://relay-1:9001\",path=\"0\",le=\"0.0\"} 1",
            "seamcast_edge_path_headroom_seconds_bucket{address=\"tcp://relay-1:9001\",path=\"0\",le=\"0.4\"} 1",
            "seamcast_edge_path_headroom_seconds_bucket{address=\"tcp://relay-1:9001\",path=\"0\",le=\"0.5\"} 3",
            "seamcast_edge_path_headroom_seconds_count{address=\"tcp://relay-1:9001\",path=\"0\"} 3",
            "seamcast_edge_path_headroom_seconds_bucket{address=\"udp://0.0.0.0:9002\",path=\"1\",le=\"0.1\"} 1");
        assertThat(headroom.copiesRecorded(1)).as("a path id beyond the edge's paths is ignored").isEqualTo(1);
    }

    @Test
    void shouldKeepTheMeanAndLowestOfEachSecondAndNullWhenAPathDeliveredNothing() throws Exception
    {
        headroom.record(0, 400 * MS);
        headroom.record(0, 200 * MS);
        headroom.record(1, 300 * MS);
        headroom.tick(10);
        headroom.record(0, 100 * MS);
        headroom.tick(11);

        final JsonNode path0 = write(0, 11);
        final JsonNode path1 = write(1, 11);

        assertThat(tail(path0.get("meanMs"))).containsExactly("300", "100");
        assertThat(tail(path0.get("minMs"))).containsExactly("200", "100");
        assertThat(tail(path0.get("copies"))).containsExactly("2", "1");
        assertThat(tail(path1.get("meanMs"))).containsExactly("300", "null");
        assertThat(path1.get("meanMs").size()).isEqualTo(SampleRing.CAPACITY);
    }

    @Test
    void shouldPutTwoAgentsSecondsTogetherAndExportTheirCopiesAsOneSeries() throws Exception
    {
        final PathHeadroom other = new PathHeadroom(family, relays);
        headroom.record(0, 400 * MS);
        headroom.record(0, 200 * MS);
        other.record(0, 100 * MS);
        headroom.tick(10);
        other.tick(10);
        headroom.record(0, 300 * MS);
        headroom.tick(11);
        other.record(1, 50 * MS);

        final PathHeadroom.Window merged = PathHeadroom.Window.merge(List.of(headroom.window(11), other.window(10)));
        final JsonNode path0 = new ObjectMapper().readTree(Json.render(json ->
        {
            json.writeStartObject();
            merged.write(json, 0);
            json.writeEndObject();
        })).get("headroom");

        assertThat(merged.lastTick()).as("up to the second both agents closed").isEqualTo(10);
        assertThat(path0.get("copies").get(SampleRing.CAPACITY - 1).asLong()).isEqualTo(3);
        assertThat(path0.get("minMs").get(SampleRing.CAPACITY - 1).asLong()).isEqualTo(100);
        assertThat(path0.get("meanMs").get(SampleRing.CAPACITY - 1).asLong()).as("(400 + 200 + 100) / 3")
            .isEqualTo(233);
        assertThat(path0.get("copies").get(0).isNull()).as("a second neither agent recorded").isTrue();
        assertThat(registry.scrape()).contains(
            "seamcast_edge_path_headroom_seconds_count{address=\"tcp://relay-1:9001\",path=\"0\"} 4");
    }

    @Test
    void shouldRecordWithoutAllocating()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        play(0, 10_000);

        final long before = threads.getThreadAllocatedBytes(threadId);
        play(10_000, 110_000);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertThat(headroom.copiesRecorded(0) + headroom.copiesRecorded(1)).isEqualTo(110_000);
        assertThat(allocated).as("bytes allocated recording 100000 copies and 2500 history ticks")
            .isLessThan(4 * 1024);
    }

    private void play(final int from, final int to)
    {
        for (int n = from; n < to; n++)
        {
            headroom.record(n & 1, (n % 700) * MS - 50 * MS);
            if (n % 40 == 0)
            {
                headroom.tick(n / 40);
            }
        }
    }

    private JsonNode write(final int pathId, final long lastTick) throws Exception
    {
        return new ObjectMapper().readTree(Json.render(json ->
        {
            json.writeStartObject();
            headroom.window(lastTick).write(json, pathId);
            json.writeEndObject();
        })).get("headroom");
    }

    private static List<String> tail(final JsonNode array)
    {
        return List.of(array.get(array.size() - 2).toString(), array.get(array.size() - 1).toString());
    }
}
