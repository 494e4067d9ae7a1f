package org.seamcast.transport;

import io.netty.buffer.ByteBuf;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The far end of an inbound connection or datagram source: named for logs and counters, and, for TCP, able to
 * carry messages back (a relay answers a SUBSCRIBE through it).
 *
 * <p>Threading: {@link #name()} and {@link #path()} from any thread; {@link #send} and {@link #flush} from one owner
 * thread (the agent that answers), which flushes after sending.
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
     * Sends a copy of one encoded message, {@code length} bytes of {@code buffer} from {@code offset}; never blocks,
     * and the caller's bytes are not needed once this returns. It goes out at the next {@link #flush} at the latest.
     *
     * @return false when the message was dropped (peer gone, too slow, or one-way transport), and counted.
     */
    boolean send(DirectBuffer buffer, int offset, int length);

    /**
     * Sends the readable bytes of {@code message} and releases it: for control messages and tests that hold an
     * encoded {@link ByteBuf}.
     */
    default boolean send(final ByteBuf message)
    {
        try
        {
            return send(ByteBufAccess.wrapReadable(new UnsafeBuffer(0, 0), message), 0, message.readableBytes());
        }
        finally
        {
            message.release();
        }
    }

    /**
     * Flushes messages sent since the last flush.
     */
    void flush();

    /**
     * Closes the connection, e.g. after a protocol violation.
     */
    void close();
}
