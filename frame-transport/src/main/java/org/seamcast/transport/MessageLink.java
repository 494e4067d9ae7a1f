package org.seamcast.transport;

import io.netty.buffer.ByteBuf;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.transport.link.LinkAddress;

/**
 * An outbound link to one address (a relay, a multicast group) that carries encoded protocol messages. It owns its
 * connection, reconnects by itself, and never blocks the caller: a message that cannot go now is dropped and
 * counted.
 *
 * <p>Threading: {@link #offer} and {@link #flush} are called by one owner thread (a duty agent); the link copies
 * the bytes into what it sends (a TCP batch, a datagram, an Aeron term) and hands that to its I/O thread, so the
 * owner allocates nothing per message and keeps its own buffer.
 */
public interface MessageLink extends AutoCloseable
{
    LinkAddress address();

    /**
     * Queues a copy of one encoded message, {@code length} bytes of {@code buffer} from {@code offset}; the caller's
     * bytes are not needed once this returns. It goes out at the next {@link #flush} at the latest.
     *
     * @return false when it was dropped (not connected, back-pressured, too large for the transport), and counted.
     */
    boolean offer(DirectBuffer buffer, int offset, int length);

    /**
     * Queues the readable bytes of {@code message} and releases it: for control messages and tests that hold an
     * encoded {@link ByteBuf}; the hot paths offer their own bytes.
     */
    default boolean offer(final ByteBuf message)
    {
        try
        {
            return offer(ByteBufAccess.wrapReadable(new UnsafeBuffer(0, 0), message), 0, message.readableBytes());
        }
        finally
        {
            message.release();
        }
    }

    /**
     * Sends what was offered since the last flush (one syscall or datagram for several small messages); the owner
     * flushes after offering, as messages may wait for it.
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
