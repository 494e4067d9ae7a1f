package org.seamcast.transport.aeron;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.IoUtil;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.seamcast.transport.TransportContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded Aeron media driver of one node and the client connected to it, shared by every Aeron link and
 * receiver of that node. It is started by the first {@link #acquire} for a {@link TransportContext} and stopped,
 * with its directory deleted, when the last user {@link #release}s it (or the JVM shuts down), so a node never
 * leaves a driver or directory behind.
 *
 * <p>Sized and timed for audio rather than market data: one {@link ThreadingMode#SHARED SHARED} driver thread
 * that sleeps {@link #IDLE_SLEEP_NS} whenever a duty cycle finds nothing to do,
 * {@value #TERM_LENGTH_BYTES}-byte term buffers per publication and image
 * (the default is 16 MiB), and liveness timeouts of tens of seconds, because driver and client share the node's
 * JVM and a garbage-collection pause stops both: with the default 10 s timeouts a long pause makes the client
 * declare the driver dead and close itself.
 *
 * <p>Directory: {@code seamcast-aeron-NODE-PID-N} (N counts the drivers this JVM started) under {@code /dev/shm}
 * (memory-backed) when it exists, otherwise under {@code java.io.tmpdir}; deleted on start and on close, and
 * directories of this node name left by a process that no longer runs (kill -9) are deleted on start.
 *
 * <p>Threading: {@link #acquire} and {@link #release} are thread-safe; {@link #aeron()} is Aeron's thread-safe
 * client.
 */
public final class AeronMedia
{
    private static final Logger LOG = LoggerFactory.getLogger(AeronMedia.class);

    /**
     * What the driver's thread and each receiver's thread sleep whenever a duty cycle found nothing to do: a message
     * waits at most this much more at each hop, far inside any playout delay. Aeron's usual back-off (spins, yields,
     * then parks from a microsecond up) woke the threads for nearly every message: at 250 mounts a relay's driver
     * and receiver took half a core that way (25 µs of CPU per copy against 8.3-9.9 with this sleep), a wake-up on a
     * virtual machine costing tens of microseconds. A relay's 4 ms I/O period here cost as much CPU and let the
     * publishers' flow-control window fill three times as often.
     */
    public static final long IDLE_SLEEP_NS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Term buffer per publication and per image (a log is three terms): one term holds 3 s of 320 kbit/s audio. */
    public static final int TERM_LENGTH_BYTES = 128 * 1024;

    /**
     * A client the driver has not heard from in this long is dead and its publications are reclaimed. Aeron's
     * default is 10 s; a GC pause of that length in the node must not kill its own links.
     */
    public static final long CLIENT_LIVENESS_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    /** The client gives up on a driver it has not heard from in this long (must cover the same pauses). */
    public static final long DRIVER_TIMEOUT_MS = 30_000;

    /** A publication blocked by a client that died mid-write is unblocked after this (must exceed liveness). */
    public static final long PUBLICATION_UNBLOCK_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    /** A remote publisher silent this long (no data, no heartbeat) loses its image; Aeron's default is 10 s. */
    public static final long IMAGE_LIVENESS_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(15);

    private static final String DIRECTORY_PREFIX = "seamcast-aeron-";
    private static final Map<TransportContext, AeronMedia> BY_CONTEXT = new IdentityHashMap<>();
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final TransportContext ctx;
    private final Path directory;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final Thread shutdownHook;
    private int users;
    private boolean closed;

    private AeronMedia(final TransportContext ctx, final Path directory, final MediaDriver driver, final Aeron aeron)
    {
        this.ctx = ctx;
        this.directory = directory;
        this.driver = driver;
        this.aeron = aeron;
        this.shutdownHook = new Thread(this::stop, "seamcast-aeron-stop-" + ctx.nodeName());
    }

    /**
     * The media of the node of {@code ctx}, launching it on first use; every acquire is matched by one
     * {@link #release}.
     */
    public static AeronMedia acquire(final TransportContext ctx)
    {
        synchronized (BY_CONTEXT)
        {
            AeronMedia media = BY_CONTEXT.get(ctx);
            if (media == null)
            {
                media = launch(ctx);
                BY_CONTEXT.put(ctx, media);
            }
            media.users++;
            return media;
        }
    }

    /**
     * Gives back one {@link #acquire}; the last one stops the driver and deletes its directory.
     */
    public void release()
    {
        synchronized (BY_CONTEXT)
        {
            if (--users > 0)
            {
                return;
            }
            BY_CONTEXT.remove(ctx);
        }
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException ignore)
        {
            // The JVM is shutting down and the hook is running or has run.
        }
        stop();
    }

    /** @return a new idle strategy for the driver's or a receiver's thread: {@link #IDLE_SLEEP_NS} when idle. */
    static IdleStrategy idleStrategy()
    {
        return new SleepingIdleStrategy(IDLE_SLEEP_NS);
    }

    private static AeronMedia launch(final TransportContext ctx)
    {
        final String nodeName = ctx.nodeName().toString();
        final Path parent = baseDirectory();
        deleteOrphans(parent, nodeName);
        final Path directory = parent.resolve(
            directoryName(nodeName, ProcessHandle.current().pid(), INSTANCES.incrementAndGet()));
        final MediaDriver.Context driverCtx = new MediaDriver.Context()
            .aeronDirectoryName(directory.toString())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .warnIfDirectoryExists(false)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(idleStrategy())
            .publicationTermBufferLength(TERM_LENGTH_BYTES)
            .ipcTermBufferLength(TERM_LENGTH_BYTES)
            .termBufferSparseFile(true)
            .clientLivenessTimeoutNs(CLIENT_LIVENESS_TIMEOUT_NS)
            .publicationUnblockTimeoutNs(PUBLICATION_UNBLOCK_TIMEOUT_NS)
            .imageLivenessTimeoutNs(IMAGE_LIVENESS_TIMEOUT_NS)
            .errorHandler(ex -> LOG.warn("Aeron media driver of {}: {}", nodeName, ex.toString()));
        driverCtx.driverTimeoutMs(DRIVER_TIMEOUT_MS);
        final MediaDriver driver;
        try
        {
            driver = MediaDriver.launchEmbedded(driverCtx);
        }
        catch (final RuntimeException ex)
        {
            // a driver that refuses its configuration has already made its directory: leave nothing behind
            if (Files.exists(directory))
            {
                IoUtil.delete(directory.toFile(), true);
            }
            throw ex;
        }
        final Aeron aeron;
        try
        {
            aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(driver.aeronDirectoryName())
                .driverTimeoutMs(DRIVER_TIMEOUT_MS)
                .errorHandler(ex -> LOG.warn("Aeron client of {}: {}", nodeName, ex.toString())));
        }
        catch (final RuntimeException ex)
        {
            driver.close();
            throw ex;
        }
        final AeronMedia media = new AeronMedia(ctx, directory, driver, aeron);
        Runtime.getRuntime().addShutdownHook(media.shutdownHook);
        LOG.info("Aeron media driver of {} started in {}", nodeName, directory);
        return media;
    }

    private synchronized void stop()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            aeron.close();
        }
        finally
        {
            driver.close();
            if (Files.exists(directory))
            {
                IoUtil.delete(directory.toFile(), true);
            }
        }
    }

    /**
     * The client every link and receiver of this node adds its publication or subscription through.
     */
    public Aeron aeron()
    {
        return aeron;
    }

    /**
     * The driver's directory (for diagnostics and tests).
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Whether the driver and client are running.
     */
    public synchronized boolean isRunning()
    {
        return !closed && !aeron.isClosed();
    }

    static String directoryName(final String nodeName, final long pid, final int instance)
    {
        return directoryPrefix(nodeName) + pid + "-" + instance;
    }

    private static String directoryPrefix(final String nodeName)
    {
        return DIRECTORY_PREFIX + nodeName.replaceAll("[^A-Za-z0-9._-]", "_") + "-";
    }

    static Path baseDirectory()
    {
        final File shm = new File("/dev/shm");
        if (shm.isDirectory() && shm.canWrite())
        {
            return shm.toPath();
        }
        return Paths.get(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Deletes directories of this node name whose process is gone, e.g. after kill -9.
     */
    private static void deleteOrphans(final Path parent, final String nodeName)
    {
        final String prefix = directoryPrefix(nodeName);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, prefix + "*"))
        {
            for (final Path entry : entries)
            {
                final String suffix = entry.getFileName().toString().substring(prefix.length());
                if (suffix.matches("[0-9]{1,18}-[0-9]+")
                    && ProcessHandle.of(Long.parseLong(suffix.substring(0, suffix.indexOf('-')))).isEmpty())
                {
                    LOG.info("deleting {} left by a process that is gone", entry);
                    IoUtil.delete(entry.toFile(), true);
                }
            }
        }
        catch (final IOException ex)
        {
            LOG.warn("cannot look for stale Aeron directories in {}: {}", parent, ex.toString());
        }
    }
}
