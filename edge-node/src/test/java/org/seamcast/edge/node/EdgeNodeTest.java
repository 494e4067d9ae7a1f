package org.seamcast.edge.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.codec.audio.ChannelMode;
import org.seamcast.codec.audio.MpegVersion;
import org.seamcast.codec.audio.SilenceFrames;
import org.seamcast.codec.protocol.AnnounceEncoder;
import org.seamcast.codec.protocol.CodecType;
import org.seamcast.codec.protocol.FrameEncoder;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.codec.protocol.MetadataEncoder;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.codec.protocol.StreamPositionCursor;
import org.seamcast.edge.listener.ListenerServerContext;
import org.seamcast.transport.ByteBufAccess;
import org.seamcast.transport.Peer;
import org.seamcast.transport.ThreadingMode;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.tcp.ConnectionListener;
import org.seamcast.transport.tcp.TcpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An edge node against a scripted relay over real TCP: subscription, playout to a listener, resume after the
 * relay connection drops, status and health.
 */
class EdgeNodeTest
{
    private static final MountName MOUNT = MountName.of("/live");
    private static final int FRAME_US = 26_122;
    private static final int ICY_METAINT = 2_048;
    private static final int FALLBACK_ENCODER = 7;

    @TempDir
    Path dir;

    private final List<long[]> resumePoints = new CopyOnWriteArrayList<>();
    private final AtomicReference<Peer> edgePeer = new AtomicReference<>();
    private TransportContext relayTransport;
    private volatile boolean sending = true;
    private Thread sender;
    private TcpServer relay;
    private EdgeNode edge;

    @BeforeEach
    void startRelayAndEdge()
    {
        relayTransport = new TransportContext().nodeName("relay-test").registry(new SimpleMeterRegistry())
            .heartbeatIntervalMs(100).idleTimeoutMs(2_000).conclude();
        relay = TcpServer.bind(relayTransport, LinkAddress.parse("tcp://127.0.0.1:0"),
            (message, buffer, offset, length, from) ->
            {
                if (message.type() == MessageType.SUBSCRIBE)
                {
                    final StreamPositionCursor points = message.subscribe().resumePoints();
                    while (points.next())
                    {
                        resumePoints.add(new long[] {points.encoderId(), points.epoch(), points.sequence()});
                    }
                }
            },
            new ConnectionListener()
            {
                @Override
                public void onEstablished(final Peer peer)
                {
                    edgePeer.set(peer);
                }
            });
        edge = EdgeNode.start(edgeContext());
    }

    private EdgeContext edgeContext()
    {
        return new EdgeContext()
            .nodeName("edge-test")
            .relay(LinkAddress.parse("tcp://127.0.0.1:" + relay.localAddress().getPort()))
            .playoutDelayMs(300)
            .adminAddress(new InetSocketAddress("127.0.0.1", 0))
            .listeners(new ListenerServerContext().bindAddress(new InetSocketAddress("127.0.0.1", 0)).burstBytes(0)
                .icyMetaintBytes(ICY_METAINT));
    }

    @AfterEach
    void stop() throws InterruptedException
    {
        sending = false;
        if (sender != null)
        {
            sender.join(5_000);
        }
        edge.close();
        relay.close();
        relayTransport.close();
    }

    @Test
    void shouldPlayTheRelaysFramesToAListenerInOrder() throws IOException
    {
        await().atMost(Duration.ofSeconds(10)).until(() -> edgePeer.get() != null);
        sendLive(edgePeer.get(), 60);
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.listeners().mount("/live") != null);

