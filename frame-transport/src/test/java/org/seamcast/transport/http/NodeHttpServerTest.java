package org.seamcast.transport.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.seamcast.transport.metrics.BuildInfo;
import org.seamcast.transport.metrics.PrometheusText;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class NodeHttpServerTest
{
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private NodeHttpServer server;

    @BeforeEach
    void start()
    {
        server = NodeHttpServer.builder(registry, "relay", "relay-test")
            .healthCheck(() -> List.copyOf(problems))
            .route("/status.json", (path, query) -> HttpReply.json("{\"query\":\"" + query + "\"}"))
            .bind(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop()
    {
        server.close();
        registry.close();
    }

    @Test
    void shouldServePrometheusMetrics() throws Exception
    {
        registry.counter("seamcast.frames.in", "mount", "/live").increment(3);

        final HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
            type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body()).contains("seamcast_frames_in_total{mount=\"/live\"} 3.0");
    }

    @Test
    void shouldExportJvmAndProcessMetersAndBuildInfoWithHelpOnEveryFamily() throws Exception
    {
        final PrometheusText metrics = PrometheusText.parse(get("/metrics").body());

        assertThat(metrics.sampleNames()).contains("jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total",
            "jvm_threads_live_threads", "jvm_classes_loaded_classes", "process_cpu_usage", "system_cpu_count",
            "process_uptime_seconds", "process_files_open_files", "jvm_info");
        final List<PrometheusText.Sample> buildInfo = metrics.samples("seamcast_build_info");
        assertThat(buildInfo).hasSize(1);
        assertThat(buildInfo.get(0).value()).isEqualTo(1.0);
        assertThat(buildInfo.get(0).labels()).containsEntry("node_role", "relay").containsEntry("node", "relay-test")
            .containsEntry("version", BuildInfo.version()).containsKey("java");
        assertThat(BuildInfo.version()).as("filtered from the pom").matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(metrics.helps()).isNotEmpty().allSatisfy((family, help) -> assertThat(help).as(family).isNotBlank());
    }

    @Test
    void shouldAnswerHealthyThenUnhealthyWithReasons() throws Exception
    {
        assertThat(get("/health").statusCode()).isEqualTo(200);

        problems.add("no relay reachable: tcp://127.0.0.1:9001 refused");
        final HttpResponse<String> unhealthy = get("/health");

        assertThat(unhealthy.statusCode()).isEqualTo(503);
        assertThat(unhealthy.body()).contains("no relay reachable: tcp://127.0.0.1:9001 refused");
    }

    @Test
    void shouldServeAddedRoutesAndRefuseUnknownPaths() throws Exception
    {
        final HttpResponse<String> status = get("/status.json?verbose=1");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).isEqualTo("{\"query\":\"verbose=1\"}");

        assertThat(get("/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldAnswerHeadWithoutBodyAndRefuseOtherMethods() throws Exception
    {
        final HttpResponse<String> head = client.send(
            HttpRequest.newBuilder(uri("/health")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();

        final HttpResponse<String> post = client.send(
            HttpRequest.newBuilder(uri("/health")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void shouldRefuseAHugeHeaderAndKeepServing() throws Exception
    {
        final String answer = sendRequestWithHeaderOfBytes(1 << 20);

        // Either a 431 arrives before the server closes, or the close comes first while the client is writing.
        assertThat(answer).matches("HTTP/1.1 431.*|closed");
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldKeepServingWhileManyConnectionsSitIdle() throws Exception
    {
        final List<Socket> idle = new ArrayList<>();
        try
        {
            for (int i = 0; i < 200; i++)
            {
                final Socket socket = new Socket();
                socket.connect(server.localAddress(), 5_000);
                idle.add(socket);
            }
            assertThat(get("/health").statusCode()).isEqualTo(200);
        }
        finally
        {
            for (final Socket socket : idle)
            {
                socket.close();
            }
        }
    }

    private String sendRequestWithHeaderOfBytes(final int length) throws IOException
    {
        try (Socket socket = new Socket())
        {
            socket.connect(server.localAddress(), 5_000);
            socket.setSoTimeout(5_000);
            final OutputStream out = socket.getOutputStream();
            out.write(("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(length) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final String line = readStatusLine(socket.getInputStream());
            return line.isEmpty() ? "closed" : line.trim();
        }
        catch (final java.net.SocketException ex)
        {
            return "closed";
        }
    }

    private static String readStatusLine(final InputStream in) throws IOException
    {
        final StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n')
        {
            line.append((char)b);
        }
        return line.toString();
    }

    private HttpResponse<String> get(final String path) throws Exception
    {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(final String path)
    {
        return URI.create("http://127.0.0.1:" + server.localAddress().getPort() + path);
    }
}
