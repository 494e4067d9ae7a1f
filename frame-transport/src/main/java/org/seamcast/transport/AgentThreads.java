package org.seamcast.transport;

import io.netty.util.concurrent.EventExecutor;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.IdleStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * Runs a node's agents as its {@link ThreadingMode} says: a runner per agent, one runner for all, an
 * {@link AgentInvoker} the caller drives, or one agent on an I/O event loop. The one place a node's duty threads are made.
 *
 * <p>Threading: {@link #start} and {@link #close} from the node's owner thread; {@link #isRunning} from any.
 */
public final class AgentThreads implements AutoCloseable
{
    private final List<AgentRunner> runners;
    private final AgentInvoker invoker;
    private final EventLoopAgentRunner loopRunner;

    private AgentThreads(final List<AgentRunner> runners, final AgentInvoker invoker)
    {
        this(runners, invoker, null);
    }

    private AgentThreads(
        final List<AgentRunner> runners, final AgentInvoker invoker, final EventLoopAgentRunner loopRunner)
    {
        this.runners = runners;
        this.invoker = invoker;
        this.loopRunner = loopRunner;
    }

    /**
     * Starts one agent in {@code mode}, which may be {@link ThreadingMode#IO_LOOP}: then it runs on {@code loop}
     * ({@link EventLoopAgentRunner}), idling as {@code idle} says; otherwise as
     * {@link #start(ThreadingMode, List, Supplier, ErrorHandler, ThreadFactory)} with {@code idle} for its thread.
     */
    public static AgentThreads start(
        final ThreadingMode mode,
        final Agent agent,
        final EventExecutor loop,
        final DeadlineIdleStrategy idle,
        final ErrorHandler errorHandler,
        final ThreadFactory threadFactory)
    {
        if (mode == ThreadingMode.IO_LOOP)
        {
            return new AgentThreads(List.of(), null, EventLoopAgentRunner.start(loop, agent, idle, errorHandler));
        }
        return start(mode, List.of(agent), () -> idle, errorHandler, threadFactory);
    }

    /**
     * As {@link #start(ThreadingMode, List, Supplier, ErrorHandler, ThreadFactory)}, idling with Agrona's default
     * backoff on plain threads.
     */
    public static AgentThreads start(
        final ThreadingMode mode, final List<? extends Agent> agents, final ErrorHandler errorHandler)
    {
        return start(mode, agents, BackoffIdleStrategy::new, errorHandler, Thread::new);
    }

    /**
     * Starts {@code agents} in {@code mode}; with {@link ThreadingMode#INVOKER} their {@code onStart} runs here and
     * nothing more until the caller invokes. No agents, nothing to run: no thread and no invoker.
     *
     * @param idle          a fresh idle strategy for each thread.
     * @param errorHandler  told of an agent's error; the agent carries on.
     * @param threadFactory makes the threads, e.g. Netty's for a thread that allocates pooled buffers.
     */
    public static AgentThreads start(
        final ThreadingMode mode,
        final List<? extends Agent> agents,
        final Supplier<IdleStrategy> idle,
        final ErrorHandler errorHandler,
        final ThreadFactory threadFactory)
    {
        if (agents.isEmpty())
        {
            return new AgentThreads(List.of(), null);
        }
        if (mode == ThreadingMode.IO_LOOP)
        {
            throw new IllegalArgumentException("threadingMode=IO_LOOP: this node's agents need threads of their own");
        }
        final Agent all = agents.size() == 1 ? agents.get(0) : new CompositeAgent(new ArrayList<>(agents));
        if (mode == ThreadingMode.INVOKER)
        {
            final AgentInvoker invoker = new AgentInvoker(errorHandler, null, all);
            invoker.start();
            return new AgentThreads(List.of(), invoker);
        }
        final List<AgentRunner> runners = new ArrayList<>();
        if (mode == ThreadingMode.SHARED)
        {
            runners.add(new AgentRunner(idle.get(), errorHandler, null, all));
        }
        else
        {
            for (final Agent agent : agents)
            {
                runners.add(new AgentRunner(idle.get(), errorHandler, null, agent));
            }
        }
        for (final AgentRunner runner : runners)
        {
            AgentRunner.startOnThread(runner, threadFactory);
        }
        return new AgentThreads(List.copyOf(runners), null);
    }

    /**
     * @return what the caller drives with {@link AgentInvoker#invoke()} in {@link ThreadingMode#INVOKER}, else null.
     */
    public AgentInvoker invoker()
    {
        return invoker;
    }

    /**
     * @return false once closed, or when a duty thread has ended.
     */
    public boolean isRunning()
    {
        if (invoker != null)
        {
            return invoker.isRunning();
        }
        if (loopRunner != null)
        {
            return loopRunner.isRunning();
        }
        for (final AgentRunner runner : runners)
        {
            if (runner.isClosed() || (runner.thread() != null && !runner.thread().isAlive()))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Stops the threads (each agent's {@code onClose} runs on its own thread) or closes the invoker.
     */
    @Override
    public void close()
    {
        if (invoker != null)
        {
            invoker.close();
        }
        if (loopRunner != null)
        {
            loopRunner.close();
        }
        for (final AgentRunner runner : runners)
        {
            runner.close();
        }
    }
}
