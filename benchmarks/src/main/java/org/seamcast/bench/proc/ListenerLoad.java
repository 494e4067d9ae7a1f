package org.seamcast.bench.proc;

import org.seamcast.bench.load.Args;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Listeners as a process of their own: {@code --listeners} HTTP clients on each {@code --url}, all on one NIO
 * thread, each reading its stream and throwing it away, counting bytes per listener to check that each keeps up.
 *
 * <pre>
 *   java -cp seamcast-benchmarks.jar org.seamcast.bench.proc.ListenerLoad --listeners 500 \
 *        --url http://127.0.0.1:8100/live.mp3 --url http://127.0.0.1:8000/live.mp3
 * </pre>
 *
 * <p>Protocol with the process that starts it: it prints {@code listeners connected} once every listener got its
 * response head (or {@code listeners failed ...}); each line {@code mark} on its standard input makes it print, per
 * URL, {@code listeners mark url=U open=N ms=T min_bps=.. mean_bps=.. below=K closed=C bad=B}: over the time since
 * the previous mark, the slowest and mean listener's bytes per second and how many fell below
 * {@code --min-bytes-per-second}. It ends when its standard input ends.
 */
public final class ListenerLoad
{
    static final String CONNECTED = "listeners connected";
    static final String MARK = "listeners mark";
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int MAX_HEAD_BYTES = 8 * 1024;
    private static final long CONNECT_TIMEOUT_MS = 60_000;
    private static final long TICK_MS = 10;

    private final List<Listener> listeners = new ArrayList<>();
    private final List<URI> urls;
    private final int perUrl;
    private final int rampPerSecond;
    private final long minBytesPerSecond;
    private final ConcurrentLinkedQueue<String> commands = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private Selector selector;
    private long lastMarkNs;
    private volatile boolean inputOpen = true;

    private ListenerLoad(final List<URI> urls, final int perUrl, final int rampPerSecond, final long minBytesPerSecond)
    {
        this.urls = urls;
        this.perUrl = perUrl;
        this.rampPerSecond = rampPerSecond;
        this.minBytesPerSecond = minBytesPerSecond;
    }

