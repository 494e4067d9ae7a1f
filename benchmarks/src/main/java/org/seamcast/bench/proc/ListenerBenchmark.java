package org.seamcast.bench.proc;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The edge against Icecast 2 serving the same stream to the same listeners in the same run. One ingest plays a
 * 128 kbit/s MP3 file in real time ({@code bin/seamcast ingest --file --loop}) through a relay to the edge; ffmpeg
 * pushes the same file in real time ({@code -re}) to a real {@code icecast2}. With both playing, it measures each
 * server's process CPU and RSS with no listener (the idle cost of one mount), then, for each listener count, with a
 * {@link ListenerLoad} process holding that many listeners on each server, checking every listener keeps up.
 *
 * <pre>
 *   java -cp benchmarks/target/seamcast-benchmarks.jar org.seamcast.bench.proc.ListenerBenchmark --listeners 100,500
 * </pre>
 */
public final class ListenerBenchmark
{
    static final String MOUNT = "/bench.mp3";
    static final int STREAM_BYTES_PER_SECOND = 16_000;
    static final double KEEP_UP_SHARE = 0.95;
    static final int AUDIO_SECONDS = 60;
    private static final long START_TIMEOUT_MS = 60_000;
    private static final long LISTENERS_TIMEOUT_MS = 120_000;
    private static final long MARK_TIMEOUT_MS = 10_000;
    private static final long BETWEEN_STEPS_MS = 3_000;

    private final ListenerOptions options;
    private final Installation installation;
    private final Path out;

    ListenerBenchmark(final ListenerOptions options, final Installation installation, final Path out)
    {
        this.options = options;
        this.installation = installation;
        this.out = out;
    }

    public static void main(final String[] args)
    {
        try
        {
            final ListenerOptions options = ListenerOptions.parse(args);
            final Path out = options.out != null ? options.out : ProcessMeshBenchmark.defaultOut("listeners");
            final ListenerResult result = new ListenerBenchmark(options, Installation.at(options.home), out).run();
            System.out.print(result.table());
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.exit(2);
        }
        catch (final IllegalStateException ex)
        {
            System.err.println("error: " + ex.getMessage());
            System.exit(1);
        }
    }

    ListenerResult run()
    {
        Icecast.requireInstalled();
        ExternalTools.require("ffmpeg", "apt-get install ffmpeg");
        ProcessMeshBenchmark.createDirectories(out);
        try (ProcessSet processes = new ProcessSet(out, out.resolve("pids")))
        {
            return run(processes);
        }
    }

