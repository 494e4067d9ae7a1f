package org.seamcast.cli;

import org.agrona.DirectBuffer;
import org.seamcast.codec.audio.AudioFrameSplitter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Stands in for a studio's hardware encoder in the demo: pushes a bundled recording to an ingest with the Icecast
 * source protocol, playing it as live radio does. Which frame plays is tied to the wall clock (frame
 * {@code floor(now / frame duration) mod frames}), so two encoders fed "the same studio" send the same frame at the
 * same moment, and one that restarts rejoins the programme where it is, not where it was.
 */
final class LiveFileEncoder implements AutoCloseable
{
    private final String name;
    private final List<byte[]> frames;
    private final long frameNs;
    private final InetSocketAddress ingest;
    private final String mount;
    private final String password;
    private volatile Thread thread;
    private volatile Socket socket;
    private volatile boolean running;
    private volatile long framesSent;

    LiveFileEncoder(final String name, final List<byte[]> frames, final long frameNs, final InetSocketAddress ingest,
        final String mount, final String password)
    {
        this.name = name;
        this.frames = frames;
        this.frameNs = frameNs;
        this.ingest = ingest;
        this.mount = mount;
        this.password = password;
    }

    /**
     * Splits an MP3 or ADTS recording into frames.
     */
    static List<byte[]> framesOf(final byte[] recording)
    {
        final List<byte[]> frames = new ArrayList<>();
        final AudioFrameSplitter splitter = new AudioFrameSplitter(
            (DirectBuffer buffer, int offset, int length, org.seamcast.codec.audio.AudioFrameHeader header) ->
            {
                final byte[] frame = new byte[length];
                buffer.getBytes(offset, frame);
                frames.add(frame);
            });
        splitter.onData(recording, 0, recording.length);
        splitter.finish();
        if (frames.isEmpty())
        {
            throw new IllegalArgumentException("the recording holds no audio frames");
        }
        return frames;
    }

    /**
     * Connects and starts streaming on its own thread; reconnects if the ingest drops it, until {@link #close()}.
     */
    synchronized void start()
    {
        if (running)
        {
            return;
        }
        running = true;
        final Thread t = new Thread(this::run, "encoder-" + name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    boolean isRunning()
    {
        return running;
    }

    long framesSent()
    {
        return framesSent;
    }

    String name()
    {
        return name;
    }

    private void run()
    {
        while (running)
        {
            try (Socket s = new Socket())
            {
                socket = s;
                s.connect(ingest, 2_000);
                s.setTcpNoDelay(true);
                final OutputStream out = s.getOutputStream();
                out.write(("PUT " + mount + " HTTP/1.1\r\n"
                    + "Host: " + ingest.getHostString() + ":" + ingest.getPort() + "\r\n"
                    + "Authorization: Basic " + Base64.getEncoder().encodeToString(
                        ("source:" + password).getBytes(StandardCharsets.UTF_8)) + "\r\n"
                    + "Content-Type: audio/mpeg\r\n"
                    + "Ice-Name: Seamcast Demo FM\r\n"
                    + "Ice-Description: Generated tune, two encoders, two relays, one edge\r\n"
                    + "Ice-Genre: Demo\r\n"
                    + "Ice-Public: 0\r\n"
                    + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                awaitGoAhead(s.getInputStream());
                stream(out);
            }
            catch (final IOException ex)
            {
                if (running)
                {
                    LockSupport.parkNanos(500_000_000L);
                }
            }
        }
    }

    private static void awaitGoAhead(final InputStream in) throws IOException
    {
        final StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n')
        {
            line.append((char)b);
        }
        if (!line.toString().contains(" 100 ") && !line.toString().contains(" 200 "))
        {
            throw new IOException("ingest refused the source: " + line.toString().trim());
        }
    }

    private void stream(final OutputStream out) throws IOException
    {
        long index = System.currentTimeMillis() * 1_000_000L / frameNs;
        while (running)
        {
            out.write(frames.get((int)(index % frames.size())));
            out.flush();
            framesSent++;
            index++;
            final long dueWallNs = index * frameNs;
            long waitNs;
            while (running && (waitNs = dueWallNs - System.currentTimeMillis() * 1_000_000L) > 0)
            {
                LockSupport.parkNanos(Math.min(waitNs, 5_000_000L));
            }
        }
    }

    /**
     * Stops streaming at once, as when the encoder's power is pulled.
     */
    @Override
    public synchronized void close()
    {
        running = false;
        final Socket s = socket;
        if (s != null)
        {
            try
            {
                s.close();
            }
            catch (final IOException ignored)
            {
                // closing a dead encoder's socket: nothing to do
            }
        }
        final Thread t = thread;
        if (t != null)
        {
            try
            {
                t.join(2_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
