package org.seamcast.it.support;

import java.nio.file.Path;
import java.util.List;

/**
 * A real ffmpeg encoder that behaves like a live one (DESIGN.md, "Testing with live-like encoders"): it starts at
 * frame {@code n = floor((now - t0) / frame duration)} of a reference recording, by byte offset, and streams in real
 * time with {@code -re} to an ingest over the Icecast source protocol. Two of them started at different moments
 * send the same frame at the same wall time, as two encoders fed by one studio do.
 */
public final class LiveEncoder implements AutoCloseable
{
    private final ExternalProcess process;

    private LiveEncoder(final ExternalProcess process)
    {
        this.process = process;
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
        final long elapsedUs = (System.currentTimeMillis() - t0Ms) * 1000;
        final int frame = (int)Math.max(0, elapsedUs / (long)(reference.frameDurationSeconds() * 1e6));
        if (frame >= reference.frames().size())
        {
            throw new IllegalStateException("reference too short: frame " + frame + " of " + reference.frames().size());
        }
        long offset = 0;
        final List<byte[]> frames = reference.frames();
        for (int i = 0; i < frame; i++)
        {
            offset += frames.get(i).length;
        }
        final String pipeline = "tail -c +" + (offset + 1) + " '" + reference.file() + "' | ffmpeg -nostdin -v error -re "
            + "-f " + reference.codec().ffmpegDemuxer() + " -i - -c copy -content_type " + reference.codec().contentType()
            + " -f " + reference.codec().ffmpegMuxer() + " "
            + "'icecast://source:" + password + "@" + host + ":" + ingestPort + mount + "'";
        ExternalProcess.requireTool("ffmpeg");
        return new LiveEncoder(ExternalProcess.start(name, List.of("bash", "-c", pipeline), logDir.resolve(name + ".log")));
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * kill -9 of the encoder (and its pipeline).
     */
    public void kill()
    {
        process.kill();
    }

    @Override
    public void close()
    {
        process.kill();
    }
}
