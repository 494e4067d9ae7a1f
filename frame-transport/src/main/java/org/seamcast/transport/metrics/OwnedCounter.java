package org.seamcast.transport.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A count that one thread (an agent) increments on a hot path and any thread reads: an increment is a plain add and
 * an ordered store, where a Micrometer {@code Counter}'s is a compare-and-set on a {@code DoubleAdder} cell, which
 * showed as several per cent of a relay core's CPU at one increment per frame. Exposed as a
 * {@link FunctionCounter}, so {@code /metrics} shows it as any counter ({@code _total}).
 *
 * <p>Threading: {@link #increment} from the owner thread only; {@link #get} from any.
 */
public final class OwnedCounter
{
    private final AtomicLong value = new AtomicLong();
    private FunctionCounter meter;

    /**
     * Registers a new counter; cold path.
     */
    public static OwnedCounter register(
        final MeterRegistry registry, final String name, final String description, final Tags tags)
    {
        final OwnedCounter counter = new OwnedCounter();
        counter.meter = FunctionCounter.builder(name, counter, OwnedCounter::get).description(description).tags(tags)
            .register(registry);
        return counter;
    }

    /**
     * Counts one; owner thread only.
     */
    public void increment()
    {
        value.lazySet(value.get() + 1);
    }

    /**
     * The count so far; any thread.
     */
    public double get()
    {
        return value.get();
    }

    /**
     * The registered meter, e.g. to remove it from its registry.
     */
    public FunctionCounter meter()
    {
        return meter;
    }
}
