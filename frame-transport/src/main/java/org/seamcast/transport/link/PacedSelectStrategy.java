package org.seamcast.transport.link;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * An event loop's select strategy that, once I/O has woken the loop, looks for more at most once per period for as
 * long as each look finds some, and blocks again (waking on the next event) once one finds none. A stream of small
 * messages, one every few tens of milliseconds per link, then costs the loop a wake-up per period instead of one per
 * message: on a virtual machine a thread's wake-up costs far more than reading a frame. Everything read waits up to a
 * period longer, and so do tasks and timers submitted while the loop sleeps out its period (the loop is awake as far
 * as Netty knows, so a submitter does not signal it). What is ready at once is never made to wait: queued tasks, and
 * I/O a channel left unread (a level-triggered datagram channel reads one datagram per readiness), so the loop keeps
 * up with any rate; only what arrives while it sleeps waits for the next look.
 *
 * <p>Under load the period shortens so that what arrives in one takes the loop at most {@link #LOOK_WORK_NS} to
 * handle: the period is that work budget over the share of its time the loop worked in the last period. What waits
 * unread in a socket meanwhile is held by its sender, whose buffer for a peer is bounded (a relay drops a peer's
 * copies past its 1 MiB high water mark): a whole 50 ms at a thousand mounts is about 1.9 MB a link, a period of
 * 2 ms of work a few hundred kilobytes. Idle, a period's work is a fraction of a millisecond and the period stays
 * whole.
 *
 * <p>Threading: one instance per event loop (Netty asks its factory for one per I/O handler), used by that loop's
 * thread only.
 */
public final class PacedSelectStrategy implements SelectStrategy
{
    /** The loop's time what arrives in one period may take to handle: the period shortens to keep under it. */
    public static final long LOOK_WORK_NS = 2_000_000;
    private static final long IDLE = Long.MIN_VALUE;

    private final long periodNs;
    private final long lookWorkNs;
    private final LongSupplier nanoClock;
    private final LongConsumer sleeper;
    /** When the loop last came back from a look or a blocking select; loop thread only. */
    private long lastLookNs;
    /** Whether the previous call let the loop block, so this call follows a wake-up. */
    private boolean blocked;
    /** When the previous call returned something to do (ready I/O or tasks), or {@link #IDLE}. */
    private long returnedNs = IDLE;
    /** The loop's time spent on what it was given since the last look. */
    private long workNs;
    /** The period until the next look: {@link #periodNs}, shortened under load. */
    private long currentPeriodNs;

    /**
     * A strategy on {@link System#nanoTime()} that sleeps with {@link LockSupport#parkNanos(long)}.
     *
     * @param periodNs the shortest time between two looks while I/O keeps coming, > 0.
     */
    public PacedSelectStrategy(final long periodNs)
    {
        this(periodNs, LOOK_WORK_NS, System::nanoTime, LockSupport::parkNanos);
    }

    /**
     * @param periodNs   the longest time between two looks while I/O keeps coming, > 0.
     * @param lookWorkNs the loop's time what arrives in one period may take to handle, > 0.
     * @param nanoClock  the monotonic clock the period is measured on.
     * @param sleeper    sleeps the loop's thread for the given nanoseconds (it may return early).
     */
    public PacedSelectStrategy(
        final long periodNs, final long lookWorkNs, final LongSupplier nanoClock, final LongConsumer sleeper)
    {
        if (periodNs <= 0)
        {
            throw new IllegalArgumentException("periodNs=" + periodNs + " must be > 0");
        }
        if (lookWorkNs <= 0)
        {
            throw new IllegalArgumentException("lookWorkNs=" + lookWorkNs + " must be > 0");
        }
        this.periodNs = periodNs;
        this.lookWorkNs = lookWorkNs;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
        this.currentPeriodNs = periodNs;
    }

    /** @return the period until the next look: the configured one, or shorter under load. */
    long currentPeriodNs()
    {
        return currentPeriodNs;
    }

    @Override
    public int calculateStrategy(final IntSupplier selectSupplier, final boolean hasTasks) throws Exception
    {
        long nowNs = nanoClock.getAsLong();
        if (returnedNs != IDLE)
        {
            workNs += nowNs - returnedNs;
            returnedNs = IDLE;
        }
        if (blocked)
        {
            // woken by an event, a timer or a task: the period starts now
            blocked = false;
            lastLookNs = nowNs;
            workNs = 0;
        }
        // what is ready at once is taken at once: a channel that stopped reading early (a level-triggered datagram
        // channel reads one datagram per readiness) or a queued task must not wait a period per step
        final int readyNow = selectSupplier.get();
        if (hasTasks || readyNow > 0)
        {
            returnedNs = nowNs;
            return readyNow;
        }
        long waitNs = lastLookNs + currentPeriodNs - nowNs;
        if (waitNs <= 0)
        {
            blocked = true;
            return SelectStrategy.SELECT;
        }
        do
        {
            sleeper.accept(waitNs);
            nowNs = nanoClock.getAsLong();
            waitNs = lastLookNs + currentPeriodNs - nowNs;
        }
        while (waitNs > 0);
        adaptPeriod(nowNs - lastLookNs);
        lastLookNs = nowNs;
        final int ready = selectSupplier.get();
        if (ready > 0)
        {
            returnedNs = nowNs;
            return ready;
        }
        blocked = true;
        return SelectStrategy.SELECT;
    }

    /** Sets the next period from the share of the last one ({@code cycleNs} long) the loop spent working. */
    private void adaptPeriod(final long cycleNs)
    {
        // period = lookWork / (work / cycle), within (0, periodNs]
        currentPeriodNs = workNs <= 0 || workNs * periodNs <= lookWorkNs * cycleNs
            ? periodNs : Math.max(1, lookWorkNs * cycleNs / workNs);
        workNs = 0;
    }
}
