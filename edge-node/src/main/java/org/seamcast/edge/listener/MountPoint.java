package org.seamcast.edge.listener;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.transport.ByteBufAccess;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One mount as listeners see it: the frames the playout engine releases, copied once and handed to every
 * listener, a burst of recent frames for new listeners, and the current title for ICY metadata.
 *
 * <p>Threading: {@link #publish} and {@link #title} may be called from the playout thread; everything else about
 * listeners and the burst runs on this mount's own event loop ({@code executor}), so no lock is shared between
 * playout and I/O. Counters are safe to read from any thread.
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

    private final String name;
    private final EventExecutor executor;
    private final ListenerServerContext ctx;
    private final ListenerCounters serverCounters;
    private final ArrayList<ListenerSession> listeners = new ArrayList<>();
    private final ArrayDeque<ByteBuf> burst = new ArrayDeque<>();
    private final long startedEpochMs = System.currentTimeMillis();
    private final Runnable flushWhenDue = this::flushWhenDue;
    /** Playout thread only, like {@link #publish}. */
    private final UnsafeBuffer publishView = new UnsafeBuffer(0, 0);
    private int burstHeldBytes;
    private int unflushedBytes;
    private boolean flushScheduled;
    private volatile StreamHeaders headers;
    private volatile String title = "";
    private volatile ByteBuf titleBlock = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(IcyMetadataBlock.encode("")));
    private volatile int titleVersion;
    private volatile int listenerCount;
    private final AtomicLong framesPublished = new AtomicLong();
    private final AtomicLong bytesPublished = new AtomicLong();
    private final AtomicLong listenersDroppedSlow = new AtomicLong();
    private final AtomicLong listenersServed = new AtomicLong();
    private volatile int listenerPeak;
    private final List<Consumer<String>> titleWatchers = new CopyOnWriteArrayList<>();

    MountPoint(
        final String name,
        final StreamHeaders headers,
        final EventExecutor executor,
        final ListenerServerContext ctx,
        final ListenerCounters serverCounters)
    {
        this.name = name;
        this.headers = headers;
        this.executor = executor;
        this.ctx = ctx;
        this.serverCounters = serverCounters;
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
     * Sends one frame to every listener: copied once, then shared. Called by the playout thread only.
     */
    public void publish(final DirectBuffer buffer, final int offset, final int length)
    {
        final ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(length, length);
        ByteBufAccess.wrap(publishView, frame, 0, length).putBytes(0, buffer, offset, length);
        frame.writerIndex(length);
        framesPublished.incrementAndGet();
        bytesPublished.addAndGet(length);
        try
        {
            executor.execute(() -> broadcast(frame));
        }
        catch (final java.util.concurrent.RejectedExecutionException ex)
        {
            frame.release();
        }
    }

    private void broadcast(final ByteBuf frame)
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
            }
        }
        unflushedBytes += frame.readableBytes();
        if (unflushedBytes >= FLUSH_BYTES)
        {
            flushListeners();
        }
        else if (!flushScheduled)
        {
            flushScheduled = true;
            executor.schedule(flushWhenDue, FLUSH_DELAY_MS, TimeUnit.MILLISECONDS);
        }

        burst.addLast(frame);
        burstHeldBytes += frame.readableBytes();
        while (!burst.isEmpty() && burstHeldBytes - burst.peekFirst().readableBytes() >= ctx.burstBytes())
        {
            final ByteBuf oldest = burst.removeFirst();
            burstHeldBytes -= oldest.readableBytes();
            oldest.release();
        }
    }

    private void flushWhenDue()
    {
        flushScheduled = false;
        if (unflushedBytes > 0)
        {
            flushListeners();
        }
    }

    private void flushListeners()
    {
        unflushedBytes = 0;
        for (int i = listeners.size() - 1; i >= 0; i--)
        {
            listeners.get(i).channel().flush();
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
     * a listener.
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
        if (removed.isListener())
        {
            listenerCount--;
            serverCounters.listeners.decrementAndGet();
        }
    }

    /**
     * Releases the burst; called when the server closes.
     */
    void close()
    {
        executor.execute(() ->
        {
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

    /** Listeners that started receiving audio since start. */
    public long listenersServed()
    {
        return listenersServed.get();
    }
}
