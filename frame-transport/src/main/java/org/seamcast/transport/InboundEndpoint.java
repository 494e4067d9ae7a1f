package org.seamcast.transport;

/**
 * Where a node receives messages from others on one address: a TCP server, a UDP socket, an Aeron subscription.
 * Every message it hands on has been validated; what failed is counted in {@link #metrics()} under {@link #path()}.
 */
public interface InboundEndpoint extends AutoCloseable
{
    /**
     * The port actually bound (useful after listening on port 0), or the configured port for a multicast group.
     */
    int localPort();

    /**
     * The counters of this endpoint: messages and bytes in, drops by reason.
     */
    LinkMetrics metrics();

    /**
     * The normalised listen URL, e.g. {@code udp://0.0.0.0:9001}; the {@code path} tag of its counters.
     */
    String path();

    /**
     * Stops receiving and releases the socket or subscription; idempotent.
     */
    @Override
    void close();
}
