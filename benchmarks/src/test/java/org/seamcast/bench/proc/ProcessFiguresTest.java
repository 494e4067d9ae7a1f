package org.seamcast.bench.proc;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessFiguresTest
{
    @Test
    void shouldReadUserPlusSystemTicksAfterACommandNameWithSpacesAndParentheses()
    {
        final String stat = "4242 (java (a) b) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 30 0 1 2 3";

        assertThat(ProcStat.cpuNs(stat)).isEqualTo(300L * 1_000_000_000L / ProcStat.CLOCK_TICKS_PER_SECOND);
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
            .hasMessage("--mounts=0 is not in 1..2000");
        assertThatThrownBy(() -> ListenerOptions.parse(new String[] {"--listeners", "100,x"}))
            .hasMessage("--listeners=x is not a number");
    }
}
