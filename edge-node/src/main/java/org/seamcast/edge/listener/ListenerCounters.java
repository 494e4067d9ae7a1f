package org.seamcast.edge.listener;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-wide listener counts, safe to read from any thread.
 */
final class ListenerCounters
{
    final AtomicInteger listeners = new AtomicInteger();
    final AtomicLong droppedSlow = new AtomicLong();
    final AtomicLong redirected = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
}
