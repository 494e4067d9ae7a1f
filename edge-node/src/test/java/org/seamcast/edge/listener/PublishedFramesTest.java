package org.seamcast.edge.listener;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chunks a mount's frames go through: every frame out once, in order and byte for byte, whatever the sizes and
 * wherever the drains fall; the burst is the most recent frames that fit; a producer and a consumer on two threads
 * never see each other's half-written chunk.
 */
class PublishedFramesTest
{
    private static final int LARGEST_FRAME = 8191;

    @Property(tries = 200)
    void shouldDrainEveryFrameOnceInOrderWhereverTheDrainsFall(
        @ForAll final long seed, @ForAll @IntRange(min = 0, max = 70_000) final int burstBytes)
    {
        final Random random = new Random(seed);
        final PublishedFrames frames = new PublishedFrames(burstBytes);
        final List<byte[]> published = new ArrayList<>();
        final Drained drained = new Drained();

        for (int i = 0; i < 600; i++)
        {
            final byte[] frame = frame(i, size(random));
            assertThat(append(frames, frame)).isEqualTo(frame.length);
            published.add(frame);
            if (random.nextInt(8) == 0)
            {
                frames.drain(drained);
            }
        }
        frames.drain(drained);

        assertThat(drained.frames).hasSize(published.size());
        for (int i = 0; i < published.size(); i++)
        {
            assertThat(drained.frames.get(i)).as("frame %d", i).isEqualTo(published.get(i));
        }
        assertThat(frames.undrainedBytes()).isZero();
        assertBurstIsTheLatestFramesThatFit(frames, published, burstBytes);
    }

    @Test
    void shouldDrainFramesOfEverySizeSplittingChunksAtEveryPossibleOffset()
    {
        for (int size = 0; size <= PublishedFrames.CHUNK_BYTES + 16; size++)
        {
            final PublishedFrames frames = new PublishedFrames(0);
            final Drained drained = new Drained();
            // a first frame that leaves every possible room in the first chunk for the second
            final byte[] first = frame(0, size % 997);
            final byte[] second = frame(1, size);
            append(frames, first);
            append(frames, second);
            frames.drain(drained);
            assertThat(drained.frames).as("size %d", size).containsExactly(first, second);
        }
    }

    @Test
    void shouldTakeAFrameLargerThanAChunkInAChunkOfItsOwn()
    {
        final PublishedFrames frames = new PublishedFrames(65_536);
        final Drained drained = new Drained();
        final List<byte[]> published = List.of(frame(0, 300), frame(1, LARGEST_FRAME), frame(2, 300),
            frame(3, 3 * PublishedFrames.CHUNK_BYTES));
        for (final byte[] frame : published)
        {
            append(frames, frame);
        }
        frames.drain(drained);

        assertThat(drained.frames).containsExactlyElementsOf(published);
        assertBurstIsTheLatestFramesThatFit(frames, published, 65_536);
    }

    @Test
    void shouldRefuseFramesOnceTheConsumerIsTheMostChunksBehindThenTakeThemAgain()
    {
        final PublishedFrames frames = new PublishedFrames(0);
        final int frameBytes = 1000;
        int accepted = 0;
        int i = 0;
        while (append(frames, frame(i++, frameBytes)) != PublishedFrames.REFUSED)
        {
            accepted++;
        }
        final int perChunk = (PublishedFrames.CHUNK_BYTES - 8) / (frameBytes + 4);
        assertThat(accepted).isEqualTo(PublishedFrames.MAX_UNDRAINED_CHUNKS * perChunk);
        assertThat(append(frames, frame(i, frameBytes))).as("still behind").isEqualTo(PublishedFrames.REFUSED);

        final Drained drained = new Drained();
        frames.drain(drained);
        assertThat(drained.frames).hasSize(accepted);
        assertThat(append(frames, frame(i, frameBytes))).isEqualTo(frameBytes);
        frames.drain(drained);
        assertThat(drained.frames.get(accepted)).isEqualTo(frame(i, frameBytes));
    }

    @Test
    void shouldWriteTheSameChunksAgainOnceTheBurstIsFull()
    {
        final PublishedFrames frames = new PublishedFrames(ListenerServerContext.DEFAULT_BURST_BYTES);
        final Drained drained = new Drained();
        long allocatedAfterWarmUp = 0;
        int i = 0;
        for (int drain = 0; drain < 100; drain++)
        {
            // a mount to nobody: drained once per MountPoint.IDLE_DRAIN_BYTES
            for (int bytes = 0; bytes < MountPoint.IDLE_DRAIN_BYTES; bytes += 417)
            {
                append(frames, frame(i++, 417));
            }
            frames.drain(drained);
            drained.frames.clear();
            if (drain == 10)
            {
                allocatedAfterWarmUp = frames.chunksAllocated();
            }
        }

        assertThat(frames.chunksAllocated()).isEqualTo(allocatedAfterWarmUp);
        final int chunkFrameBytes = (PublishedFrames.CHUNK_BYTES - 8) / 420 * 417;
        assertThat(allocatedAfterWarmUp).as("the burst's chunks, a drain's worth and a few")
            .isLessThanOrEqualTo((ListenerServerContext.DEFAULT_BURST_BYTES + MountPoint.IDLE_DRAIN_BYTES) /
                chunkFrameBytes + 4);
    }

