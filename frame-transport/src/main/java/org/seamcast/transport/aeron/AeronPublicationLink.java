package org.seamcast.transport.aeron;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import org.agrona.DirectBuffer;
import org.seamcast.codec.protocol.Protocol;
import org.seamcast.transport.DropReason;
import org.seamcast.transport.LinkMetrics;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.LinkScheme;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An outbound Aeron link: reliable unicast to {@code aeron+udp://host:port}, or multicast to
 * {@code mcast://group:port?interface=ADDR&ttl=N}. One {@link ExclusivePublication} carries every mount; each
 * offered message becomes one Aeron message (fragmented by Aeron when above its MTU payload, reassembled by
 * {@link AeronReceiver}). Aeron retransmits lost packets while they are still in its term buffer.
 *
 * <p>Nothing waits: a message larger than {@value Protocol#MAX_DATAGRAM_LENGTH} bytes is dropped as
 * {@link DropReason#OVERSIZED}; while no subscriber is connected messages are dropped as
 * {@link DropReason#NOT_CONNECTED}; back pressure (the slowest receiver's window is full) or an administrative
 * action (term rotation) drops as {@link DropReason#BACKPRESSURE}. All counted.
 *
 * <p>Threading: {@link #offer} and {@link #flush} are called by one owner thread; the media driver's thread sends.
 */
public final class AeronPublicationLink implements MessageLink
{
    /**
     * Offers retried when Aeron answers {@code ADMIN_ACTION}: the term buffer rotated (or the publication was busy
     * with other housekeeping) during the offer, which Aeron says to retry at once. Counted as back-pressure and
     * dropped, it lost a message at every term rotation: one every 8 s on a single 128 kbit/s stream.
     */
    static final int MAX_ADMIN_ACTION_RETRIES = 3;

    private static final Logger LOG = LoggerFactory.getLogger(AeronPublicationLink.class);

    private final LinkAddress address;
    private final AeronMedia media;
    private final ExclusivePublication publication;
    private final LinkMetrics metrics;
    private volatile boolean closed;

    private AeronPublicationLink(
        final LinkAddress address, final AeronMedia media, final ExclusivePublication publication,
        final LinkMetrics metrics)
    {
        this.address = address;
        this.media = media;
        this.publication = publication;
        this.metrics = metrics;
    }

    /**
     * Adds the publication through the node's {@link AeronMedia} (starting it if this is its first user).
     *
     * @throws IllegalArgumentException for an address Aeron cannot publish to (scheme, port 0, even group).
     */
    public static AeronPublicationLink open(final TransportContext ctx, final LinkAddress address)
    {
        if (address.scheme() != LinkScheme.AERON_UDP && address.scheme() != LinkScheme.MULTICAST)
        {
            throw new IllegalArgumentException("AeronPublicationLink cannot send to " + address);
        }
        address.requireDestination();
        final String channel = AeronChannels.publication(address);
        final AeronMedia media = AeronMedia.acquire(ctx);
        try
        {
            final ExclusivePublication publication =
                media.aeron().addExclusivePublication(channel, AeronChannels.STREAM_ID);
            final AeronPublicationLink link = new AeronPublicationLink(
                address, media, publication, new LinkMetrics(ctx.registry(), address.toString()));
            link.metrics.up(link);
            return link;
        }
        catch (final RuntimeException ex)
        {
            media.release();
            throw new IllegalStateException("cannot publish to " + address + " (" + channel + "): " + ex.getMessage(),
                ex);
        }
    }

    @Override
    public LinkAddress address()
    {
        return address;
    }

    @Override
    public boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed)
        {
            metrics.dropped(DropReason.NOT_CONNECTED);
            return false;
        }
        if (length > Protocol.MAX_DATAGRAM_LENGTH)
        {
            metrics.dropped(DropReason.OVERSIZED);
            return false;
        }
        long result = publication.offer(buffer, offset, length);
        for (int retry = 0; result == Publication.ADMIN_ACTION && retry < MAX_ADMIN_ACTION_RETRIES; retry++)
        {
            result = publication.offer(buffer, offset, length); // the term rotated under the offer: try again
        }
        if (result > 0)
        {
            metrics.sent(length);
            return true;
        }
        if (result == Publication.NOT_CONNECTED || result == Publication.CLOSED)
        {
            metrics.dropped(DropReason.NOT_CONNECTED);
        }
        else
        {
            if (result == Publication.MAX_POSITION_EXCEEDED)
            {
                LOG.warn("publication to {} reached its maximum position; recreate the link", address);
            }
            metrics.dropped(DropReason.BACKPRESSURE);
        }
        return false;
    }

    /**
     * Nothing to do: the media driver sends as soon as a message is in the term buffer.
     */
    @Override
    public void flush()
    {
    }

    /**
     * True while at least one subscriber (for multicast, any receiver in the group) acknowledges the publication.
     */
    @Override
    public boolean isConnected()
    {
        return !closed && publication.isConnected();
    }

    @Override
    public String problem()
    {
        if (closed)
        {
            return "closed";
        }
        return publication.isConnected() ? null : "no Aeron subscriber connected on " + address;
    }

    public LinkMetrics metrics()
    {
        return metrics;
    }

    /**
     * The term buffer length the driver gave the publication (three terms make its log).
     */
    public int termBufferLengthBytes()
    {
        return publication.termBufferLength();
    }

    /**
     * The Aeron session id of the publication, as receivers see it.
     */
    public int sessionId()
    {
        return publication.sessionId();
    }

    /**
     * Closes the publication and gives back the node's media; idempotent. Call from the owner thread.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        publication.close();
        media.release();
    }
}
