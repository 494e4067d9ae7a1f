package org.seamcast.edge.listener;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.seamcast.edge.listener.TestStream.FRAME_BYTES;
import static org.seamcast.edge.listener.TestStream.MP3;
import static org.seamcast.edge.listener.TestStream.frame;
import static org.seamcast.edge.listener.TestStream.frames;

class ListenerServerTest
{

    private final List<Socket> sockets = new ArrayList<>();
    private ListenerServer server;

    @AfterEach
    void stop() throws IOException
    {
        for (final Socket socket : sockets)
        {
            socket.close();
        }
        if (server != null)
        {
            server.close();
        }
    }

    @Test
    void shouldStreamFramesWithIcecastHeadersAndNoMetadataUnlessAsked() throws Exception
    {
        start(new ListenerServerContext().burstBytes(0));
        final MountPoint mount = server.openMount("/live", MP3);
        final Listener listener = connect("GET /live?player=x HTTP/1.1\r\nHost: edge\r\n\r\n");
        awaitListeners(mount, 1);

        publish(mount, 0, 20);

        assertThat(listener.statusLine).isEqualTo("HTTP/1.0 200 OK");
        assertThat(listener.headers).containsEntry("content-type", "audio/mpeg")
            .containsEntry("icy-name", "Seamcast Test FM")
            .containsEntry("icy-genre", "Jazz")
            .containsEntry("icy-br", "128")
            .containsEntry("icy-pub", "1")
            .containsEntry("ice-audio-info", "samplerate=44100;channels=2;bitrate=128")
            .doesNotContainKey("icy-metaint")
            .doesNotContainKey("transfer-encoding")
            .doesNotContainKey("content-length");
        assertThat(listener.readBytes(20 * FRAME_BYTES)).isEqualTo(frames(0, 20));
    }

    @Test
    void shouldStreamManyFramesByteForByte() throws Exception
    {
        start(new ListenerServerContext().burstBytes(0));
        final MountPoint mount = server.openMount("/live", MP3);
        final Listener listener = connect("GET /live HTTP/1.0\r\n\r\n");
        awaitListeners(mount, 1);

        publish(mount, 0, 300);

        assertThat(listener.readBytes(300 * FRAME_BYTES)).isEqualTo(frames(0, 300));
    }

    @Test
    void shouldDeliverALoneFrameWithoutWaitingForMoreAudio() throws Exception
    {
        start(new ListenerServerContext().burstBytes(0));
        final MountPoint mount = server.openMount("/live", MP3);
        final Listener listener = connect("GET /live HTTP/1.0\r\n\r\n");
        awaitListeners(mount, 1);

        publish(mount, 0, 1);

        assertThat(FRAME_BYTES).as("one frame is less than a flush's worth").isLessThan(MountPoint.FLUSH_BYTES);
        assertThat(listener.readBytes(FRAME_BYTES)).as("flushed by the delay, not by more audio")
            .isEqualTo(frames(0, 1));
    }

    @Test
    void shouldInterleaveTitleEveryMetaintWhenAsked() throws Exception
    {
        start(new ListenerServerContext().burstBytes(0).icyMetaintBytes(1000));
        final MountPoint mount = server.openMount("/live", MP3);
        mount.title("Artist - First Song");
        final Listener listener = connect("GET /live HTTP/1.0\r\nIcy-MetaData: 1\r\n\r\n");
        awaitListeners(mount, 1);
        assertThat(listener.headers).containsEntry("icy-metaint", "1000");

        publish(mount, 0, 10);
        final IcyReader reader = new IcyReader(listener, 1000);
        assertThat(reader.readAudio(10 * FRAME_BYTES)).isEqualTo(frames(0, 10));
        assertThat(reader.titles).containsExactly("Artist - First Song");

        mount.title("Artist - Second Song");
        publish(mount, 10, 10);
        assertThat(reader.readAudio(10 * FRAME_BYTES)).isEqualTo(frames(10, 10));
        assertThat(reader.titles).containsExactly("Artist - First Song", "Artist - Second Song");
    }

