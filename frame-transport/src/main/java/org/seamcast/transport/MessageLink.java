package org.seamcast.transport;

import io.netty.buffer.ByteBuf;
import org.seamcast.transport.link.LinkAddress;

/**
 * An outbound link to one address (a relay, a multicast group) that carries encoded protocol messages. It owns its
 * connection, reconnects by itself, and never blocks the caller: a message that cannot go now is dropped and
 * counted.
 *
 * <p>Threading: {@link #offer} and {@link #flush} are called by one owner thread (a duty agent); the link hands
 * the bytes to its I/O thread.
 */
public interface MessageLink extends AutoCloseable
{
    LinkAddress address();

    /**
     * Queues one encoded message, taking ownership of one reference of {@code message}.
     *
     * @return false when it was dropped (not connected, back-pressured, too large for the transport), and counted.
     */
    boolean offer(ByteBuf message);

    /**
     * Sends what was offered since the last flush (one syscall or datagram for several small messages).
     */
    void flush();

    /**
     * Whether the link can carry messages now (connected and, with a key, authenticated).
     */
    boolean isConnected();

    /**
     * Why the link is not connected, for health checks ({@code null} when it is).
     */
    String problem();

    @Override
    void close();
}
