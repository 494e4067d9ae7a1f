package org.seamcast.edge.node;

import org.seamcast.transport.InboundEndpoint;
import org.seamcast.transport.MessageLink;

import java.util.concurrent.TimeUnit;

/**
 * One way frames reach the edge, numbered as the engine's path id: a relay it subscribes to over TCP, a relay it
 * dials over TCP only to ask for frames other paths lost (no subscription, so nothing flows unless asked for), or an
 * endpoint it listens on where a relay forwards (UDP, Aeron unicast, a multicast group). The first two can carry
 * SUBSCRIBE and RETRANSMIT_REQUEST; a listening path is up while it has been heard from recently.
 *
 * <p>Threading: read by the playout thread and the admin thread; the link and endpoint are thread-safe for what
 * is asked of them here.
 */
final class EdgePath
{
    /** A listening path that has carried nothing (not even a heartbeat) for this long is down. */
    static final long LISTEN_LIVENESS_NS = TimeUnit.SECONDS.toNanos(3);

    /** How frames come over the path. */
    enum Kind
    {
        /** TCP to a relay, subscribed: every frame of the mounts played. */
        SUBSCRIBED,
        /** TCP to a relay, not subscribed: retransmit requests and their answers only. */
        REPAIR,
        /** A UDP, Aeron or multicast endpoint the edge listens on, fed by a relay's forward. */
        LISTENING
    }

    private final int id;
    private final Kind kind;
    private final String address;
    private final MessageLink link;
    private final InboundEndpoint endpoint;

    private EdgePath(final int id, final Kind kind, final String address, final MessageLink link,
        final InboundEndpoint endpoint)
    {
        this.id = id;
        this.kind = kind;
        this.address = address;
        this.link = link;
        this.endpoint = endpoint;
    }

    static EdgePath dialled(final int id, final Kind kind, final MessageLink link)
    {
        return new EdgePath(id, kind, link.address().toString(), link, null);
    }

    static EdgePath listening(final int id, final InboundEndpoint endpoint)
    {
        return new EdgePath(id, Kind.LISTENING, endpoint.path(), null, endpoint);
    }

    int id()
    {
        return id;
    }

    Kind kind()
    {
        return kind;
    }

    String address()
    {
        return address;
    }

    /** @return the TCP link, or null for a listening path. */
    MessageLink link()
    {
        return link;
    }

    /** @return whether RETRANSMIT_REQUEST (and SUBSCRIBE) can go out over this path now. */
    boolean canAsk()
    {
        return link != null && link.isConnected();
    }

    /**
     * @param lastHeardNs when the path last delivered a message (0 for never).
     * @param nowNs       the clock.
     * @return whether the path is up: connected, or heard from within {@link #LISTEN_LIVENESS_NS}.
     */
    boolean isUp(final long lastHeardNs, final long nowNs)
    {
        return link != null ? link.isConnected() : lastHeardNs != 0 && nowNs - lastHeardNs <= LISTEN_LIVENESS_NS;
    }

    /**
     * @return why the path is down, for status and health, or null when it is up.
     */
    String problem(final long lastHeardNs, final long nowNs)
    {
        if (isUp(lastHeardNs, nowNs))
        {
            return null;
        }
        if (link != null)
        {
            return link.problem();
        }
        return lastHeardNs == 0 ? "nothing received on " + address
            : "nothing received on " + address + " for " + (nowNs - lastHeardNs) / 1_000_000 + " ms";
    }

    /** Closes the link or endpoint; idempotent. */
    void close()
    {
        if (link != null)
        {
            link.close();
        }
        if (endpoint != null)
        {
            endpoint.close();
        }
    }
}
