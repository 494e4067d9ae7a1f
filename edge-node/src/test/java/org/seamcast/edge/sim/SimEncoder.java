package org.seamcast.edge.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * A simulated live encoder fed from the studio: content k leaves it at studio time of k plus its latency, stamped by
 * its own clock (which may drift). Each life (from start to death) is a new epoch whose sequences start at 0.
 */
public final class SimEncoder
{
    final int encoderId;
    final int priority;
    final SimFormat format;
    final long latencyUs;
    final double driftPpm;
    final int payloadLength;
    final List<long[]> lives = new ArrayList<>();
    double loss;

    /**
     * @param encoderId     id on the wire.
     * @param priority      0 highest.
     * @param format        frame format.
     * @param latencyUs     how long after the studio its frames leave it.
     * @param driftPpm      how fast its clock runs against the wall clock.
     * @param payloadLength bytes per frame.
     */
    public SimEncoder(
        final int encoderId,
        final int priority,
        final SimFormat format,
        final long latencyUs,
        final double driftPpm,
        final int payloadLength)
    {
        this.encoderId = encoderId;
        this.priority = priority;
        this.format = format;
        this.latencyUs = latencyUs;
        this.driftPpm = driftPpm;
        this.payloadLength = payloadLength;
    }

    /**
     * Run the encoder over a span of the schedule (µs from its start); each call is a new epoch.
     *
     * @return this.
     */
    public SimEncoder live(final long fromUs, final long toUs)
    {
        lives.add(new long[]{ fromUs, toUs });
        return this;
    }

    /**
     * Lose frames at the source, on every path at once (intermittent encoder or ingest trouble).
     *
     * @return this.
     */
    public SimEncoder loss(final double loss)
    {
        this.loss = loss;
        return this;
    }

    public int encoderId()
    {
        return encoderId;
    }

    public SimFormat format()
    {
        return format;
    }
}
