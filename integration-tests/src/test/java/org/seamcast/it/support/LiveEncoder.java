package org.seamcast.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real ffmpeg encoder that behaves like a live one (DESIGN.md, "Testing with live-like encoders"), fed by a
 * studio: a thread of this class writes frame {@code n} of a reference recording into ffmpeg's stdin at wall time
 * {@code t0 + (n + 1) x frame duration} (the moment the frame's audio is complete), from the frame in progress when it
 * starts, and ffmpeg streams it on at once ({@code -c copy}) to an ingest, or an Icecast, over the Icecast source
 * protocol. Two of them started at different moments send the same frame at the same wall time, however long each
 * takes to start and connect: what a slow start holds back is sent as a burst once connected, as a hardware
 * encoder's buffer is. (With {@code ffmpeg -re} reading the file from the position at launch, the clock started
 * only once connected, so an encoder whose server answered 3 s late ran 3 s behind the other for good.)
 */
public final class LiveEncoder implements AutoCloseable
{
    private final ExternalProcess process;
    private final Thread studio;

    private LiveEncoder(final ExternalProcess process, final Thread studio)
    {
        this.process = process;
        this.studio = studio;
    }

    public static LiveEncoder start(
        final String name,
        final ReferenceAudio reference,
        final long t0Ms,
        final int ingestPort,
        final String mount,
        final String password,
        final Path logDir)
    {
        return start(name, reference, t0Ms, "127.0.0.1", ingestPort, mount, password, logDir);
    }

    /**
     * Starts an encoder pushing to the Icecast-compatible server (an ingest, or an Icecast) at {@code host:port}.
     */
    public static LiveEncoder start(
        final String name,
        final ReferenceAudio reference,
        final long t0Ms,
        final String host,
        final int ingestPort,
        final String mount,
        final String password,
        final Path logDir)
    {
        final long frameNs = (long)(reference.frameDurationSeconds() * 1e9);
        final long t0Ns = TimeUnit.MILLISECONDS.toNanos(t0Ms);
        final int first = (int)Math.max(0, (wallNs() - t0Ns) / frameNs);
        if (first >= reference.frames().size())
        {
            throw new IllegalStateException("reference too short: frame " + first + " of " + reference.frames().size());
        }
        // a small probe: ffmpeg reads no more than a few frames before it connects
        final ExternalProcess process = ExternalProcess.startWithInput(name, List.of("ffmpeg", "-nostdin", "-v",
            "error", "-probesize", "2048", "-analyzeduration", "0", "-f", reference.codec().ffmpegDemuxer(),
            "-i", "-", "-c", "copy", "-content_type", reference.codec().contentType(),
            "-f", reference.codec().ffmpegMuxer(),
            "icecast://source:" + password + "@" + host + ":" + ingestPort + mount), logDir.resolve(name + ".log"));
        final Thread studio = new Thread(() -> feed(process.process().getOutputStream(), reference.frames(), first,
            t0Ns, frameNs), name + "-studio");
        studio.setDaemon(true);
        studio.start();
        return new LiveEncoder(process, studio);
    }

    /**
     * Writes each frame once its audio is complete, until the reference ends (then ffmpeg sees the end of its input
     * and stops, like an encoder switched off) or ffmpeg is gone (killed: the pipe breaks).
     */
    private static void feed(
        final OutputStream stdin, final List<byte[]> frames, final int first, final long t0Ns, final long frameNs)
    {
        try (stdin)
        {
            for (int n = first; n < frames.size(); n++)
            {
                final long dueNs = t0Ns + (n + 1) * frameNs;
                for (long waitNs = dueNs - wallNs(); waitNs > 0; waitNs = dueNs - wallNs())
                {
                    LockSupport.parkNanos(waitNs); // the studio's real time, not a wait for something to happen
                }
                stdin.write(frames.get(n));
                stdin.flush();
            }
        }
        catch (final IOException ex)
        {
            // ffmpeg was killed: the encoder is off the air, as the scenario wants
        }
    }

    private static long wallNs()
    {
        final java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * kill -9 of the encoder; the studio's writes then fail and its thread ends.
     */
    public void kill()
    {
        process.kill();
        awaitStudio();
    }

    @Override
    public void close()
    {
        process.close();
        awaitStudio();
    }

    private void awaitStudio()
    {
        try
        {
            studio.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
