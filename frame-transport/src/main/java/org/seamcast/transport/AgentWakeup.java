package org.seamcast.transport;

import io.netty.util.concurrent.EventExecutor;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets the threads that hand an agent its input (an inbox write, a request) wake it while it parks in a
 * {@link DeadlineIdleStrategy}, so the agent can sleep until its next deadline rather than wake every millisecond to
 * look for input. A wake costs the waker a fence, and a system call only for the first wake of each park; input that
 * can wait for the agent's own deadline need not cost even that ({@link #wakeUnlessDueBy}). An agent run on an event
 * loop ({@link EventLoopAgentRunner}) parks with a task that queues its next duty cycle instead of a thread.
 *
 * <p>Threading: {@link #wake}, the {@code wakeUnlessDueBy} methods and {@link #isParked} from any thread; the rest
 * from the agent's thread, through its idle strategy.
 */
public final class AgentWakeup
{
    /** The parked agent's thread, or the task that resumes an agent run on an event loop; null while it runs. */
    private final AtomicReference<Object> parked = new AtomicReference<>();
    /** When the agent's current park ends on its idle strategy's clock; written before {@link #parked} is set. */
    private volatile long parkedUntilNs;
    /**
     * For an agent run on an event loop: from when a waker on that loop runs its next duty cycle rather than leave it
     * to the timer ({@link #wakeUnlessDueBy(long, long)}); written before {@link #parked} is set.
     */
    private volatile long freeWakeFromNs = Long.MAX_VALUE;
    /** The event loop that runs the agent, or null for an agent on a thread of its own; set before it first parks. */
    private volatile EventExecutor loop;

    /**
     * Wakes the agent if it is parked or about to park. Call it after the input is visible to the agent (written to
     * its queue); a wake that finds the agent running costs it at most one early return from its next park.
     */
    public void wake()
    {
        // the input's (ordered) write must be visible before the agent's state is read, as the agent publishes that
        // state before it looks for input: then one of the two sees the other
        VarHandle.fullFence();
        final Object parker = parked.get();
        // the first waker takes the parked thread: a burst of input costs one unpark, not one each
        if (null != parker && parked.compareAndSet(parker, null))
        {
            resume(parker);
        }
    }

    /**
     * Wakes the agent only if it is parked past {@code latestNs} (on its idle strategy's clock): input that may wait
     * until then is read when the agent wakes for its own deadline, which spares both threads a wake-up. Call it,
     * like {@link #wake}, after the input is visible to the agent.
     *
     * @param latestNs the latest the input may wait to be read.
     */
    public void wakeUnlessDueBy(final long latestNs)
    {
        VarHandle.fullFence();
        final Object parker = parked.get();
        // parkedUntilNs is written before parked is set, so it is this park's end or a later park's
        if (null != parker && parkedUntilNs - latestNs > 0 && parked.compareAndSet(parker, null))
        {
            resume(parker);
        }
    }

    /**
     * As {@link #wakeUnlessDueBy(long)}, and also wakes an agent run on the caller's own event loop
     * ({@link EventLoopAgentRunner}) once its work is due at {@code nowNs}: the loop is awake for the caller's input
     * anyway, so the duty cycle runs after that input in the same wake-up, where the agent's timer, set up to its
     * slack after the deadline, would cost the loop a wake-up of its own. No more often than every half slack, so
     * deadlines that fall close together are still met together. A waker on another thread wakes it as
     * {@link #wakeUnlessDueBy(long)} does.
     *
     * @param latestNs the latest the input may wait to be read.
     * @param nowNs    the time now, on the agent's idle strategy's clock.
     */
    public void wakeUnlessDueBy(final long latestNs, final long nowNs)
    {
        VarHandle.fullFence();
        final Object parker = parked.get();
        if (null != parker
            && (parkedUntilNs - latestNs > 0 || (nowNs - freeWakeFromNs >= 0 && isOnAgentLoop()))
            && parked.compareAndSet(parker, null))
        {
            resume(parker);
        }
    }

    private boolean isOnAgentLoop()
    {
        final EventExecutor agentLoop = loop;
        return null != agentLoop && agentLoop.inEventLoop();
    }

    private static void resume(final Object parker)
    {
        if (parker instanceof Thread thread)
        {
            LockSupport.unpark(thread);
        }
        else
        {
            ((Runnable)parker).run();
        }
    }

    /**
     * The agent's thread is about to look for input one last time and park.
     *
     * @param untilNs when the park ends at the latest, on the idle strategy's clock.
     */
    void parking(final long untilNs)
    {
        parkedUntilNs = untilNs;
        parked.set(Thread.currentThread());
    }

    /**
     * The agent runs on {@code loop} ({@link EventLoopAgentRunner}); called before its first duty cycle.
     */
    void runsOn(final EventExecutor loop)
    {
        this.loop = loop;
    }

    /**
     * An agent run on an event loop is about to look for input one last time and wait for its timer.
     *
     * @param untilNs        when its timer fires, on the idle strategy's clock.
     * @param freeWakeFromNs from when a waker on its loop may run its next cycle ({@link Long#MAX_VALUE}: never).
     * @param resume         queues its next duty cycle; run by the first waker, on the waker's thread.
     */
    void parking(final long untilNs, final long freeWakeFromNs, final Runnable resume)
    {
        parkedUntilNs = untilNs;
        this.freeWakeFromNs = freeWakeFromNs;
        parked.set(resume);
    }

    /**
     * @return whether the agent is parked, or about to park, and no producer has woken it since.
     */
    public boolean isParked()
    {
        return null != parked.get();
    }

    /** The agent's thread is running again. */
    void running()
    {
        parked.set(null);
    }
}
