package org.seamcast.transport;

import io.netty.buffer.ByteBuf;

/**
 * The far end of an inbound connection or datagram source: named for logs and counters, and, for TCP, able to
 * carry messages back (a relay answers a SUBSCRIBE through it).
 */
public interface Peer
{
    /**
     * The peer's node name from its handshake, or its address when it has none (UDP).
     */
    String name();

    /**
     * The path the message came over, e.g. {@code tcp://0.0.0.0:9001}, for per-path counters.
     */
    String path();

    /**
     * Sends one encoded message, taking ownership of one reference of {@code message}; never blocks.
     *
     * @return false when the message was dropped (peer gone, too slow, or one-way transport), and counted.
     */
    boolean send(ByteBuf message);

    /**
     * Flushes messages sent since the last flush.
     */
    void flush();

    /**
     * Closes the connection, e.g. after a protocol violation.
     */
    void close();
}
