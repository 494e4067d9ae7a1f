package org.seamcast.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A player that asks for ICY metadata ({@code Icy-MetaData: 1}) and keeps every {@code StreamTitle} the server
 * sends, in order, read on its own thread until {@link #close()}. Icecast writes titles in the mount's charset
 * (ISO-8859-1 unless configured), the edge in UTF-8: the caller says which.
 */
public final class IcyTitleListener implements AutoCloseable
{
    private static final String STREAM_TITLE = "StreamTitle='";

    private final Socket socket = new Socket();
    private final Charset charset;
    private final List<String> titles = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile long audioBytes;
    private volatile String failure;
    private volatile boolean stopping;

    private IcyTitleListener(final int port, final String mount, final Charset charset)
    {
        this.charset = charset;
        this.reader = new Thread(() -> read(port, mount), "icy-titles" + mount);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Connects to {@code http://127.0.0.1:port/mount} and starts reading titles decoded with {@code charset}.
     */
    public static IcyTitleListener start(final int port, final String mount, final Charset charset)
    {
        return new IcyTitleListener(port, mount, charset);
    }

    private void read(final int port, final String mount)
    {
        try
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(("GET " + mount + " HTTP/1.0\r\nIcy-MetaData: 1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            final StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n"))
            {
                final int b = in.read();
                if (b < 0)
                {
                    throw new IOException("closed before the response head ended: " + head);
                }
                head.append((char)b);
            }
            final int metaint = Integer.parseInt(head.toString().lines()
                .filter(line -> line.toLowerCase().startsWith("icy-metaint:")).findFirst()
                .orElseThrow(() -> new IOException("no icy-metaint in " + head))
                .substring("icy-metaint:".length()).trim());
            while (!stopping)
            {
                audioBytes += in.readNBytes(metaint).length;
                final int length = in.read() * 16;
                if (length < 0)
                {
                    throw new IOException("the server closed the connection");
                }
                final String text = new String(in.readNBytes(length), charset);
                final int start = text.indexOf(STREAM_TITLE);
                if (start >= 0)
                {
                    titles.add(text.substring(start + STREAM_TITLE.length(), text.indexOf("';", start)));
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            if (!stopping)
            {
                failure = ex.toString();
            }
        }
    }

    /** Every title received, in order. */
    public List<String> titles()
    {
        return List.copyOf(titles);
    }

    /** The latest title received, or null before the first. */
    public String lastTitle()
    {
        return titles.isEmpty() ? null : titles.get(titles.size() - 1);
    }

    /** Audio bytes read so far. */
    public long audioBytes()
    {
        return audioBytes;
    }

    /** Why reading stopped before {@link #close()}, or null. */
    public String failure()
    {
        return failure;
    }

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
            // already closed
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
}
