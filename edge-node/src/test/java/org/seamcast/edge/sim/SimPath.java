package org.seamcast.edge.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * A simulated path from the encoders to the edge (ingest, relays, link): base delay, jitter (which reorders),
 * loss, duplication, and outages. An outage with catch-up is a relay restart: on return it replays what it missed
 * from its ring; without catch-up it is a dead link.
 */
public final class SimPath
{
    final int pathId;
    final long delayUs;
    final long jitterUs;
    final double loss;
    final double duplication;
    final List<long[]> outages = new ArrayList<>();

    public SimPath(final int pathId, final long delayUs, final long jitterUs, final double loss, final double duplication)
    {
        this.pathId = pathId;
        this.delayUs = delayUs;
        this.jitterUs = jitterUs;
        this.loss = loss;
        this.duplication = duplication;
    }

    /**
     * @param fromUs      start of the outage, µs from the schedule start.
     * @param toUs        end of the outage.
     * @param catchUpUs   frames sent up to this long before the end are replayed on return (0 for none).
     * @return this.
     */
    public SimPath outage(final long fromUs, final long toUs, final long catchUpUs)
    {
        outages.add(new long[]{ fromUs, toUs, catchUpUs });
        return this;
    }

    public int pathId()
    {
        return pathId;
    }
}
