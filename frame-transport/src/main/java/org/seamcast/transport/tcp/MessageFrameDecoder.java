package org.seamcast.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.protocol.DecodeResult;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.Protocol;
import org.seamcast.transport.DropReason;
import org.seamcast.transport.LinkMetrics;

import java.util.List;

/**
 * Cuts a TCP byte stream into whole protocol messages using the length in each message's own header, so no extra
 * prefix is needed on the wire.
 *
 * <pre>
 *   | 'S' 'C' | ver | type | flags (2) | total length (2, LE) | body ... | trailer |
 *   |&lt;------------------------- total length ------------------------------------&gt;|
 * </pre>
 *
 * A header with the wrong magic or version, or a length outside
 * {@value Protocol#MIN_MESSAGE_LENGTH}..{@value Protocol#MAX_MESSAGE_LENGTH}, means the stream cannot be trusted
 * any more: the drop is counted and the connection closed. One instance per channel.
 */
final class MessageFrameDecoder extends ByteToMessageDecoder
{
    private final LinkMetrics metrics;
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[Protocol.HEADER_LENGTH]);

    MessageFrameDecoder(final LinkMetrics metrics)
    {
        this.metrics = metrics;
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        while (in.readableBytes() >= Protocol.HEADER_LENGTH)
        {
            in.getBytes(in.readerIndex(), header.byteArray());
            final DecodeResult result = MessageDecoder.checkHeader(header, 0);
            if (result != DecodeResult.OK)
            {
                metrics.dropped(DropReason.of(result));
                in.skipBytes(in.readableBytes());
                ctx.close();
                return;
            }
            final int totalLength = MessageDecoder.totalLength(header, 0);
            if (in.readableBytes() < totalLength)
            {
                return;
            }
            out.add(in.readRetainedSlice(totalLength));
        }
    }
}