    @Test
    void shouldGiveTheWholeBurstWhenItsFramesFillItExactly()
    {
        final int frameBytes = 417;
        final PublishedFrames frames = new PublishedFrames(30 * frameBytes);
        final List<byte[]> published = new ArrayList<>();
        for (int i = 0; i < 30; i++)
        {
            published.add(frame(i, frameBytes));
            append(frames, published.get(i));
        }
        frames.drain(new Drained());

        assertThat(frames.burstHeldBytes()).isEqualTo(30 * frameBytes);
        assertBurstIsTheLatestFramesThatFit(frames, published, 30 * frameBytes);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldGiveEveryFrameOnceInOrderToAConsumerOnAnotherThread() throws Exception
    {
        final PublishedFrames frames = new PublishedFrames(20_000);
        final int count = 200_000;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread producer = new Thread(() ->
        {
            final Random random = new Random(42);
            for (int i = 0; i < count; i++)
            {
                final byte[] frame = frame(i, 1 + random.nextInt(1500));
                while (append(frames, frame) == PublishedFrames.REFUSED)
                {
                    if (failure.get() != null)
                    {
                        return;
                    }
                    Thread.onSpinWait();
                }
            }
        }, "test-playout");
        final int[] next = {0};
        final Random expected = new Random(42);
        final PublishedFrames.FrameHandler check = (buffer, index, length) ->
        {
            final byte[] frame = frame(next[0], 1 + expected.nextInt(1500));
            final byte[] got = new byte[length];
            buffer.getBytes(index, got);
            if (failure.get() == null && !Arrays.equals(frame, got))
            {
                failure.set(new AssertionError("frame " + next[0] + " differs"));
            }
            next[0]++;
        };

        producer.setDaemon(true);
        producer.start();
        int bursts = 0;
        int burstAt = 0;
        final long deadlineNs = System.nanoTime() + 30_000_000_000L;
        while (next[0] < count && failure.get() == null && System.nanoTime() < deadlineNs)
        {
            frames.drain(check);
            // a burst copied each time another 1024 frames have gone by, however many a drain took
            if (next[0] >> 10 != burstAt)
            {
                burstAt = next[0] >> 10;
                final ByteBuf burst = frames.copyBurst(UnpooledByteBufAllocator.DEFAULT);
                if (burst != null)
                {
                    bursts++;
                    burst.release();
                }
            }
        }
        failure.compareAndSet(null, next[0] < count ? new AssertionError("stuck at frame " + next[0]) : null);
        producer.join(10_000);

        assertThat(failure.get()).isNull();
        assertThat(next[0]).isEqualTo(count);
        assertThat(bursts).isPositive();
    }

    private static void assertBurstIsTheLatestFramesThatFit(
        final PublishedFrames frames, final List<byte[]> published, final int burstBytes)
    {
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        int bytes = 0;
        int first = published.size();
        while (first > 0 && bytes + published.get(first - 1).length <= burstBytes)
        {
            first--;
            bytes += published.get(first).length;
        }
        for (int i = first; i < published.size(); i++)
        {
            expected.writeBytes(published.get(i));
        }
        final ByteBuf burst = frames.copyBurst(UnpooledByteBufAllocator.DEFAULT);
        final byte[] got = new byte[burst == null ? 0 : burst.readableBytes()];
        if (burst != null)
        {
            burst.readBytes(got);
            burst.release();
        }
        assertThat(got).as("the burst: the latest frames within %d bytes", burstBytes)
            .isEqualTo(expected.toByteArray());
    }

    private static int size(final Random random)
    {
        return switch (random.nextInt(10))
        {
            case 0 -> random.nextInt(8);
            case 1 -> LARGEST_FRAME - random.nextInt(8);
            case 2 -> PublishedFrames.CHUNK_BYTES - 16 + random.nextInt(24);
            default -> 100 + random.nextInt(1400);
        };
    }

    private static int append(final PublishedFrames frames, final byte[] frame)
    {
        // the frame sits at an offset in a larger buffer, as in the playout engine's arena
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[frame.length + 7]);
        buffer.putBytes(3, frame);
        return frames.append(buffer, 3, frame.length);
    }

    /** Frame {@code index} of {@code size} bytes, none alike. */
    private static byte[] frame(final int index, final int size)
    {
        final byte[] frame = new byte[size];
        for (int i = 0; i < size; i++)
        {
            frame[i] = (byte)(index * 131 + i * 7 + (i >> 8));
        }
        return frame;
    }

    /** What a consumer got, frame by frame. */
    private static final class Drained implements PublishedFrames.FrameHandler
    {
        final List<byte[]> frames = new ArrayList<>();

        @Override
        public void onFrame(final DirectBuffer buffer, final int index, final int length)
        {
            final byte[] frame = new byte[length];
            buffer.getBytes(index, frame);
            frames.add(frame);
        }
    }
}
