package org.seamcast.it.ingest;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
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

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
 * metadata URL arrive as METADATA messages, carried in-band by ICY metadata. Icecast bursts seconds of old audio
 * at the ingest when it connects: the burst arrives stamped into the past, contiguous and ending after the
 * connection; later stamps ride the arrivals; no frame is ever stamped later than it reached the relay (ingest and
 * relay share one clock). Prints its figures.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class IngestIcecastPullTest
{
    @TempDir
    static Path workDir;

    /** Icecast bursts up to its burst-size (64 KiB, 4 s at 128 kbit/s); the test waits until it holds 3 s. */
    private static final int MIN_BURST_BYTES = 48 * 1024;
    private static final long MIN_BURST_US = 2_500_000;
    /**
     * "A few frames": how far the stamps may lie below the arrivals' lower envelope (the least lag in each window of
     * {@link #ENVELOPE_WINDOW_US}) once the burst is over. Single frames arrive later: Icecast sends a listener 3-4
     * frames every 80-100 ms, and a loaded machine (Icecast, ffmpeg and the JVMs share two cores) adds delay on the
     * way to the relay; that is bounded only loosely, by {@link #MAX_LAG_US}, far below the seconds a stamped burst
     * would be off.
     */
    private static final int TRACKING_FRAMES = 4;
    private static final long ENVELOPE_WINDOW_US = 2_000_000;
    private static final long MAX_LAG_US = 1_000_000;

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
        await("icecast holds seconds of audio to burst on connect").atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(250)).until(() -> burstOnConnect("/live.mp3") >= MIN_BURST_BYTES);

        final EpochNanoClock clock = new OffsetEpochNanoClock();
        relay = RelaySubscriber.start("relay-pull-it", clock);
        final long launchedUs = clock.nanoTime() / 1000;
        final IngestContext ctx = new IngestContext()
            .nodeName("ingest-pull-it")
            .encoderId(5)
            .clock(clock)
            .pull(URI.create(icecast.url("/live.mp3")), "/pulled.mp3")
            .relay(LinkAddress.parse(relay.url()));
        ingest = IngestNode.launch(ctx);
        await("ingest connected to icecast").atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(1)).until(() -> ctx.registry().get("seamcast.ingest.pull.connects")
                .tag("mount", "/pulled.mp3").counter().count() >= 1);
        final long connectedUs = clock.nanoTime() / 1000;

        await("Icecast's burst released").atMost(Duration.ofSeconds(20)).until(() -> stampCount(ctx, "bursts") >= 1);
        final int burstFrames = (int)stampCount(ctx, "held.frames");
        await("frames pulled").atMost(Duration.ofSeconds(20)).until(() -> relay.frames("/pulled.mp3").size() > 80);
        setTitle("First Title - Seamcast");
        await("first title").atMost(Duration.ofSeconds(20)).until(() -> titles().contains("First Title - Seamcast"));
        setTitle("Second Title ü");
        await("second title").atMost(Duration.ofSeconds(20)).until(() -> titles().contains("Second Title ü"));

        await("ten seconds of frames after the burst").atMost(Duration.ofSeconds(30))
            .until(() -> relay.frames("/pulled.mp3").size() > burstFrames + 380);
        final List<RelaySubscriber.Message> frames = relay.frames("/pulled.mp3");
        final int first = indexOf(frames.get(0).payload());
        assertThat(first).as("first pulled frame is a reference frame").isGreaterThanOrEqualTo(0);
        final double frameUs = 1152 * 1e6 / 44_100;
        final double slewUs = Math.ceil(frameUs * FrameStamper.DEFAULT_MAX_SLEW_PPM / 1e6) + 1;
        int steps = 0;
        for (int i = 0; i < frames.size(); i++)
        {
            assertThat(frames.get(i).payload()).as("pulled frame %d", i).isEqualTo(reference.frames().get(first + i));
            assertThat(frames.get(i).sequence()).isEqualTo(i);
            if (i > 0)
            {
                final double spacingUs = frames.get(i).timestampUs() - frames.get(i - 1).timestampUs();
                if (spacingUs < frameUs - slewUs || spacingUs > frameUs + slewUs)
                {
                    steps++;
                    assertThat(i).as("the burst (and the frames held with it) is contiguous")
                        .isGreaterThan(burstFrames);
                    assertThat(Math.abs(spacingUs - frameUs)).as("step before frame %d", i)
                        .isLessThan(frameUs / 2);
                }
            }
        }
        final double pullbacks = stampCount(ctx, "pullbacks");
        System.out.printf("IngestIcecastPullTest: %d steps beyond the slew bound, %.0f pullbacks counted%n", steps,
            pullbacks);
        assertThat((double)steps).as("every step beyond the slew bound is a counted pullback")
            .isLessThanOrEqualTo(pullbacks);
        assertStampsFollowArrival(frames, burstFrames, launchedUs, connectedUs, frameUs);
        final RelaySubscriber.Message announce = relay.ofType(MessageType.ANNOUNCE, "/pulled.mp3").get(0);
        assertThat(announce.icyName()).isEqualTo("Pulled FM");
        assertThat(relay.ofType(MessageType.METADATA, "/pulled.mp3"))
            .allSatisfy(m -> assertThat(m.epoch()).isEqualTo(frames.get(0).epoch()));
    }

    /**
     * No stamp after the frame's arrival at the relay; the burst (with the live frames held while it settled) is
     * seconds of audio stamped before the ingest started, ending after the connection; later stamps ride the
     * arrivals' lower envelope within a few frames. Prints the figures.
     */
    private static void assertStampsFollowArrival(
        final List<RelaySubscriber.Message> frames,
        final int burstFrames,
        final long launchedUs,
        final long connectedUs,
        final double frameUs)
    {
        final RelaySubscriber.Message burstEnd = frames.get(burstFrames - 1);
        final long[] lagsUs = new long[frames.size() - burstFrames];
        for (int i = 0; i < frames.size(); i++)
        {
            final RelaySubscriber.Message frame = frames.get(i);
            assertThat(frame.timestampUs()).as("frame %d stamped no later than it reached the relay", i)
                .isLessThanOrEqualTo(frame.receivedEpochUs());
            if (i >= burstFrames)
            {
                lagsUs[i - burstFrames] = frame.receivedEpochUs() - frame.timestampUs();
            }
        }
        final long burstUs = burstEnd.timestampUs() - frames.get(0).timestampUs();
        final long[] sorted = lagsUs.clone();
        Arrays.sort(sorted);
        System.out.printf("IngestIcecastPullTest: the ingest connected %d us after it started; a held block of %d "
                + "frames, %d us of audio, stamped from %d us before the connection to %d us after it, its last "
                + "frame reaching the relay %d us after its stamp; then %d frames reached the relay %d..%d us "
                + "(median %d, 99th percentile %d) after their stamps%n",
            connectedUs - launchedUs, burstFrames, burstUs, connectedUs - frames.get(0).timestampUs(),
            burstEnd.timestampUs() - connectedUs, burstEnd.receivedEpochUs() - burstEnd.timestampUs(), sorted.length,
            sorted[0], sorted[sorted.length - 1], sorted[sorted.length / 2], sorted[sorted.length * 99 / 100]);

        assertThat(launchedUs - frames.get(0).timestampUs()).as("audio of Icecast's burst stamped into the past, "
            + "before the ingest even started").isGreaterThan(MIN_BURST_US);
        assertThat((double)burstEnd.timestampUs()).as("the held block (the burst and what arrived while it settled) "
            + "ends after the connection").isGreaterThan(connectedUs - frameUs);
        final int windowFrames = (int)(ENVELOPE_WINDOW_US / frameUs);
        for (int from = 0; from + windowFrames <= lagsUs.length; from += windowFrames)
        {
            long minLagUs = Long.MAX_VALUE;
            for (int i = from; i < from + windowFrames; i++)
            {
                minLagUs = Math.min(minLagUs, lagsUs[i]);
                assertThat(lagsUs[i]).as("frame %d after the burst, far from seconds off", burstFrames + i)
                    .isLessThan(MAX_LAG_US);
            }
            assertThat((double)minLagUs)
                .as("stamps ride the arrivals' lower envelope from frame %d", burstFrames + from)
                .isLessThan(TRACKING_FRAMES * frameUs);
        }
    }

    private static double stampCount(final IngestContext ctx, final String name)
    {
        return ctx.registry().get("seamcast.ingest.stamp." + name).tag("mount", "/pulled.mp3").counter().count();
    }

    /**
     * @return how many audio bytes Icecast sends a listener at once on connect (what arrives within 300 ms).
     */
    private int burstOnConnect(final String mount) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", icecast.port()))
        {
            socket.setSoTimeout(300);
            socket.getOutputStream().write(("GET " + mount + " HTTP/1.0\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
            final InputStream in = socket.getInputStream();
            final byte[] buffer = new byte[16 * 1024];
            final long deadlineNs = System.nanoTime() + 300_000_000L;
            int total = 0;
            try
            {
                int read;
                while (System.nanoTime() < deadlineNs && (read = in.read(buffer)) > 0)
                {
                    total += read;
                }
            }
            catch (final SocketTimeoutException ex)
            {
                // nothing more within the window: what came is the burst
            }
            return total;
        }
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
