package org.seamcast.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;

/**
 * The counters of one link or endpoint, with stable names and a {@code path} tag: messages and bytes in and out,
 * drops by reason, reconnects, and for a dialled link whether it is up. Counters are registered once, so counting
 * on the hot path allocates nothing.
 *
 * <pre>
 *   seamcast_link_in_messages_total{path}     seamcast_link_in_bytes_total{path}
 *   seamcast_link_out_messages_total{path}    seamcast_link_out_bytes_total{path}
 *   seamcast_link_drops_total{path,reason}    seamcast_link_reconnects_total{path}
 *   seamcast_link_up{path}                    (dialled links only: 1 connected, 0 not)
 * </pre>
 */
public final class LinkMetrics
{
    private final MeterRegistry registry;
    private final String path;
    private final Counter messagesIn;
    private final Counter bytesIn;
    private final Counter messagesOut;
    private final Counter bytesOut;
    private final Counter reconnects;
    private final EnumMap<DropReason, Counter> drops = new EnumMap<>(DropReason.class);

    public LinkMetrics(final MeterRegistry registry, final String path)
    {
        this.registry = registry;
        this.path = path;
        messagesIn = Counter.builder("seamcast.link.in.messages")
            .description("valid protocol messages received on the link or listen address and handed to the node")
            .tag("path", path).register(registry);
        bytesIn = Counter.builder("seamcast.link.in.bytes").baseUnit("bytes")
            .description("bytes of the protocol messages received on the link or listen address")
            .tag("path", path).register(registry);
        messagesOut = Counter.builder("seamcast.link.out.messages")
            .description("protocol messages sent on the link")
            .tag("path", path).register(registry);
        bytesOut = Counter.builder("seamcast.link.out.bytes").baseUnit("bytes")
            .description("bytes of the protocol messages sent on the link")
            .tag("path", path).register(registry);
        reconnects = Counter.builder("seamcast.link.reconnects")
            .description("connections of a dialled link established again after the first")
            .tag("path", path).register(registry);
        for (final DropReason reason : DropReason.values())
        {
            drops.put(reason, Counter.builder("seamcast.link.drops")
                .description("messages dropped on the link, by reason (corrupt, unauthenticated, back-pressure, ...)")
                .tag("path", path).tag("reason", reason.tag()).register(registry));
        }
    }

    /**
     * Exports whether {@code link} is connected as {@code seamcast_link_up{path}}; for links this node dials.
     * The gauge holds the link weakly.
     */
    public void up(final MessageLink link)
    {
        Gauge.builder("seamcast.link.up", link, l -> l.isConnected() ? 1 : 0)
            .description("1 while the dialled link is connected (and authenticated), 0 while it reconnects")
            .tag("path", path).register(registry);
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
