package org.seamcast.edge.listener;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import org.agrona.concurrent.UnsafeBuffer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.seamcast.edge.listener.TestStream.FRAME_BYTES;
import static org.seamcast.edge.listener.TestStream.MP3;
import static org.seamcast.edge.listener.TestStream.frame;
import static org.seamcast.edge.listener.TestStream.frames;

/**
 * The hand-off from the playout thread to the mount's event loop, on a loop whose clock only moves when the test
 * says so: which tasks publishing costs, what it allocates, what is dropped and when.
 */
class MountPointTest
{

    private final ManualClockEventLoop loop = new ManualClockEventLoop();
    private final RecordingAllocator alloc = new RecordingAllocator();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private MountPoint mount;

    @AfterEach
    void stop() throws Exception
    {
        if (!loop.isShutdown())
        {
            loop.submit(() ->
            {
                for (final EmbeddedChannel channel : channels)
                {
                    channel.finishAndReleaseAll();
                }
            }).get(5, TimeUnit.SECONDS);
            if (mount != null)
            {
                mount.close();
            }
        }
        loop.shutDown();
    }

    @Test
    void shouldDrainFramesToNobodyOncePerIdleDrainBytesWithoutATimerOrABufferPerFrame() throws Exception
    {
        mount = mount(ListenerServerContext.DEFAULT_BURST_BYTES);
        loop.resetCounts();

        publish(0, 1_000);

        assertThat(loop.mountSchedules.get()).as("no listener: no timer").isZero();
        assertThat(loop.mountExecutes.get()).as("a drain per IDLE_DRAIN_BYTES of frames")
            .isEqualTo(1_000 * FRAME_BYTES / MountPoint.IDLE_DRAIN_BYTES);
        assertThat(alloc.buffers()).as("frames to nobody take no pooled buffer").isEmpty();

        final int burstFrames = ListenerServerContext.DEFAULT_BURST_BYTES / FRAME_BYTES;
        final EmbeddedChannel listener = attach();
        assertThat(received(listener)).as("the burst ends with the last frame published, queued or drained")
            .isEqualTo(frames(1_000 - burstFrames, burstFrames));

        loop.resetCounts();
        publish(1_000, 1);
        assertThat(loop.mountSchedules.get()).as("a listener: the next frame arms the timer").isEqualTo(1);
        loop.advance(MountPoint.FLUSH_DELAY_MS);
        soon().until(() -> flushedBytes(listener) == FRAME_BYTES);
        assertThat(received(listener)).isEqualTo(frames(1_000, 1));
    }

    @Test
    void shouldStopItsTimerWhenTheLastListenerLeaves() throws Exception
    {
        mount = mount(0);
        final EmbeddedChannel listener = attach();
        publish(0, 1);
        loop.advance(MountPoint.FLUSH_DELAY_MS);
        soon().until(() -> loop.timersRun.get() == 1);
        assertThat(loop.mountSchedules.get()).as("rescheduled by the loop while frames came").isEqualTo(2);

        loop.submit(() -> listener.close()).get(5, TimeUnit.SECONDS);
        soon().until(() -> mount.listenerCount() == 0);
        publish(1, 1);
        loop.advance(MountPoint.FLUSH_DELAY_MS);
        soon().until(() -> loop.timersRun.get() == 2);

        loop.advance(MountPoint.FLUSH_DELAY_MS);
        loop.submit(() -> { }).get(5, TimeUnit.SECONDS);
        assertThat(loop.timersRun.get()).as("no timer once nobody listens").isEqualTo(2);
        assertThat(loop.mountSchedules.get()).isEqualTo(2);
    }

    @Test
    void shouldCostOneTaskPerFlushWorthOfFramesToAListener() throws Exception
    {
        mount = mount(0);
        final EmbeddedChannel listener = attach();
        final int framesPerFlush = MountPoint.FLUSH_BYTES / FRAME_BYTES + 1;
        assertThat((framesPerFlush - 1) * FRAME_BYTES).isLessThan(MountPoint.FLUSH_BYTES);
        loop.resetCounts();

        final int batches = 1_000 / framesPerFlush;
        for (int batch = 0; batch < batches; batch++)
        {
            publish(batch * framesPerFlush, framesPerFlush);
            final int expectedBytes = (batch + 1) * framesPerFlush * FRAME_BYTES;
            soon().until(() -> flushedBytes(listener) == expectedBytes);
        }

        assertThat(loop.mountExecutes.get()).as("one drain per FLUSH_BYTES of frames").isEqualTo(batches);
        assertThat(loop.mountSchedules.get()).as("and the one timed drain, not yet due").isEqualTo(1);
        assertThat(writtenMessages(listener)).as("one write per drain, the frames back to back, not one per frame")
            .isEqualTo(batches);
        assertThat(received(listener)).isEqualTo(frames(0, batches * framesPerFlush));
    }

