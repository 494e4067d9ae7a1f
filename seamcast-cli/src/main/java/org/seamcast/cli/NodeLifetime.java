package org.seamcast.cli;

import java.util.concurrent.CountDownLatch;

/**
 * Keeps a node running until SIGTERM or Ctrl-C, then closes it so links are closed and buffers flushed before the
 * JVM exits with status 0.
 */
final class NodeLifetime
{
    private NodeLifetime()
    {
    }

    static int runUntilShutdown(final AutoCloseable node)
    {
        final CountDownLatch closed = new CountDownLatch(1);
        final Thread hook = new Thread(() ->
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
            }
        }, "seamcast-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            closed.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
