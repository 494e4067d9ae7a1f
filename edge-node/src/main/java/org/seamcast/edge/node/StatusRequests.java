package org.seamcast.edge.node;

import org.seamcast.transport.AgentWakeup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Asks the playout thread for a status snapshot only when someone reads one: a reader (the admin endpoint, a
 * metrics scrape, the demo's console) that finds the last snapshot older than {@link #FRESH_NS} posts a request and
 * waits for the playout thread to render; the playout thread checks for a request once per duty cycle. An edge
 * nobody watches renders nothing, where rendering on a timer cost most of its allocation.
 *
 * <p>Threading: {@link #awaitFresh} from any thread; {@link #isRequested} and {@link #rendered} from the playout
 * thread only. A reader that is itself the thread stepping the playout agent ({@code INVOKER} mode) gets the previous
 * snapshot after {@link #WAIT_MS}.
 */
final class StatusRequests
{
    /** A snapshot younger than this is served as it is. */
    static final long FRESH_NS = TimeUnit.MILLISECONDS.toNanos(250);
    /** How long a reader waits for the playout thread before it takes the previous snapshot. */
    static final long WAIT_MS = 1_000;

    /** A posted request and when its readers stop waiting for it (System.nanoTime). */
    private record Request(CompletableFuture<Void> rendered, long giveUpNs)
    {
    }

    private final AtomicReference<Request> pending = new AtomicReference<>();
    private final AgentWakeup wakeup;
    private volatile long renderedAtNs;
    private volatile boolean everRendered;

    /**
     * @param wakeup wakes the playout thread when a request is posted.
     */
    StatusRequests(final AgentWakeup wakeup)
    {
        this.wakeup = wakeup;
    }

    /**
     * Returns once a snapshot younger than {@link #FRESH_NS} is published, or when the playout thread has not answered
     * a request within {@link #WAIT_MS} of its posting (the last snapshot stays what is read). Readers of one request
     * share its wait: a scrape that reads many gauges waits at most {@link #WAIT_MS} in all, not that per gauge.
     */
    void awaitFresh()
    {
        if (everRendered && System.nanoTime() - renderedAtNs < FRESH_NS)
        {
            return;
        }
        Request request = pending.get();
        if (request == null)
        {
            final Request mine = new Request(
                new CompletableFuture<>(), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS));
            request = pending.compareAndExchange(null, mine);
            if (request == null)
            {
                request = mine;
                wakeup.wake();
            }
        }
        final long waitNs = request.giveUpNs() - System.nanoTime();
        if (waitNs <= 0)
        {
            return;
        }
        try
        {
            request.rendered().get(waitNs, TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final TimeoutException | ExecutionException ex)
        {
            // the previous snapshot is served
        }
    }

    /**
     * @return true when a reader waits for a snapshot. Playout thread, once per duty cycle.
     */
    boolean isRequested()
    {
        return pending.get() != null;
    }

    /**
     * A snapshot was just published: the waiting readers go on. Playout thread.
     */
    void rendered()
    {
        renderedAtNs = System.nanoTime();
        everRendered = true;
        final Request request = pending.getAndSet(null);
        if (request != null)
        {
            request.rendered().complete(null);
        }
    }
}
