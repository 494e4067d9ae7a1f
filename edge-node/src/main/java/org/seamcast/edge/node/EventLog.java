package org.seamcast.edge.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Writes the playout events of one agent's mounts to the log within a budget: up to {@link #LINES_PER_SECOND} lines
 * a second, then, at the first event of a later second, one line saying how many were left out. An edge that falls
 * behind turns its mounts' slots into events (thousands a second at 1,000 mounts): a log written that fast slows the
 * thread that has to catch up and buries the first lines, the ones that say why. Every event still counts in
 * {@code seamcast_edge_events_total} and in its mount's recent events on {@code /status.json}.
 *
 * <p>Threading: the owning playout agent's thread only.
 */
final class EventLog
{
    /** Lines written per second at most; the rest are counted and summed up. */
    static final int LINES_PER_SECOND = 50;

    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);
    private static final Logger LOG = LoggerFactory.getLogger(MountPlayout.class);

    /**
     * Where the lines go: the log, or a test's list.
     */
    interface Sink
    {
        void write(boolean warning, String line);
    }

    private final Sink sink;
    private boolean started;
    private long secondStartNs;
    private int linesThisSecond;
    private long leftOut;

    /**
     * An event log writing to the {@code MountPlayout} logger.
     */
    EventLog()
    {
        this((warning, line) ->
        {
            if (warning)
            {
                LOG.warn(line);
            }
            else
            {
                LOG.info(line);
            }
        });
    }

    EventLog(final Sink sink)
    {
        this.sink = sink;
    }

    /**
     * Writes {@code line} unless this second's budget is spent.
     *
     * @param nowNs   the agent's clock.
     * @param warning whether it is a warning (else information).
     * @return whether it was written.
     */
    boolean write(final long nowNs, final boolean warning, final String line)
    {
        if (!started || nowNs - secondStartNs >= SECOND_NS)
        {
            started = true;
            if (leftOut > 0)
            {
                sink.write(true, leftOut + " more playout events in a second than the " + LINES_PER_SECOND
                    + " logged; each counts in seamcast_edge_events_total and its mount's recentEvents");
                leftOut = 0;
            }
            secondStartNs = nowNs;
            linesThisSecond = 0;
        }
        if (linesThisSecond >= LINES_PER_SECOND)
        {
            leftOut++;
            return false;
        }
        linesThisSecond++;
        sink.write(warning, line);
        return true;
    }
}