    @Test
    void shouldBurstRecentFramesOnConnectStartingOnAFrameBoundary() throws Exception
    {
        start(new ListenerServerContext().burstBytes(10 * FRAME_BYTES + 100));
        final MountPoint mount = server.openMount("/live", MP3);
        publish(mount, 0, 50);
        await().atMost(Duration.ofSeconds(5)).until(() -> mount.framesPublished() == 50);

        final Listener listener = connect("GET /live HTTP/1.0\r\n\r\n");
        awaitListeners(mount, 1);
        publish(mount, 50, 5);

        assertThat(listener.readBytes(15 * FRAME_BYTES)).isEqualTo(frames(40, 15));
    }

    @Test
    void shouldAnswerHeadWithHeadersOnly() throws Exception
    {
        start(new ListenerServerContext());
        server.openMount("/live", MP3);

        final Listener listener = connect("HEAD /live HTTP/1.0\r\n\r\n");

        assertThat(listener.statusLine).isEqualTo("HTTP/1.0 200 OK");
        assertThat(listener.headers).containsEntry("content-type", "audio/mpeg");
        assertThat(listener.readToEnd()).isEmpty();
    }

    @Test
    void shouldAnswerUnknownMountWith404AndOtherMethodsWith405() throws Exception
    {
        start(new ListenerServerContext());
        server.openMount("/live", MP3);

        assertThat(connect("GET /nope HTTP/1.0\r\n\r\n").statusLine).isEqualTo("HTTP/1.0 404 File Not Found");
        assertThat(connect("POST /live HTTP/1.0\r\nContent-Length: 0\r\n\r\n").statusLine)
            .isEqualTo("HTTP/1.0 405 Method Not Allowed");
    }

    @Test
    void shouldListMountsLikeIcecastForMasterServerRelays() throws Exception
    {
        start(new ListenerServerContext());
        server.openMount("/live", MP3);
        server.openMount("/talk", new StreamHeaders("audio/aac", null, null, null, null, false, null, 0));

        final Listener list = connect("GET /admin/streamlist.txt HTTP/1.0\r\n\r\n");
        assertThat(new String(list.readToEnd(), StandardCharsets.UTF_8).lines().sorted())
            .containsExactly("/live", "/talk");

        final String json = new String(
            connect("GET /status-json.xsl HTTP/1.0\r\nHost: edge:8000\r\n\r\n").readToEnd(), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"icestats\":{").contains("\"source\":[{")
            .contains("\"listenurl\":\"http://edge:8000/live\"")
            .contains("\"server_type\":\"audio/aac\"")
            .contains("\"server_name\":\"Seamcast Test FM\"");
    }

    @Test
    void shouldGiveASingleSourceAsAnObjectInStatusJson() throws Exception
    {
        start(new ListenerServerContext());
        server.openMount("/live", MP3);

        final String json = new String(
            connect("GET /status-json.xsl HTTP/1.0\r\n\r\n").readToEnd(), StandardCharsets.UTF_8);

        assertThat(json).contains("\"source\":{\"audio_info\"").doesNotContain("[");
    }

