package org.seamcast.edge.node;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class EventLogTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final List<String> lines = new ArrayList<>();
    private final EventLog log = new EventLog((warning, line) -> lines.add((warning ? "WARN " : "INFO ") + line));

    @Test
    void shouldWriteUpToTheBudgetInASecondThenSayHowManyWereLeftOut()
    {
        final long startNs = 1_000_000 * MS;
        int written = 0;
        for (int n = 0; n < 3 * EventLog.LINES_PER_SECOND; n++)
        {
            written += log.write(startNs + n, false, "FALLBACK_START mount=/m" + n) ? 1 : 0;
        }

        assertThat(written).isEqualTo(EventLog.LINES_PER_SECOND);
        assertThat(lines).hasSize(EventLog.LINES_PER_SECOND).first().isEqualTo("INFO FALLBACK_START mount=/m0");

        assertThat(log.write(startNs + 999 * MS, true, "late in the second")).as("still the same second").isFalse();
        assertThat(log.write(startNs + 1_000 * MS, true, "SKIP mount=/m1")).isTrue();
        assertThat(lines.subList(EventLog.LINES_PER_SECOND, lines.size())).containsExactly(
            "WARN " + (2 * EventLog.LINES_PER_SECOND + 1) + " more playout events in a second than the "
                + EventLog.LINES_PER_SECOND + " logged; each counts in seamcast_edge_events_total and its mount's"
                + " recentEvents",
            "WARN SKIP mount=/m1");
    }

    @Test
    void shouldWriteEveryLineWhileUnderTheBudget()
    {
        for (int second = 0; second < 5; second++)
        {
            for (int n = 0; n < EventLog.LINES_PER_SECOND; n++)
            {
                assertThat(log.write(second * 1_000 * MS + n * 10 * MS, false, "SWITCH " + second + "." + n)).isTrue();
            }
        }

        assertThat(lines).hasSize(5 * EventLog.LINES_PER_SECOND).noneMatch(line -> line.contains("more playout"));
    }
}