    @Test
    void shouldCostFarFewerTasksThanFramesPublishedAsFastAsPossibleToAListener() throws Exception
    {
        mount = mount(0);
        final EmbeddedChannel listener = attach();
        loop.resetCounts();
        final int frames = 1_000;

        publish(0, frames);

        final int flushes = frames * FRAME_BYTES / MountPoint.FLUSH_BYTES;
        assertThat(loop.mountExecutes.get() + loop.mountSchedules.get())
            .as("a task per FLUSH_BYTES of frames (twice that for drains that overlap publishing), not per frame")
            .isLessThanOrEqualTo(2 * flushes + 2);
        loop.advance(MountPoint.FLUSH_DELAY_MS);
        soon().until(() -> flushedBytes(listener) == frames * FRAME_BYTES);
        assertThat(received(listener)).isEqualTo(frames(0, frames));
    }

    @Test
    void shouldHoldFramesUnderAFlushForTheDelayAndWriteThemFlushedInOneDrain() throws Exception
    {
        mount = mount(0);
        final EmbeddedChannel listener = attach();

        publish(0, 3);
        assertThat(3 * FRAME_BYTES).isLessThan(MountPoint.FLUSH_BYTES);
        assertThat(loop.submit(() -> listener.outboundMessages().size() + pendingBytes(listener)).get())
            .as("nothing written before the delay").isZero();

        loop.advance(MountPoint.FLUSH_DELAY_MS);
        soon().until(() -> flushedBytes(listener) == 3 * FRAME_BYTES);
        assertThat(loop.submit(() -> pendingBytes(listener)).get()).as("flushed, not only written").isZero();
        assertThat(received(listener)).isEqualTo(frames(0, 3));
    }

    @Test
    void shouldMakeTheFramesStillQueuedTheBurstOfANewListenerThenSendLiveFrames() throws Exception
    {
        mount = mount(20 * FRAME_BYTES);
        publish(0, 30);
        assertThat(loop.timersRun.get()).as("the timed drain has not run").isZero();

        final EmbeddedChannel listener = attach();
        assertThat(received(listener)).as("the burst: the last 20 frames published").isEqualTo(frames(10, 20));
        publish(30, 10);
        loop.advance(MountPoint.FLUSH_DELAY_MS);

        soon().until(() -> flushedBytes(listener) == 10 * FRAME_BYTES);
        assertThat(received(listener)).isEqualTo(frames(30, 10));
    }

    @Test
    void shouldDropAndCountFramesWhenTheLoopIsTheMostChunksBehindWithoutBlocking() throws Exception
    {
        mount = mount(20 * FRAME_BYTES);
        final int extra = 5;
        final CountDownLatch stalled = new CountDownLatch(1);
        loop.execute(() -> awaitQuietly(stalled));
        final int framesPerChunk = (PublishedFrames.CHUNK_BYTES - 8) / (FRAME_BYTES + 3);
        final int fit = PublishedFrames.MAX_UNDRAINED_CHUNKS * framesPerChunk;

        publish(0, fit + extra);

        assertThat(mount.framesDroppedBehind()).isEqualTo(extra);
        assertThat(mount.framesPublished()).isEqualTo(fit + extra);
        stalled.countDown();

        final EmbeddedChannel listener = attach();
        assertThat(received(listener)).as("the burst ends with the last frame taken").isEqualTo(frames(fit - 20, 20));
        publish(fit + extra, 3);
        loop.advance(MountPoint.FLUSH_DELAY_MS);
        soon().until(() -> flushedBytes(listener) == 3 * FRAME_BYTES);
        assertThat(received(listener)).isEqualTo(frames(fit + extra, 3));
    }

    @Test
    void shouldAllocateABufferPerFlushForListenersAndReleaseEveryOne() throws Exception
    {
        mount = mount(20 * FRAME_BYTES);
        publish(0, 30);
        final EmbeddedChannel listener = attach();
        final int frames = 200;
        publish(30, frames);
        loop.advance(MountPoint.FLUSH_DELAY_MS);
        soon().until(() -> flushedBytes(listener) == (20 + frames) * FRAME_BYTES);

        assertThat(received(listener)).isEqualTo(frames(10, 20 + frames));
        assertThat(alloc.buffers()).as("the burst's buffer and one per flush, not one per frame")
            .hasSizeLessThanOrEqualTo(1 + frames * FRAME_BYTES / MountPoint.FLUSH_BYTES + 2);
        assertThat(alloc.buffers()).as("every one released once written").allMatch(buffer -> buffer.refCnt() == 0);
    }

    @Test
    void shouldDropFramesPublishedAfterCloseWithoutATask()
    {
        mount = mount(ListenerServerContext.DEFAULT_BURST_BYTES);
        publish(0, 10);
        mount.close();
        loop.resetCounts();

        publish(10, MountPoint.IDLE_DRAIN_BYTES / FRAME_BYTES + 1);

        assertThat(loop.mountExecutes.get() + loop.mountSchedules.get()).isZero();
        assertThat(mount.framesPublished()).isEqualTo(10 + MountPoint.IDLE_DRAIN_BYTES / FRAME_BYTES + 1);
    }

