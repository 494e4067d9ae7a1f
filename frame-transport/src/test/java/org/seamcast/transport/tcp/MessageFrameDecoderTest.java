package org.seamcast.transport.tcp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.seamcast.transport.DropReason;
import org.seamcast.transport.LinkMetrics;
import org.seamcast.transport.TestMessages;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class MessageFrameDecoderTest
{
    private final LinkMetrics metrics = new LinkMetrics(new SimpleMeterRegistry(), "tcp://test:1");
    private final List<byte[]> out = new ArrayList<>();
    private final MessageFrameDecoder.Sink collect = (ctx, in, index, length) ->
    {
        final byte[] message = new byte[length];
        in.getBytes(index, message);
        out.add(message);
    };

    private EmbeddedChannel channel()
    {
        return new EmbeddedChannel(new MessageFrameDecoder(metrics, collect));
    }

    @Test
    void shouldYieldTheSameMessagesWhateverTheByteStreamIsSplitAt()
    {
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        final List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            final ByteBuf frame = TestMessages.frame(i);
            messages.add(TestMessages.bytes(frame));
            stream.writeBytes(TestMessages.bytes(frame));
            frame.release();
        }
        final byte[] bytes = stream.toByteArray();

        for (int first = 1; first < bytes.length; first++)
        {
            for (final int second : new int[] {first, Math.min(bytes.length - 1, first + 1), bytes.length - 1})
            {
                if (second < first)
                {
                    continue;
                }
                out.clear();
                final EmbeddedChannel channel = channel();
                // copies: the decoder owns what it is given, as it owns a socket read, and may compact it in place
                channel.writeInbound(Unpooled.copiedBuffer(bytes, 0, first));
                channel.writeInbound(Unpooled.copiedBuffer(bytes, first, second - first));
                channel.writeInbound(Unpooled.copiedBuffer(bytes, second, bytes.length - second));
                assertThat(out).as("split at %d and %d", first, second).containsExactlyElementsOf(messages);
                assertThat((Object)channel.readInbound()).isNull();
                assertThat(channel.finish()).isFalse();
            }
        }
    }

    @Test
    void shouldYieldMessagesFedOneByteAtATime()
    {
        final ByteBuf frame = TestMessages.frame(7);
        final byte[] bytes = TestMessages.bytes(frame);
        frame.release();
        final EmbeddedChannel channel = channel();

        for (final byte b : bytes)
        {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }

        assertThat(out).containsExactly(bytes);
    }

    @Test
    void shouldYieldEveryMessageOfALongStreamReadInChunksOfAnySizeUpToTheLargestRead()
    {
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        final List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 400; i++)
        {
            final ByteBuf frame = TestMessages.frame(i);
            messages.add(TestMessages.bytes(frame));
            stream.writeBytes(TestMessages.bytes(frame));
            frame.release();
        }
        final byte[] bytes = stream.toByteArray();
        final Random random = new Random(42);
        final EmbeddedChannel channel = channel();

        for (int at = 0; at < bytes.length; )
        {
            final int n = Math.min(bytes.length - at, 1 + random.nextInt(TcpPipeline.MAX_READ_BYTES));
            final ByteBuf read = Unpooled.buffer(n, n); // a socket read fills a buffer of its own size
            read.writeBytes(bytes, at, n);
            channel.writeInbound(read);
            at += n;
        }

        assertThat(out).containsExactlyElementsOf(messages);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void shouldCarryAPartialMessageIntoTheNextReadWithoutGrowingPastTheBytesItHolds()
    {
        final Random random = new Random(7);
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        final ByteArrayOutputStream consumed = new ByteArrayOutputStream();
        ByteBuf cumulation = Unpooled.EMPTY_BUFFER;
        byte next = 0;
        for (int r = 0; r < 2_000; r++)
        {
            final int n = 1 + random.nextInt(TcpPipeline.MAX_READ_BYTES);
            final ByteBuf read = Unpooled.buffer(n, n);
            for (int i = 0; i < n; i++)
            {
                expected.write(next);
                read.writeByte(next++);
            }
            final int held = cumulation.readableBytes();
            final int capacityBefore = cumulation.capacity();

            cumulation = MessageFrameDecoder.COMPACTING_CUMULATOR.cumulate(
                UnpooledByteBufAllocator.DEFAULT, cumulation, read);

            assertThat(cumulation.readableBytes()).isEqualTo(held + n);
            assertThat(cumulation.capacity()).as("read %d", r).isLessThanOrEqualTo(Math.max(capacityBefore, held + n));
            final byte[] taken = new byte[random.nextInt(cumulation.readableBytes() + 1)];
            cumulation.readBytes(taken);
            consumed.writeBytes(taken);
        }
        final byte[] rest = new byte[cumulation.readableBytes()];
        cumulation.readBytes(rest);
        consumed.writeBytes(rest);
        cumulation.release();

        assertThat(consumed.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void shouldStopAtAMessageAfterWhichTheSinkClosedTheChannel()
    {
        final List<byte[]> taken = new ArrayList<>();
        final EmbeddedChannel channel = new EmbeddedChannel(new MessageFrameDecoder(metrics, (ctx, in, index, length) ->
        {
            taken.add(new byte[length]);
            ctx.close();
        }));
        final ByteBuf first = TestMessages.frame(1);
        final ByteBuf second = TestMessages.frame(2);

        channel.writeInbound(Unpooled.wrappedBuffer(TestMessages.bytes(first), TestMessages.bytes(second)));

        assertThat(taken).hasSize(1);
        first.release();
        second.release();
    }

    @Test
    void shouldCloseOnGarbageAndCountIt()
    {
        final EmbeddedChannel channel = channel();

        channel.writeInbound(Unpooled.wrappedBuffer("GET / HTTP/1.1\r\n\r\n".getBytes()));

        assertThat(channel.isOpen()).isFalse();
        assertThat(out).isEmpty();
        assertThat(metrics.drops(DropReason.BAD_MAGIC)).isEqualTo(1);
    }

    @Test
    void shouldCloseOnAWrongVersionOrAnOversizedLength()
    {
        final ByteBuf frame = TestMessages.frame(1);
        final byte[] bytes = TestMessages.bytes(frame);
        frame.release();

        final byte[] wrongVersion = bytes.clone();
        wrongVersion[2] = 9;
        final EmbeddedChannel first = channel();
        first.writeInbound(Unpooled.wrappedBuffer(wrongVersion));
        assertThat(first.isOpen()).isFalse();
        assertThat(metrics.drops(DropReason.UNSUPPORTED_VERSION)).isEqualTo(1);

        final byte[] huge = bytes.clone();
        huge[6] = (byte)0xFF;
        huge[7] = (byte)0xFF;
        final EmbeddedChannel second = channel();
        second.writeInbound(Unpooled.wrappedBuffer(huge));
        assertThat(second.isOpen()).isFalse();
        assertThat(metrics.drops(DropReason.BAD_LENGTH)).isEqualTo(1);
    }
}
