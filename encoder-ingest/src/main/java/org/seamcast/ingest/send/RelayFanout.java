package org.seamcast.ingest.send;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import org.agrona.concurrent.Agent;
import org.seamcast.transport.MessageLink;

import java.util.ArrayList;
import java.util.List;

/**
 * Sends every message to every destination link, each through its own bounded queue, so that a dead or slow
 * relay never delays the others; a message that does not fit a destination's queue is dropped and counted for
 * that destination only ({@code seamcast.ingest.destination.drops{reason=queue_full}}), and one its link refuses
 * (not connected, back-pressured) under {@code reason=link}.
 *
 * <p>Threading: {@link #publish} may be called from any thread (the source server's I/O threads, pull and file
 * threads, the announce repeater); it never blocks and never allocates beyond one buffer duplicate per
 * destination. Each destination's queue is drained by one of the {@link #senders()}, agents the node runs as its
 * threading mode says; a sender is the only thread that touches its link.
 */
public final class RelayFanout implements AutoCloseable
{
    private final List<DestinationSender> senders = new ArrayList<>();
    private final Counter published;

    /**
     * Makes one sender per link; they send nothing until run.
     *
     * @param links                 the destinations; closed with the fanout.
     * @param queueCapacityMessages bound of each destination's queue (rounded up to a power of two).
     * @param registry              for the per-destination counters.
     */
    public RelayFanout(final List<MessageLink> links, final int queueCapacityMessages, final MeterRegistry registry)
    {
        published = Counter.builder("seamcast.ingest.messages.published")
            .description("messages offered to the fanout (each goes to every destination)").register(registry);
        for (final MessageLink link : links)
        {
            senders.add(new DestinationSender(link, queueCapacityMessages, registry));
        }
    }

    /**
     * @return one agent per destination, in the order of the links, each draining its queue into its link; closing
     * one releases what is still queued.
     */
    public List<Agent> senders()
    {
        return List.copyOf(senders);
    }
    /**
     * Queues {@code message} for every destination, taking ownership of one reference of it.
     *
     * @return how many destinations' queues took it.
     */
    public int publish(final ByteBuf message)
    {
        published.increment();
        int queued = 0;
        try
        {
            for (int i = 0, n = senders.size(); i < n; i++)
            {
                if (senders.get(i).enqueue(message.retainedDuplicate()))
                {
                    queued++;
                }
            }
        }
        finally
        {
            message.release();
        }
        return queued;
    }

    /**
     * @return the links, in the order given.
     */
    public List<MessageLink> links()
    {
        final List<MessageLink> links = new ArrayList<>(senders.size());
        for (final DestinationSender sender : senders)
        {
            links.add(sender.link());
        }
        return links;
    }

    /**
     * @return messages dropped for destination {@code index} because its queue was full.
     */
    public long queueFullDrops(final int index)
    {
        return (long)senders.get(index).queueFullDrops();
    }

    /**
     * @return messages destination {@code index}'s link refused.
     */
    public long linkDrops(final int index)
    {
        return (long)senders.get(index).linkDrops();
    }

    /**
     * @return messages handed to destination {@code index}'s link.
     */
    public long sent(final int index)
    {
        return (long)senders.get(index).sentMessages();
    }

    /**
     * Closes the links; the senders must be closed first.
     */
    @Override
    public void close()
    {
        for (final DestinationSender sender : senders)
        {
            sender.link().close();
        }
    }
}
