package org.seamcast.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;

/**
 * The counters of one link or endpoint, with stable names and a {@code path} tag: messages and bytes in and out,
 * drops by reason, reconnects. Counters are registered once, so counting on the hot path allocates nothing.
 */
public final class LinkMetrics
{
    private final Counter messagesIn;
    private final Counter bytesIn;
    private final Counter messagesOut;
    private final Counter bytesOut;
    private final Counter reconnects;
    private final EnumMap<DropReason, Counter> drops = new EnumMap<>(DropReason.class);

    public LinkMetrics(final MeterRegistry registry, final String path)
    {
        messagesIn = Counter.builder("seamcast.link.messages.in").tag("path", path).register(registry);
        bytesIn = Counter.builder("seamcast.link.bytes.in").tag("path", path).baseUnit("bytes").register(registry);
        messagesOut = Counter.builder("seamcast.link.messages.out").tag("path", path).register(registry);
        bytesOut = Counter.builder("seamcast.link.bytes.out").tag("path", path).baseUnit("bytes").register(registry);
        reconnects = Counter.builder("seamcast.link.reconnects").tag("path", path).register(registry);
        for (final DropReason reason : DropReason.values())
        {
            drops.put(reason, Counter.builder("seamcast.link.drops")
                .tag("path", path).tag("reason", reason.tag()).register(registry));
        }
    }

    public void received(final int bytes)
    {
        messagesIn.increment();
        bytesIn.increment(bytes);
    }

    public void sent(final int bytes)
    {
        messagesOut.increment();
        bytesOut.increment(bytes);
    }

    public void dropped(final DropReason reason)
    {
        drops.get(reason).increment();
    }

    public void reconnected()
    {
        reconnects.increment();
    }

    public double drops(final DropReason reason)
    {
        return drops.get(reason).count();
    }

    public double messagesIn()
    {
        return messagesIn.count();
    }

    public double messagesOut()
    {
        return messagesOut.count();
    }

    public double reconnects()
    {
        return reconnects.count();
    }
}