        try (Socket listener = listen())
        {
            final List<Integer> heard = readFrames(listener.getInputStream(), 59);

            assertThat(heard).as("frames heard, %s", edge.statusJson()).isNotEmpty().endsWith(59);
            final int first = heard.get(0);
            assertThat(heard).as("every frame from the first heard on, once and in order")
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(first, 59).boxed().toList());
            assertThat(first).as("the listener joined while the stream played").isLessThan(45);
        }
    }

    @Test
    void shouldPlayInOrderWithThePlayoutAgentOnAThreadOfItsOwnToo() throws IOException
    {
        edge.close();
        edgePeer.set(null);
        edge = EdgeNode.start(edgeContext().threadingMode(ThreadingMode.DEDICATED));

        shouldPlayTheRelaysFramesToAListenerInOrder();
    }

    @Test
    void shouldPlayEveryMountOnWhicheverOfTwoPlayoutThreadsOwnsItAndResumeThemAll() throws Exception
    {
        playOverTwoPlayoutThreads(ThreadingMode.IO_LOOP);
    }

    @Test
    void shouldPlayEveryMountOverTwoPlayoutThreadsOfTheirOwnToo() throws Exception
    {
        playOverTwoPlayoutThreads(ThreadingMode.DEDICATED);
    }

    private void playOverTwoPlayoutThreads(final ThreadingMode mode) throws Exception
    {
        edge.close();
        edgePeer.set(null);
        edge = EdgeNode.start(edgeContext().playoutThreads(2).threadingMode(mode));
        final List<MountName> mounts = new java.util.ArrayList<>();
        final int[] owned = new int[2];
        for (int m = 0; owned[0] < 3 || owned[1] < 3; m++)
        {
            final MountName mount = MountName.of("/station-" + m);
            final int shard = PlayoutShards.shardOf(mount.hash(), 2);
            if (owned[shard] < 3)
            {
                owned[shard]++;
                mounts.add(mount);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> edgePeer.get() != null);
        sendLive(edgePeer.get(), 60, mounts);
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.mountStatus().size() == mounts.size());
        final MountName onFirst = mounts.stream().filter(m -> PlayoutShards.shardOf(m.hash(), 2) == 0).findFirst()
            .orElseThrow();
        final MountName onSecond = mounts.stream().filter(m -> PlayoutShards.shardOf(m.hash(), 2) == 1).findFirst()
            .orElseThrow();

        try (Socket first = listen(onFirst.toString(), ""); Socket second = listen(onSecond.toString(), ""))
        {
            for (final Socket listener : List.of(first, second))
            {
                final List<Integer> heard = readFrames(listener.getInputStream(), 59);
                assertThat(heard).as("frames heard, %s", edge.statusJson()).isNotEmpty().endsWith(59);
                assertThat(heard).as("every frame from the first heard on, once and in order")
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(heard.get(0), 59).boxed()
                        .toList());
            }
        }
        final JsonNode status = new ObjectMapper().readTree(edge.statusJson());
        assertThat(status.get("playoutThreads").asInt()).isEqualTo(2);
        assertThat(status.get("mounts").findValuesAsText("mount")).as("every mount, sorted, from both threads")
            .containsExactlyElementsOf(mounts.stream().map(MountName::toString).sorted().toList());
        long copies = 0;
        for (final JsonNode second : status.get("paths").get(0).get("headroom").get("copies"))
        {
            copies += second.asLong();
        }
        assertThat(copies).as("the path's headroom seconds hold both threads' copies").isGreaterThan(60);

        resumePoints.clear();
        final Peer connection = edgePeer.get();
        connection.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> edgePeer.get() != connection && resumePoints.size() == 6);
        assertThat(resumePoints).as("each thread resumes its own mounts after the next sequence")
            .allSatisfy(point -> assertThat(point).containsExactly(1L, 7L, 60L));
    }

    @Test
    void shouldResumeFromTheNextSequenceAfterTheRelayConnectionDrops()
    {
        await().atMost(Duration.ofSeconds(5)).until(() -> edgePeer.get() != null);
        final Peer first = edgePeer.get();
        send(first, 1, 0, 0, 20, System.currentTimeMillis() * 1000 + 100_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> edge.statusJson().contains("\"mount\":\"/live\""));

        first.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> edgePeer.get() != first && !resumePoints.isEmpty());
        assertThat(resumePoints.get(0)).containsExactly(1L, 7L, 20L);
    }

    @Test
    void shouldReportStatusAndHealthOnTheAdminEndpoint() throws Exception
    {
        await().atMost(Duration.ofSeconds(10)).until(() -> edgePeer.get() != null);
        sendLive(edgePeer.get(), 200);
        final HttpClient client = HttpClient.newHttpClient();
        final URI admin = URI.create("http://127.0.0.1:" + edge.adminAddress().getPort());

        await().atMost(Duration.ofSeconds(10)).until(() -> get(client, admin.resolve("/status.json")).body()
            .contains("\"activeEncoder\":1"));
        assertThat(get(client, admin.resolve("/health")).statusCode()).isEqualTo(200);
        // a mount's meters are registered off the playout thread, once it has appeared
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(client, admin.resolve("/metrics"))
            .body()).contains("seamcast_edge_frames_played_total")
            .contains("seamcast_edge_buffer_frames{mount=\"/live\"}")
            .contains("seamcast_edge_listeners_frames_dropped_total{mount=\"/live\"} 0.0"));

        relay.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> get(client, admin.resolve("/health")).statusCode() == 503);
        assertThat(get(client, admin.resolve("/health")).body()).contains("no relay connected");
    }

    @Test
    void shouldGiveIcyListenersTheNewestTitleEvenFromTheBackupsIngestWhileThePrimaryPlays() throws Exception
    {
        await().atMost(Duration.ofSeconds(10)).until(() -> edgePeer.get() != null);
        sendLive(edgePeer.get(), 400);
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.listeners().mount("/live") != null);
        final long setUs = System.currentTimeMillis() * 1000;
        sendMetadata(edgePeer.get(), MOUNT, 1, setUs - 10_000_000, "Old, repeated by the primary's ingest");
        sendMetadata(edgePeer.get(), MOUNT, 2, setUs, "New, set at the backup's ingest");
        await().atMost(Duration.ofSeconds(5)).until(() -> edge.statusJson().contains("\"titleEncoder\":2"));

        try (Socket listener = listen("Icy-MetaData: 1\r\n"))
        {
            final List<String> heard = new java.util.ArrayList<>();
            for (int repeat = 0; repeat < 6; repeat++)
            {
                sendMetadata(edgePeer.get(), MOUNT, 1, setUs - 10_000_000, "Old, repeated by the primary's ingest");
                sendMetadata(edgePeer.get(), MOUNT, 2, setUs, "New, set at the backup's ingest");
                readIcyTitles(listener.getInputStream(), 2, heard);
            }

            assertThat(heard).containsExactly("New, set at the backup's ingest");
        }
        final JsonNode mount = new ObjectMapper().readTree(edge.statusJson()).get("mounts").get(0);
        assertThat(mount.get("activeEncoder").asInt()).as("the primary plays").isEqualTo(1);
        assertThat(mount.get("title").asText()).isEqualTo("New, set at the backup's ingest");
        assertThat(mount.get("titleEncoder").asInt()).isEqualTo(2);
        assertThat(mount.get("encoders").get(0).get("title").asText()).isEqualTo("Old, repeated by the primary's ingest");
    }

    @Test
    void shouldServeStatusJsonThatParsesWhateverTheMountNameAndTitle() throws Exception
    {
        await().atMost(Duration.ofSeconds(10)).until(() -> edgePeer.get() != null);
        final MountName hostileMount = MountName.of("/a\\\"},{\"x\":1}\\");
        final String hostileTitle = "\"},{\"injected\":true} \\ caf\u00e9 \uD83C\uDFB5 \u2028 </script>";
        send(edgePeer.get(), hostileMount, 1, 0, 0, 20, System.currentTimeMillis() * 1000 + 100_000);
        sendMetadata(edgePeer.get(), hostileMount, 1, System.currentTimeMillis() * 1000, hostileTitle);
        final HttpClient client = HttpClient.newHttpClient();
        final URI admin = URI.create("http://127.0.0.1:" + edge.adminAddress().getPort());

        await().atMost(Duration.ofSeconds(10)).until(() -> get(client, admin.resolve("/status.json")).body()
            .contains("injected"));

        final JsonNode status = new ObjectMapper().readTree(get(client, admin.resolve("/status.json")).body());
        final JsonNode mount = status.get("mounts").get(0);
        assertThat(mount.get("mount").asText()).isEqualTo(hostileMount.toString());
        assertThat(mount.get("title").asText()).isEqualTo(hostileTitle);
        assertThat(mount.get("encoders").isArray()).isTrue();
        assertThat(status.get("paths").get(0).get("connected").asBoolean()).isTrue();
    }

    @Test
    void shouldExportEachPathsHeadroomAndWhatPlaysForAlerts() throws Exception
    {
        await().atMost(Duration.ofSeconds(10)).until(() -> edgePeer.get() != null);
        sendLive(edgePeer.get(), 120);
        final HttpClient client = HttpClient.newHttpClient();
        final URI metrics = URI.create("http://127.0.0.1:" + edge.adminAddress().getPort() + "/metrics");

        await().atMost(Duration.ofSeconds(10)).until(() -> sample(get(client, metrics).body(),
            "seamcast_edge_path_headroom_seconds_count{address=\"tcp://127.0.0.1:" + relay.localAddress().getPort()
                + "\",path=\"0\"}") >= 100);
        final String text = get(client, metrics).body();

        final String path0 = "address=\"tcp://127.0.0.1:" + relay.localAddress().getPort() + "\",path=\"0\"";
        final double copies = sample(text, "seamcast_edge_path_headroom_seconds_count{" + path0 + "}");
        assertThat(sample(text, "seamcast_edge_path_headroom_seconds_bucket{" + path0 + ",le=\"0.0\"}"))
            .as("late copies").isZero();
        assertThat(sample(text, "seamcast_edge_path_headroom_seconds_bucket{" + path0 + ",le=\"0.3\"}"))
            .as("each copy is sent 150 ms before its stamp, so D=300 ms leaves about 450 ms").isZero();
        assertThat(sample(text, "seamcast_edge_path_headroom_seconds_bucket{" + path0 + ",le=\"0.5\"}"))
            .isEqualTo(copies);
        assertThat(sample(text, "seamcast_edge_path_headroom_seconds_sum{" + path0 + "}") / copies)
            .isBetween(0.3, 0.46);
        assertThat(sample(text, "seamcast_edge_active_encoder{mount=\"/live\"}")).isEqualTo(1);
        assertThat(sample(text, "seamcast_edge_active_encoder_rank{mount=\"/live\"}")).isZero();
        assertThat(sample(text, "seamcast_edge_fallback{mount=\"/live\"}")).isZero();
        assertThat(sample(text, "seamcast_edge_path_up{" + path0.replace(",path", ",kind=\"subscribed\",path") + "}"))
            .isEqualTo(1);

        final JsonNode status = new ObjectMapper().readTree(edge.statusJson());
        assertThat(status.get("history").get("samples").asInt()).isEqualTo(SampleRing.CAPACITY);
        final JsonNode meanMs = status.get("paths").get(0).get("headroom").get("meanMs");
        assertThat(meanMs.size()).isEqualTo(SampleRing.CAPACITY);
        assertThat(meanMs.get(SampleRing.CAPACITY - 1).asLong()).as("the last second's mean headroom, %s", meanMs)
            .isBetween(300L, 460L);
        assertThat(meanMs.get(0).isNull()).as("the edge has not run three minutes").isTrue();
        assertThat(status.get("mounts").get(0).get("bufferFrames").get(SampleRing.CAPACITY - 1).asInt())
            .as("frames buffered a second ago").isPositive();
    }

    @Test
    void shouldNameEncodersByTheirIngestAndPutSwitchesFallbackAndAPathDownOnTheTimeline() throws Exception
    {
        await().atMost(Duration.ofSeconds(10)).until(() -> edgePeer.get() != null);
        sendAnnounce(edgePeer.get(), 1, 0, "ingest-a");
        sendAnnounce(edgePeer.get(), 2, 1, "ingest-b");
        final long startUs = System.currentTimeMillis() * 1000 + 100_000;
        send(edgePeer.get(), 1, 0, 0, 20, startUs);
        send(edgePeer.get(), 2, 1, 0, 40, startUs);

        await().atMost(Duration.ofSeconds(10)).until(() -> edge.statusJson().contains("\"kind\":\"fallback_start\""));
        final JsonNode mount = new ObjectMapper().readTree(edge.statusJson()).get("mounts").get(0);
        assertThat(mount.get("encoders").get(0).get("ingest").asText()).isEqualTo("ingest-a");
        assertThat(mount.get("encoders").get(1).get("ingest").asText()).isEqualTo("ingest-b");
        assertThat(mount.get("encoders").get(0).get("startedAt").asText()).isEqualTo("1970-01-01T00:00:00.007Z");
        final List<String> timeline = new java.util.ArrayList<>();
        mount.get("timeline").forEach(e -> timeline.add(e.get("kind").asText() + " " + e.get("encoder").asInt()));
        assertThat(timeline).containsSubsequence("switch 2", "fallback_start 2");

        relay.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.statusJson().contains("\"pathEvents\":[{"));
        final JsonNode down = new ObjectMapper().readTree(edge.statusJson()).get("pathEvents").get(0);
        assertThat(down.get("path").asInt()).isZero();
        assertThat(down.get("kind").asText()).isEqualTo("down");
        assertThat(down.get("problem").asText()).isNotBlank();
    }

    @Test
    void shouldPlayTheStationsFallbackFileLoopedFromItsStartWhenEveryEncoderIsGone() throws Exception
    {
        final java.io.ByteArrayOutputStream ident = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 5; i++)
        {
            ident.write(frame(FALLBACK_ENCODER, i));
        }
        final Path file = Files.write(dir.resolve("ident.mp3"), ident.toByteArray());
        edge.close();
        edgePeer.set(null);
        edge = EdgeNode.start(edgeContext().fallbackFile(MOUNT, file));
        await().atMost(Duration.ofSeconds(10)).until(() -> edgePeer.get() != null);

        send(edgePeer.get(), 1, 0, 0, 30, System.currentTimeMillis() * 1000 + 100_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.listeners().mount("/live") != null);
        try (Socket listener = listen())
        {
            final List<String> heard = readFramesAndFallback(listener.getInputStream(), 8);

            final int lastLive = heard.indexOf("live 29");
            assertThat(lastLive).as("heard %s", heard).isNotNegative();
            assertThat(heard.subList(lastLive + 1, heard.size())).containsExactly(
                "file 0", "file 1", "file 2", "file 3", "file 4", "file 0", "file 1", "file 2");
        }
        final JsonNode mount = new ObjectMapper().readTree(edge.statusJson()).get("mounts").get(0);
        assertThat(mount.get("fallback").asBoolean()).isTrue();
        assertThat(mount.get("fallbackPlays").asText()).isEqualTo("file");
        assertThat(mount.get("fallbackFile").asText()).isEqualTo("ident.mp3");
    }

    /**
     * Reads the listener's audio until {@code fallbackFrames} frames of the fallback file have been heard.
     *
     * @return "live N" for encoder 1's frame N, "file N" for the file's frame N.
     */
    private static List<String> readFramesAndFallback(final InputStream in, final int fallbackFrames)
        throws IOException
    {
        final int length = frame(1, 0).length;
        final java.util.Map<String, String> known = new java.util.HashMap<>();
        for (int sequence = 0; sequence < 30; sequence++)
        {
            known.put(java.util.Arrays.toString(frame(1, sequence)), "live " + sequence);
        }
        for (int sequence = 0; sequence < 5; sequence++)
        {
            known.put(java.util.Arrays.toString(frame(FALLBACK_ENCODER, sequence)), "file " + sequence);
        }
        final List<String> heard = new java.util.ArrayList<>();
        while (heard.stream().filter(h -> h.startsWith("file")).count() < fallbackFrames)
        {
            final byte[] bytes = in.readNBytes(length);
            assertThat(bytes).as("audio after %s", heard).hasSize(length);
            final String what = known.get(java.util.Arrays.toString(bytes));
            assertThat(what).as("bytes that are no test frame after %s", heard).isNotNull();
            heard.add(what);
        }
        return heard;
    }

    /**
     * The value of the sample line that starts with {@code series}, or -1 if there is none.
     */
    private static double sample(final String metrics, final String series)
    {
        for (final String line : metrics.split("\n"))
        {
            if (line.startsWith(series + " "))
            {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return -1;
    }

    private static void sendAnnounce(final Peer peer, final int encoderId, final int priority, final String ingest)
    {
        final ByteBuf message = Unpooled.directBuffer(2048);
        final int length = new AnnounceEncoder()
            .wrap(ByteBufAccess.wrap(new UnsafeBuffer(0, 0), message, 0, message.capacity()), 0, MOUNT)
            .encoderId(encoderId).epoch(7).priority(priority).codec(CodecType.MP3).sampleRate(44_100).channels(2)
            .ingestName(NodeName.of(ingest))
            .finish(null);
        message.writerIndex(length);
        peer.send(message);
        peer.flush();
    }

    private static HttpResponse<String> get(final HttpClient client, final URI uri) throws Exception
    {
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Socket listen() throws IOException
    {
        return listen("");
    }

    private Socket listen(final String headers) throws IOException
    {
        return listen("/live", headers);
    }

    private Socket listen(final String mount, final String headers) throws IOException
    {
        final Socket socket = new Socket("127.0.0.1", edge.listenerAddress().getPort());
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET " + mount + " HTTP/1.0\r\n" + headers + "\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        final InputStream in = socket.getInputStream();
        final StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n"))
        {
            head.append((char)in.read());
        }
        assertThat(head.toString()).startsWith("HTTP/1.0 200 OK");
        return socket;
    }

    /**
     * Reads {@code blocks} metadata intervals (audio then one ICY block each) and adds every StreamTitle sent.
     */
    private static void readIcyTitles(final InputStream in, final int blocks, final List<String> titles)
        throws IOException
    {
        for (int block = 0; block < blocks; block++)
        {
            in.readNBytes(ICY_METAINT);
            final int length = in.read() * 16;
            final String text = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            final int start = text.indexOf("StreamTitle='");
            if (start >= 0)
            {
                titles.add(text.substring(start + "StreamTitle='".length(), text.indexOf("';", start)));
            }
        }
    }

    /**
     * Reads the listener's audio frame by frame (every test frame has the same length and a payload unique to its
     * sequence) until frame {@code last} of encoder 1 has been heard.
     *
     * @return the sequence of every frame heard, in order; anything that is not a test frame ends the test.
     */
    static List<Integer> readFrames(final InputStream in, final int last) throws IOException
    {
        final int length = frame(1, 0).length;
        final java.util.Map<String, Integer> bySequence = new java.util.HashMap<>();
        for (int sequence = 0; sequence <= last; sequence++)
        {
            bySequence.put(java.util.Arrays.toString(frame(1, sequence)), sequence);
        }
        final List<Integer> heard = new java.util.ArrayList<>();
        while (heard.isEmpty() || heard.get(heard.size() - 1) < last)
        {
            final byte[] bytes = in.readNBytes(length);
            if (bytes.length < length)
            {
                break;
            }
            final Integer sequence = bySequence.get(java.util.Arrays.toString(bytes));
            assertThat(sequence).as("bytes that are no test frame after %s", heard).isNotNull();
            heard.add(sequence);
        }
        return heard;
    }

    /**
     * Sends encoder 1's frames 0..count-1 as a live ingest would: each one a little before its timestamp, which
     * runs from now on in real time, so none is early enough to be refused or late enough to miss its slot.
     */
    private void sendLive(final Peer peer, final int count)
    {
        sendLive(peer, count, List.of(MOUNT));
    }

    private void sendLive(final Peer peer, final int count, final List<MountName> mounts)
    {
        final long startUs = System.currentTimeMillis() * 1000 + 200_000;
        sender = new Thread(() ->
        {
            for (int sequence = 0; sequence < count && sending; sequence++)
            {
                final long dueMs = (startUs + (long)sequence * FRAME_US - 150_000) / 1000;
                while (sending && System.currentTimeMillis() < dueMs)
                {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
                for (final MountName mount : mounts)
                {
                    send(peer, mount, 1, 0, sequence, sequence + 1, startUs);
                }
            }
        }, "test-live-sender");
        sender.start();
    }

    private static void send(final Peer peer, final int encoderId, final int priority, final int first,
        final int end, final long startUs)
    {
        send(peer, MOUNT, encoderId, priority, first, end, startUs);
    }

    private static void send(final Peer peer, final MountName mount, final int encoderId, final int priority,
        final int first, final int end, final long startUs)
    {
        for (int sequence = first; sequence < end; sequence++)
        {
            final byte[] payload = frame(encoderId, sequence);
            final ByteBuf message = Unpooled.directBuffer(1024);
            final int length = new FrameEncoder()
                .wrap(ByteBufAccess.wrap(new UnsafeBuffer(0, 0), message, 0, message.capacity()), 0, mount)
                .encoderId(encoderId).priority(priority).epoch(7).sequence(sequence)
                .timestampUs(startUs + (long)sequence * FRAME_US)
                .codec(CodecType.MP3).sampleRate(44_100).samplesInFrame(1152).cleanSwitch(true)
                .payload(payload, 0, payload.length)
                .finish(null);
            message.writerIndex(length);
            peer.send(message);
        }
        peer.flush();
    }

    private static void sendMetadata(final Peer peer, final MountName mount, final int encoderId,
        final long timestampUs, final String title)
    {
        final ByteBuf message = Unpooled.directBuffer(2048);
        final int length = new MetadataEncoder()
            .wrap(ByteBufAccess.wrap(new UnsafeBuffer(0, 0), message, 0, message.capacity()), 0, mount)
            .encoderId(encoderId).epoch(7).timestampUs(timestampUs).streamTitle(title)
            .finish(null);
        message.writerIndex(length);
        peer.send(message);
        peer.flush();
    }

    static byte[] frame(final int encoderId, final int sequence)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final int length = SilenceFrames.writeMp3(MpegVersion.MPEG_1, 44_100, ChannelMode.STEREO, 128, buffer, 0);
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        for (int i = 40; i < frame.length; i++)
        {
            frame[i] = (byte)(encoderId * 101 + sequence * 7 + i);
        }
        return frame;
    }

}