    @Test
    void shouldServeStatusJsonThatParsesWhateverTheMountsNamesAndTitles() throws Exception
    {
        start(new ListenerServerContext());
        final String hostileName = "Radio \"Quote\" \\ \u0001\u001f \uD83C\uDFB5";
        final String hostileTitle = "\"},{\"injected\":1} \t\n\r caf\u00e9 \uD834\uDD1E \u2028";
        server.openMount("/a\\", new StreamHeaders("audio/mpeg", hostileName, "g\"enre", "d\\esc",
            "http://x/\"", true, "a=\"1\"", 128)).title(hostileTitle);
        server.openMount("/a\"b", MP3).title("</script>");

        final String json = new String(
            connect("GET /status-json.xsl HTTP/1.0\r\n\r\n").readToEnd(), StandardCharsets.UTF_8);

        final JsonNode sources = new ObjectMapper().readTree(json).get("icestats").get("source");
        assertThat(sources.isArray()).as(json).isTrue();
        assertThat(sources.get(0).get("listenurl").asText()).endsWith("/a\"b");
        assertThat(sources.get(0).get("title").asText()).isEqualTo("</script>");
        assertThat(sources.get(1).get("listenurl").asText()).endsWith("/a\\");
        assertThat(sources.get(1).get("server_name").asText()).isEqualTo(hostileName);
        assertThat(sources.get(1).get("title").asText()).isEqualTo(hostileTitle);
        assertThat(sources.get(1).get("genre").asText()).isEqualTo("g\"enre");
        assertThat(sources.get(1).get("dummy").isNull()).isTrue();
    }

