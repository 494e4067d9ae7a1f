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
 * says so: which tasks publishing costs, what the queue holds, drops and releases.
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
    void shouldDrainFramesToNobodyOncePerIdleDrainFramesWithoutATimer() throws Exception
    {
        mount = mount(ListenerServerContext.DEFAULT_BURST_BYTES);
        loop.resetCounts();

        publish(0, 1_000);

        assertThat(loop.mountSchedules.get()).as("no listener: no timer").isZero();
        assertThat(loop.mountExecutes.get()).as("a drain per IDLE_DRAIN_FRAMES frames")
            .isEqualTo(1_000 / MountPoint.IDLE_DRAIN_FRAMES);

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
    void shouldDropCountAndReleaseFramesWhenTheQueueIsFullWithoutBlocking()
    {
        mount = mount(ListenerServerContext.DEFAULT_BURST_BYTES);
        final int extra = 5;
        final CountDownLatch stalled = new CountDownLatch(1);
        loop.execute(() -> awaitQuietly(stalled));

        publish(0, MountPoint.QUEUE_CAPACITY + extra);

        assertThat(mount.framesDroppedBehind()).isEqualTo(extra);
        assertThat(mount.framesPublished()).isEqualTo(MountPoint.QUEUE_CAPACITY + extra);
        final List<ByteBuf> copies = alloc.buffers();
        assertThat(copies).hasSize(MountPoint.QUEUE_CAPACITY + extra);
        assertThat(copies.subList(0, MountPoint.QUEUE_CAPACITY)).allMatch(frame -> frame.refCnt() == 1);
        assertThat(copies.subList(MountPoint.QUEUE_CAPACITY, copies.size())).allMatch(frame -> frame.refCnt() == 0);
        stalled.countDown();

        mount.close();
        soon().until(() -> alloc.buffers().stream().allMatch(f -> f.refCnt() == 0));
    }

    @Test
    void shouldReleaseQueuedFramesOnCloseAndFramesPublishedAfterAtOnce()
    {
        mount = mount(ListenerServerContext.DEFAULT_BURST_BYTES);
        final int queued = MountPoint.IDLE_DRAIN_FRAMES - 1;
        publish(0, queued);
        assertThat(loop.mountExecutes.get() + loop.mountSchedules.get()).as("all still queued").isZero();
        assertThat(alloc.buffers()).allMatch(frame -> frame.refCnt() == 1);

        mount.close();

        soon().until(() -> alloc.buffers().stream().allMatch(f -> f.refCnt() == 0));
        publish(queued, 1);
        assertThat(alloc.buffers().get(queued).refCnt()).isZero();
    }

    @Test
    void shouldReleaseTheBurstOnClose() throws Exception
    {
        mount = mount(ListenerServerContext.DEFAULT_BURST_BYTES);
        publish(0, MountPoint.IDLE_DRAIN_FRAMES);
        assertThat(loop.mountExecutes.get()).isOne();
        // tasks run in order: once this one has, the drain has moved the frames to the burst
        loop.submit(() -> { }).get(5, TimeUnit.SECONDS);

        mount.close();

        soon().until(() -> alloc.buffers().stream().allMatch(f -> f.refCnt() == 0));
    }

    @Test
    void shouldReleaseFramesWhenTheEventLoopIsShutDown()
    {
        mount = mount(ListenerServerContext.DEFAULT_BURST_BYTES);
        loop.shutDown();

        publish(0, 3);

        soon().until(() -> alloc.buffers().stream().allMatch(f -> f.refCnt() == 0));
        assertThat(mount.framesPublished()).isEqualTo(3);
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