    @Test
    void shouldKeepPublishingWithoutThrowingWhenTheEventLoopIsShutDown()
    {
        mount = mount(ListenerServerContext.DEFAULT_BURST_BYTES);
        loop.shutDown();

        publish(0, 2 * MountPoint.IDLE_DRAIN_BYTES / FRAME_BYTES);

        assertThat(mount.framesPublished()).isEqualTo(2 * MountPoint.IDLE_DRAIN_BYTES / FRAME_BYTES);
        assertThat(mount.framesDroppedBehind()).isZero();
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(1, TimeUnit.MINUTES);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static ConditionFactory soon()
    {
        return await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    private MountPoint mount(final int burstBytes)
    {
        final ListenerServerContext ctx = new ListenerServerContext().burstBytes(burstBytes).conclude();
        return new MountPoint("/live", MP3, loop, ctx, new ListenerCounters(), alloc);
    }

    private EmbeddedChannel attach()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        channels.add(channel);
        mount.attach(channel, false);
        soon().until(() -> mount.listenerCount() == 1);
        return channel;
    }

    private void publish(final int first, final int count)
    {
        for (int i = first; i < first + count; i++)
        {
            mount.publish(new UnsafeBuffer(frame(i)), 0, FRAME_BYTES);
        }
    }

    /** Bytes the listener's socket would have been given: written and flushed. Read on the mount's loop. */
    private int flushedBytes(final EmbeddedChannel channel) throws Exception
    {
        return loop.submit(() ->
        {
            int bytes = 0;
            for (final Object message : channel.outboundMessages())
            {
                bytes += ((ByteBuf)message).readableBytes();
            }
            return bytes;
        }).get(5, TimeUnit.SECONDS);
    }

    /** Writes the listener's socket has been given (flushed). Read on the mount's loop. */
    private int writtenMessages(final EmbeddedChannel channel) throws Exception
    {
        return loop.submit(() -> channel.outboundMessages().size()).get(5, TimeUnit.SECONDS);
    }

    private static long pendingBytes(final EmbeddedChannel channel)
    {
        return channel.unsafe().outboundBuffer().totalPendingWriteBytes();
    }

    private byte[] received(final EmbeddedChannel channel) throws Exception
    {
        return loop.submit(() ->
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuf message;
            while ((message = channel.readOutbound()) != null)
            {
                final byte[] bytes = new byte[message.readableBytes()];
                message.readBytes(bytes);
                message.release();
                out.writeBytes(bytes);
            }
            return out.toByteArray();
        }).get(5, TimeUnit.SECONDS);
    }

    /**
     * An event loop whose clock stands still until {@link #advance}, counting the tasks a {@link MountPoint} gives
     * it: {@code execute} and {@code schedule} calls, and timed tasks run.
     */
    private static final class ManualClockEventLoop extends DefaultEventLoop
    {
        private static final MockTicker TICKER = Ticker.newMockTicker();

        final AtomicInteger mountExecutes = new AtomicInteger();
        final AtomicInteger mountSchedules = new AtomicInteger();
        final AtomicInteger timersRun = new AtomicInteger();

        @Override
        public Ticker ticker()
        {
            return TICKER;
        }

        void advance(final long millis)
        {
            TICKER.advance(millis, TimeUnit.MILLISECONDS);
            super.execute(() -> { });
        }

        /** Shuts down: its quiet period and timeout are measured on the stopped clock, so it is moved on. */
        void shutDown()
        {
            shutdownGracefully(0, 1, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() ->
            {
                TICKER.advance(1, TimeUnit.SECONDS);
                return isTerminated();
            });
        }

        void resetCounts()
        {
            mountExecutes.set(0);
            mountSchedules.set(0);
        }

        @Override
        public void execute(final Runnable task)
        {
            if (isMountTask(task))
            {
                mountExecutes.incrementAndGet();
            }
            super.execute(task);
        }

        @Override
        public ScheduledFuture<?> schedule(final Runnable task, final long delay, final TimeUnit unit)
        {
            if (!isMountTask(task))
            {
                return super.schedule(task, delay, unit);
            }
            mountSchedules.incrementAndGet();
            return super.schedule(() ->
            {
                task.run();
                timersRun.incrementAndGet();
            }, delay, unit);
        }

        private static boolean isMountTask(final Runnable task)
        {
            return task.getClass().getName().startsWith(MountPoint.class.getName() + "$");
        }
    }

    /** Unpooled direct buffers, each kept so that a test can see whether it was released. */
    private static final class RecordingAllocator extends AbstractByteBufAllocator
    {
        private final List<ByteBuf> buffers = new ArrayList<>();

        RecordingAllocator()
        {
            super(true);
        }

        @Override
        protected ByteBuf newDirectBuffer(final int initialCapacity, final int maxCapacity)
        {
            final ByteBuf buffer = UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
            synchronized (buffers)
            {
                buffers.add(buffer);
            }
            return buffer;
        }

        @Override
        protected ByteBuf newHeapBuffer(final int initialCapacity, final int maxCapacity)
        {
            throw new UnsupportedOperationException("frames are copied to direct buffers");
        }

        @Override
        public boolean isDirectBufferPooled()
        {
            return false;
        }

        List<ByteBuf> buffers()
        {
            synchronized (buffers)
            {
                return new ArrayList<>(buffers);
            }
        }
    }
}
