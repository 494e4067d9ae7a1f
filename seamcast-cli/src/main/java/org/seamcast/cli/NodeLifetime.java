package org.seamcast.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a node running until {@link #stop()} or SIGTERM/Ctrl-C, then closes it so links are closed and buffers
 * flushed; on a signal the process then exits with status 0, since a clean stop asked for by the operator is
 * success (the JVM would otherwise report 143).
 */
final class NodeLifetime
{
    /** How long a signal waits for the node to close before the process ends anyway. */
    static final long CLOSE_TIMEOUT_MS = 15_000;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onSignal, "seamcast-shutdown");

    /**
     * Installs the signal hook; call before the node starts serving.
     */
    NodeLifetime()
    {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Whether a stop was asked for, waiting at most {@code timeoutMs}.
     */
    boolean awaitStop(final long timeoutMs) throws InterruptedException
    {
        return stopRequested.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Blocks until a stop is asked for, closes {@code node}, and returns the exit status 0.
     */
    int runUntilStopped(final AutoCloseable node)
    {
        try
        {
            stopRequested.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return close(node);
    }

    /**
     * Closes {@code node} (once the caller's own loop has ended) and releases a waiting signal.
     */
    int close(final AutoCloseable node)
    {
        try
        {
            node.close();
        }
        catch (final Exception ex)
        {
            System.err.println("seamcast: error while closing: " + ex);
        }
        finally
        {
            closed.countDown();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException shuttingDown)
            {
                // the hook is running: it waits for this close, then ends the process with status 0
            }
        }
        return 0;
    }

    /**
     * Asks the node to stop and waits for it to close (for tests running a command in-process, and for signals).
     */
    void stop()
    {
        stopRequested.countDown();
        try
        {
            closed.await(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void onSignal()
    {
        stop();
        Runtime.getRuntime().halt(0);
    }
}
