package org.seamcast.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.protocol.CodecType;
import org.seamcast.codec.protocol.FrameEncoder;
import org.seamcast.codec.protocol.MessageAuthenticator;
import org.seamcast.codec.protocol.MountName;

/**
 * Encoded FRAME messages with recognisable payloads, for link tests.
 */
public final class TestMessages
{
    public static final MountName MOUNT = MountName.of("/live");

    private TestMessages()
    {
    }

    public static ByteBuf frame(final long sequence)
    {
        return frame(MOUNT, sequence, null);
    }

    public static ByteBuf frame(final MountName mount, final long sequence, final MessageAuthenticator signer)
    {
        final byte[] payload = payload(sequence);
        final ByteBuf buf = Unpooled.directBuffer(1024);
        final int length = new FrameEncoder()
            .wrap(ByteBufAccess.wrap(new UnsafeBuffer(0, 0), buf, 0, buf.capacity()), 0, mount)
            .encoderId(1).priority(0).epoch(42).sequence(sequence).timestampUs(1_000_000L + sequence * 26_122)
            .codec(CodecType.MP3).sampleRate(44_100).samplesInFrame(1152).cleanSwitch(true)
            .payload(payload, 0, payload.length)
            .finish(signer);
        buf.writerIndex(length);
        return buf;
    }

    /**
     * The payload of the frame with {@code sequence}: 418 bytes, like a 128 kbit/s MP3 frame, none alike.
     */
    public static byte[] payload(final long sequence)
    {
        final byte[] payload = new byte[418];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)(sequence * 31 + i * 7 + (i >> 3));
        }
        return payload;
    }

    public static byte[] bytes(final ByteBuf buf)
    {
        final byte[] bytes = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), bytes);
        return bytes;
    }
}
