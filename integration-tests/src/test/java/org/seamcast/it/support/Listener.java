package org.seamcast.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A listener on an Icecast-compatible mount for the whole of a test: it records every byte with the wall time it
 * arrived, and remembers whether and when the server dropped it, which no fault may cause. Its own thread reads;
 * {@link #close()} stops it and hands over the recording.
 */
public final class Listener implements AutoCloseable
{
    private final String name;
    private final Socket socket = new Socket();
    private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
    private final List<long[]> chunks = new ArrayList<>();
    private final Thread reader;
    private volatile String head = "";
    private volatile String droppedBecause;
    private volatile long droppedAtMs;
    private volatile boolean stopping;

    private Listener(final String name, final String host, final int port, final String mount)
    {
        this.name = name;
        this.reader = new Thread(() -> read(host, port, mount), "listener-" + name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Connects to {@code http://host:port/mount} (no ICY metadata) and starts recording.
     */
    public static Listener start(final String name, final String host, final int port, final String mount)
    {
        return new Listener(name, host, port, mount);
    }

    private void read(final String host, final int port, final String mount)
    {
        try
        {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + mount + " HTTP/1.0\r\nUser-Agent: seamcast-test-listener\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            final StringBuilder response = new StringBuilder();
            while (!response.toString().endsWith("\r\n\r\n"))
            {
                final int b = in.read();
                if (b < 0)
                {
                    throw new IOException("closed before the response head ended: " + response);
                }
                response.append((char)b);
            }
            head = response.toString();
            if (!head.startsWith("HTTP/1.0 200") && !head.startsWith("HTTP/1.1 200") && !head.startsWith("ICY 200"))
            {
                throw new IOException("refused: " + head.lines().findFirst().orElse(head));
            }
            final byte[] buffer = new byte[16 * 1024];
            while (!stopping)
            {
                final int n = in.read(buffer);
                if (n < 0)
                {
                    throw new IOException("the server closed the connection");
                }
                synchronized (this)
                {
                    chunks.add(new long[]{ System.currentTimeMillis(), audio.size(), n });
                    audio.write(buffer, 0, n);
                }
            }
        }
        catch (final IOException ex)
        {
            if (!stopping)
            {
                droppedAtMs = System.currentTimeMillis();
                droppedBecause = ex.toString();
            }
        }
    }

    /** @return bytes of audio received so far. */
    public synchronized int bytes()
    {
        return audio.size();
    }

    /** @return the response head, once received. */
    public String head()
    {
        return head;
    }

    /** @return why the listener was dropped, or null while it is connected. */
    public String droppedBecause()
    {
        return droppedBecause;
    }

    public long droppedAtMs()
    {
        return droppedAtMs;
    }

    /**
     * @return the audio received so far.
     */
    public synchronized byte[] audio()
    {
        return audio.toByteArray();
    }

    /**
     * @return the wall time (ms) at which the byte at {@code offset} of the recording arrived, or -1.
     */
    public synchronized long arrivalMs(final int offset)
    {
        for (final long[] chunk : chunks)
        {
            if (offset >= chunk[1] && offset < chunk[1] + chunk[2])
            {
                return chunk[0];
            }
        }
        return -1;
    }

    /**
     * Stops listening; the recording stays readable.
     */
    @Override
    public void close()
    {
        stopping = true;
        try
        {
            socket.close();
        }
        catch (final IOException ignore)
        {
            // closing a socket that is already closed
        }
        try
        {
            reader.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString()
    {
        return "listener " + name;
    }
}
