package org.seamcast.edge.listener;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A push sends its mount's title to the Icecast it feeds, as source clients do, against a fake Icecast; the real one
 * is in integration-tests ({@code PushTitlesToIcecastTest}).
 */
class IcecastPushTest
{
    private static final StreamHeaders MP3 = new StreamHeaders("audio/mpeg", "Test FM", null, null, null, false,
        null, 128);

    private FakeIcecast icecast;
    private ListenerServer server;
    private IcecastPush push;

    @BeforeEach
    void start() throws Exception
    {
        icecast = new FakeIcecast();
        server = ListenerServer.start(new ListenerServerContext().bindAddress(new InetSocketAddress("127.0.0.1", 0)));
    }

    @AfterEach
    void stop() throws Exception
    {
        if (push != null)
        {
            push.close();
        }
        server.close();
        icecast.close();
    }

    @Test
    void shouldSendTheTitleToIcecastsAdminWithTheSourceCredentials()
    {
        final MountPoint mount = server.openMount("/live", MP3);
        final String title = "Caf\u00e9 & Bar + 100% \"Live\" \u65e5\u672c \uD83C\uDFB5";
        mount.title(title);

        push = IcecastPush.start(server, mount, URI.create("icecast://source:s3cret@127.0.0.1:" + icecast.port() + "/air"));

        await().atMost(Duration.ofSeconds(10)).until(() -> icecast.metadataRequests().size() == 1);
        final String request = icecast.metadataRequests().get(0);
        assertThat(request).startsWith("GET /admin/metadata?").endsWith(" HTTP/1.0");
        assertThat(query(request)).containsEntry("mode", "updinfo").containsEntry("mount", "/air")
            .containsEntry("song", title).containsEntry("charset", "UTF-8");
        final String head = icecast.heads().stream().filter(h -> h.startsWith("GET /admin/metadata")).findFirst()
            .orElseThrow();
        assertThat(head).contains("Authorization: Basic " + Base64.getEncoder().encodeToString(
            "source:s3cret".getBytes(StandardCharsets.UTF_8)));
        await().atMost(Duration.ofSeconds(5)).until(() -> push.titlesSent() == 1);
        assertThat(push.titleProblem()).isNull();

        mount.title("Second");

        await().atMost(Duration.ofSeconds(10)).until(() -> icecast.metadataRequests().size() == 2);
        assertThat(query(icecast.metadataRequests().get(1))).containsEntry("song", "Second");
    }

    @Test
    void shouldSendNothingBeforeThereIsATitleAndOnlyTheLatestOfABurst()
    {
        final MountPoint mount = server.openMount("/live", MP3);
        push = IcecastPush.start(server, mount, URI.create("icecast://source:pw@127.0.0.1:" + icecast.port() + "/live"));
        await().atMost(Duration.ofSeconds(10)).until(push::isStreaming);

        for (int i = 1; i <= 50; i++)
        {
            mount.title("Title " + i);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> !icecast.metadataRequests().isEmpty()
            && "Title 50".equals(query(last()).get("song")));
        assertThat(icecast.metadataRequests().size()).as("latest wins: one request in flight at a time")
            .isLessThan(50);
    }

    @Test
    void shouldSendTheTitleAgainWhenTheSourceReconnects() throws Exception
    {
        final MountPoint mount = server.openMount("/live", MP3);
        mount.title("Survives a reconnect");
        push = IcecastPush.start(server, mount, URI.create("icecast://source:pw@127.0.0.1:" + icecast.port() + "/live"));
        await().atMost(Duration.ofSeconds(10)).until(() -> icecast.metadataRequests().size() == 1);

        icecast.dropSources();

        await().atMost(Duration.ofSeconds(15)).until(() -> icecast.sourceConnections() == 2
            && icecast.metadataRequests().size() == 2);
        assertThat(query(last())).containsEntry("song", "Survives a reconnect");
    }

    @Test
    void shouldRetryATitleIcecastRefused()
    {
        final MountPoint mount = server.openMount("/live", MP3);
        icecast.refuseNextTitle("HTTP/1.0 400 Bad Request");
        mount.title("Eventually");

        push = IcecastPush.start(server, mount, URI.create("icecast://source:pw@127.0.0.1:" + icecast.port() + "/live"));

        await().atMost(Duration.ofSeconds(10)).until(() -> push.titleProblem() != null);
        assertThat(push.titleProblem()).contains("400 Bad Request").contains("Source does not exist");
        await().atMost(Duration.ofSeconds(10)).until(() -> push.titlesSent() == 1);
        assertThat(push.titleProblem()).isNull();
        assertThat(icecast.metadataRequests()).hasSize(2);
    }

    private String last()
    {
        return icecast.metadataRequests().get(icecast.metadataRequests().size() - 1);
    }

    private static Map<String, String> query(final String requestLine)
    {
        final String target = requestLine.split(" ")[1];
        final Map<String, String> parameters = new LinkedHashMap<>();
        for (final String pair : target.substring(target.indexOf('?') + 1).split("&"))
        {
            final int eq = pair.indexOf('=');
            parameters.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }
}
