package org.seamcast.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.codec.audio.ChannelMode;
import org.seamcast.codec.audio.MpegVersion;
import org.seamcast.codec.audio.SilenceFrames;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.transport.link.LinkAddress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A whole node with a file input and a recording destination: real-time pacing, repeated announces, health.
 */
class IngestNodeTest
{
    private static final int FRAME_LENGTH = SilenceFrames.mp3FrameLength(MpegVersion.MPEG_1, 44_100, 128);
    private static final double FRAME_MS = 1152 * 1000.0 / 44_100;

    @TempDir
    Path dir;

    @Test
    void shouldPlayAFileInRealTimeRepeatTheAnnounceAndReportHealth() throws Exception
    {
        final Path file = silenceFile(200);
        final RecordingLink link = new RecordingLink("tcp://127.0.0.1:9001");
        final long startNs = System.nanoTime();
        try (IngestNode node = IngestNode.launch(new IngestContext()
            .nodeName("ingest-unit")
            .file(file, "/file.mp3", false)
            .relay(LinkAddress.parse("tcp://127.0.0.1:9001"))
            .linkFactory(address -> link)
            .announceIntervalMs(200)
            .adminAddress(new InetSocketAddress("127.0.0.1", 0))))
        {
            await().atMost(Duration.ofSeconds(2)).until(() -> link.frames("/file.mp3").size() > 5);
            node.streams().live(org.seamcast.codec.protocol.MountName.of("/file.mp3")).updateMetadata("Now Playing", null);
            await("title repeated with the announce").atMost(Duration.ofSeconds(3)).until(() ->
                link.ofType(MessageType.METADATA).stream().filter(m -> "Now Playing".equals(m.title())).count() >= 3);
            final HttpResponse<String> healthy = get(node, "/health");
            assertThat(healthy.statusCode()).as(healthy.body()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(15)).until(() -> link.frames("/file.mp3").size() == 200);
            final long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
            assertThat((double)elapsedMs).as("paced by frame durations").isGreaterThanOrEqualTo(199 * FRAME_MS - 5);
            assertThat(link.frames("/file.mp3")).extracting(RecordingLink.Received::sequence)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 200).boxed().toList());
            assertThat(link.ofType(MessageType.ANNOUNCE).size()).as("announce repeated while playing")
                .isGreaterThanOrEqualTo(5);

