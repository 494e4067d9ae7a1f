package org.seamcast.it.ingest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.ingest.IngestContext;
import org.seamcast.ingest.IngestNode;
import org.seamcast.ingest.stamp.FrameStamper;
import org.seamcast.it.support.ExternalProcess;
import org.seamcast.it.support.IcecastServer;
import org.seamcast.it.support.ReferenceAudio;
import org.seamcast.it.support.RelaySubscriber;
import org.seamcast.transport.link.LinkAddress;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ingest pulls a mount from a real Icecast (Debian {@code icecast2}) that real ffmpeg feeds, as Davecast's
 * {@code daveice} does: the audio arrives as consecutive reference frames, and titles set through Icecast's admin
 * metadata URL arrive as METADATA messages, carried in-band by ICY metadata.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class IngestIcecastPullTest
{
    @TempDir
    static Path workDir;

    private static ReferenceAudio reference;

    private IcecastServer icecast;
    private ExternalProcess ffmpeg;
    private RelaySubscriber relay;
    private IngestNode ingest;

    @BeforeAll
    static void encodeReference()
    {
        ExternalProcess.requireTool("ffmpeg");
        ExternalProcess.requireTool("icecast2");
        reference = ReferenceAudio.mp3(workDir, 40);
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
        if (ffmpeg != null)
        {
            ffmpeg.close();
        }
        if (icecast != null)
        {
            icecast.close();
        }
    }

    @Test
    void shouldCarryThePulledFramesAndTurnIcecastTitleUpdatesIntoMetadataMessages() throws Exception
    {
        icecast = IcecastServer.builder().start(workDir);
        ffmpeg = ExternalProcess.start("ffmpeg-to-icecast", List.of("ffmpeg", "-v", "error", "-nostdin", "-re",
            "-i", reference.file().toString(), "-c", "copy", "-id3v2_version", "0", "-write_xing", "0",
            "-content_type", "audio/mpeg", "-ice_name", "Pulled FM", "-f", "mp3",
            "icecast://source:" + IcecastServer.SOURCE_PASSWORD + "@127.0.0.1:" + icecast.port() + "/live.mp3"),
            workDir.resolve("ffmpeg-icecast.log"));
        await("icecast has the mount").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
            .until(() -> status(icecast.url("/status-json.xsl")).contains("/live.mp3"));

        relay = RelaySubscriber.start("relay-pull-it");
        ingest = IngestNode.launch(new IngestContext()
            .nodeName("ingest-pull-it")
            .encoderId(5)
            .pull(URI.create(icecast.url("/live.mp3")), "/pulled.mp3")
            .relay(LinkAddress.parse(relay.url())));

        await("frames pulled").atMost(Duration.ofSeconds(20)).until(() -> relay.frames("/pulled.mp3").size() > 80);
        setTitle("First Title - Seamcast");
        await("first title").atMost(Duration.ofSeconds(20)).until(() -> titles().contains("First Title - Seamcast"));
        setTitle("Second Title ü");
        await("second title").atMost(Duration.ofSeconds(20)).until(() -> titles().contains("Second Title ü"));

        final List<RelaySubscriber.Message> frames = relay.frames("/pulled.mp3");
        final int first = indexOf(frames.get(0).payload());
        assertThat(first).as("first pulled frame is a reference frame").isGreaterThanOrEqualTo(0);
        final double frameUs = 1152 * 1e6 / 44_100;
        final double slewUs = Math.ceil(frameUs * FrameStamper.DEFAULT_MAX_SLEW_PPM / 1e6) + 1;
        for (int i = 0; i < frames.size(); i++)
        {
            assertThat(frames.get(i).payload()).as("pulled frame %d", i).isEqualTo(reference.frames().get(first + i));
            assertThat(frames.get(i).sequence()).isEqualTo(i);
            if (i > 0)
            {
                assertThat((double)(frames.get(i).timestampUs() - frames.get(i - 1).timestampUs()))
                    .as("spacing before frame %d", i).isBetween(frameUs - slewUs, frameUs + slewUs);
            }
        }
        final RelaySubscriber.Message announce = relay.ofType(MessageType.ANNOUNCE, "/pulled.mp3").get(0);
        assertThat(announce.icyName()).isEqualTo("Pulled FM");
        assertThat(relay.ofType(MessageType.METADATA, "/pulled.mp3"))
            .allSatisfy(m -> assertThat(m.epoch()).isEqualTo(frames.get(0).epoch()));
    }

    private List<String> titles()
    {
        return relay.ofType(MessageType.METADATA, "/pulled.mp3").stream().map(RelaySubscriber.Message::title)
            .toList();
    }

    private int indexOf(final byte[] payload)
    {
        for (int i = 0; i < reference.frames().size(); i++)
        {
            if (Arrays.equals(reference.frames().get(i), payload))
            {
                return i;
            }
        }
        return -1;
    }

    private void setTitle(final String title) throws Exception
    {
        final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                icecast.url("/admin/metadata?mode=updinfo&mount=/live.mp3&charset=UTF-8&song="
                    + URLEncoder.encode(title, StandardCharsets.UTF_8))))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    ("admin:" + IcecastServer.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static String status(final String url)
    {
        try
        {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
        catch (final Exception ex)
        {
            return "";
        }
    }
}
