package org.seamcast.ingest.source;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.audio.ChannelMode;
import org.seamcast.codec.audio.MpegVersion;
import org.seamcast.codec.audio.SilenceFrames;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.codec.protocol.Protocol;
import org.seamcast.ingest.RecordingLink;
import org.seamcast.ingest.send.RelayFanout;
import org.seamcast.ingest.stamp.EpochSource;
import org.seamcast.ingest.stream.StreamHub;
import org.seamcast.transport.AgentThreads;
import org.seamcast.transport.ThreadingMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The source server's answers over real loopback sockets.
 */
class SourceServerTest
{
    private static final String PASSWORD = "hackme";
    private static final String ADMIN_PASSWORD = "admin-pw";
    private static final int FRAME_LENGTH = SilenceFrames.mp3FrameLength(MpegVersion.MPEG_1, 44_100, 128);

    private final RecordingLink relay = new RecordingLink("tcp://127.0.0.1:9001");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private RelayFanout fanout;
    private AgentThreads senders;
    private StreamHub hub;
    private SourceServer server;

    @BeforeEach
    void start()
    {
        fanout = new RelayFanout(List.of(relay), 4096, registry);
        senders = AgentThreads.start(ThreadingMode.SHARED, fanout.senders(), Throwable::printStackTrace);
        final SystemEpochNanoClock clock = new SystemEpochNanoClock();
        hub = new StreamHub(NodeName.of("ingest-test"), 9, 1, null, fanout, clock,
            new EpochSource(() -> clock.nanoTime() / 1_000_000),
            registry, 500);
        server = SourceServer.bind(new InetSocketAddress("127.0.0.1", 0),
            new SourceServer.Settings(500, 700, 8192, 16 * 1024, 2), hub,
            new SourcePasswords(PASSWORD, Map.of("/special.mp3", "special-pw")),
            new AdminCredentials("admin", ADMIN_PASSWORD), registry);
    }

    @AfterEach
    void stop()
    {
        server.close();
        senders.close();
        fanout.close();
    }