    public static void main(final String[] args) throws IOException
    {
        final List<URI> urls = new ArrayList<>();
        int perUrl = 100;
        int ramp = 250;
        long minBytesPerSecond = 15_200;
        try
        {
            for (int i = 0; i < args.length; i++)
            {
                final String arg = args[i];
                switch (arg)
                {
                    case "--url" -> urls.add(URI.create(Args.value(args, ++i, arg)));
                    case "--listeners" -> perUrl = Args.intValue(args, ++i, arg, 1, 10_000);
                    case "--ramp-per-second" -> ramp = Args.intValue(args, ++i, arg, 10, 100_000);
                    case "--min-bytes-per-second" -> minBytesPerSecond = Args.intValue(args, ++i, arg, 1, 10_000_000);
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (urls.isEmpty())
            {
                throw new IllegalArgumentException("needs at least one --url http://host:port/mount");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        new ListenerLoad(urls, perUrl, ramp, minBytesPerSecond).run();
    }

    /**
     * One connection: which URL, its byte count, and its count at the previous mark.
     */
    private static final class Listener
    {
        final int url;
        final SocketChannel channel;
        final StringBuilder head = new StringBuilder();
        boolean headDone;
        boolean open = true;
        boolean bad;
        long bytes;
        long bytesAtMark;

        Listener(final int url, final SocketChannel channel)
        {
            this.url = url;
            this.channel = channel;
        }
    }

    private void run() throws IOException
    {
        selector = Selector.open();
        final Thread input = new Thread(this::readCommands, "listeners-stdin");
        input.setDaemon(true);
        input.start();
        final long startNs = System.nanoTime();
        boolean announced = false;
        int started = 0;
        final int total = perUrl * urls.size();
        while (inputOpen)
        {
            final long elapsedNs = System.nanoTime() - startNs;
            final long due = Math.min(total, 1 + elapsedNs * rampPerSecond / TimeUnit.SECONDS.toNanos(1));
            while (started < due)
            {
                open(started % urls.size());
                started++;
            }
            selector.select(TICK_MS);
            for (final SelectionKey key : selector.selectedKeys())
            {
                handle(key);
            }
            selector.selectedKeys().clear();
            if (!announced && started == total)
            {
                final long headsIn = listeners.stream().filter(l -> l.headDone || !l.open).count();
                if (headsIn == total)
                {
                    announced = true;
                    final long bad = listeners.stream().filter(l -> l.bad || !l.open).count();
                    System.out.println(bad == 0 ? CONNECTED + " " + total
                        : "listeners failed " + bad + " of " + total + " (closed or not 200)");
                    System.out.flush();
                    lastMarkNs = System.nanoTime();
                    markAll();
                }
                else if (elapsedNs > TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT_MS))
                {
                    System.out.println("listeners failed: " + (total - headsIn) + " of " + total
                        + " got no response head in " + CONNECT_TIMEOUT_MS + " ms");
                    System.out.flush();
                    announced = true;
                }
            }
            String command;
            while ((command = commands.poll()) != null)
            {
                if (command.equals("mark"))
                {
                    report();
                }
            }
        }
        for (final Listener listener : listeners)
        {
            listener.channel.close();
        }
        selector.close();
    }

    private void open(final int url) throws IOException
    {
        final URI uri = urls.get(url);
        final SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        final Listener listener = new Listener(url, channel);
        listeners.add(listener);
        channel.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
        channel.register(selector, SelectionKey.OP_CONNECT, listener);
    }

    private void handle(final SelectionKey key)
    {
        final Listener listener = (Listener)key.attachment();
        try
        {
            if (key.isConnectable())
            {
                listener.channel.finishConnect();
                final URI uri = urls.get(listener.url);
                final String request = "GET " + uri.getRawPath() + " HTTP/1.0\r\nHost: " + uri.getHost() + ":"
                    + uri.getPort() + "\r\nUser-Agent: seamcast-bench-listener\r\nAccept: */*\r\n\r\n";
                listener.channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
                key.interestOps(SelectionKey.OP_READ);
            }
            else if (key.isReadable())
            {
                read(key, listener);
            }
        }
        catch (final IOException ex)
        {
            close(key, listener);
        }
    }

    private void read(final SelectionKey key, final Listener listener) throws IOException
    {
        readBuffer.clear();
        final int n = listener.channel.read(readBuffer);
        if (n < 0)
        {
            close(key, listener);
            return;
        }
        listener.bytes += n;
        if (!listener.headDone)
        {
            readBuffer.flip();
            while (readBuffer.hasRemaining() && !listener.headDone)
            {
                listener.head.append((char)(readBuffer.get() & 0xff));
                if (listener.head.length() >= 4 && listener.head.lastIndexOf("\r\n\r\n") == listener.head.length() - 4)
                {
                    listener.headDone = true;
                    final String status = listener.head.substring(0, listener.head.indexOf("\r\n"));
                    listener.bad = !status.contains(" 200");
                }
                else if (listener.head.length() > MAX_HEAD_BYTES)
                {
                    listener.headDone = true;
                    listener.bad = true;
                }
            }
        }
    }

    private void close(final SelectionKey key, final Listener listener)
    {
        key.cancel();
        listener.open = false;
        try
        {
            listener.channel.close();
        }
        catch (final IOException ex)
        {
            // closing a failed connection
        }
    }

    private void markAll()
    {
        for (final Listener listener : listeners)
        {
            listener.bytesAtMark = listener.bytes;
        }
    }

    private void report()
    {
        final long nowNs = System.nanoTime();
        final double seconds = (nowNs - lastMarkNs) / 1e9;
        for (int u = 0; u < urls.size(); u++)
        {
            long open = 0;
            long closed = 0;
            long bad = 0;
            long below = 0;
            double min = Double.MAX_VALUE;
            double sum = 0;
            for (final Listener listener : listeners)
            {
                if (listener.url != u)
                {
                    continue;
                }
                if (!listener.open)
                {
                    closed++;
                    continue;
                }
                if (listener.bad)
                {
                    bad++;
                }
                open++;
                final double bps = (listener.bytes - listener.bytesAtMark) / seconds;
                min = Math.min(min, bps);
                sum += bps;
                if (bps < minBytesPerSecond)
                {
                    below++;
                }
            }
            System.out.printf(Locale.ROOT, "%s url=%s open=%d ms=%d min_bps=%.0f mean_bps=%.0f below=%d closed=%d "
                + "bad=%d%n", MARK, urls.get(u), open, Math.round(seconds * 1000), open == 0 ? 0 : min,
                open == 0 ? 0 : sum / open, below, closed, bad);
        }
        System.out.flush();
        lastMarkNs = nowNs;
        markAll();
    }

    private void readCommands()
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                commands.add(line.trim());
                selector.wakeup();
            }
        }
        catch (final IOException ex)
        {
            // treated as the end of input
        }
        inputOpen = false;
        selector.wakeup();
    }
}
