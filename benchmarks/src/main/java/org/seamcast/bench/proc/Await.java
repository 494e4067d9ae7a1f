package org.seamcast.bench.proc;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a run's processes to get somewhere, failing with the reason (the condition, or the end of the log of
 * a process that died meanwhile) rather than hanging.
 */
final class Await
{
    private static final long POLL_MS = 100;

    private Await()
    {
    }

    static void until(
        final String what, final long timeoutMs, final List<NodeProcess> mustLive, final BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            for (final NodeProcess process : mustLive)
            {
                process.checkAlive();
            }
            if (condition.getAsBoolean())
            {
                return;
            }
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            sleepMs(POLL_MS);
        }
    }

    /**
     * Sleeps {@code ms} while checking every second that the processes still live.
     */
    static void sleepMs(final long ms, final List<NodeProcess> mustLive)
    {
        final long endNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        long leftNs;
        while ((leftNs = endNs - System.nanoTime()) > 0)
        {
            for (final NodeProcess process : mustLive)
            {
                process.checkAlive();
            }
            sleepMs(Math.min(1_000, TimeUnit.NANOSECONDS.toMillis(leftNs) + 1));
        }
    }

    static void sleepMs(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }
}
