package org.seamcast.transport;

import io.netty.buffer.ByteBuf;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Points an Agrona {@link UnsafeBuffer} at the bytes of a Netty {@link ByteBuf} without copying, so the protocol
 * codec (written against Agrona buffers) reads and writes Netty's pooled memory directly.
 */
public final class ByteBufAccess
{
    private ByteBufAccess()
    {
    }

    /**
     * Wraps {@code length} bytes of {@code buf} from absolute {@code index} into {@code view}.
     *
     * @throws IllegalArgumentException for a composite buffer with neither a memory address nor an array.
     */
    public static UnsafeBuffer wrap(final UnsafeBuffer view, final ByteBuf buf, final int index, final int length)
    {
        if (buf.hasMemoryAddress())
        {
            view.wrap(buf.memoryAddress() + index, length);
        }
        else if (buf.hasArray())
        {
            view.wrap(buf.array(), buf.arrayOffset() + index, length);
        }
        else if (buf.nioBufferCount() == 1)
        {
            view.wrap(buf.nioBuffer(index, length));
        }
        else
        {
            throw new IllegalArgumentException("cannot view " + buf.getClass().getSimpleName() + " without copying");
        }
        return view;
    }

    /**
     * Wraps the readable bytes of {@code buf}.
     */
    public static UnsafeBuffer wrapReadable(final UnsafeBuffer view, final ByteBuf buf)
    {
        return wrap(view, buf, buf.readerIndex(), buf.readableBytes());
    }
}
