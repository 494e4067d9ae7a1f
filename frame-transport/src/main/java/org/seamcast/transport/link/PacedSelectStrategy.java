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
 * <p>Threading: one instance per event loop (Netty asks its factory for one per I/O handler), used by that loop's
 * thread only.
 */
public final class PacedSelectStrategy implements SelectStrategy
{
    private final long periodNs;
    private final LongSupplier nanoClock;
    private final LongConsumer sleeper;
    /** When the loop last came back from a look or a blocking select; loop thread only. */
    private long lastLookNs;
    /** Whether the previous call let the loop block, so this call follows a wake-up. */
    private boolean blocked;

    /**
     * A strategy on {@link System#nanoTime()} that sleeps with {@link LockSupport#parkNanos(long)}.
     *
     * @param periodNs the shortest time between two looks while I/O keeps coming, > 0.
     */
    public PacedSelectStrategy(final long periodNs)
    {
        this(periodNs, System::nanoTime, LockSupport::parkNanos);
    }

    /**
     * @param periodNs  the shortest time between two looks while I/O keeps coming, > 0.
     * @param nanoClock the monotonic clock the period is measured on.
     * @param sleeper   sleeps the loop's thread for the given nanoseconds (it may return early).
     */
    public PacedSelectStrategy(final long periodNs, final LongSupplier nanoClock, final LongConsumer sleeper)
    {
        if (periodNs <= 0)
        {
            throw new IllegalArgumentException("periodNs=" + periodNs + " must be > 0");
        }
        this.periodNs = periodNs;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    @Override
    public int calculateStrategy(final IntSupplier selectSupplier, final boolean hasTasks) throws Exception
    {
        long nowNs = nanoClock.getAsLong();
        if (blocked)
        {
            // woken by an event, a timer or a task: the period starts now
            blocked = false;
            lastLookNs = nowNs;
        }
        // what is ready at once is taken at once: a channel that stopped reading early (a level-triggered datagram
        // channel reads one datagram per readiness) or a queued task must not wait a period per step
        final int readyNow = selectSupplier.get();
        if (hasTasks || readyNow > 0)
        {
            return readyNow;
        }
        long waitNs = lastLookNs + periodNs - nowNs;
        if (waitNs <= 0)
        {
            blocked = true;
            return SelectStrategy.SELECT;
        }
        do
        {
            sleeper.accept(waitNs);
            nowNs = nanoClock.getAsLong();
            waitNs = lastLookNs + periodNs - nowNs;
        }
        while (waitNs > 0);
        lastLookNs = nowNs;
        final int ready = selectSupplier.get();
        if (ready > 0)
        {
            return ready;
        }
        blocked = true;
        return SelectStrategy.SELECT;
    }
}
