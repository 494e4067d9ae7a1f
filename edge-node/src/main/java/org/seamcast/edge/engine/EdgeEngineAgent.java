package org.seamcast.edge.engine;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;

/**
 * Runs the playout duty cycle of one or more mounts' engines as an Agrona {@link Agent}, reading the wall clock once
 * per cycle. Frames must reach the engines on the same thread (for example drained from a queue by a composite
 * agent), as {@link EdgeEngine} is single-threaded.
 */
public final class EdgeEngineAgent implements Agent
{
    private final EdgeEngine[] engines;
    private final EpochNanoClock clock;
    private final String roleName;

    /**
     * @param roleName name of the agent's thread.
     * @param clock    wall clock in nanoseconds since the Unix epoch, e.g. {@code SystemEpochNanoClock}.
     * @param engines  engines whose slots this agent releases.
     */
    public EdgeEngineAgent(final String roleName, final EpochNanoClock clock, final EdgeEngine... engines)
    {
        this.roleName = roleName;
        this.clock = clock;
        this.engines = engines.clone();
    }

    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        int workCount = 0;
        for (final EdgeEngine engine : engines)
        {
            workCount += engine.doWork(nowNs);
        }
        return workCount;
    }

    public String roleName()
    {
        return roleName;
    }
}
