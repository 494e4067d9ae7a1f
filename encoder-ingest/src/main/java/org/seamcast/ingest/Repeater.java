package org.seamcast.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.seamcast.ingest.stream.StreamBeats;
import org.seamcast.ingest.stream.StreamHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The ingest's repeating duties, on its clock: every live stream's ANNOUNCE and METADATA again every announce
 * interval, so a relay or edge that joins late learns every stream, and the stream heartbeats ({@link StreamBeats})
 * whenever one is due. An error in either is counted and logged, and the other carries on.
 *
 * <p>Threading: {@link #doWork} on one thread, whichever the node's threading mode gives it.
 */
final class Repeater implements Agent
{
    /** How often the heartbeats are looked at: a quiet stream's heartbeat is at most this late. */
    static final long HEARTBEAT_TICK_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private static final Logger LOG = LoggerFactory.getLogger(Repeater.class);

    private final StreamHub hub;
    private final StreamBeats beats;
    private final EpochNanoClock clock;
    private final long announceIntervalNs;
    private final Counter announceErrors;
    private final Counter beatErrors;
    private long nextAnnounceNs;
    private long nextBeatNs;

    Repeater(
        final StreamHub hub,
        final StreamBeats beats,
        final EpochNanoClock clock,
        final long announceIntervalMs,
        final MeterRegistry registry)
    {
        this.hub = hub;
        this.beats = beats;
        this.clock = clock;
        this.announceIntervalNs = TimeUnit.MILLISECONDS.toNanos(announceIntervalMs);
        this.announceErrors = IngestNode.errors(registry, "announce");
        this.beatErrors = IngestNode.errors(registry, "heartbeat");
        final long nowNs = clock.nanoTime();
        nextAnnounceNs = nowNs + announceIntervalNs;
        nextBeatNs = nowNs + HEARTBEAT_TICK_NS;
    }

    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        int work = 0;
        if (nowNs - nextAnnounceNs >= 0)
        {
            nextAnnounceNs = nowNs + announceIntervalNs;
            work++;
            try
            {
                hub.repeatAnnouncements();
            }
            catch (final RuntimeException ex)
            {
                announceErrors.increment();
                LOG.warn("announce repeat failed", ex);
            }
        }
        if (nowNs - nextBeatNs >= 0)
        {
            nextBeatNs = nowNs + HEARTBEAT_TICK_NS;
            try
            {
                work += beats.doWork(nowNs);
            }
            catch (final RuntimeException ex)
            {
                beatErrors.increment();
                LOG.warn("heartbeat failed", ex);
            }
        }
        return work;
    }

    @Override
    public String roleName()
    {
        return "seamcast-ingest-repeater";
    }
}
