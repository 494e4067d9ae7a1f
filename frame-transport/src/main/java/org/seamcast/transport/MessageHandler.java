package org.seamcast.transport;

import org.agrona.DirectBuffer;
import org.seamcast.codec.protocol.MessageDecoder;

/**
 * Receives every message a link has validated (framing, CRC, MAC, field bounds). Called on the link's I/O thread;
 * the decoder's views and the bytes are valid only during the call, so a handler that keeps anything copies it.
 */
@FunctionalInterface
public interface MessageHandler
{
    /**
     * @param message the decoded message: {@code message.type()}, {@code message.frame()} and so on.
     * @param buffer  the message's bytes, e.g. to forward them unchanged.
     * @param offset  of the first byte in {@code buffer}.
     * @param length  of the whole message.
     * @param from    the connection or link it came from; a TCP peer can be answered through it.
     */
    void onMessage(MessageDecoder message, DirectBuffer buffer, int offset, int length, Peer from);
}