    private ListenerResult run(final ProcessSet processes)
    {
        final Path audio = out.toAbsolutePath().resolve("bench.mp3");
        ExternalTools.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
            "anoisesrc=color=pink:seed=7:amplitude=0.3:duration=" + AUDIO_SECONDS, "-ac", "2", "-ar", "44100",
            "-c:a", "libmp3lame", "-b:a", "128k", "-y", audio.toString()), "making the test audio");

        final int relayPort = Ports.pickFree();
        final int edgePort = Ports.pickFree();
        final int edgeAdmin = Ports.pickFree();
        final int icecastPort = Ports.pickFree();
        final NodeProcess relay = processes.start("relay", installation.seamcast("relay", List.of("--name", "relay",
            "--listen", "tcp://" + Ports.HOST + ":" + relayPort, "--admin", "none")));
        Await.until("the relay to accept on " + relayPort, START_TIMEOUT_MS, List.of(relay),
            () -> Ports.accepts(relayPort));
        final NodeProcess edge = processes.start("edge", installation.seamcast("edge", List.of("--name", "edge",
            "--relay", "tcp://" + Ports.HOST + ":" + relayPort, "--mount", MOUNT,
            "--listen", Ports.HOST + ":" + edgePort, "--admin", Ports.HOST + ":" + edgeAdmin)));
        final NodeProcess ingest = processes.start("ingest", installation.seamcast("ingest", List.of("--name",
            "ingest", "--listen", "none", "--admin", "none", "--relay", "tcp://" + Ports.HOST + ":" + relayPort,
            "--file", audio.toString(), "--mount", MOUNT, "--loop")));
        final Path icecastDir = out.toAbsolutePath().resolve("icecast");
        ProcessMeshBenchmark.createDirectories(icecastDir);
        final NodeProcess icecast = Icecast.start(processes, icecastDir, icecastPort,
            2 * options.maxListeners() + 50);
        Await.until("icecast2 to accept on " + icecastPort, START_TIMEOUT_MS, List.of(icecast),
            () -> Ports.accepts(icecastPort));
        final NodeProcess ffmpeg = processes.start("ffmpeg", List.of("ffmpeg", "-nostdin", "-v", "error", "-re",
            "-stream_loop", "-1", "-i", audio.toString(), "-c", "copy", "-content_type", "audio/mpeg", "-f", "mp3",
            "icecast://source:" + Icecast.SOURCE_PASSWORD + "@" + Ports.HOST + ":" + icecastPort + MOUNT));
        final List<NodeProcess> servers = List.of(relay, edge, ingest, icecast, ffmpeg);
        Await.until("the edge to play " + MOUNT, START_TIMEOUT_MS, servers,
            () -> Metrics.answers(edgeAdmin)
                && Metrics.scrape(edgeAdmin).sum("seamcast_edge_frames_played_total", "mount", MOUNT) > 0);
        Await.until("icecast2 to serve " + MOUNT, START_TIMEOUT_MS, servers, () -> Icecast.serves(icecastPort, MOUNT));
        final long icecastPid = icecast.workerPid();
        Await.sleepMs(TimeUnit.SECONDS.toMillis(options.warmupSeconds), servers);
        final JitSettle.Outcome idleSettle = settleJit(edge, servers);

        final String idleLoadBefore = ProcStat.loadAverage();
        final ProcStat.Sample edgeIdle0 = ProcStat.sample(edge.pid());
        final ProcStat.Sample iceIdle0 = ProcStat.sample(icecastPid);
        Await.sleepMs(TimeUnit.SECONDS.toMillis(options.idleSeconds), servers);
        final ProcStat.Sample edgeIdle1 = ProcStat.sample(edge.pid());
        final ProcStat.Sample iceIdle1 = ProcStat.sample(icecastPid);
        final ListenerResult.Idle idle = new ListenerResult.Idle(edgeIdle1.wallNsSince(edgeIdle0),
            edgeIdle1.cpuSplitSince(edgeIdle0), iceIdle1.cpuNsSince(iceIdle0), edgeIdle1.rssBytes(),
            iceIdle1.rssBytes(), idleLoadBefore, ProcStat.loadAverage(), idleSettle);

        final List<ListenerResult.Step> steps = new ArrayList<>();
        final String edgeUrl = "http://" + Ports.HOST + ":" + edgePort + MOUNT;
        final String icecastUrl = "http://" + Ports.HOST + ":" + icecastPort + MOUNT;
        for (final int listeners : options.listeners)
        {
            steps.add(step(processes, servers, edge, icecastPid, listeners, edgeUrl, icecastUrl));
            Await.sleepMs(BETWEEN_STEPS_MS, servers);
        }
        return new ListenerResult(options, out, idle, steps, edgeUrl, icecastUrl);
    }

    private ListenerResult.Step step(
        final ProcessSet processes, final List<NodeProcess> servers, final NodeProcess edge, final long icecastPid,
        final int listeners, final String edgeUrl, final String icecastUrl)
    {
        final NodeProcess load = processes.start("listeners-" + listeners, installation.benchmarkMain(
            ListenerLoad.class, List.of("--listeners", Integer.toString(listeners), "--url", edgeUrl,
                "--url", icecastUrl, "--min-bytes-per-second",
                Long.toString(Math.round(STREAM_BYTES_PER_SECOND * KEEP_UP_SHARE)))));
        final List<NodeProcess> all = new ArrayList<>(servers);
        all.add(load);
        Await.until(listeners + " listeners on each server", LISTENERS_TIMEOUT_MS, all,
            () -> logHas(load, ListenerLoad.CONNECTED) || logHas(load, "listeners failed"));
        Await.sleepMs(TimeUnit.SECONDS.toMillis(options.settleSeconds), all);
        final JitSettle.Outcome settle = settleJit(edge, all);

        final long edgePid = edge.pid();
        final String loadBefore = ProcStat.loadAverage();
        final ProcStat.Sample edge0 = ProcStat.sample(edgePid);
        final ProcStat.Sample ice0 = ProcStat.sample(icecastPid);
        final ProcStat.Sample load0 = ProcStat.sample(load.pid());
        mark(load, 1);
        Await.sleepMs(TimeUnit.SECONDS.toMillis(options.seconds), all);
        final ProcStat.Sample edge1 = ProcStat.sample(edgePid);
        final ProcStat.Sample ice1 = ProcStat.sample(icecastPid);
        final ProcStat.Sample load1 = ProcStat.sample(load.pid());
        mark(load, 2);
        final List<ListenerMark> marks = ListenerMark.read(load.log());
        final ListenerMark edgeMark = marks.get(marks.size() - 2);
        final ListenerMark iceMark = marks.get(marks.size() - 1);
        processes.stop(load);
        return new ListenerResult.Step(listeners, edge1.wallNsSince(edge0), edge1.cpuSplitSince(edge0),
            ice1.cpuNsSince(ice0), load1.cpuNsSince(load0), edge1.rssBytes(), ice1.rssBytes(), edgeMark, iceMark,
            loadBefore, ProcStat.loadAverage(), settle);
    }

    /**
     * With {@code --settle-jit}, waits until the edge's compiler threads are quiet; icecast2 is C and compiles
     * nothing.
     */
    private JitSettle.Outcome settleJit(final NodeProcess edge, final List<NodeProcess> mustLive)
    {
        return options.settleJit ? JitSettle.await(List.of(edge), mustLive, () -> { }) : JitSettle.Outcome.NOT_ASKED;
    }

    /**
     * Asks the listener process for its figures since the previous mark and waits for its {@code n}th answer.
     */
    private static void mark(final NodeProcess load, final int n)
    {
        try
        {
            final OutputStream in = load.process().getOutputStream();
            in.write("mark\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot write to " + load + ": " + ex.getMessage(), ex);
        }
        Await.until("mark " + n + " from " + load, MARK_TIMEOUT_MS, List.of(load),
            () -> ListenerMark.read(load.log()).size() >= 2 * n);
    }

    private static boolean logHas(final NodeProcess process, final String text)
    {
        try
        {
            return Files.readString(process.log()).contains(text);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
