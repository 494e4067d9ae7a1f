package org.seamcast.it.ingest;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.codec.audio.AudioFrameSplitter;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.ingest.IngestContext;
import org.seamcast.ingest.IngestNode;
import org.seamcast.ingest.stamp.FrameStamper;
import org.seamcast.it.support.ExternalProcess;
import org.seamcast.it.support.ReferenceAudio;
import org.seamcast.it.support.RelaySubscriber;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real ffmpeg pushes a real MP3 and a real ADTS stream to the ingest with {@code icecast://}; a TCP server
 * standing where the relay would must receive exactly the frames of the file, in order, each stamped with the
 * next sequence and a timestamp one frame duration (within the slew bound) after the previous one.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class IngestFfmpegPushTest
{
    static final String PASSWORD = "it-source-pw";

    @TempDir
    static Path workDir;

    private static ReferenceAudio mp3;
    private static ReferenceAudio adts;

    private RelaySubscriber relay;
    private RelaySubscriber udpRelay;
    private IngestNode ingest;

    @BeforeAll
    static void encodeReferences()
    {
        ExternalProcess.requireTool("ffmpeg");
        ExternalProcess.requireTool("ffprobe");
        mp3 = ReferenceAudio.mp3(workDir, 8);
        adts = ReferenceAudio.adts(workDir, 8);
    }

    @BeforeEach
    void startIngest()
    {
        relay = RelaySubscriber.start("relay-it");
        udpRelay = RelaySubscriber.start("relay-udp-it", "udp");
        ingest = IngestNode.launch(new IngestContext()
            .nodeName("ingest-it")
            .encoderId(3)
            .priority(1)
            .sourceListenAddress(new InetSocketAddress("127.0.0.1", 0))
            .sourcePassword(PASSWORD)
            .relay(LinkAddress.parse(relay.url()))
            .relay(LinkAddress.parse(udpRelay.url()))
            .adminAddress(new InetSocketAddress("127.0.0.1", 0)));
        await("ingest connected to the relay").atMost(Duration.ofSeconds(10))
            .until(() -> ingest.fanout().links().get(0).isConnected());
    }

    @AfterEach
    void stop()
    {
        if (ingest != null)
        {
            ingest.close();
        }
        if (relay != null)
        {
            relay.close();
        }
        if (udpRelay != null)
        {
            udpRelay.close();
        }
    }

    @Test
    void shouldCarryEveryFrameOfAnFfmpegMp3PushInOrderWithEvenlySpacedTimestamps() throws Exception
    {
        final long startUs = System.currentTimeMillis() * 1000;
        push(mp3.file(), "mp3", "audio/mpeg", "/live.mp3", false);
        assertCarried(mp3, "/live.mp3", 1152, startUs);
        final List<Boolean> selfContained = codecSelfContained(mp3.file());
        final List<RelaySubscriber.Message> frames = relay.frames("/live.mp3");
        for (int i = 0; i < frames.size(); i++)
        {
            assertThat(frames.get(i).cleanSwitch()).as("CLEAN_SWITCH of frame %d is main_data_begin == 0", i)
                .isEqualTo(selfContained.get(i));
        }
        assertThat(selfContained).as("the reference has both kinds of frame").contains(true, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> udpRelay.frames("/live.mp3").size() >= frames.size());
        final List<RelaySubscriber.Message> udpFrames = udpRelay.frames("/live.mp3");
        assertThat(udpFrames).as("the UDP relay got every frame too").hasSize(frames.size());
        for (int i = 0; i < udpFrames.size(); i++)
        {
            assertThat(udpFrames.get(i).payload()).isEqualTo(frames.get(i).payload());
            assertThat(udpFrames.get(i).timestampUs()).isEqualTo(frames.get(i).timestampUs());
        }
        final RelaySubscriber.Message announce = relay.ofType(MessageType.ANNOUNCE, "/live.mp3").get(0);
        assertThat(announce.icyName()).isEqualTo("Seamcast IT");
        assertThat(announce.contentType()).isEqualTo("audio/mpeg");
        assertThat(announce.encoderId()).isEqualTo(3);
    }

    @Test
    void shouldCarryEveryFrameOfAnFfmpegAdtsPushWithEveryFrameMarkedClean() throws Exception
    {
        final long startUs = System.currentTimeMillis() * 1000;
        push(adts.file(), "adts", "audio/aac", "/live.aac", false);
        assertCarried(adts, "/live.aac", 1024, startUs);
        assertThat(relay.frames("/live.aac")).allMatch(RelaySubscriber.Message::cleanSwitch);
        assertThat(relay.ofType(MessageType.ANNOUNCE, "/live.aac").get(0).contentType()).isEqualTo("audio/aac");
    }

    @Test
    void shouldAcceptTheLegacySourceMethodAndReportHealthWhileLive() throws Exception
    {
        final ExternalProcess ffmpeg = startPush(mp3.file(), "mp3", "audio/mpeg", "/legacy.mp3", true);
        try
        {
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.frames("/legacy.mp3").size() > 20);
            final HttpResponse<String> health = get("/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(get("/metrics").body()).contains("seamcast_ingest_frames_total{mount=\"/legacy.mp3\"}");
        }
        finally
        {
            ffmpeg.close();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> ingest.streams().liveCount() == 0);
        final HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("no source connected");
    }

    private HttpResponse<String> get(final String path) throws IOException, InterruptedException
    {
        return HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingest.adminAddress().getPort() + path))
                .timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private void push(final Path file, final String format, final String contentType, final String mount,
        final boolean legacy) throws InterruptedException
    {
        final ExternalProcess ffmpeg = startPush(file, format, contentType, mount, legacy);
        try
        {
            assertThat(ffmpeg.process().waitFor(60, TimeUnit.SECONDS)).as("ffmpeg finished").isTrue();
            assertThat(ffmpeg.process().exitValue()).as("ffmpeg exit code; log %s", ffmpeg.log()).isZero();
        }
        finally
        {
            ffmpeg.close();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> ingest.streams().liveCount() == 0);
    }

    private ExternalProcess startPush(final Path file, final String format, final String contentType,
        final String mount, final boolean legacy)
    {
        final List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-nostdin", "-re",
            "-i", file.toString(), "-c", "copy"));
        if ("mp3".equals(format))
        {
            command.addAll(List.of("-id3v2_version", "0", "-write_xing", "0"));
        }
        if (legacy)
        {
            command.addAll(List.of("-legacy_icecast", "1"));
        }
        command.addAll(List.of("-ice_name", "Seamcast IT", "-content_type", contentType, "-f", format,
            "icecast://source:" + PASSWORD + "@127.0.0.1:" + ingest.sourceAddress().getPort() + mount));
        return ExternalProcess.start("ffmpeg-push" + mount, command, workDir.resolve("ffmpeg" +
            mount.replace('/', '-') + ".log"));
    }

    private void assertCarried(final ReferenceAudio reference, final String mount, final int samples,
        final long startUs) throws IOException
    {
        final List<byte[]> expected = reference.frames();
        assertThat(codecSplit(reference.file())).as("the codec splits the file as ffprobe does")
            .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(expected);
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.frames(mount).size() >= expected.size());
        final List<RelaySubscriber.Message> frames = relay.frames(mount);
        assertThat(frames).hasSize(expected.size());

        final double frameUs = samples * 1e6 / 44_100;
        final double slewUs = Math.ceil(frameUs * FrameStamper.DEFAULT_MAX_SLEW_PPM / 1e6) + 1;
        final long epoch = frames.get(0).epoch();
        int steps = 0;
        for (int i = 0; i < frames.size(); i++)
        {
            final RelaySubscriber.Message frame = frames.get(i);
            assertThat(frame.payload()).as("frame %d", i).isEqualTo(expected.get(i));
            assertThat(frame.sequence()).isEqualTo(i);
            assertThat(frame.epoch()).isEqualTo(epoch);
            assertThat(frame.encoderId()).isEqualTo(3);
            assertThat(frame.samples()).isEqualTo(samples);
            if (i > 0)
            {
                final long spacingUs = frame.timestampUs() - frames.get(i - 1).timestampUs();
                if (spacingUs < frameUs - slewUs || spacingUs > frameUs + slewUs)
                {
                    steps++;
                }
            }
        }
        // The codec completes the last frame only when the source closes, and it is stamped no later than that:
        // with ffmpeg -re closing at once, a step back, which the ingest counts (docs/ingest.md, Stamping). Any
        // other step beyond the slew bound must be counted too.
        final double counted = stampCount(mount, "pullbacks") + stampCount(mount, "bursts");
        assertThat((double)steps).as("steps beyond the slew bound, each counted by the ingest")
            .isLessThanOrEqualTo(counted);
        assertThat(frames.get(0).timestampUs()).as("first stamp near the wall clock at push start")
            .isBetween(startUs, startUs + 5_000_000);
        assertThat(epoch).isGreaterThanOrEqualTo(startUs / 1000);
    }

    private double stampCount(final String mount, final String name)
    {
        return ingest.context().registry().get("seamcast.ingest.stamp." + name).tag("mount", mount).counter()
            .count();
    }

    static List<Boolean> codecSelfContained(final Path file) throws IOException
    {
        final List<Boolean> selfContained = new ArrayList<>();
        final AudioFrameSplitter splitter = new AudioFrameSplitter(
            (buffer, offset, length, header) -> selfContained.add(header.isSelfContained()));
        final byte[] bytes = Files.readAllBytes(file);
        splitter.onData(new UnsafeBuffer(bytes), 0, bytes.length);
        splitter.finish();
        return selfContained;
    }

    static List<byte[]> codecSplit(final Path file) throws IOException
    {
        final List<byte[]> frames = new ArrayList<>();
        final AudioFrameSplitter splitter = new AudioFrameSplitter((buffer, offset, length, header) ->
        {
            final byte[] frame = new byte[length];
            buffer.getBytes(offset, frame);
            frames.add(frame);
        });
        final byte[] bytes = Files.readAllBytes(file);
        splitter.onData(new UnsafeBuffer(bytes), 0, bytes.length);
        splitter.finish();
        return frames;
    }
}
