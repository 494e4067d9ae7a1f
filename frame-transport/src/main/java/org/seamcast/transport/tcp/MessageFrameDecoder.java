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
 * any more: the drop is counted and the connection closed. Each whole message goes to the {@link Sink} where it
 * lies in the cumulated bytes, not as a slice through the pipeline: no object per message. One instance per channel.
 */
final class MessageFrameDecoder extends ByteToMessageDecoder
{
    /**
     * Takes each whole message; the bytes are valid only during the call. Event loop only.
     */
    interface Sink
    {
        /**
         * @param in     the cumulated bytes; the message is {@code length} bytes from absolute {@code index}.
         */
        void onWholeMessage(ChannelHandlerContext ctx, ByteBuf in, int index, int length);
    }

    /**
     * Carries a partial message into the next read without letting the buffer grow: the partial message moves to
     * the front of its buffer when the read does not fit behind it, and only when it still does not fit are both
     * copied to a new buffer of their joint size. Netty's merging cumulator doubles the buffer instead, past the
     * size its pooled allocator keeps (see {@link TcpPipeline#MAX_READ_BYTES}).
     */
    static final Cumulator COMPACTING_CUMULATOR = (alloc, cumulation, in) ->
    {
        if (!cumulation.isReadable())
        {
            cumulation.release();
            return in;
        }
        try
        {
            final int incoming = in.readableBytes();
            if (cumulation.refCnt() == 1 && !cumulation.isReadOnly())
            {
                if (incoming > cumulation.writableBytes())
                {
                    cumulation.discardReadBytes();
                }
                if (incoming <= cumulation.writableBytes())
                {
                    cumulation.writeBytes(in);
                    return cumulation;
                }
            }
            final ByteBuf merged = alloc.ioBuffer(cumulation.readableBytes() + incoming);
            merged.writeBytes(cumulation).writeBytes(in);
            cumulation.release();
            return merged;
        }
        finally
        {
            in.release();
        }
    };

    private final LinkMetrics metrics;
    private final Sink sink;
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[Protocol.HEADER_LENGTH]);

    MessageFrameDecoder(final LinkMetrics metrics, final Sink sink)
    {
        this.metrics = metrics;
        this.sink = sink;
        setCumulator(COMPACTING_CUMULATOR);
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
            final int index = in.readerIndex();
            in.skipBytes(totalLength);
            sink.onWholeMessage(ctx, in, index, totalLength);
            if (!ctx.channel().isActive())
            {
                in.skipBytes(in.readableBytes());
                return;
            }
        }
    }
}
