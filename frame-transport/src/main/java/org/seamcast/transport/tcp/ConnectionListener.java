package org.seamcast.transport.tcp;

import org.seamcast.transport.Peer;

/**
 * Told when a TCP connection has completed its handshake and when it closes, on the connection's I/O thread.
 */
public interface ConnectionListener
{
    ConnectionListener NONE = new ConnectionListener()
    {
    };

    /**
     * The peer may now send and receive audio (e.g. an edge sends its SUBSCRIBE here).
     */
    default void onEstablished(final Peer peer)
    {
    }

    /**
     * The connection closed, for whatever reason.
     */
    default void onClosed(final Peer peer)
    {
    }
}
