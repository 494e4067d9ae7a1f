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
            assertThat(get(path).body()).as(path).doesNotContain("http://", "https://", "//cdn", "@import");
        }
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
