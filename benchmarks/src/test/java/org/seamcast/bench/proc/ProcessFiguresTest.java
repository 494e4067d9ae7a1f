package org.seamcast.bench.proc;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProcessFiguresTest
{
    private static final long TICK_NS = 1_000_000_000L / ProcStat.CLOCK_TICKS_PER_SECOND;
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldReadTheLiveBytesFromTheTotalLineOfAClassHistogram()
    {
        final String histogram = "4298:\n"
            + " num     #instances         #bytes  class name (module)\n"
            + "-------------------------------------------------------\n"
            + "   1:         41064       49231424  [B (java.base@17.0.15)\n"
            + "   2:          9627       13704392  [J (java.base@17.0.15)\n"
            + "Total        512345       97012345\n";

        assertThat(Jcmd.histogramTotalBytes(histogram)).isEqualTo(97_012_345L);
        assertThatThrownBy(() -> Jcmd.histogramTotalBytes("4298:\nCommand failed\n"))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("no Total line");
    }

    @Test
    void shouldReadUserPlusSystemTicksAfterACommandNameWithSpacesAndParentheses()
    {
        final String stat = "4242 (java (a) b) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 30 0 1 2 3";

        assertThat(ProcStat.cpuNs(stat)).isEqualTo(300L * 1_000_000_000L / ProcStat.CLOCK_TICKS_PER_SECOND);
    }

    @Test
    void shouldReadAThreadsIdNameAndCpuFromItsTaskStatLine()
    {
        final ProcStat.ThreadCpu compiler = ProcStat.thread(
            "3032 (C2 CompilerThre) R 3014 3014 2301 0 -1 4194368 987 0 0 0 120 7 0 0 20 0 22 0 1 2 3");
        final ProcStat.ThreadCpu odd = ProcStat.thread(
            "77 (G1 (odd) C2 CompilerThre) S 3014 3014 2301 0 -1 4194368 987 0 0 0 5 6 0 0 20 0 22 0 1 2 3");
        final ProcStat.ThreadCpu nodeThread = ProcStat.thread(
            "78 ( seamcast-io) S 3014 3014 2301 0 -1 4194368 987 0 0 0 9 1 0 0 20 0 22 0 1 2 3\n");

        assertThat(compiler).isEqualTo(new ProcStat.ThreadCpu(3032, ProcStat.ThreadKind.JIT, 127 * TICK_NS));
        assertThat(odd).isEqualTo(new ProcStat.ThreadCpu(77, ProcStat.ThreadKind.GC, 11 * TICK_NS));
        assertThat(nodeThread).isEqualTo(new ProcStat.ThreadCpu(78, ProcStat.ThreadKind.OTHER, 10 * TICK_NS));
    }

    @Test
    void shouldTellJitCompilerAndGcThreadsByTheirHotSpotNames()
    {
        for (final String jit : List.of("C1 CompilerThre", "C2 CompilerThre"))
        {
            assertThat(ProcStat.ThreadKind.of(jit)).as(jit).isEqualTo(ProcStat.ThreadKind.JIT);
        }
        for (final String gc : List.of("GC Thread#0", "GC Thread#12", "G1 Main Marker", "G1 Conc#0", "G1 Refine#0",
            "G1 Service"))
        {
            assertThat(ProcStat.ThreadKind.of(gc)).as(gc).isEqualTo(ProcStat.ThreadKind.GC);
        }
        for (final String other : List.of("java", "VM Thread", "VM Periodic Tas", "Reference Handl", "Sweeper thread",
            "seamcast-io-edg", "edge-playout", "C2 Compiler", "G1", "G1Refine", "gc thread#0", ""))
        {
            assertThat(ProcStat.ThreadKind.of(other)).as(other).isEqualTo(ProcStat.ThreadKind.OTHER);
        }
    }

    @Test
    void shouldCountThreadCpuThreadByThreadSoACompilerThreadThatComesOrGoesDoesNotMakeItUp()
    {
        final ProcStat.Sample before = new ProcStat.Sample(0, 10 * SECOND, 0, List.of(
            new ProcStat.ThreadCpu(11, ProcStat.ThreadKind.JIT, 3 * SECOND),
            new ProcStat.ThreadCpu(12, ProcStat.ThreadKind.JIT, 2 * SECOND),
            new ProcStat.ThreadCpu(20, ProcStat.ThreadKind.GC, SECOND)));
        final ProcStat.Sample after = new ProcStat.Sample(30 * SECOND, 14 * SECOND, 0, List.of(
            new ProcStat.ThreadCpu(11, ProcStat.ThreadKind.JIT, 3 * SECOND + 500 * MS),
            new ProcStat.ThreadCpu(13, ProcStat.ThreadKind.JIT, 300 * MS),
            new ProcStat.ThreadCpu(20, ProcStat.ThreadKind.GC, SECOND + 200 * MS),
            new ProcStat.ThreadCpu(21, ProcStat.ThreadKind.GC, 200 * MS)));

        assertThat(after.cpuNsSince(before, ProcStat.ThreadKind.JIT)).isEqualTo(800 * MS);
        assertThat(after.cpuNsSince(before, ProcStat.ThreadKind.GC)).isEqualTo(400 * MS);
        final ProcStat.CpuSplit split = after.cpuSplitSince(before);
        assertThat(split).isEqualTo(new ProcStat.CpuSplit(4 * SECOND, 800 * MS, 400 * MS));
        assertThat(split.exclJitNs()).isEqualTo(3_200 * MS);
        assertThat(split.jitPercent()).isEqualTo(20.0);
        assertThat(split.gcPercent()).isEqualTo(10.0);
        assertThat(new ProcStat.CpuSplit(0, 0, 0).jitPercent()).isNaN();
        assertThat(new ProcStat.CpuSplit(10 * MS, 20 * MS, 0).exclJitNs()).isZero();
    }

    @Test
    void shouldFindThisJvmsCompilerThreadsInProc()
    {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");

        final ProcStat.Sample sample = ProcStat.sample(ProcessHandle.current().pid());

        assertThat(sample.threads()).extracting(ProcStat.ThreadCpu::kind).contains(ProcStat.ThreadKind.JIT)
            .doesNotContain(ProcStat.ThreadKind.OTHER);
        assertThat(sample.threads()).allSatisfy(thread -> assertThat(thread.cpuNs()).isBetween(0L, sample.cpuNs()));
        assertThat(sample.rssBytes()).isPositive();
    }

    @Test
    void shouldAddTheNodesCompilerThreadsAsAShareOfOneCpuAndOfTheNodesCpu()
    {
        final List<ProcStat.Sample> before = List.of(
            new ProcStat.Sample(0, 0, 0, List.of(new ProcStat.ThreadCpu(1, ProcStat.ThreadKind.JIT, SECOND))),
            new ProcStat.Sample(0, 0, 0, List.of(new ProcStat.ThreadCpu(2, ProcStat.ThreadKind.JIT, SECOND))));
        final List<ProcStat.Sample> after = List.of(
            new ProcStat.Sample(5 * SECOND, 400 * MS, 0, List.of(
                new ProcStat.ThreadCpu(1, ProcStat.ThreadKind.JIT, SECOND + 50 * MS),
                new ProcStat.ThreadCpu(9, ProcStat.ThreadKind.GC, SECOND))),
            new ProcStat.Sample(5 * SECOND, 100 * MS, 0, List.of(
                new ProcStat.ThreadCpu(2, ProcStat.ThreadKind.JIT, SECOND + 50 * MS))));

        assertThat(JitSettle.jitPercentOfCore(before, after)).isCloseTo(2.0, offset(1e-9));
        assertThat(JitSettle.jitPercentOfNodes(before, after)).isCloseTo(20.0, offset(1e-9));
        assertThat(JitSettle.jitPercentOfNodes(before, before)).isZero();
        assertThat(JitSettle.Outcome.NOT_ASKED.describe()).isEmpty();
        assertThat(new JitSettle.Outcome(true, 42 * SECOND, true, 1.24, 8.6).describe())
            .isEqualTo("JIT settled after 42 s more (compiler threads 1.2 % of a core, 9 % of the nodes' CPU over the "
                + "last 5 s)");
        assertThat(new JitSettle.Outcome(true, 301 * SECOND, false, 7.0, 50).describe()).startsWith("JIT NOT settled");
    }

    @Test
    void shouldCallTheJitQuietOnlyWhenItIsSmallAgainstACoreAndAgainstTheNodes()
    {
        assertThat(JitSettle.isQuiet(1.9, 5.0)).as("a loaded mesh compiling a little").isTrue();
        assertThat(JitSettle.isQuiet(2.1, 5.0)).as("compiling a lot").isFalse();
        assertThat(JitSettle.isQuiet(0.5, 40.0)).as("an idle edge still compiling: most of its CPU").isFalse();
        assertThat(JitSettle.isQuiet(0.05, 4.0)).as("an idle edge once compiled").isTrue();
    }

    @Test
    void shouldShowTheMeshFiguresWithoutTheJitAndTheJitAndGcSharesNextToTheHeadline()
    {
        final Map<String, ProcStat.Sample> first = new LinkedHashMap<>();
        first.put("relay-a", new ProcStat.Sample(0, 0, 0, List.of()));
        first.put("relay-b", new ProcStat.Sample(0, 0, 0, List.of()));
        first.put("edge", new ProcStat.Sample(0, 0, 0, List.of()));
        first.put("loadgen", new ProcStat.Sample(0, 0, 0, List.of()));
        final Map<String, ProcStat.Sample> last = new LinkedHashMap<>();
        last.put("relay-a", sample(10 * SECOND, 2 * SECOND, 800 * MS, 100 * MS));
        last.put("relay-b", sample(10 * SECOND, SECOND, 200 * MS, 100 * MS));
        last.put("edge", sample(10 * SECOND, 4 * SECOND, SECOND, 400 * MS));
        last.put("loadgen", sample(10 * SECOND, SECOND, 0, 0));
        final Metrics relayBefore = Metrics.parse("seamcast_relay_frames_in_total 0\n"
            + "seamcast_relay_frames_out_total 0\n");
        final Metrics relayAfter = Metrics.parse("seamcast_relay_frames_in_total 100000\n"
            + "seamcast_relay_frames_out_total 100000\n");
        final MeshResult result = new MeshResult(MeshOptions.parse(new String[] {"--settle-jit"}), "0.1 0.2 0.3",
            "0.4 0.5 0.6", List.of(new ProcessMeshBenchmark.Snapshot(first, List.of(relayBefore, relayBefore)),
                new ProcessMeshBenchmark.Snapshot(last, List.of(relayAfter, relayAfter))),
            Metrics.parse("seamcast_link_in_messages_total 0\n"),
            Metrics.parse("seamcast_link_in_messages_total 200000\n"),
            List.of(new LoadgenStatus(0, 0, 0, 0), new LoadgenStatus(200_000, 0, 200_000_000, 9_000_000)),
            0, 0, 0, new JitSettle.Outcome(true, 42 * SECOND, true, 1.24, 8.6), Map.of(), Path.of("out"));

        final String markdown = SuiteReport.mesh(List.of(result));

        final List<String> lines = markdown.lines().toList();
        assertThat(lines.get(0)).contains("| relay µs CPU/copy (a / b) | relay µs CPU/copy excl. JIT (a / b) "
            + "| relay JIT % (a / b) | relay GC % (a / b) |", "| edge µs CPU/copy | edge µs CPU/copy excl. JIT "
            + "| edge JIT % | edge GC % |");
        assertThat(pipes(lines.get(1))).isEqualTo(pipes(lines.get(0)));
        assertThat(pipes(lines.get(2))).isEqualTo(pipes(lines.get(0)));
        assertThat(lines.get(2))
            .startsWith("| `--mounts 250 --seconds 30 --warmup-seconds 15 --settle-jit --transport tcp "
                + "--playout-delay-ms 2000` (JIT settled after 42 s more (compiler threads 1.2 % of a core, 9 % of the "
                + "nodes' CPU over the last 5 s)) |")
            .contains("| 20.00 ± - / 10.00 ± - | 12.00 / 8.00 | 40.0 / 20.0 | 5.0 / 10.0 | 0.200 / 0.100 |")
            .contains("| 20000 | 20.00 ± - | 15.00 | 25.0 | 10.0 | 0.400 |");
        assertThat(lines).contains(SuiteReport.JIT_NOTE);
        assertThat(SuiteReport.JIT_NOTE).contains("JIT compilation is counted in the headline", "excl. JIT",
            "ends after warm-up");
        assertThat(result.table()).contains("excl. JIT", "JIT settled after 42 s more");
    }

    @Test
    void shouldShowTheEdgesListenerFiguresWithoutTheJitNextToTheHeadline()
    {
        final ListenerResult.Idle idle = new ListenerResult.Idle(20 * SECOND,
            new ProcStat.CpuSplit(400 * MS, 100 * MS, 20 * MS), 40 * MS, 100L << 20, 10L << 20, "0.1", "0.2",
            JitSettle.Outcome.NOT_ASKED);
        final ListenerMark mark = new ListenerMark("http://x/a.mp3", 100, 20_000, 16_000, 16_000, 0, 0, 0);
        final ListenerResult.Step step = new ListenerResult.Step(100, 20 * SECOND,
            new ProcStat.CpuSplit(2 * SECOND, 500 * MS, 100 * MS), 200 * MS, 100 * MS, 120L << 20, 12L << 20, mark,
            mark, "0.3", "0.4", JitSettle.Outcome.NOT_ASKED);
        final ListenerResult result = new ListenerResult(
            ListenerOptions.parse(new String[] {"--warmup-seconds", "300"}), Path.of("out"), idle, List.of(step),
            "http://edge", "http://icecast");

        final String markdown = SuiteReport.listeners(List.of(result));

        assertThat(markdown)
            .contains("| run | warm-up s | load average before → after | edge % of a core | edge % of a core excl. "
                + "JIT | edge JIT % | edge GC % |")
            .contains("| 1 | 300 | 0.1 → 0.2 | 2.00 | 1.50 | 25.0 | 5.0 | 100 | 0.20 | 10 |")
            .contains("| edge µs/listener-s | edge µs/listener-s excl. JIT | edge JIT % | edge GC % |")
            .contains("| 1 | 100 | 0.3 → 0.4 | 0.100 | 1000.0 (800.0) | 750.0 (600.0) | 25.0 | 5.0 | 120 |")
            .contains(SuiteReport.JIT_NOTE);
        for (final String line : markdown.lines().filter(l -> l.startsWith("|")).toList())
        {
            assertThat(pipes(line)).as(line).isIn(11L, 16L);
        }
    }

    private static ProcStat.Sample sample(final long nanoTime, final long cpuNs, final long jitNs, final long gcNs)
    {
        return new ProcStat.Sample(nanoTime, cpuNs, 0, List.of(new ProcStat.ThreadCpu(1, ProcStat.ThreadKind.JIT,
            jitNs), new ProcStat.ThreadCpu(2, ProcStat.ThreadKind.GC, gcNs)));
    }

    private static long pipes(final String line)
    {
        return line.chars().filter(c -> c == '|').count();
    }

    @Test
    void shouldSayHowLongTheListenerWindowsWaitedForTheEdgesJit()
    {
        final String settled =
            "JIT settled after 42 s more (compiler threads 1.5 % of a core, 9 % of the nodes' CPU over the last 5 s)";
        final ListenerResult.Idle idle = new ListenerResult.Idle(20 * SECOND,
            new ProcStat.CpuSplit(400 * MS, 100 * MS, 20 * MS), 40 * MS, 100L << 20, 10L << 20, "0.1", "0.2",
            new JitSettle.Outcome(true, 42 * SECOND, true, 1.5, 9.0));
        final ListenerMark mark = new ListenerMark("http://x/a.mp3", 100, 20_000, 16_000, 16_000, 0, 0, 0);
        final ListenerResult.Step step = new ListenerResult.Step(100, 20 * SECOND,
            new ProcStat.CpuSplit(2 * SECOND, 500 * MS, 100 * MS), 200 * MS, 100 * MS, 120L << 20, 12L << 20, mark,
            mark, "0.3", "0.4", new JitSettle.Outcome(true, 42 * SECOND, true, 1.5, 9.0));
        final ListenerResult result = new ListenerResult(ListenerOptions.parse(new String[] {"--settle-jit"}),
            Path.of("out"), idle, List.of(step), "http://edge", "http://icecast");

        final String markdown = SuiteReport.listeners(List.of(result));

        assertThat(markdown)
            .contains("| 1 (" + settled + ") | 10 | 0.1 → 0.2 |")
            .contains("| 1 (" + settled + ") | 100 |");
        assertThat(result.table()).contains("--settle-jit").contains("JIT settled after 42 s more");
    }

    @Test
    void shouldReadResidentMemoryInBytes()
    {
        assertThat(ProcStat.rssBytes("Name:\tjava\nVmHWM:\t  9000 kB\nVmRSS:\t  1234 kB\nThreads: 3\n"))
            .isEqualTo(1234L * 1024);
        assertThat(ProcStat.rssBytes("Name:\tzombie\n")).isEqualTo(-1);
    }

    @Test
    void shouldSumPrometheusSamplesByNameAndLabel()
    {
        final Metrics metrics = Metrics.parse("""
            # HELP seamcast_edge_events_total playout engine events
            # TYPE seamcast_edge_events_total counter
            seamcast_edge_events_total{event="late",mount="/a"} 2.0
            seamcast_edge_events_total{event="late",mount="/b"} 3.0
            seamcast_edge_events_total{event="switch",mount="/a"} 1.0
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.8874368E7
            seamcast_edge_inbox_drops_total 0.0
            seamcast_edge_path_headroom_seconds_bucket{le="+Inf",path="0"} 7.0
            """);

        assertThat(metrics.count("seamcast_edge_events_total")).isEqualTo(6);
        assertThat(metrics.count("seamcast_edge_events_total", "event", "late")).isEqualTo(5);
        assertThat(metrics.sum("jvm_memory_used_bytes", "area", "heap")).isEqualTo(18_874_368.0);
        assertThat(metrics.count("seamcast_edge_inbox_drops_total")).isZero();
        assertThat(metrics.count("seamcast_edge_path_headroom_seconds_bucket")).isEqualTo(7);
    }

    @Test
    void shouldListWhatMovedBetweenTwoScrapesByLabels()
    {
        final Metrics before = Metrics.parse("drops_total{reason=\"a\"} 1\ndrops_total{reason=\"b\"} 5\n");
        final Metrics after = Metrics.parse("drops_total{reason=\"a\"} 1\ndrops_total{reason=\"b\"} 9\n"
            + "drops_total{reason=\"c\"} 2\n");

        assertThat(after.changedSince(before, "drops_total"))
            .containsExactly(java.util.Map.entry("{reason=\"b\"}", 4L), java.util.Map.entry("{reason=\"c\"}", 2L));
    }

    @Test
    void shouldParseTheLoadGeneratorsAndTheListenersStatusLines()
    {
        assertThat(LoadgenStatus.parse("loadgen sent=10 refused=1 late_ns_total=300 max_late_ns=40"))
            .isEqualTo(new LoadgenStatus(10, 1, 300, 40));
        assertThat(ListenerMark.parse("listeners mark url=http://127.0.0.1:1/a.mp3 open=5 ms=2000 min_bps=15000 "
            + "mean_bps=16000 below=1 closed=0 bad=0"))
            .isEqualTo(new ListenerMark("http://127.0.0.1:1/a.mp3", 5, 2000, 15_000, 16_000, 1, 0, 0));
    }

    @Test
    void shouldChargeAKernelFrameToTheFrameThatEnteredTheKernel()
    {
        assertThat(HotSpots.selfFrame(List.of("Thread.run", "sun.nio.ch.SocketDispatcher.write0", "writev",
            "do_syscall_64_[k]", "tcp_sendmsg_[k]"))).isEqualTo("kernel, from writev");
        assertThat(HotSpots.selfFrame(List.of("Thread.run", "org.seamcast.relay.RelayAgent.doWork")))
            .isEqualTo("org.seamcast.relay.RelayAgent.doWork");
    }

    @Test
    void shouldGroupThreadsOfOnePoolUnderOneName()
    {
        assertThat(HotSpots.threadGroup("[seamcast-io-edge-3-1 tid=77]")).isEqualTo("seamcast-io-edge");
        assertThat(HotSpots.threadGroup("[C2 CompilerThread0 tid=12]")).isEqualTo("C2 CompilerThread");
        assertThat(HotSpots.threadGroup("GC Thread#1")).isEqualTo("GC Thread");
        assertThat(HotSpots.threadGroup("edge-playout")).isEqualTo("edge-playout");
    }

    @Test
    void shouldReplaceOnlyTheTextBetweenTheMarkers()
    {
        final String doc = "intro\n<!-- figures:begin -->\nold\n<!-- figures:end -->\nkept\n";

        assertThat(DocSections.replace(doc, "figures", "new\n"))
            .isEqualTo("intro\n<!-- figures:begin -->\nnew\n<!-- figures:end -->\nkept\n");
        assertThatThrownBy(() -> DocSections.replace("no markers", "figures", "x"))
            .hasMessageContaining("<!-- figures:begin -->");
    }

    @Test
    void shouldRefuseABadOptionNamingItsLimit()
    {
        assertThatThrownBy(() -> MeshOptions.parse(new String[] {"--mounts", "0"}))
            .hasMessage("--mounts=0 is not in 1..5000");
        assertThatThrownBy(() -> ListenerOptions.parse(new String[] {"--listeners", "100,x"}))
            .hasMessage("--listeners=x is not a number");
        assertThatThrownBy(() -> MeshOptions.parse(new String[] {"--transport", "sctp"}))
            .hasMessage("--transport=sctp is not tcp, udp or aeron");
    }

    @Test
    void shouldReachTheRelaysOverTheTransportAsked()
    {
        assertThat(MeshOptions.parse(new String[0]).ingressScheme()).isEqualTo("tcp://");
        assertThat(MeshOptions.parse(new String[] {"--transport", "udp"}).ingressScheme()).isEqualTo("udp://");
        final MeshOptions aeron = MeshOptions.parse(new String[] {"--transport", "aeron"});
        assertThat(aeron.ingressScheme()).isEqualTo("aeron+udp://");
        assertThat(aeron.describe()).contains("--transport aeron");
    }

    @Test
    void shouldSettleTheJitOnlyWhenAsked()
    {
        assertThat(MeshOptions.parse(new String[0]).settleJit).isFalse();
        assertThat(MeshOptions.parse(new String[0]).describe()).doesNotContain("--settle-jit");
        assertThat(MeshOptions.parse(new String[] {"--settle-jit"}).settleJit).isTrue();
        assertThat(MeshOptions.parse(new String[] {"--settle-jit"}).describe()).contains("--settle-jit");
    }

    @Test
    void shouldLeaveTheEdgesLinkPollToItsDefaultUnlessARunSetsIt()
    {
        assertThat(MeshOptions.parse(new String[0]).edgeLinkPollMs).isEqualTo(MeshOptions.EDGE_DEFAULT);
        assertThat(MeshOptions.parse(new String[0]).describe()).doesNotContain("--edge-link-poll-ms");
        final MeshOptions unpaced = MeshOptions.parse(new String[] {"--edge-link-poll-ms", "0"});
        assertThat(unpaced.edgeLinkPollMs).isZero();
        assertThat(unpaced.describe()).contains("--edge-link-poll-ms 0");
        assertThatThrownBy(() -> MeshOptions.parse(new String[] {"--edge-link-poll-ms", "201"}))
            .hasMessage("--edge-link-poll-ms=201 is not in 0..200");
    }
}
