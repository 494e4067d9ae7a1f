package org.seamcast.edge.listener;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.transport.ByteBufAccess;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One mount as listeners see it: the frames the playout engine releases, copied once and handed to every
 * listener, a burst of recent frames for new listeners, and the current title for ICY metadata.
 *
 * <p>Threading: {@link #publish} and {@link #title} may be called from the playout thread; everything else about
 * listeners and the burst runs on this mount's own event loop ({@code executor}), so no lock is shared between
 * playout and I/O. {@code publish} puts each frame in a bounded queue that the event loop drains in one task once
 * {@link #FLUSH_BYTES} are queued for listeners or {@link #FLUSH_DELAY_MS} after the first queued frame (the
 * outbound shape of {@code TcpConnection}), or, with nobody to send to, once per {@link #IDLE_DRAIN_FRAMES}: a task
 * and a wake-up per frame and mount were most of what a mount to nobody cost. Counters are safe to read from any
 * thread.
 */
public final class MountPoint
{
    /**
     * Listeners' sockets are flushed once this much audio is written to them, or {@link #FLUSH_DELAY_MS} after the
     * first unflushed frame: a socket write per frame and listener was most of what a listener cost, and players
     * buffer seconds, so a tenth of a second more costs them nothing.
     */
    static final int FLUSH_BYTES = 4096;
    /** The longest a frame written to listeners waits for its flush. */
    static final long FLUSH_DELAY_MS = 100;
    /**
     * Frames {@link #publish} may hold for the event loop: over 20 s of any stream, where a drain takes at most
     * {@link #FLUSH_DELAY_MS} of them, so only a loop stalled for seconds loses frames ({@link #framesDroppedBehind}).
     */
    static final int QUEUE_CAPACITY = 1024;
    /**
     * With no listener and no push, frames only feed the burst and are drained once per this many (about 3 s of MP3
     * or AAC, the frames a 64 KiB burst holds at 128 kbit/s) instead of on a timer: a wake-up of the loop every
     * {@link #FLUSH_DELAY_MS} was the biggest cost of a mount to nobody after the playout thread's, and at 250 such
     * mounts a drain every 32 frames was still about 1 % of the edge's CPU, each a task and an eventfd wake-up of
     * another thread. A power of two.
     */
    static final int IDLE_DRAIN_FRAMES = 128;

    private final String name;
    private final EventExecutor executor;
    private final ListenerServerContext ctx;
    private final ListenerCounters serverCounters;
    private final ByteBufAllocator alloc;
    private final ArrayList<ListenerSession> listeners = new ArrayList<>();
    private final ArrayDeque<ByteBuf> burst = new ArrayDeque<>();
    private final long startedEpochMs = System.currentTimeMillis();
    /**
     * Frames on their way to the event loop. Producer: the playout thread ({@link #publish}); consumer: the event
     * loop ({@link #drain}), or, once the loop has refused a task, the loop's termination listener.
     */
    private final OneToOneConcurrentArrayQueue<ByteBuf> queued = new OneToOneConcurrentArrayQueue<>(QUEUE_CAPACITY);
    /** Bytes of the frames in {@link #queued}: {@link #publish} adds, {@link #drain} subtracts. */
    private final AtomicInteger queuedBytes = new AtomicInteger();
    /** Whether {@link #drainWhenDue} is scheduled; only the thread that sets it schedules it. */
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainWhenDue = this::drainWhenDue;
    private final Runnable drainNow = this::drain;
    /** Playout thread only, like {@link #publish}. */
    private final UnsafeBuffer publishView = new UnsafeBuffer(0, 0);
    /** Playout thread only: the loop refused a task, so nothing more is queued. */
    private boolean rejected;
    /** Event loop only: {@link #framesPublished} when {@link #drainWhenDue} last ran. */
    private long publishedAtLastDrain;
    private int burstHeldBytes;
    /** Listeners and pushes attached, for {@link #publish} to skip the {@link #FLUSH_BYTES} wake-up without them. */
    private volatile int consumers;
    private volatile boolean closed;
    private volatile StreamHeaders headers;
    private volatile String title = "";
    private volatile ByteBuf titleBlock = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(IcyMetadataBlock.encode("")));
    private volatile int titleVersion;
    private volatile int listenerCount;
    private final AtomicLong framesPublished = new AtomicLong();
    private final AtomicLong bytesPublished = new AtomicLong();
    private final AtomicLong listenersDroppedSlow = new AtomicLong();
    private final AtomicLong listenersServed = new AtomicLong();
    private final AtomicLong framesDroppedBehind = new AtomicLong();
    private volatile int listenerPeak;
    private final List<Consumer<String>> titleWatchers = new CopyOnWriteArrayList<>();

    MountPoint(
        final String name,
        final StreamHeaders headers,
        final EventExecutor executor,
        final ListenerServerContext ctx,
        final ListenerCounters serverCounters,
        final ByteBufAllocator alloc)
    {
        this.name = name;
        this.headers = headers;
        this.executor = executor;
        this.ctx = ctx;
        this.serverCounters = serverCounters;
        this.alloc = alloc;
    }

    public String name()
    {
        return name;
    }

    public StreamHeaders headers()
    {
        return headers;
    }

    /**
     * Replaces the headers new listeners receive (an encoder with other settings took over).
     */
    public void headers(final StreamHeaders headers)
    {
        this.headers = headers;
    }

    public String title()
    {
        return title;
    }

    /**
     * Sets the {@code StreamTitle} sent to ICY listeners at their next metadata interval.
     */
    public void title(final String title)
    {
        final String newTitle = title == null ? "" : title;
        if (!newTitle.equals(this.title))
        {
            this.titleBlock = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(IcyMetadataBlock.encode(newTitle)));
            this.title = newTitle;
            titleVersion++;
            for (final Consumer<String> watcher : titleWatchers)
            {
                watcher.accept(newTitle);
            }
        }
    }

    /**
     * Calls {@code watcher} with every new title, on the thread that sets it (the playout thread), so it must only
     * hand the title over, never block.
     */
    void watchTitle(final Consumer<String> watcher)
    {
        titleWatchers.add(watcher);
    }

    /**
     * Sends one frame to every listener: copied once, queued for the mount's event loop, then shared. Called by the
     * playout thread only; never blocks: with the queue full (the loop far behind) the frame is dropped and counted.
     */
    public void publish(final DirectBuffer buffer, final int offset, final int length)
    {
        final ByteBuf frame = alloc.directBuffer(length, length);
        ByteBufAccess.wrap(publishView, frame, 0, length).putBytes(0, buffer, offset, length);
        frame.writerIndex(length);
        framesPublished.incrementAndGet();
        bytesPublished.addAndGet(length);
        if (rejected || closed)
        {
            frame.release();
            return;
        }
        if (!queued.offer(frame))
        {
            frame.release();
            framesDroppedBehind.incrementAndGet();
            return;
        }
        // Added after the offer: the full fence orders it before the read of closed, which close() sets before
        // releasing what is queued, so a frame close() missed is seen here.
        final int bytes = queuedBytes.addAndGet(length);
        try
        {
            if (closed)
            {
                executor.execute(drainNow);
            }
            else if (consumers == 0)
            {
                // the frames only feed the burst, which attach() drains into first: no timer, a drain now and then;
                // a loop shutting down is given the frame at once, so a refusal releases what is queued
                if ((framesPublished.get() & (IDLE_DRAIN_FRAMES - 1)) == 0 || executor.isShuttingDown())
                {
                    executor.execute(drainNow);
                }
            }
            else if (bytes >= FLUSH_BYTES && bytes - length < FLUSH_BYTES)
            {
                executor.execute(drainNow);
            }
            else if (!drainScheduled.get() && drainScheduled.compareAndSet(false, true))
            {
                executor.schedule(drainWhenDue, FLUSH_DELAY_MS, TimeUnit.MILLISECONDS);
            }
        }
        catch (final RejectedExecutionException ex)
        {
            rejected = true;
            executor.terminationFuture().addListener(future -> releaseQueued());
        }
    }

    /**
     * The timed drain: runs again {@link #FLUSH_DELAY_MS} later, scheduled from the loop itself (no wake-up), as
     * long as frames keep coming to someone, and leaves the next one to {@link #publish} once they stop or the last
     * consumer leaves.
     */
    private void drainWhenDue()
    {
        drain();
        if (closed)
        {
            return;
        }
        final long published = framesPublished.get();
        if (published != publishedAtLastDrain && consumers > 0)
        {
            publishedAtLastDrain = published;
            executor.schedule(drainWhenDue, FLUSH_DELAY_MS, TimeUnit.MILLISECONDS);
            return;
        }
        publishedAtLastDrain = published;
        drainScheduled.set(false);
        if (consumers > 0 && !queued.isEmpty() && drainScheduled.compareAndSet(false, true))
        {
            executor.schedule(drainWhenDue, FLUSH_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Writes every queued frame to the listeners and the burst, in order, then flushes them. Listeners are written
     * the frames copied back to back into one buffer per {@link #FLUSH_BYTES} (one write and one flush per listener,
     * not a write per frame); the burst keeps the frames themselves, so a new listener starts at a frame. Event loop
     * only.
     */
    private void drain()
    {
        if (closed)
        {
            releaseQueued();
            return;
        }
        ByteBuf batch = null;
        int drainedBytes;
        do
        {
            drainedBytes = 0;
            ByteBuf frame;
            while ((frame = queued.poll()) != null)
            {
                final int length = frame.readableBytes();
                drainedBytes += length;
                if (!listeners.isEmpty())
                {
                    if (batch == null)
                    {
                        batch = alloc.directBuffer(2 * FLUSH_BYTES);
                    }
                    batch.writeBytes(frame, frame.readerIndex(), length);
                    if (batch.readableBytes() >= FLUSH_BYTES)
                    {
                        sendToListeners(batch);
                        batch.release();
                        batch = null;
                    }
                }
                addToBurst(frame);
            }
        }
        // Frames queued after the last poll and before the subtraction crossed no threshold in publish: if they
        // reach it, they are this drain's.
        while (drainedBytes > 0 && queuedBytes.addAndGet(-drainedBytes) >= FLUSH_BYTES);
        if (batch != null)
        {
            sendToListeners(batch);
            batch.release();
        }
    }

    /**
     * Writes one run of frames to every listener and flushes it.
     */
    private void sendToListeners(final ByteBuf frame)
    {
        for (int i = listeners.size() - 1; i >= 0; i--)
        {
            final ListenerSession session = listeners.get(i);
            if (!session.channel().isActive())
            {
                removeAt(i);
            }
            else if (!session.channel().isWritable())
            {
                removeAt(i);
                listenersDroppedSlow.incrementAndGet();
                serverCounters.droppedSlow.incrementAndGet();
                session.channel().close();
            }
            else
            {
                session.send(frame, this);
                session.channel().flush();
            }
        }
    }

    private void addToBurst(final ByteBuf frame)
    {
        burst.addLast(frame);
        burstHeldBytes += frame.readableBytes();
        while (!burst.isEmpty() && burstHeldBytes - burst.peekFirst().readableBytes() >= ctx.burstBytes())
        {
            final ByteBuf oldest = burst.removeFirst();
            burstHeldBytes -= oldest.readableBytes();
            oldest.release();
        }
    }

    /**
     * Releases what is queued: the event loop's, or, once it has terminated, the termination listener's.
     */
    private void releaseQueued()
    {
        ByteBuf frame;
        while ((frame = queued.poll()) != null)
        {
            queuedBytes.addAndGet(-frame.readableBytes());
            frame.release();
        }
    }

    /**
     * Adds a listener whose response header has been written; sends the burst first. Called from any thread.
     */
    void attach(final Channel channel, final boolean icyMetadata)
    {
        attach(channel, icyMetadata, true);
    }

    /**
     * Adds a consumer of the mount's frames; {@code listener} false for a push to Icecast, which is not counted as
     * a listener. The queue is drained first, so the burst ends with the last frame published before the attach
     * runs and live frames follow it without a gap or a repeat.
     */
    void attach(final Channel channel, final boolean icyMetadata, final boolean listener)
    {
        executor.execute(() ->
        {
            if (!channel.isActive())
            {
                if (listener)
                {
                    serverCounters.listeners.decrementAndGet();
                }
                return;
            }
            drain();
            final ListenerSession session =
                new ListenerSession(channel, icyMetadata, ctx.icyMetaintBytes(), listener);
            int skip = burstHeldBytes - ctx.burstBytes();
            for (final ByteBuf frame : burst)
            {
                if (skip > 0)
                {
                    skip -= frame.readableBytes();
                    continue;
                }
                session.send(frame, this);
            }
            channel.flush();
            listeners.add(session);
            consumers = listeners.size();
            if (queuedBytes.get() >= FLUSH_BYTES)
            {
                drain();
            }
            else if (!queued.isEmpty() && !drainScheduled.get() && drainScheduled.compareAndSet(false, true))
            {
                // a frame published as this consumer came may have found none and armed no timer (consumers is
                // written before the queue is read here, and read after the frame is queued there)
                executor.schedule(drainWhenDue, FLUSH_DELAY_MS, TimeUnit.MILLISECONDS);
            }
            if (listener)
            {
                listenerCount++;
                listenerPeak = Math.max(listenerPeak, listenerCount);
                listenersServed.incrementAndGet();
            }
            channel.closeFuture().addListener(future -> executor.execute(() ->
            {
                final int index = listeners.indexOf(session);
                if (index >= 0)
                {
                    removeAt(index);
                }
            }));
        });
    }

    private void removeAt(final int index)
    {
        final ListenerSession removed = listeners.get(index);
        final int last = listeners.size() - 1;
        listeners.set(index, listeners.get(last));
        listeners.remove(last);
        consumers = listeners.size();
        if (removed.isListener())
        {
            listenerCount--;
            serverCounters.listeners.decrementAndGet();
        }
    }

    /**
     * Releases the queued frames and the burst; called when the server closes. Frames published later are released
     * at once.
     */
    void close()
    {
        executor.execute(() ->
        {
            closed = true;
            releaseQueued();
            for (final ByteBuf frame : burst)
            {
                frame.release();
            }
            burst.clear();
            burstHeldBytes = 0;
        });
    }

    ByteBuf titleBlock()
    {
        return titleBlock;
    }

    int titleVersion()
    {
        return titleVersion;
    }

    long startedEpochMs()
    {
        return startedEpochMs;
    }

    /** Listeners connected now. */
    public int listenerCount()
    {
        return listenerCount;
    }

    /** Most listeners connected at once. */
    public int listenerPeak()
    {
        return listenerPeak;
    }

    /** Frames handed to listeners since start. */
    public long framesPublished()
    {
        return framesPublished.get();
    }

    /** Audio bytes handed to listeners since start (once per frame, not per listener). */
    public long bytesPublished()
    {
        return bytesPublished.get();
    }

    /** Listeners dropped because they did not read fast enough. */
    public long listenersDroppedSlow()
    {
        return listenersDroppedSlow.get();
    }

    /**
     * Frames not handed to listeners because their event loop was {@link #QUEUE_CAPACITY} frames behind the
     * playout thread.
     */
    public long framesDroppedBehind()
    {
        return framesDroppedBehind.get();
    }

    /** Listeners that started receiving audio since start. */
    public long listenersServed()
    {
        return listenersServed.get();
    }
}
