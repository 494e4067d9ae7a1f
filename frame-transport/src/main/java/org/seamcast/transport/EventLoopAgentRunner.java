package org.seamcast.transport;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an agent on a Netty event loop instead of a thread of its own ({@link ThreadingMode#IO_LOOP}): its duty cycle
 * is a task of the loop, queued when a producer wakes it through its {@link AgentWakeup} and by a loop timer at its
 * next deadline plus slack, both as its {@link DeadlineIdleStrategy} computes them. An agent fed by the loop's own
 * I/O then shares that I/O's wake-ups: a message read and the slot it fills cost one wake-up of one thread rather
 * than one each of two, and a cycle queued by a read runs right after the loop's reads of that wake-up.
 *
 * <p>Threading: the agent's {@code onStart}, duty cycles and {@code onClose} run on the loop only; {@link #start} and
 * {@link #close} from the node's owner thread.
 */
public final class EventLoopAgentRunner implements AutoCloseable
{
    private static final long CLOSE_TIMEOUT_MS = 5_000;

    private final EventExecutor loop;
    private final Agent agent;
    private final DeadlineIdleStrategy idle;
    private final ErrorHandler errorHandler;
    private final Runnable queuedCycle = this::queuedCycle;
    private final Runnable timerCycle = this::timerCycle;
    private final Runnable resume = this::resume;
    /** Whether {@link #queuedCycle} is queued on the loop: any thread sets it, the loop clears it. */
    private final AtomicBoolean queued = new AtomicBoolean();
    /** Loop only. */
    private ScheduledFuture<?> timer;
    private volatile boolean closed;

    private EventLoopAgentRunner(
        final EventExecutor loop, final Agent agent, final DeadlineIdleStrategy idle, final ErrorHandler errorHandler)
    {
        if (!idle.hasWakeup())
        {
            throw new IllegalArgumentException("an agent on an event loop needs an AgentWakeup in its idle strategy");
        }
        this.loop = loop;
        this.agent = agent;
        this.idle = idle;
        this.errorHandler = errorHandler;
        idle.runsOn(loop);
    }

    /**
     * Starts {@code agent} on {@code loop}: its {@code onStart}, then its first duty cycle, as a task of the loop.
     *
     * @param idle         says when the agent's next cycle is due and holds the wakeup its producers use.
     * @param errorHandler told of an agent's error; the agent carries on.
     */
    public static EventLoopAgentRunner start(
        final EventExecutor loop, final Agent agent, final DeadlineIdleStrategy idle, final ErrorHandler errorHandler)
    {
        final EventLoopAgentRunner runner = new EventLoopAgentRunner(loop, agent, idle, errorHandler);
        runner.queued.set(true);
        loop.execute(() ->
        {
            try
            {
                agent.onStart();
            }
            catch (final Throwable ex)
            {
                errorHandler.onError(ex);
            }
            runner.queuedCycle();
        });
        return runner;
    }

    /**
     * Queues a duty cycle unless one is queued; run by the first producer to wake the parked agent.
     */
    private void resume()
    {
        if (!closed && queued.compareAndSet(false, true))
        {
            try
            {
                loop.execute(queuedCycle);
            }
            catch (final RejectedExecutionException ex)
            {
                // the loop is shutting down with the node, which closes the agent
                queued.set(false);
            }
        }
    }

    private void queuedCycle()
    {
        queued.set(false);
        cycle();
    }

    private void timerCycle()
    {
        timer = null;
        if (!queued.get())
        {
            cycle();
        }
    }

    private void cycle()
    {
        if (closed)
        {
            return;
        }
        idle.runningOnLoop();
        int work;
        try
        {
            work = agent.doWork();
        }
        catch (final Throwable ex)
        {
            errorHandler.onError(ex);
            work = 0;
        }
        if (work > 0)
        {
            // more may wait (a full inbox read, a burst): the next cycle after the loop's other tasks and I/O, as a
            // thread would run it at once
            resume();
            return;
        }
        final long parkNs = idle.parkOnLoop(resume);
        if (parkNs < 0)
        {
            resume();
            return;
        }
        if (timer != null)
        {
            timer.cancel(false);
        }
        timer = loop.schedule(timerCycle, parkNs, TimeUnit.NANOSECONDS);
    }

    /**
     * Stops the duty cycles and runs the agent's {@code onClose} on the loop, or here if the loop has ended.
     */
    @Override
    public void close()
    {
        closed = true;
        final Runnable onClose = () ->
        {
            if (timer != null)
            {
                timer.cancel(false);
                timer = null;
            }
            try
            {
                agent.onClose();
            }
            catch (final Throwable ex)
            {
                errorHandler.onError(ex);
            }
        };
        if (loop.inEventLoop())
        {
            onClose.run();
            return;
        }
        try
        {
            if (loop.submit(onClose).awaitUninterruptibly(CLOSE_TIMEOUT_MS))
            {
                return;
            }
            errorHandler.onError(new IllegalStateException(
                agent.roleName() + ": its event loop did not close it within " + CLOSE_TIMEOUT_MS + " ms"));
        }
        catch (final RejectedExecutionException ex)
        {
            onClose.run();
        }
    }

    /**
     * @return false once closed or once the loop has ended.
     */
    public boolean isRunning()
    {
        return !closed && !loop.isShutdown();
    }
}
