package org.seamcast.ingest.file;

import io.netty.util.concurrent.FastThreadLocalThread;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.ingest.stream.FramePacer;
import org.seamcast.ingest.stream.SourceSession;
import org.seamcast.ingest.stream.StreamHeaders;
import org.seamcast.ingest.stream.StreamHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * Plays an MP3 or ADTS file into a mount in real time, as a live encoder would: each frame is released when it
 * is due (start + the durations of the frames before it), optionally looping at the end. For tests and demos.
 *
 * <p>Threading: one thread per file (a Netty {@code FastThreadLocalThread}, so pooled buffers are cached), which
 * reads, waits for each frame's time, and stamps and sends it: each paced frame is a read of its own.
 */
public final class FileSource implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);
    private static final int READ_CHUNK_BYTES = 16 * 1024;

    private final Path file;
    private final MountName mount;
    private final boolean loop;
    private final StreamHub hub;
    private final EpochNanoClock clock;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param file  to play.
     * @param mount it is carried as.
     * @param loop  start again at the end, in the same epoch (the stream stays continuous).
     * @param hub   the ingest's streams.
     * @param clock the node's clock, which frames are paced on.
     */
    public FileSource(
        final Path file, final String mount, final boolean loop, final StreamHub hub, final EpochNanoClock clock)
    {
        this.clock = clock;
        this.file = file;
        this.mount = MountName.of(mount);
        this.loop = loop;
        this.hub = hub;
        this.thread = new FastThreadLocalThread(this::run, "seamcast-file-" + mount);
        this.thread.setDaemon(true);
    }

    public FileSource start()
    {
        thread.start();
        return this;
    }

    private void run()
    {
        final String contentType = file.toString().toLowerCase().endsWith(".aac") ? "audio/aac" : "audio/mpeg";
        final Pacer pacer = new Pacer();
        final SourceSession session = hub.open(mount, new StreamHeaders(
            contentType, file.getFileName().toString(), null, null, null, null, -1), "file:" + file, pacer);
        if (session == null)
        {
            LOG.warn("mount {} already has a source; file {} not played", mount, file);
            return;
        }
        final byte[] chunk = new byte[READ_CHUNK_BYTES];
        final UnsafeBuffer view = new UnsafeBuffer(chunk);
        try
        {
            do
            {
                try (InputStream in = Files.newInputStream(file))
                {
                    int read;
                    while (!closed && (read = in.read(chunk)) > 0)
                    {
                        session.onData(view, 0, read);
                    }
                }
            }
            while (loop && !closed);
        }
        catch (final IOException ex)
        {
            LOG.warn("file {} failed: {}", file, ex.toString());
        }
        finally
        {
            session.close();
        }
    }

    @Override
    public void close()
    {
        closed = true;
        thread.interrupt();
        try
        {
            thread.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private final class Pacer implements FramePacer
    {
        private long startNs;
        private long elapsedNs = -1;

        @Override
        public int beforeFrame(final long frameDurationNs)
        {
            if (elapsedNs < 0)
            {
                startNs = clock.nanoTime();
                elapsedNs = 0;
            }
            final long dueNs = startNs + elapsedNs;
            long nowNs;
            while (!closed && (nowNs = clock.nanoTime()) < dueNs)
            {
                LockSupport.parkNanos(dueNs - nowNs);
            }
            elapsedNs += frameDurationNs;
            return clock.nanoTime() >= dueNs ? PACED : STOPPED;
        }
    }
}
