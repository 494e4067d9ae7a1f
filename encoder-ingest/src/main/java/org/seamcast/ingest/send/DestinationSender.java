package org.seamcast.ingest.send;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.transport.ByteBufAccess;
import org.seamcast.transport.MessageLink;

/**
 * Drains one destination's bounded queue into its link. Producers (any input thread) call {@link #enqueue}; the
 * agent's thread is the link's single owner, as {@link MessageLink} requires.
 */
final class DestinationSender implements Agent
{
    static final int DRAIN_LIMIT = 256;

    private final MessageLink link;
    private final ManyToOneConcurrentArrayQueue<ByteBuf> queue;
    private final Counter sent;
    private final Counter droppedQueueFull;
    private final Counter droppedByLink;
    private final String roleName;
    /** The message being offered, as the link reads it: agent thread only. */
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    DestinationSender(final MessageLink link, final int queueCapacityMessages, final MeterRegistry registry)
    {
        this.link = link;
        this.queue = new ManyToOneConcurrentArrayQueue<>(queueCapacityMessages);
        final String destination = link.address().toString();
        this.roleName = "ingest-sender-" + destination;
        sent = Counter.builder("seamcast.ingest.destination.messages").tag("destination", destination)
            .description("messages handed to the destination's link").register(registry);
        droppedQueueFull = Counter.builder("seamcast.ingest.destination.drops").tag("destination", destination)
            .tag("reason", "queue_full")
            .description("messages not sent to the destination: its queue was full, or its link refused them")
            .register(registry);
        droppedByLink = Counter.builder("seamcast.ingest.destination.drops").tag("destination", destination)
            .tag("reason", "link")
            .description("messages not sent to the destination: its queue was full, or its link refused them")
            .register(registry);
        Gauge.builder("seamcast.ingest.destination.queue.depth", queue, ManyToOneConcurrentArrayQueue::size)
            .tag("destination", destination)
            .description("messages waiting in the destination's queue").register(registry);
    }

    /**
     * Takes ownership of one reference of {@code message}.
     *
     * @return false when the queue was full: the message was released and counted.
     */
    boolean enqueue(final ByteBuf message)
    {
        if (!queue.offer(message))
        {
            message.release();
            droppedQueueFull.increment();
            return false;
        }
        return true;
    }

    @Override
    public int doWork()
    {
        int work = 0;
        ByteBuf message;
        while (work < DRAIN_LIMIT && null != (message = queue.poll()))
        {
            work++;
            final boolean offered = link.offer(ByteBufAccess.wrapReadable(view, message), 0, message.readableBytes());
            message.release();
            if (offered)
            {
                sent.increment();
            }
            else
            {
                droppedByLink.increment();
            }
        }
        if (work > 0)
        {
            link.flush();
        }
        return work;
    }

    @Override
    public void onClose()
    {
        ByteBuf message;
        while (null != (message = queue.poll()))
        {
            message.release();
        }
    }

    @Override
    public String roleName()
    {
        return roleName;
    }

    MessageLink link()
    {
        return link;
    }

    double queueFullDrops()
    {
        return droppedQueueFull.count();
    }

    double linkDrops()
    {
        return droppedByLink.count();
    }

    double sentMessages()
    {
        return sent.count();
    }
}
