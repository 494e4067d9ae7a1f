package org.seamcast.transport;

import io.netty.util.concurrent.EventExecutor;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Idles an agent whose work is due at known times (playout slots, timers) by parking until its next deadline, at
 * least {@code minParkNs} and at most {@code maxParkNs}; the shortest park keeps a deadline that is already due from
 * spinning. An agent given a slack may wake up to that much after a deadline, like a timer's slack, so deadlines that
 * fall close together (slots of one stream a frame apart, of many streams microseconds apart) are met by one
 * wake-up rather than one each. Input is taken at once when its producers wake the agent through an {@link AgentWakeup}: the agent
 * then looks for input before it parks and sleeps until its deadline, waking per message or deadline, not per
 * millisecond. Without one, the longest park bounds how long queued input waits, and an agent with nothing due costs
 * one wake-up per {@code maxParkNs}; a backoff to a fixed park would wake at its shortest park after every piece of
 * work.
 *
 * <p>Threading: the agent's thread only, like every {@link IdleStrategy}.
 */
public final class DeadlineIdleStrategy implements IdleStrategy
{
    private final LongSupplier nextDeadlineNs;
    private final EpochNanoClock clock;
    private final long minParkNs;
    private final long maxParkNs;
    private final long slackNs;
    private final AgentWakeup wakeup;
    private final BooleanSupplier hasInput;

    /**
     * @param nextDeadlineNs the agent's next deadline on {@code clock} (non-negative; {@link Long#MAX_VALUE} for
     *                       none), read on the agent's thread after a duty cycle that did nothing.
     * @param clock          the clock the deadlines are on.
     * @param minParkNs      the shortest park, > 0.
     * @param maxParkNs      the longest park, >= {@code minParkNs}.
     */
    public DeadlineIdleStrategy(
        final LongSupplier nextDeadlineNs, final EpochNanoClock clock, final long minParkNs, final long maxParkNs)
    {
        this(nextDeadlineNs, clock, minParkNs, maxParkNs, 0, null, () -> false);
    }

    /**
     * As {@link #DeadlineIdleStrategy(LongSupplier, EpochNanoClock, long, long)}, for an agent its producers wake and
     * whose deadlines may be met late.
     *
     * @param slackNs  how long after a deadline the agent may wake, >= 0 (a park never exceeds {@code maxParkNs}).
     * @param wakeup   what the agent's producers wake it with, or null for none.
     * @param hasInput whether input waits for the agent (its inbox is not empty, a request is posted), read on the
     *                 agent's thread just before it parks.
     */
    public DeadlineIdleStrategy(
        final LongSupplier nextDeadlineNs,
        final EpochNanoClock clock,
        final long minParkNs,
        final long maxParkNs,
        final long slackNs,
        final AgentWakeup wakeup,
        final BooleanSupplier hasInput)
    {
        if (minParkNs <= 0 || maxParkNs < minParkNs || slackNs < 0)
        {
            throw new IllegalArgumentException("minParkNs=" + minParkNs + " maxParkNs=" + maxParkNs + " slackNs="
                + slackNs + ": need 0 < minParkNs <= maxParkNs and slackNs >= 0");
        }
        this.nextDeadlineNs = nextDeadlineNs;
        this.clock = clock;
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
        this.slackNs = slackNs;
        this.wakeup = wakeup;
        this.hasInput = hasInput;
    }

    /**
     * @return how long an idle cycle at {@code nowNs} parks when the next deadline is {@code deadlineNs}.
     */
    long parkNs(final long deadlineNs, final long nowNs)
    {
        final long untilDeadline = deadlineNs - nowNs;
        // compared before the slack is added, which cannot then overflow for a deadline of Long.MAX_VALUE
        if (untilDeadline >= maxParkNs)
        {
            return maxParkNs;
        }
        return Math.max(minParkNs, Math.min(maxParkNs, untilDeadline + slackNs));
    }

    /**
     * @return from when a waker on the agent's own event loop may run the cycle of an agent that parks at
     * {@code nowNs} with its next deadline at {@code deadlineNs}: at the deadline, and not within half the slack of
     * this cycle ({@link Long#MAX_VALUE} when nothing is due).
     */
    long freeWakeFromNs(final long deadlineNs, final long nowNs)
    {
        if (deadlineNs == Long.MAX_VALUE)
        {
            return Long.MAX_VALUE;
        }
        return Math.max(deadlineNs, nowNs + slackNs / 2);
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount <= 0)
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        final long nowNs = clock.nanoTime();
        final long parkNs = parkNs(nextDeadlineNs.getAsLong(), nowNs);
        if (null == wakeup)
        {
            LockSupport.parkNanos(parkNs);
            return;
        }
        wakeup.parking(nowNs + parkNs);
        if (!hasInput.getAsBoolean())
        {
            LockSupport.parkNanos(parkNs);
        }
        wakeup.running();
    }

    /**
     * For an agent run on an event loop ({@link EventLoopAgentRunner}): tells the wakeup that the agent parks and
     * takes a last look for input, as {@link #idle()} does before it parks the thread.
     *
     * @param resume queues the agent's next duty cycle; a waker runs it.
     * @return how long the agent may wait for its timer, or -1 when input waits and it should run again now.
     */
    long parkOnLoop(final Runnable resume)
    {
        final long nowNs = clock.nanoTime();
        final long deadlineNs = nextDeadlineNs.getAsLong();
        final long parkNs = parkNs(deadlineNs, nowNs);
        wakeup.parking(nowNs + parkNs, freeWakeFromNs(deadlineNs, nowNs), resume);
        if (hasInput.getAsBoolean())
        {
            wakeup.running();
            return -1;
        }
        return parkNs;
    }

    /**
     * The agent run on an event loop is running a duty cycle: wakers need not resume it.
     */
    void runningOnLoop()
    {
        wakeup.running();
    }

    boolean hasWakeup()
    {
        return null != wakeup;
    }

    /**
     * The agent runs on {@code loop} ({@link EventLoopAgentRunner}), so a waker on that loop may run its cycles.
     */
    void runsOn(final EventExecutor loop)
    {
        wakeup.runsOn(loop);
    }

    @Override
    public void reset()
    {
    }

    @Override
    public String alias()
    {
        return "deadline";
    }
}
