package org.seamcast.transport.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A count that one thread (an agent) increments on a hot path and any thread reads: an increment is a plain add and
 * an ordered store, where a Micrometer {@code Counter}'s is a compare-and-set on a {@code DoubleAdder} cell, which
 * showed as several per cent of a relay core's CPU at one increment per frame. Exposed as a
 * {@link FunctionCounter}, so {@code /metrics} shows it as any counter ({@code _total}). The count is a field of the
 * counter itself, so an increment touches one object (an {@code AtomicLong} inside it was a second cold line per
 * frame at hundreds of streams).
 *
 * <p>Threading: {@link #increment} from the owner thread only; {@link #get} from any.
 */
public final class OwnedCounter
{
    private static final VarHandle VALUE;

    static
    {
        try
        {
            VALUE = MethodHandles.lookup().findVarHandle(OwnedCounter.class, "value", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private volatile long value;
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
        VALUE.setRelease(this, value + 1);
    }

    /**
     * The count so far; any thread.
     */
    public double get()
    {
        return value;
    }

    /**
     * The registered meter, e.g. to remove it from its registry.
     */
    public FunctionCounter meter()
    {
        return meter;
    }
}
