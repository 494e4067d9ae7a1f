package org.seamcast.edge.listener;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One mount as listeners see it: the frames the playout engine releases, copied once into the mount's
 * {@link PublishedFrames} and handed to every listener, the most recent of them kept there as the burst for new
 * listeners, and the current title for ICY metadata.
 *
 * <p>Threading: {@link #publish} and {@link #title} may be called from the playout thread; everything else about
 * listeners and the burst runs on this mount's own event loop ({@code executor}), so no lock is shared between
 * playout and I/O. The loop drains the frames in one task once {@link #FLUSH_BYTES} are waiting for listeners or
 * {@link #FLUSH_DELAY_MS} after the first waiting frame (the outbound shape of {@code TcpConnection}), or, with
 * nobody to send to, once per {@link #IDLE_DRAIN_BYTES}: a task and a wake-up per frame and mount were most of what a
 * mount to nobody cost. Counters are safe to read from any thread.
 */
public final class MountPoint
{
    /**
     * Listeners' sockets are flushed once this much audio is written to them, or {@link #FLUSH_DELAY_MS} after the
     * first unflushed frame: a socket write per frame and listener was most of what a listener cost, and players
     * buffer seconds, so a quarter of a second more costs them nothing.
     */
    static final int FLUSH_BYTES = 4096;
    /**
     * The longest a frame written to listeners waits for its flush: about the time a 128 kbit/s stream takes to
     * fill {@link #FLUSH_BYTES}, so such a stream is written in 4 KiB. At 100 ms the timer, not the bytes, set the
     * pace below 320 kbit/s: ten writes a second per listener, each a syscall.
     */
    static final long FLUSH_DELAY_MS = 250;
    /**
     * With no listener and no push, frames only feed the burst and the loop drains them each time this many bytes
     * have been appended (about 3 s of a 128 kbit/s stream, what a 64 KiB burst holds) instead of on a timer: a
     * wake-up of the loop every {@link #FLUSH_DELAY_MS} was the biggest cost of a mount to nobody after the playout
     * thread's, and at 250 such mounts a drain every 32 frames was still about 1 % of the edge's CPU.
     */
    static final int IDLE_DRAIN_BYTES = 48 * 1024;

    private final String name;
    private final EventExecutor executor;
    private final ListenerServerContext ctx;
    private final ListenerCounters serverCounters;
    private final ByteBufAllocator alloc;
    private final ArrayList<ListenerSession> listeners = new ArrayList<>();
    private final long startedEpochMs = System.currentTimeMillis();
    /**
     * The frames published. Producer: the playout thread ({@link #publish}); consumer: the event loop ({@link #drain},
     * {@link #attach}).
     */
    private final PublishedFrames frames;
    private final PublishedFrames.FrameHandler toListeners = this::toListeners;
    /** Whether {@link #drainWhenDue} is scheduled; only the thread that sets it schedules it. */
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainWhenDue = this::drainWhenDue;
    private final Runnable drainNow = this::drain;
    /** Playout thread only: the loop refused a task, so nothing more is appended. */
    private boolean rejected;
    /** Event loop only: {@link #framesPublished} when {@link #drainWhenDue} last ran. */
    private long publishedAtLastDrain;
    /** Event loop only: frames copied back to back for the listeners during a drain. */
    private ByteBuf batch;
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
        this.frames = new PublishedFrames(ctx.burstBytes());
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
     * Sends one frame to every listener: copied once into the mount's chunks, drained by the event loop, then
     * shared. Called by the playout thread only; never blocks, and allocates only when the chunks the loop hands back
     * do not suffice: with {@link PublishedFrames#MAX_UNDRAINED_CHUNKS} chunks waiting (the loop far behind) the frame
     * is dropped and counted.
     */
    public void publish(final DirectBuffer buffer, final int offset, final int length)
    {
        framesPublished.incrementAndGet();
        bytesPublished.addAndGet(length);
        if (rejected || closed)
        {
            return;
        }
        final int appended = frames.append(buffer, offset, length);
        if (appended == PublishedFrames.REFUSED)
        {
            framesDroppedBehind.incrementAndGet();
            return;
        }
        try
        {
            if (consumers == 0)
            {
                // the frames only feed the burst, which attach() drains into first: no timer, a drain now and then
                final long position = frames.appendedBytes();
                if (position / IDLE_DRAIN_BYTES != (position - appended) / IDLE_DRAIN_BYTES)
                {
                    executor.execute(drainNow);
                }
                return;
            }
            final long undrained = frames.undrainedBytes();
            if (undrained >= FLUSH_BYTES && undrained - appended < FLUSH_BYTES)
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
            // the loop is shutting down with the server, which closes the mount: nothing is held per frame
            rejected = true;
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
        if (consumers > 0 && frames.undrainedBytes() > 0 && drainScheduled.compareAndSet(false, true))
        {
            executor.schedule(drainWhenDue, FLUSH_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Writes every frame appended since the last drain to the listeners, in order, then flushes them; the chunks keep
     * the most recent as the burst. Listeners are written the frames copied back to back into one buffer per
     * {@link #FLUSH_BYTES} (one write and one flush per listener, not a write per frame). Event loop only.
     */
    private void drain()
    {
        if (closed)
        {
            return;
        }
        // frames appended after the drain's end crossed no threshold in publish: if they reach it, they are this
        // drain's
        int drained;
        do
        {
            drained = frames.drain(toListeners);
        }
        while (drained > 0 && frames.undrainedBytes() >= FLUSH_BYTES);
        if (batch != null)
        {
            sendToListeners(batch);
            batch.release();
            batch = null;
        }
    }

    private void toListeners(final DirectBuffer buffer, final int index, final int length)
    {
        if (listeners.isEmpty())
        {
            return;
        }
        if (batch == null)
        {
            batch = alloc.directBuffer(2 * FLUSH_BYTES);
        }
        frames.copy(buffer, index, length, batch);
        if (batch.readableBytes() >= FLUSH_BYTES)
        {
            sendToListeners(batch);
            batch.release();
            batch = null;
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

    /**
     * Adds a listener whose response header has been written; sends the burst first. Called from any thread.
     */
    void attach(final Channel channel, final boolean icyMetadata)
    {
        attach(channel, icyMetadata, true);
    }

    /**
     * Adds a consumer of the mount's frames; {@code listener} false for a push to Icecast, which is not counted as
     * a listener. The frames are drained first, so the burst ends with the last frame published before the attach
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
            final ByteBuf burst = frames.copyBurst(alloc);
            if (burst != null)
            {
                session.send(burst, this);
                burst.release();
            }
            channel.flush();
            listeners.add(session);
            consumers = listeners.size();
            final long undrained = frames.undrainedBytes();
            if (undrained >= FLUSH_BYTES)
            {
                drain();
            }
            else if (undrained > 0 && !drainScheduled.get() && drainScheduled.compareAndSet(false, true))
            {
                // a frame published as this consumer came may have found none and armed no timer (consumers is
                // written before the appended bytes are read here, and read after the position is written there)
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
     * Stops the mount when the server closes: frames published later are dropped at once. The chunks are plain
     * direct memory, freed with the mount.
     */
    void close()
    {
        closed = true;
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
     * Frames not handed to listeners because their event loop was {@link PublishedFrames#MAX_UNDRAINED_CHUNKS}
     * chunks behind the playout thread.
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