    @Test
    void shouldDropAListenerThatStopsReadingWithoutHurtingOthers() throws Exception
    {
        start(new ListenerServerContext().burstBytes(0).maxQueuedBytes(64 * 1024));
        final MountPoint mount = server.openMount("/live", MP3);
        final Socket stalled = new Socket();
        stalled.setReceiveBufferSize(4096);
        stalled.connect(server.localAddress(), 5_000);
        sockets.add(stalled);
        stalled.getOutputStream().write("GET /live HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        final Listener good = connect("GET /live HTTP/1.0\r\n\r\n");
        awaitListeners(mount, 2);

        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int published = 0;
        while (mount.listenersDroppedSlow() == 0 && published < 200_000)
        {
            publish(mount, published, 100);
            published += 100;
            received.write(good.readBytes(100 * FRAME_BYTES));
        }

        assertThat(mount.listenersDroppedSlow()).isEqualTo(1);
        assertThat(server.listenersDroppedSlow()).isEqualTo(1);
        assertThat(received.toByteArray()).isEqualTo(frames(0, published));
        await().atMost(Duration.ofSeconds(5)).until(() -> mount.listenerCount() == 1);
    }

    @Test
    void shouldKeepServingWhileAThousandConnectionsSitIdleAndCloseThemAfterTheTimeout() throws Exception
    {
        start(new ListenerServerContext().burstBytes(0).requestTimeoutMs(1_000));
        final MountPoint mount = server.openMount("/live", MP3);
        final List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 1_000; i++)
        {
            final Socket socket = new Socket();
            socket.connect(server.localAddress(), 5_000);
            idle.add(socket);
            sockets.add(socket);
        }

        final Listener good = connect("GET /live HTTP/1.0\r\n\r\n");
        awaitListeners(mount, 1);
        publish(mount, 0, 10);
        assertThat(good.readBytes(10 * FRAME_BYTES)).isEqualTo(frames(0, 10));

        for (final Socket socket : idle)
        {
            socket.setSoTimeout(5_000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void shouldRefuseAOneMegabyteHeader() throws Exception
    {
        start(new ListenerServerContext());
        server.openMount("/live", MP3);

        String status;
        try
        {
            status = connect("GET /live HTTP/1.0\r\nX-Big: " + "a".repeat(1 << 20) + "\r\n\r\n").statusLine;
        }
        catch (final SocketException ex)
        {
            status = "closed";
        }

        assertThat(status).matches("HTTP/1.0 431 .*|closed");
        assertThat(connect("HEAD /live HTTP/1.0\r\n\r\n").statusLine).isEqualTo("HTTP/1.0 200 OK");
    }

    @Test
    void shouldRedirectToSiblingEdgesWhenFull() throws Exception
    {
        start(new ListenerServerContext().maxListeners(1)
            .redirectTargets(List.of(URI.create("http://edge2:8000"), URI.create("http://edge3:8000/"))));
        final MountPoint mount = server.openMount("/live", MP3);
        connect("GET /live HTTP/1.0\r\n\r\n");
        awaitListeners(mount, 1);

        final Listener first = connect("GET /live?x=1 HTTP/1.0\r\n\r\n");
        final Listener second = connect("GET /live HTTP/1.0\r\n\r\n");

        assertThat(first.statusLine).isEqualTo("HTTP/1.0 302 Found");
        assertThat(first.headers).containsEntry("location", "http://edge2:8000/live?x=1");
        assertThat(second.headers).containsEntry("location", "http://edge3:8000/live");
        assertThat(server.listenersRedirected()).isEqualTo(2);
    }

    @Test
    void shouldNotLetAnAnnounceInjectHeaders() throws Exception
    {
        start(new ListenerServerContext());
        server.openMount("/live", new StreamHeaders(
            "audio/mpeg", "Evil\r\nSet-Cookie: x=1", null, null, null, false, null, 0));

        final Listener listener = connect("HEAD /live HTTP/1.0\r\n\r\n");

        assertThat(listener.headers).containsEntry("icy-name", "EvilSet-Cookie: x=1").doesNotContainKey("set-cookie");
    }

    private void start(final ListenerServerContext ctx)
    {
        server = ListenerServer.start(ctx.bindAddress(new InetSocketAddress("127.0.0.1", 0)).conclude());
    }

    private static void awaitListeners(final MountPoint mount, final int count)
    {
        await().atMost(Duration.ofSeconds(5)).until(() -> mount.listenerCount() == count);
    }

    private static void publish(final MountPoint mount, final int first, final int count)
    {
        for (int i = first; i < first + count; i++)
        {
            mount.publish(new UnsafeBuffer(frame(i)), 0, FRAME_BYTES);
        }
    }

    private Listener connect(final String request) throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(server.localAddress(), 5_000);
        socket.setSoTimeout(10_000);
        sockets.add(socket);
        final OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return new Listener(socket);
    }

    /** A raw HTTP/1.0 client: status line and headers, then the body as it comes. */
    private static final class Listener
    {
        final InputStream in;
        final String statusLine;
        final Map<String, String> headers = new LinkedHashMap<>();

        Listener(final Socket socket) throws IOException
        {
            in = socket.getInputStream();
            statusLine = readLine();
            String line;
            while (!(line = readLine()).isEmpty())
            {
                final int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
            }
        }

        private String readLine() throws IOException
        {
            final StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && b != '\n')
            {
                if (b != '\r')
                {
                    line.append((char)b);
                }
            }
            return line.toString();
        }

        byte[] readBytes(final int count) throws IOException
        {
            return in.readNBytes(count);
        }

        byte[] readToEnd() throws IOException
        {
            return in.readAllBytes();
        }
    }

    /** Splits an ICY stream into audio and the titles of its non-empty metadata blocks. */
    private static final class IcyReader
    {
        final Listener listener;
        final int metaint;
        final List<String> titles = new ArrayList<>();
        int untilMetadata;

        IcyReader(final Listener listener, final int metaint)
        {
            this.listener = listener;
            this.metaint = metaint;
            this.untilMetadata = metaint;
        }

        byte[] readAudio(final int count) throws IOException
        {
            final ByteArrayOutputStream audio = new ByteArrayOutputStream();
            while (audio.size() < count)
            {
                final int chunk = Math.min(count - audio.size(), untilMetadata);
                audio.writeBytes(listener.readBytes(chunk));
                untilMetadata -= chunk;
                if (untilMetadata == 0)
                {
                    final int blocks = listener.in.read();
                    if (blocks > 0)
                    {
                        final String text = new String(listener.readBytes(blocks * 16), StandardCharsets.UTF_8);
                        titles.add(text.substring("StreamTitle='".length(), text.indexOf("';")));
                    }
                    untilMetadata = metaint;
                }
            }
            return audio.toByteArray();
        }
    }
}