    @Test
    void shouldAcceptPutWithExpectContinueAndSendItsFrames() throws IOException
    {
        try (Socket socket = connect())
        {
            send(socket, "PUT /live.mp3 HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic("source", PASSWORD)
                + "\r\nContent-Type: audio/mpeg\r\nice-name: Test FM\r\nExpect: 100-continue\r\n\r\n");
            assertThat(readHead(socket)).startsWith("HTTP/1.1 100 Continue");
            socket.getOutputStream().write(silence(40));
        }
        // 40 frames at once and nothing after: a burst, held until it ends, here when the source leaves
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.frames("/live.mp3").size() == 40);
        final List<RecordingLink.Received> frames = relay.frames("/live.mp3");
        for (int i = 0; i < frames.size(); i++)
        {
            assertThat(frames.get(i).sequence()).isEqualTo(i);
            assertThat(frames.get(i).payload()).hasSize(FRAME_LENGTH);
            assertThat(frames.get(i).cleanSwitch()).isTrue();
        }
        final RecordingLink.Received announce = relay.ofType(MessageType.ANNOUNCE).get(0);
        assertThat(announce.icyName()).isEqualTo("Test FM");
        assertThat(announce.contentType()).isEqualTo("audio/mpeg");
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.liveCount() == 0);

        try (Socket again = connect())
        {
            send(again, "SOURCE /live.mp3 ICE/1.0\r\nAuthorization: " + basic("source", PASSWORD) + "\r\n\r\n");
            assertThat(readHead(again)).startsWith("HTTP/1.0 200 OK");
            again.getOutputStream().write(silence(5));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.frames("/live.mp3").stream()
            .filter(f -> f.epoch() != frames.get(0).epoch()).count() == 5);
        final List<RecordingLink.Received> second = relay.frames("/live.mp3").stream()
            .filter(f -> f.epoch() != frames.get(0).epoch()).toList();
        assertThat(second.get(0).epoch()).as("a new connection starts a new, larger epoch")
            .isGreaterThan(frames.get(0).epoch());
        assertThat(second).extracting(RecordingLink.Received::sequence).startsWith(0L, 1L, 2L, 3L);
    }

    @Test
    void shouldAcceptLegacySourceWith200AndUseTheMountsOwnPassword() throws IOException
    {
        try (Socket socket = connect())
        {
            send(socket, "SOURCE /special.mp3 ICE/1.0\r\nAuthorization: " + basic("source", "special-pw")
                + "\r\nContent-Type: audio/mpeg\r\n\r\n");
            assertThat(readHead(socket)).startsWith("HTTP/1.0 200 OK");
            socket.getOutputStream().write(silence(10));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.frames("/special.mp3").size() == 10);
        try (Socket socket = connect())
        {
            send(socket, "SOURCE /special.mp3 ICE/1.0\r\nAuthorization: " + basic("source", PASSWORD) + "\r\n\r\n");
            assertThat(readAll(socket)).startsWith("HTTP/1.0 401");
        }
    }

    @Test
    void shouldAnswer401ForAWrongPasswordOrUser() throws IOException
    {
        for (final String authorization : List.of(basic("source", "wrong"), basic("admin", PASSWORD), "Bearer x"))
        {
            try (Socket socket = connect())
            {
                send(socket, "PUT /live.mp3 HTTP/1.1\r\nAuthorization: " + authorization
                    + "\r\nContent-Type: audio/mpeg\r\nExpect: 100-continue\r\n\r\n");
                final String answer = readAll(socket);
                assertThat(answer).startsWith("HTTP/1.0 401 Unauthorized").contains("WWW-Authenticate: Basic");
            }
        }
        assertThat(hub.liveCount()).isZero();
    }

    @Test
    void shouldAnswer403ForASecondSourceOnABusyMountWithoutDisturbingTheFirst() throws IOException
    {
        // the first source keeps sending in real time: one that sent a few frames and paused would be closed by the
        // idle timeout (700 ms here) on a busy machine, and the mount would rightly be free again
        try (Socket first = startSource("/live.mp3", PASSWORD))
        {
            try (Socket second = connect())
            {
                send(second, "PUT /live.mp3 HTTP/1.1\r\nAuthorization: " + basic("source", PASSWORD)
                    + "\r\nContent-Type: audio/mpeg\r\nExpect: 100-continue\r\n\r\n");
                assertThat(readAll(second)).startsWith("HTTP/1.0 403 Forbidden").contains("Mountpoint in use");
            }
            final int before = relay.frames("/live.mp3").size();
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.frames("/live.mp3").size() >= before + 10);
        }
        final List<RecordingLink.Received> frames = relay.frames("/live.mp3");
        assertThat(frames).extracting(RecordingLink.Received::epoch).containsOnly(frames.get(0).epoch());
    }

    @Test
    void shouldAnswer415ForAContentTypeItDoesNotCarry() throws IOException
    {
        try (Socket socket = connect())
        {
            send(socket, "PUT /live.ogg HTTP/1.1\r\nAuthorization: " + basic("source", PASSWORD)
                + "\r\nContent-Type: application/ogg\r\nExpect: 100-continue\r\n\r\n");
            assertThat(readAll(socket)).startsWith("HTTP/1.0 415 Unsupported Media Type").contains("audio/mpeg");
        }
    }

    @Test
    void shouldTimeOutAClientThatSendsNoHeadAndCloseAStalledSource() throws IOException
    {
        try (Socket silent = connect())
        {
            assertThat(readAll(silent)).startsWith("HTTP/1.0 408");
        }
        try (Socket stalled = connect())
        {
            send(stalled, "SOURCE /live.mp3 ICE/1.0\r\nAuthorization: " + basic("source", PASSWORD) + "\r\n\r\n");
            assertThat(readHead(stalled)).startsWith("HTTP/1.0 200 OK");
            final byte[] audio = silence(5);
            stalled.getOutputStream().write(audio, 0, audio.length - FRAME_LENGTH / 2);
            assertThat(stalled.getInputStream().read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.liveCount() == 0);
        assertThat(registry.counter("seamcast.ingest.source.ended", "reason", "stalled").count()).isEqualTo(1);
    }

    @Test
    void shouldSendAMetadataMessageForAnAuthenticatedAdminUpdate() throws IOException
    {
        try (Socket source = startSource("/live.mp3", PASSWORD))
        {
            assertThat(hub.liveCount()).isEqualTo(1);

            try (Socket admin = connect())
            {
                send(admin, "GET /admin/metadata?mode=updinfo&mount=/live.mp3&song=Artist%20-%20Caf%C3%A9 HTTP/1.0\r\n"
                    + "Authorization: " + basic("source", PASSWORD) + "\r\n\r\n");
                assertThat(readAll(admin)).startsWith("HTTP/1.0 200 OK").contains("Metadata update successful");
            }
            try (Socket admin = connect())
            {
                send(admin, "GET /admin/metadata?mode=updinfo&mount=/live.mp3&song=x HTTP/1.0\r\n\r\n");
                assertThat(readAll(admin)).startsWith("HTTP/1.0 401");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> !relay.ofType(MessageType.METADATA).isEmpty());
        }
        assertThat(relay.ofType(MessageType.METADATA)).extracting(RecordingLink.Received::title)
            .containsOnly("Artist - Café");
    }

    @Test
    void shouldSetTitlesTheWaysEncodersAndAutomationSendThem() throws IOException
    {
        try (Socket live = startSource("/live.mp3", PASSWORD); Socket special = startSource("/special.mp3", "special-pw"))
        {
            assertUpdated("GET /admin/metadata?mode=updinfo&mount=/live.mp3&artist=Nina%20Simone&title=Feeling%20Good"
                + " HTTP/1.0\r\nAuthorization: " + basic("source", PASSWORD) + "\r\n\r\n");
            assertUpdated("GET /admin/metadata.xsl?mode=updinfo&mount=/special.mp3&song=By%20the%20admin HTTP/1.1\r\n"
                + "Host: x\r\nAuthorization: " + basic("admin", ADMIN_PASSWORD) + "\r\n\r\n");
            assertUpdated("GET /admin/metadata?mode=updinfo&mount=/live.mp3&song=Caf%E9&charset=ISO-8859-1 HTTP/1.0\r\n"
                + "Authorization: " + basic("source", PASSWORD) + "\r\n\r\n");
            assertUpdated("GET /admin/metadata?mode=updinfo&mount=/live.mp3&song=M%FCller HTTP/1.0\r\n"
                + "Authorization: " + basic("source", PASSWORD) + "\r\n\r\n");
            assertUpdated("GET /admin.cgi?mode=updinfo&song=Shout%20One&pass=" + PASSWORD + " HTTP/1.0\r\n\r\n");
            assertUpdated("GET /admin.cgi?mode=updinfo&song=Shout%20Two&pass=" + ADMIN_PASSWORD
                + "&mount=/special.mp3 HTTP/1.0\r\n\r\n");
            assertUpdated("GET /admin.cgi?mode=updinfo&song=Raw Spaces&pass=" + PASSWORD + " HTTP/1.0\r\n\r\n");

            await().atMost(Duration.ofSeconds(5)).until(() -> titles("/special.mp3").contains("Shout Two"));
            assertThat(titles("/live.mp3")).as("the first live mount takes updates without mount=").containsExactly(
                "Nina Simone - Feeling Good", "Caf\u00e9", "M\u00fcller", "Shout One", "Raw Spaces");
            assertThat(titles("/special.mp3")).containsExactly("By the admin", "Shout Two");
            assertThat(registry.counter("seamcast.ingest.admin.metadata.updates").count()).isEqualTo(7);
        }
    }

    @Test
    void shouldRefuseBadMetadataRequestsWithIcecastsStatusAndXmlWithoutDisturbingTheSource() throws Exception
    {
        try (Socket live = startSource("/live.mp3", PASSWORD))
        {
            final String auth = "Authorization: " + basic("source", PASSWORD) + "\r\n";
            final String path = "GET /admin/metadata?mode=updinfo&mount=/live.mp3";
            assertRefused(path + "&song=x HTTP/1.0\r\nAuthorization: " + basic("source", "wrong") + "\r\n\r\n",
                "HTTP/1.0 401 Unauthorized", "authentication required for /live.mp3");
            assertRefused(path + "&song=x HTTP/1.0\r\n\r\n", "HTTP/1.0 401", "authentication required");
            assertRefused(path + "&song=x HTTP/1.0\r\nAuthorization: " + basic("admin", PASSWORD) + "\r\n\r\n",
                "HTTP/1.0 401", "authentication required");
            assertRefused("GET /admin/metadata?mode=updinfo&mount=/special.mp3&song=x HTTP/1.0\r\n" + auth + "\r\n",
                "HTTP/1.0 401", "authentication required for /special.mp3");
            assertRefused("GET /admin/metadata?mode=updinfo&song=x HTTP/1.0\r\n" + auth + "\r\n",
                "HTTP/1.0 400 Bad Request", "missing parameter mount");
            assertRefused("GET /admin/metadata?mode=updinfo&mount=/other.mp3&song=x HTTP/1.0\r\n" + auth + "\r\n",
                "HTTP/1.0 400", "Source does not exist: /other.mp3");
            assertRefused("GET /admin/metadata?mode=updinfo&mount=nomount&song=x HTTP/1.0\r\n"
                + "Authorization: " + basic("admin", ADMIN_PASSWORD) + "\r\n\r\n", "HTTP/1.0 400",
                "Source does not exist: nomount");
            assertRefused(path + "&song=a%zz HTTP/1.0\r\n" + auth + "\r\n", "HTTP/1.0 400",
                "bad percent-encoding '%zz' in parameter song");
            assertRefused(path + "&song=x&charset=klingon HTTP/1.0\r\n" + auth + "\r\n", "HTTP/1.0 400",
                "unknown charset=klingon");
            assertRefused(path + "&artist=A HTTP/1.0\r\n" + auth + "\r\n", "HTTP/1.0 400",
                "missing parameter song (or artist and title)");
            assertRefused("GET /admin/metadata?mode=stats&mount=/live.mp3&song=x HTTP/1.0\r\n" + auth + "\r\n",
                "HTTP/1.0 200 OK", "No such action: mode=stats");
            assertRefused("GET /admin.cgi?mode=updinfo&song=x HTTP/1.0\r\n\r\n", "HTTP/1.0 400",
                "missing parameter pass");
            assertRefused("GET /admin.cgi?mode=updinfo&song=x&pass=wrong HTTP/1.0\r\n\r\n", "HTTP/1.0 401",
                "authentication required for /live.mp3");
            assertRefused("GET /admin.cgi?mode=updinfo&song=x&pass=" + PASSWORD + "&mount=/%3Cb%3E HTTP/1.0\r\n\r\n",
                "HTTP/1.0 400", "Source does not exist: /<b>");
            try (Socket socket = connect())
            {
                send(socket, "GET /admin/stats HTTP/1.0\r\n\r\n");
                assertThat(readAll(socket)).startsWith("HTTP/1.0 404");
            }
            try (Socket socket = connect())
            {
                send(socket, path + "&song=" + "x".repeat(9_000) + " HTTP/1.0\r\n" + auth + "\r\n");
                assertThat(readAll(socket)).startsWith("HTTP/1.0 431");
            }

            assertThat(hub.liveCount()).isEqualTo(1);
            assertThat(relay.ofType(MessageType.METADATA)).isEmpty();
            final int before = relay.frames("/live.mp3").size();
            live.getOutputStream().write(silence(5));
            await().atMost(Duration.ofSeconds(5)).until(() -> relay.frames("/live.mp3").size() >= before + 5);
        }
    }

    @Test
    void shouldSayNoSourceExistsWhenAShoutcastUpdateFindsNoLiveMount() throws IOException
    {
        assertRefused("GET /admin.cgi?mode=updinfo&song=x&pass=" + PASSWORD + " HTTP/1.0\r\n\r\n", "HTTP/1.0 400",
            "Source does not exist: no mount is live");
    }

    @Test
    void shouldCutAnOverlongTitleToTheProtocolLimitOnACharacterBoundary() throws IOException
    {
        try (Socket live = startSource("/live.mp3", PASSWORD))
        {
            assertUpdated("GET /admin/metadata?mode=updinfo&mount=/live.mp3&song=" + "%C3%A9".repeat(1_000)
                + " HTTP/1.0\r\nAuthorization: " + basic("source", PASSWORD) + "\r\n\r\n");

            await().atMost(Duration.ofSeconds(5)).until(() -> !titles("/live.mp3").isEmpty());
            assertThat(titles("/live.mp3").get(0)).isEqualTo("\u00e9".repeat(Protocol.MAX_STREAM_TITLE_LENGTH / 2));
        }
    }

    /**
     * A live source on {@code mount}: one frame every frame duration, as an encoder sends, until the socket is
     * closed (a source that sent a few frames and fell silent would be cut off by the idle timeout).
     */
    private Socket startSource(final String mount, final String password) throws IOException
    {
        final Socket source = connect();
        send(source, "SOURCE " + mount + " ICE/1.0\r\nAuthorization: " + basic("source", password) + "\r\n\r\n");
        assertThat(readHead(source)).startsWith("HTTP/1.0 200 OK");
        final Thread encoder = new Thread(() ->
        {
            final byte[] frame = silence(1);
            final long frameNs = 1152L * 1_000_000_000L / 44_100;
            long nextNs = System.nanoTime();
            try
            {
                while (!source.isClosed())
                {
                    source.getOutputStream().write(frame);
                    nextNs += frameNs;
                    LockSupport.parkNanos(nextNs - System.nanoTime());
                }
            }
            catch (final IOException closed)
            {
                // the test closed the source
            }
        }, "test-live-source-" + mount);
        encoder.setDaemon(true);
        encoder.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.frames(mount).size() >= 4);
        return source;
    }

    private void assertUpdated(final String request) throws IOException
    {
        try (Socket admin = connect())
        {
            admin.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            final String answer = readAll(admin);
            assertThat(answer).as(request.substring(0, Math.min(request.length(), 120))).startsWith("HTTP/1.0 200 OK")
                .contains("Content-Type: text/xml; charset=utf-8")
                .endsWith("<iceresponse><message>Metadata update successful</message><return>1</return>"
                    + "</iceresponse>\n");
        }
    }

    private void assertRefused(final String request, final String statusLine, final String message)
        throws IOException
    {
        try (Socket admin = connect())
        {
            admin.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            final String answer = readAll(admin);
            assertThat(answer).as(request).startsWith(statusLine)
                .contains("Content-Type: text/xml; charset=utf-8")
                .contains("<return>0</return>");
            final String xml = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            final org.w3c.dom.Document parsed = javax.xml.parsers.DocumentBuilderFactory.newInstance()
                .newDocumentBuilder().parse(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            final String said = parsed.getElementsByTagName("message").item(0).getTextContent();
            assertThat(said).as(request).contains(message);
            if (statusLine.contains("401"))
            {
                assertThat(answer).contains("WWW-Authenticate: Basic realm=\"Icecast2 Server\"");
            }
        }
        catch (final javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException ex)
        {
            throw new AssertionError("not XML: " + request, ex);
        }
    }

    private List<String> titles(final String mount)
    {
        return relay.ofType(MessageType.METADATA).stream().filter(m -> mount.equals(m.mount()))
            .map(RecordingLink.Received::title).distinct().toList();
    }

    @Test
    void shouldAnswer431ForAnOversizedHead() throws IOException
    {
        try (Socket socket = connect())
        {
            send(socket, "PUT /live.mp3 HTTP/1.1\r\nX-Pad: " + "a".repeat(9000) + "\r\n\r\n");
            assertThat(readAll(socket)).startsWith("HTTP/1.0 431");
        }
    }

    private Socket connect() throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(server.localAddress(), 2_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static void send(final Socket socket, final String text) throws IOException
    {
        final OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readHead(final Socket socket) throws IOException
    {
        final InputStream in = socket.getInputStream();
        final StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n"))
        {
            final int b = in.read();
            if (b < 0)
            {
                break;
            }
            head.append((char)b);
        }
        return head.toString();
    }

    private static String readAll(final Socket socket) throws IOException
    {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String basic(final String user, final String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static byte[] silence(final int frames)
    {
        final byte[] bytes = new byte[frames * FRAME_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (int i = 0; i < frames; i++)
        {
            SilenceFrames.writeMp3(MpegVersion.MPEG_1, 44_100, ChannelMode.STEREO, 128, buffer, i * FRAME_LENGTH);
        }
        return bytes;
    }
}