            await().atMost(Duration.ofSeconds(5)).until(() -> node.streams().liveCount() == 0);
            final HttpResponse<String> health = get(node, "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("no source connected");
            assertThat(get(node, "/metrics").body()).contains("seamcast_ingest_frames_total{mount=\"/file.mp3\"} 200.0");

            link.close();
            assertThat(node.problems()).anySatisfy(problem ->
                assertThat(problem).startsWith("no relay reachable").contains("tcp://127.0.0.1:9001: closed"));
        }
    }

    @Test
    void shouldFollowTheLastFrameOfAFileWithHeartbeatsNamingItsSequence() throws Exception
    {
        final Path file = silenceFile(40);
        final RecordingLink link = new RecordingLink("tcp://127.0.0.1:9001");
        try (IngestNode node = IngestNode.launch(new IngestContext()
            .nodeName("ingest-beats")
            .file(file, "/beats.mp3", false)
            .relay(LinkAddress.parse("tcp://127.0.0.1:9001"))
            .linkFactory(address -> link)
            .adminAddress(new InetSocketAddress("127.0.0.1", 0))))
        {
            await().atMost(Duration.ofSeconds(10)).until(() -> link.frames("/beats.mp3").size() == 40);
            final long epoch = link.frames("/beats.mp3").get(0).epoch();
            await("a heartbeat after the last frame names it").atMost(Duration.ofSeconds(2)).until(() ->
            {
                final List<RecordingLink.Received> received = link.received();
                final int lastFrame = received.indexOf(link.frames("/beats.mp3").get(39));
                return received.subList(lastFrame, received.size()).stream().anyMatch(message ->
                    message.type() == MessageType.HEARTBEAT && "/beats.mp3".equals(message.mount()) &&
                    message.epoch() == epoch && message.sequence() == 39);
            });
            assertThat(link.ofType(MessageType.HEARTBEAT)).as("while the file played")
                .filteredOn(message -> message.sequence() < 39).hasSizeGreaterThanOrEqualTo(2);
            assertThat(get(node, "/metrics").body()).contains("seamcast_ingest_heartbeats_total");
        }
    }

    @Test
    void shouldServeStatusJsonThatParsesWhateverTheMountNames() throws Exception
    {
        final Path file = silenceFile(10);
        final RecordingLink link = new RecordingLink("tcp://127.0.0.1:9001");
        final List<String> hostile = List.of("/a\\", "/a\"b", "/x\"],\"y\":[\"");
        final IngestContext ctx = new IngestContext()
            .nodeName("ingest-json")
            .relay(LinkAddress.parse("tcp://127.0.0.1:9001"))
            .linkFactory(address -> link)
            .adminAddress(new InetSocketAddress("127.0.0.1", 0));
        hostile.forEach(mount -> ctx.file(file, mount, true));
        try (IngestNode node = IngestNode.launch(ctx))
        {
            await().atMost(Duration.ofSeconds(5)).until(() -> node.streams().liveCount() == hostile.size());

            final HttpResponse<String> response = get(node, "/status.json");

            final JsonNode status = new ObjectMapper().readTree(response.body());
            assertThat(response.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
            assertThat(status.get("node").asText()).isEqualTo("ingest-json");
            final List<String> mounts = new java.util.ArrayList<>();
            status.get("mounts").forEach(mount -> mounts.add(mount.asText()));
            assertThat(mounts).containsExactlyInAnyOrderElementsOf(hostile);
            assertThat(status.get("relays").get(0).get("address").asText()).isEqualTo("tcp://127.0.0.1:9001");
            assertThat(status.get("relays").get(0).get("sent").isIntegralNumber()).isTrue();
        }
    }

    @Test
    void shouldLoopAFileInOneContinuousEpoch() throws Exception
    {
        final Path file = silenceFile(10);
        final RecordingLink link = new RecordingLink("tcp://127.0.0.1:9001");
        try (IngestNode ignored = IngestNode.launch(new IngestContext()
            .nodeName("ingest-loop")
            .file(file, "/loop.mp3", true)
            .relay(LinkAddress.parse("tcp://127.0.0.1:9001"))
            .linkFactory(address -> link)))
        {
            await().atMost(Duration.ofSeconds(5)).until(() -> link.frames("/loop.mp3").size() >= 25);
        }
        final List<RecordingLink.Received> frames = link.frames("/loop.mp3");
        assertThat(frames).extracting(RecordingLink.Received::epoch).containsOnly(frames.get(0).epoch());
        for (int i = 1; i < frames.size(); i++)
        {
            assertThat(frames.get(i).sequence()).isEqualTo(i);
            assertThat(frames.get(i).timestampUs() - frames.get(i - 1).timestampUs()).isBetween(26_100L, 26_140L);
        }
    }

    @Test
    void shouldRefuseAContextWithoutRelaysOrInputsNamingWhatIsMissing()
    {
        assertThatThrownBy(() -> new IngestContext().nodeName("a").sourcePassword("pw")
            .sourceListenAddress(new InetSocketAddress(0)).conclude())
            .hasMessageContaining("relays is empty");
        assertThatThrownBy(() -> new IngestContext().nodeName("a")
            .relay(LinkAddress.parse("tcp://127.0.0.1:1")).conclude())
            .hasMessageContaining("no input");
        assertThatThrownBy(() -> new IngestContext().nodeName("a").sourcePassword("pw")
            .sourceListenAddress(new InetSocketAddress(0)).relay(LinkAddress.parse("tcp://127.0.0.1:1"))
            .announceIntervalMs(1_500).conclude())
            .hasMessageContaining("announceIntervalMs=1500 is not in 10..1000");
    }

    private Path silenceFile(final int frames) throws IOException
    {
        final byte[] bytes = new byte[frames * FRAME_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (int i = 0; i < frames; i++)
        {
            SilenceFrames.writeMp3(MpegVersion.MPEG_1, 44_100, ChannelMode.STEREO, 128, buffer, i * FRAME_LENGTH);
        }
        return Files.write(dir.resolve("silence-" + frames + ".mp3"), bytes);
    }

    private static HttpResponse<String> get(final IngestNode node, final String path)
        throws IOException, InterruptedException
    {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.adminAddress().getPort() + path))
                .timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    }
}
