package org.seamcast.transport.udp;

import org.agrona.DirectBuffer;
import org.seamcast.codec.protocol.DecodeResult;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.Protocol;
import org.seamcast.transport.DropReason;
import org.seamcast.transport.LinkMetrics;
import org.seamcast.transport.MessageHandler;
import org.seamcast.transport.Peer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates the messages packed into one datagram (UDP, or an Aeron message) one after another and hands each to
 * the handler. The first message that fails validation is counted by reason and ends the datagram, since the
 * lengths after it cannot be trusted; a datagram over {@value Protocol#MAX_DATAGRAM_LENGTH} bytes is dropped whole.
 * One instance per receiving thread (it holds the decoder).
 */
public final class DatagramDispatcher
{
    private static final Logger LOG = LoggerFactory.getLogger(DatagramDispatcher.class);

    private final String path;
    private final LinkMetrics metrics;
    private final MessageDecoder decoder;
    private final MessageHandler handler;

    public DatagramDispatcher(
        final String path, final LinkMetrics metrics, final MessageDecoder decoder, final MessageHandler handler)
    {
        this.path = path;
        this.metrics = metrics;
        this.decoder = decoder;
        this.handler = handler;
    }

    /**
     * Dispatches every valid message in {@code buffer[offset, offset + length)}.
     */
    public void dispatch(final DirectBuffer buffer, final int offset, final int length, final Peer from)
    {
        if (length > Protocol.MAX_DATAGRAM_LENGTH)
        {
            metrics.dropped(DropReason.OVERSIZED);
            return;
        }
        final int end = offset + length;
        int position = offset;
        while (position < end)
        {
            final DecodeResult result = decoder.decode(buffer, position, end - position);
            if (result != DecodeResult.OK)
            {
                metrics.dropped(DropReason.of(result));
                return;
            }
            final int messageLength = decoder.messageLength();
            metrics.received(messageLength);
            try
            {
                handler.onMessage(decoder, buffer, position, messageLength, from);
            }
            catch (final RuntimeException ex)
            {
                metrics.dropped(DropReason.HANDLER_ERROR);
                LOG.warn("handler failed on a message from {} on {}", from.name(), path, ex);
            }
            position += messageLength;
        }
    }
}
