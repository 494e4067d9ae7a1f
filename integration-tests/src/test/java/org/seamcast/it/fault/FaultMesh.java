package org.seamcast.it.fault;

import org.seamcast.it.support.FreePort;
import org.seamcast.it.support.IcecastServer;
import org.seamcast.it.support.Listener;
import org.seamcast.it.support.LiveEncoder;
import org.seamcast.it.support.NetworkNamespace;
import org.seamcast.it.support.RecordingScore;
import org.seamcast.it.support.ReferenceAudio;
import org.seamcast.it.support.SeamcastProcess;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * The mesh of the fault suite, every node its own process from the packaged jar: two live ffmpeg encoders (one
 * studio, DESIGN.md's "Testing with live-like encoders") → two {@code seamcast ingest} → two {@code seamcast relay},
 * each ingest sending over TCP to relay 1 and UDP to relay 2 → one {@code seamcast edge} in a network namespace of
 * its own, so its links can be cut or made lossy with nftables → a real {@code icecast2} relaying the edge → a
 * listener recording from Icecast for the whole run. Nodes can be killed with kill -9 and started again; at the
 * end the recording is scored frame by frame against the encoders' own frames. {@link #close()} kills everything.
 */
final class FaultMesh implements AutoCloseable
{
    static final String MOUNT = "/live";
    static final String PASSWORD = "fault-source-pw";
    private static final Pattern EDGE_EVENT = Pattern.compile(
        "^(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) \\S+\\s+\\[[^]]*] \\S+ - (\\w+) mount=\\S+ encoder=(-?\\d+)(.*)$",
        Pattern.MULTILINE);

    private final Path dir;
    private final Settings settings;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ReferenceAudio[] references = new ReferenceAudio[2];
    private final LiveEncoder[] encoders = new LiveEncoder[2];
    private final SeamcastProcess[] ingests = new SeamcastProcess[2];
    private final SeamcastProcess[] relays = new SeamcastProcess[2];
    private final int[] relayPorts = new int[2];
    private final int[] relayAdminPorts = new int[2];
    private final int[] ingestPorts = new int[2];
    private final int[] ingestAdminPorts = new int[2];
    private IcecastServer upstream;
    private NetworkNamespace edgeNamespace;
    private int eventsBeforeFaults;
    private int bytesBeforeFaults;
    private int edgeUdpPort;
    private SeamcastProcess edge;
    private int edgePort;
    private int edgeAdminPort;
    private IcecastServer icecast;
    private Listener listener;
    private long t0Ms;

    /**
     * What varies between scenarios; {@link #of} gives the common mesh: byte-identical encoders started together,
     * D = 2 s, a 5 s hold, both relays subscribed over TCP, encoders pushing straight into the ingests.
     *
     * @param codec            MP3 or ADTS.
     * @param playoutDelayMs   the edge's D.
     * @param holdTimeMs       the edge's hold time before switching back.
     * @param backupKbps       the backup encoder's bitrate: the primary's (128) for byte-identical encoders.
     * @param backupLagMs      how far the backup encoder runs behind the primary.
     * @param relay2OverUdp    relay 2 reaches the edge by forwarding over UDP (the edge listens, and dials relay 2
     *                         over TCP only for repairs) instead of a TCP subscription.
     * @param throughIcecast   the encoders push into an Icecast and the ingests pull from it ({@code --pull}).
     * @param primarySilentFromS with {@code primarySilentToS}: the primary's studio feed is digital silence in this
     *                         window of the programme (seconds from its start), the encoder still connected.
     * @param primarySilentToS end of that window; 0 for none.
     * @param deadAirSeconds   the edge's {@code --dead-air-seconds}.
     */
    record Settings(
        ReferenceAudio.Codec codec, long playoutDelayMs, long holdTimeMs, int backupKbps, long backupLagMs,
        boolean relay2OverUdp, boolean throughIcecast, int primarySilentFromS, int primarySilentToS,
        int deadAirSeconds)
    {
        static Settings of(final ReferenceAudio.Codec codec)
        {
            return new Settings(codec, 2_000, 5_000, 128, 0, false, false, 0, 0, 10);
        }

        Settings backup(final int kbps, final long lagMs)
        {
            return new Settings(codec, playoutDelayMs, holdTimeMs, kbps, lagMs, relay2OverUdp, throughIcecast,
                primarySilentFromS, primarySilentToS, deadAirSeconds);
        }

        Settings playoutDelayMs(final long delayMs)
        {
            return new Settings(codec, delayMs, holdTimeMs, backupKbps, backupLagMs, relay2OverUdp, throughIcecast,
                primarySilentFromS, primarySilentToS, deadAirSeconds);
        }

        Settings withRelay2OverUdp()
        {
            return new Settings(codec, playoutDelayMs, holdTimeMs, backupKbps, backupLagMs, true, throughIcecast,
                primarySilentFromS, primarySilentToS, deadAirSeconds);
        }

        Settings withEncodersBehindIcecast()
        {
            return new Settings(codec, playoutDelayMs, holdTimeMs, backupKbps, backupLagMs, relay2OverUdp, true,
                primarySilentFromS, primarySilentToS, deadAirSeconds);
        }

        Settings withPrimarySilent(final int fromS, final int toS, final int deadAirAfterS)
        {
            return new Settings(codec, playoutDelayMs, holdTimeMs, backupKbps, backupLagMs, relay2OverUdp,
                throughIcecast, fromS, toS, deadAirAfterS);
        }

        boolean identicalEncoders()
        {
            return backupKbps == 128 && primarySilentToS == 0;
        }
    }

    private FaultMesh(final Path dir, final Settings settings)
    {
        this.dir = dir;
        this.settings = settings;
    }

    /**
     * Starts the whole mesh and waits until the listener hears audio.
     */
    static FaultMesh start(final Path dir, final Settings settings, final int seconds)
    {
        final FaultMesh mesh = new FaultMesh(dir, settings);
        try
        {
            mesh.launch(seconds);
            return mesh;
        }
        catch (final RuntimeException | Error ex)
        {
            mesh.close();
            throw ex;
        }
    }

    private void launch(final int seconds)
    {
        final ReferenceAudio.Source source = settings.identicalEncoders()
            ? ReferenceAudio.Source.NOISE_AND_TONE : ReferenceAudio.Source.PROGRAMME;
        references[1] = ReferenceAudio.encode(dir, seconds, source, settings.codec(), settings.backupKbps());
        references[0] = settings.primarySilentToS() > 0
            ? ReferenceAudio.encode(dir, seconds, source, settings.codec(), 128, settings.primarySilentFromS(),
                settings.primarySilentToS())
            : settings.backupKbps() == 128 ? references[1] : ReferenceAudio.encode(dir, seconds, source,
                settings.codec(), 128);
        edgeNamespace = own(NetworkNamespace.create("edge"));
        edgeUdpPort = FreePort.pick();

        for (int r = 0; r < 2; r++)
        {
            relayPorts[r] = FreePort.pick();
            relayAdminPorts[r] = FreePort.pick();
            final List<String> args = new ArrayList<>(List.of("relay",
                "--name", "relay-" + (r + 1), "--listen", "tcp://0.0.0.0:" + relayPorts[r],
                "--listen", "udp://0.0.0.0:" + relayPorts[r], "--admin", "127.0.0.1:" + relayAdminPorts[r]));
            if (r == 1 && settings.relay2OverUdp())
            {
                args.addAll(List.of("--forward", "udp://" + edgeNamespace.address() + ":" + edgeUdpPort));
            }
            relays[r] = own(SeamcastProcess.start(dir, "relay-" + (r + 1), "listening on", args.toArray(String[]::new)));
        }
        if (settings.throughIcecast())
        {
            upstream = own(IcecastServer.builder().start(dir));
        }
        for (int i = 0; i < 2; i++)
        {
            ingestPorts[i] = FreePort.pick();
            ingests[i] = own(SeamcastProcess.start(dir, "ingest-" + (i + 1), "sources on", ingestArgs(i)));
        }
        edgePort = FreePort.pick();
        edgeAdminPort = FreePort.pick();
        final List<String> edgeArgs = new ArrayList<>(List.of("edge", "--name", "edge-1",
            "--relay", "tcp://" + edgeNamespace.hostAddress() + ":" + relayPorts[0]));
        if (settings.relay2OverUdp())
        {
            edgeArgs.addAll(List.of("--relay", "udp://0.0.0.0:" + edgeUdpPort,
                "--repair", "tcp://" + edgeNamespace.hostAddress() + ":" + relayPorts[1]));
        }
        else
        {
            edgeArgs.addAll(List.of("--relay", "tcp://" + edgeNamespace.hostAddress() + ":" + relayPorts[1]));
        }
        edgeArgs.addAll(List.of("--listen", "0.0.0.0:" + edgePort, "--admin", "0.0.0.0:" + edgeAdminPort,
            "--playout-delay-ms", Long.toString(settings.playoutDelayMs()),
            "--hold-time-ms", Long.toString(settings.holdTimeMs()),
            "--dead-air-seconds", Integer.toString(settings.deadAirSeconds())));
        edge = own(SeamcastProcess.startIn(edgeNamespace, dir, "edge", "listeners on", edgeArgs.toArray(String[]::new)));

        t0Ms = System.currentTimeMillis();
        startEncoder(0);
        if (settings.backupLagMs() > 0)
        {
            // a backup that runs late is one whose programme starts later: its frame 0 at t0 + the lag
            holdFaultFor(Duration.ofMillis(settings.backupLagMs()));
        }
        startEncoder(1);
        await("the edge playing " + MOUNT).atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
            .until(() -> httpStatus("http://" + edgeNamespace.address() + ":" + edgePort + MOUNT, "HEAD") == 200);
        icecast = own(IcecastServer.builder().relay(edgeNamespace.address(), edgePort, MOUNT).start(dir));
        await("Icecast relaying the edge").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
            .until(() -> icecast.serves(MOUNT));
        await("the primary encoder on air").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
            .until(() -> edgeStatus().contains("\"activeEncoder\":1,"));
        if (allEdgeEvents().stream().anyMatch(e -> e.kind().startsWith("SWITCH")))
        {
            // The backup played first and the primary took over: what that cost (the part of the encoders'
            // start-up skew D cannot cover, up to a second on a loaded host) belongs to no fault under test, so
            // the recording starts once Icecast's burst (64 KB, 4 s) no longer reaches back to it.
            final double framesPerSecond = 1.0 / references[0].frameDurationSeconds();
            final double playedAtSwitch = framesPlayed();
            await("5 s played past the start-up switch").atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> framesPlayed() >= playedAtSwitch + 5 * framesPerSecond);
        }
        listener = own(Listener.start("icecast-listener", "127.0.0.1", icecast.port(), MOUNT));
        awaitListened(3);
        eventsBeforeFaults = allEdgeEvents().size();
        bytesBeforeFaults = listener.bytes();
    }

    private String[] ingestArgs(final int i)
    {
        final List<String> args = new ArrayList<>(List.of("ingest", "--name", "ingest-" + (i + 1),
            "--encoder-id", Integer.toString(i + 1), "--priority", Integer.toString(i),
            "--listen", "127.0.0.1:" + ingestPorts[i], "--admin", "127.0.0.1:" + (ingestAdminPorts[i] = FreePort.pick()),
            "--source-password", PASSWORD, "--relay", "tcp://127.0.0.1:" + relayPorts[0],
            "--relay", "udp://127.0.0.1:" + relayPorts[1]));
        if (settings.throughIcecast())
        {
            args.addAll(List.of("--pull", upstream.url(upstreamMount(i)), "--mount", MOUNT));
        }
        return args.toArray(String[]::new);
    }

    private static String upstreamMount(final int i)
    {
        return "/studio-" + (i + 1);
    }

    private <T extends AutoCloseable> T own(final T resource)
    {
        resources.add(resource);
        return resource;
    }

    /** Starts (or starts again) encoder {@code i} (0 primary, 1 backup) at the live position of its reference. */
    void startEncoder(final int i)
    {
        final long lagMs = i == 1 ? settings.backupLagMs() : 0;
        encoders[i] = own(settings.throughIcecast()
            ? LiveEncoder.start("encoder-" + (i + 1), references[i], t0Ms + lagMs, "127.0.0.1", upstream.port(),
                upstreamMount(i), IcecastServer.SOURCE_PASSWORD, dir)
            : LiveEncoder.start("encoder-" + (i + 1), references[i], t0Ms + lagMs, ingestPorts[i], MOUNT, PASSWORD,
                dir));
    }

    void killEncoder(final int i)
    {
        encoders[i].kill();
    }

    SeamcastProcess relay(final int r)
    {
        return relays[r];
    }

    int relayPort(final int r)
    {
        return relayPorts[r];
    }

    /** @return the UDP port the edge listens on for relay 2's forward ({@link Settings#relay2OverUdp()}). */
    int edgeUdpPort()
    {
        return edgeUdpPort;
    }

    SeamcastProcess ingest(final int i)
    {
        return ingests[i];
    }

    SeamcastProcess edge()
    {
        return edge;
    }

    NetworkNamespace edgeNamespace()
    {
        return edgeNamespace;
    }

    Listener listener()
    {
        return listener;
    }

    Settings settings()
    {
        return settings;
    }

    List<ReferenceAudio> references()
    {
        return references[0] == references[1] ? List.of(references[0]) : List.of(references[0], references[1]);
    }

    /** Waits until the listener has heard {@code seconds} more of audio. */
    void awaitListened(final double seconds)
    {
        final int bytesPerSecond = 128_000 / 8;
        final int target = listener.bytes() + (int)(seconds * bytesPerSecond);
        await(seconds + " s more heard by the listener").atMost(Duration.ofSeconds((long)(seconds * 3) + 20))
            .pollInterval(Duration.ofMillis(100))
            .failFast("the listener was dropped", () -> listener.droppedBecause() != null)
            .until(() -> listener.bytes() >= target);
    }

    /**
     * Waits until relay {@code r} (restarted) serves again: both encoders' streams held and the edge subscribed.
     * A fault that needs it as the only path comes after this, not after a guess at how long reconnecting takes.
     */
    void awaitRelayServing(final int r)
    {
        await("relay " + (r + 1) + " fed by both ingests and subscribed by the edge").atMost(Duration.ofSeconds(40))
            .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
            .failFast("the listener was dropped", () -> listener.droppedBecause() != null)
            .until(() ->
            {
                final String metrics = relayMetrics(r);
                return gauge(metrics, "seamcast_relay_streams") >= 2 && gauge(metrics, "seamcast_relay_subscribers") >= 1;
            });
    }

    /** @return frames the edge has played on the mount (its {@code seamcast_edge_frames_played_total}). */
    private double framesPlayed()
    {
        return gauge(edgeMetrics(), "seamcast_edge_frames_played_total");
    }

    private static double gauge(final String metrics, final String name)
    {
        final java.util.regex.Matcher m = java.util.regex.Pattern
            .compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /**
     * Lets a fault last {@code duration} of wall time: the length of an outage is the behaviour under test, not a
     * wait for something to happen.
     */
    static void holdFaultFor(final Duration duration)
    {
        try
        {
            Thread.sleep(duration.toMillis());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Waits until the edge has logged {@code count} events of {@code kind} in all. */
    void awaitEdgeEvents(final String kind, final int count, final Duration atMost)
    {
        try
        {
            await(count + " " + kind + " at the edge").atMost(atMost).pollInterval(Duration.ofMillis(200))
                .failFast("the listener was dropped", () -> listener.droppedBecause() != null)
                .until(() -> edgeEvents().stream().filter(e -> e.kind().equals(kind)).count() >= count);
        }
        catch (final org.awaitility.core.ConditionTimeoutException ex)
        {
            // CI keeps no logs: what the edge did instead is the diagnosis
            throw new AssertionError(ex.getMessage() + "; the edge's events since the start:\n  "
                + String.join("\n  ", allEdgeEvents().stream().map(EdgeEvent::toString).toList()), ex);
        }
    }

    /** Waits until the edge's {@code /status.json} contains {@code text}. */
    void awaitEdgeStatus(final String what, final String text, final Duration atMost)
    {
        await(what).atMost(atMost).pollInterval(Duration.ofMillis(250))
            .failFast("the listener was dropped", () -> listener.droppedBecause() != null)
            .until(() -> edgeStatus().contains(text));
    }

    /** @return how many events of {@code kind} the edge has logged. */
    long edgeEventCount(final String kind)
    {
        return edgeEvents().stream().filter(e -> e.kind().equals(kind)).count();
    }

    /**
     * @return ms from {@code faultMs} (wall clock) to the first event of {@code kind} after it, or -1.
     */
    long msUntilEdgeEvent(final long faultMs, final String kind)
    {
        final LocalTime fault = java.time.Instant.ofEpochMilli(faultMs).atZone(java.time.ZoneId.systemDefault())
            .toLocalTime();
        for (final EdgeEvent event : edgeEvents())
        {
            if (event.kind().equals(kind) && !event.time().isBefore(fault.minusNanos(1)))
            {
                return Duration.between(fault, event.time()).toMillis();
            }
        }
        return -1;
    }

    /** @return the edge's Prometheus {@code /metrics}. */
    String edgeMetrics()
    {
        return get("http://" + edgeNamespace.address() + ":" + edgeAdminPort + "/metrics");
    }

    /** @return relay {@code r}'s Prometheus {@code /metrics}. */
    String relayMetrics(final int r)
    {
        return get("http://127.0.0.1:" + relayAdminPorts[r] + "/metrics");
    }

    /** @return the edge's {@code /status.json}. */
    String edgeStatus()
    {
        return get("http://" + edgeNamespace.address() + ":" + edgeAdminPort + "/status.json");
    }

    private static String get(final String url)
    {
        try
        {
            final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.body();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot read " + url, ex);
        }
    }

    /**
     * One event the edge logged: switch, fallback, epoch change, with the wall time of day it happened.
     */
    record EdgeEvent(LocalTime time, String kind, int encoder, String detail)
    {
    }

    /**
     * @return the switches, fallbacks and epoch changes the edge has logged since the mesh was up and the primary
     * on air (what happened while it started, e.g. the backup heard first and replaced, is not the scenario's).
     */
    List<EdgeEvent> edgeEvents()
    {
        final List<EdgeEvent> all = allEdgeEvents();
        return all.subList(Math.min(eventsBeforeFaults, all.size()), all.size());
    }

    private List<EdgeEvent> allEdgeEvents()
    {
        final List<EdgeEvent> events = new ArrayList<>();
        final Matcher matcher = EDGE_EVENT.matcher(edge.logText());
        while (matcher.find())
        {
            events.add(new EdgeEvent(LocalTime.parse(matcher.group(1)), matcher.group(2),
                Integer.parseInt(matcher.group(3)), matcher.group(4).trim()));
        }
        return events;
    }

    /**
     * Stops the listener and scores what it heard against the encoders' frames.
     */
    RecordingScore.Score finish()
    {
        listener.close();
        return new RecordingScore(references()).score(heard());
    }

    /**
     * @return what the listener heard from the moment the mesh was up and the primary on air, the scenario's part.
     */
    private byte[] heard()
    {
        final byte[] audio = listener.audio();
        return java.util.Arrays.copyOfRange(audio, bytesBeforeFaults, audio.length);
    }

    /**
     * The delay from an encoder sending a frame to the listener receiving it, median over the last frames heard.
     */
    long endToEndDelayMs(final RecordingScore.Score score)
    {
        final List<Long> delays = new ArrayList<>();
        final List<RecordingScore.Heard> frames = score.frames();
        for (int f = frames.size() - 1; f >= 0 && delays.size() < 100; f--)
        {
            final RecordingScore.Heard frame = frames.get(f);
            if (!frame.isForeign())
            {
                final long lagMs = frame.encoder() == 1 ? settings.backupLagMs() : 0;
                final long sentMs = t0Ms + lagMs
                    + (long)((frame.index() + 1) * references[frame.encoder()].frameDurationSeconds() * 1000);
                delays.add(listener.arrivalMs(bytesBeforeFaults + frame.offset() + frame.length() - 1) - sentMs);
            }
        }
        delays.sort(Long::compare);
        return delays.isEmpty() ? -1 : delays.get(delays.size() / 2);
    }

    /**
     * Decodes the recording with ffmpeg from its first encoder frame (preceded by the reference frames before it,
     * whose bit reservoir it may use) and returns what ffmpeg reported: nothing for a clean stream.
     */
    String decodeErrors(final RecordingScore.Score score)
    {
        final RecordingScore.Heard first = score.frames().stream().filter(f -> !f.isForeign()).findFirst()
            .orElseThrow(() -> new AssertionError("no encoder frame heard"));
        try
        {
            final java.io.ByteArrayOutputStream primed = new java.io.ByteArrayOutputStream();
            final List<byte[]> frames = references[first.encoder()].frames();
            for (int i = Math.max(0, first.index() - 4); i < first.index(); i++)
            {
                primed.writeBytes(frames.get(i));
            }
            final RecordingScore.Heard last = score.frames().get(score.frames().size() - 1);
            primed.write(heard(), first.offset(), last.offset() + last.length() - first.offset());
            final Path file = dir.resolve("heard." + (settings.codec() == ReferenceAudio.Codec.MP3 ? "mp3" : "aac"));
            java.nio.file.Files.write(file, primed.toByteArray());
            final org.seamcast.it.support.Command decode = org.seamcast.it.support.Command.run(List.of("ffmpeg",
                "-nostdin", "-v", "error", "-f", settings.codec().ffmpegDemuxer(), "-i", file.toString(),
                "-f", "null", "-"));
            return decode.stderr() + (decode.exitCode() == 0 ? "" : "exit " + decode.exitCode());
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /**
     * Follows the bit reservoir of the MP3 recording with every frame labelled by the encoder whose bytes it carries
     * (a foreign frame, a bridge or a silent frame at a switch, by the encoder heard next): how many frames read
     * main data from another encoder's frames. 0 for ADTS, whose frames carry their own data.
     */
    long readsAnotherEncodersBytes(final RecordingScore.Score score)
    {
        if (settings.codec() != ReferenceAudio.Codec.MP3)
        {
            return 0;
        }
        final org.seamcast.codec.audio.Mp3ReservoirAuditor auditor = new org.seamcast.codec.audio.Mp3ReservoirAuditor();
        final org.agrona.concurrent.UnsafeBuffer view = new org.agrona.concurrent.UnsafeBuffer(heard());
        final List<RecordingScore.Heard> frames = score.frames();
        for (int f = 0; f < frames.size(); f++)
        {
            int origin = frames.get(f).encoder();
            for (int next = f; origin < 0 && next < frames.size(); next++)
            {
                origin = frames.get(next).encoder();
            }
            auditor.audit(origin, view, frames.get(f).offset(), frames.get(f).length());
        }
        return auditor.foreignFrames();
    }

    /**
     * @return frames of the primary heard from inside its silent window ({@link Settings#primarySilentFromS()}).
     */
    int silentFramesHeardFromPrimary(final RecordingScore.Score score)
    {
        final double frameSeconds = references[0].frameDurationSeconds();
        int silent = 0;
        for (final RecordingScore.Heard frame : score.frames())
        {
            final double atS = frame.index() * frameSeconds;
            if (frame.encoder() == 0 && atS >= settings.primarySilentFromS() && atS < settings.primarySilentToS())
            {
                silent++;
            }
        }
        return silent;
    }

    private static int httpStatus(final String url, final String method)
    {
        try
        {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        }
        catch (final Exception ex)
        {
            return -1;
        }
    }

    /**
     * Kills every process and deletes the namespace, even after a failure; idempotent.
     */
    @Override
    public void close()
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            try
            {
                resources.get(i).close();
            }
            catch (final Exception ex)
            {
                // keep closing the rest
            }
        }
        resources.clear();
    }
}
