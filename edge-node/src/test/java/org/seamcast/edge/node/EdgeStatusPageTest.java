package org.seamcast.edge.node;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.seamcast.transport.http.NodeHttpServer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeStatusPageTest
{
    /** The name of SVG's XML namespace: the script names it to make SVG elements; nothing is fetched from it. */
    private static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final NodeHttpServer server = EdgeStatusPage.register(NodeHttpServer.builder(registry, "edge", "edge-test"))
        .bind(new InetSocketAddress("127.0.0.1", 0));

    @AfterEach
    void stop()
    {
        server.close();
        registry.close();
    }

    @Test
    void shouldServeThePageAndItsAssetsWithTheirContentTypes() throws Exception
    {
        assertServed("/", "text/html", "<script src=\"/status.js\">");
        assertServed("/status.css", "text/css", ".playing");
        assertServed("/status.js", "text/javascript", "/status.json");
    }

    @Test
    void shouldLoadNothingFromOutsideTheEdge() throws Exception
    {
        for (final String path : new String[] {"/", "/status.css", "/status.js"})
        {
            final String body = get(path).body().replace("\"" + SVG_NAMESPACE + "\"", "");
            assertThat(body).as(path).doesNotContain("http://", "https://", "//cdn", "@import", "<img", "url(");
        }
    }

    @Test
    void shouldDrawTheChartsFromStatusJsonWithInlineSvg() throws Exception
    {
        final String script = get("/status.js").body();

        assertThat(script).contains("createElementNS", "headroom-chart", "timeline-chart", "buffer-depth",
            "history.endMs", "headroom.meanMs", "bufferFrames", "pathEvents", ".ingest");
        assertThat(get("/").body()).contains("id=\"headroom\"", "class=\"timeline-strip chart\"");
    }

    @Test
    void shouldPutDataIntoThePageOnlyAsText() throws Exception
    {
        assertThat(get("/status.js").body()).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML",
            "document.write");
    }

    private void assertServed(final String path, final String type, final String content) throws Exception
    {
        final HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).as(path)
            .hasValueSatisfying(value -> assertThat(value).startsWith(type).contains("charset=utf-8"));
        assertThat(response.body()).as(path).contains(content);
    }

    private HttpResponse<String> get(final String path) throws Exception
    {
        final URI uri = URI.create("http://127.0.0.1:" + server.localAddress().getPort() + path);
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    }
}
