package org.seamcast.ingest.pull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.audio.IcyDeinterleaver;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.ingest.stream.FramePacer;
import org.seamcast.ingest.stream.SourceSession;
import org.seamcast.ingest.stream.StreamHeaders;
import org.seamcast.ingest.stream.StreamHub;
import org.seamcast.transport.link.ReconnectBackoff;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Pulls a stream from an HTTP server (Icecast, Shoutcast, any HTTP audio URL), as Davecast's {@code daveice} does:
 * asks for in-band metadata ({@code Icy-MetaData: 1}), strips it with an {@link IcyDeinterleaver} and sends each
 * new {@code StreamTitle} as a METADATA message; follows redirects; accepts {@code ICY 200 OK}; a server that
 * does not answer within the connect timeout or then sends nothing for the read timeout is dropped; every
 * failure is followed by a new attempt after a jittered exponential backoff, forever, until closed. Each
 * connection is a new source session, hence a new epoch.
 *
 * <p>Threading: one thread per pulled URL, doing blocking socket reads bounded by {@code SO_TIMEOUT}; it splits,
 * stamps and sends on that thread. Reads that follow each other while the socket still has bytes
 * ({@code available() > 0}) are one read for the stamper, so a connect burst is stamped as one block.
 */
public final class HttpPullSource implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(HttpPullSource.class);
    private static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final int READ_CHUNK_BYTES = 16 * 1024;

    /**
     * Timeouts and backoff of a pull.
     */
    public record Settings(
        long connectTimeoutMs, long readTimeoutMs, long reconnectInitialMs, long reconnectMaxMs, int maxRedirects)
    {
    }

    private final URI url;
    private final MountName mount;
    private final Settings settings;
    private final StreamHub hub;
    private final Thread thread;
    private final Counter connects;
    private final Counter failures;
    private volatile boolean closed;
    private volatile Socket socket;
    private volatile String problem = "not connected yet";

    public HttpPullSource(
        final URI url, final String mount, final Settings settings, final StreamHub hub, final MeterRegistry registry)
    {
        this.url = url;
        this.mount = MountName.of(mount);
        this.settings = settings;
        this.hub = hub;
        this.thread = new FastThreadLocalThread(this::run, "seamcast-pull-" + mount);
        this.thread.setDaemon(true);
        connects = Counter.builder("seamcast.ingest.pull.connects")
            .description("connections made to the pulled stream's server").tag("mount", mount).register(registry);
        failures = Counter.builder("seamcast.ingest.pull.failures")
            .description("pulls that failed or ended (refused, timed out, closed); each is retried with backoff")
            .tag("mount", mount).register(registry);
    }

    public HttpPullSource start()
    {
        thread.start();
        return this;
    }

    /**
     * @return why the pull is not streaming now, or null when it is.
     */
    public String problem()
    {
        return problem;
    }

    private void run()
    {
        final ReconnectBackoff backoff = new ReconnectBackoff(
            TimeUnit.MILLISECONDS.toNanos(settings.reconnectInitialMs()),
            TimeUnit.MILLISECONDS.toNanos(settings.reconnectMaxMs()), System.nanoTime());
        while (!closed)
        {
            try
            {
                if (pullOnce())
                {
                    backoff.reset();
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                problem = "pull " + url + ": " + ex.getMessage();
                if (!closed)
                {
                    failures.increment();
                    LOG.warn("pull {} for {} failed: {}", url, mount, ex.toString());
                }
            }
            finally
            {
                closeSocket();
            }
            final long deadlineNs = System.nanoTime() + backoff.nextDelayNs();
            long nowNs;
            while (!closed && (nowNs = System.nanoTime()) < deadlineNs)
            {
                LockSupport.parkNanos(deadlineNs - nowNs);
            }
        }
    }

    /**
     * @return true when the connection carried audio before it ended.
     */
    private boolean pullOnce() throws IOException
    {
        URI target = url;
        for (int redirects = 0; ; redirects++)
        {
            final Socket socket = open(target);
            final InputStream in = socket.getInputStream();
            final OutputStream out = socket.getOutputStream();
            out.write(request(target).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            final String head = readHead(in);
            final String[] lines = head.split("\r?\n");
            final int status = status(lines[0]);
            final Map<String, String> headers = headers(lines);
            if (status >= 300 && status < 400 && headers.containsKey("location"))
            {
                if (redirects >= settings.maxRedirects())
                {
                    throw new IOException("more than " + settings.maxRedirects() + " redirects");
                }
                target = target.resolve(headers.get("location").trim());
                closeSocket();
                continue;
            }
            if (status != 200)
            {
                throw new IOException("server answered " + lines[0].trim());
            }
            return stream(in, headers, target);
        }
    }

    private boolean stream(final InputStream in, final Map<String, String> headers, final URI target)
        throws IOException
    {
        final SourceSession session = hub.open(mount, StreamHeaders.from(headers), target.toString(), FramePacer.NONE);
        if (session == null)
        {
            throw new IOException("mount " + mount + " already has a source");
        }
        connects.increment();
        problem = null;
        try
        {
            final byte[] chunk = new byte[READ_CHUNK_BYTES];
            final UnsafeBuffer view = new UnsafeBuffer(chunk);
            final String metaInt = headers.get("icy-metaint");
            IcyDeinterleaver deinterleaver = null;
            if (metaInt != null)
            {
                final int metaIntBytes;
                try
                {
                    metaIntBytes = Integer.parseInt(metaInt.trim());
                }
                catch (final NumberFormatException ex)
                {
                    throw new IOException("icy-metaint '" + metaInt + "' is not a number");
                }
                deinterleaver = new IcyDeinterleaver(metaIntBytes, session::onData, session::updateMetadata);
            }
            int read;
            while (!closed)
            {
                try
                {
                    read = in.read(chunk);
                }
                catch (final SocketTimeoutException ex)
                {
                    throw new IOException("no data for " + settings.readTimeoutMs() + " ms");
                }
                if (read < 0)
                {
                    throw new IOException("server closed the stream");
                }
                if (deinterleaver != null)
                {
                    deinterleaver.onData(view, 0, read);
                }
                else
                {
                    session.onData(view, 0, read);
                }
                if (in.available() == 0)
                {
                    session.endOfRead();
                }
            }
            return session.framesSent() > 0;
        }
        catch (final IOException ex)
        {
            if (closed)
            {
                return true;
            }
            if (session.framesSent() > 0)
            {
                problem = "pull " + url + ": " + ex.getMessage();
                failures.increment();
                LOG.warn("pull {} for {} ended after {} frames: {}", url, mount, session.framesSent(), ex.getMessage());
                return true;
            }
            throw ex;
        }
        finally
        {
            session.close();
        }
    }

    private Socket open(final URI target) throws IOException
    {
        final boolean tls = "https".equalsIgnoreCase(target.getScheme());
        final int port = target.getPort() > 0 ? target.getPort() : tls ? 443 : 80;
        final Socket plain = new Socket();
        this.socket = plain;
        if (closed)
        {
            throw new IOException("closed");
        }
        plain.connect(new InetSocketAddress(target.getHost(), port), (int)settings.connectTimeoutMs());
        plain.setSoTimeout((int)settings.readTimeoutMs());
        if (!tls)
        {
            return plain;
        }
        final Socket secure = ((SSLSocketFactory)SSLSocketFactory.getDefault())
            .createSocket(plain, target.getHost(), port, true);
        this.socket = secure;
        return secure;
    }

    private static String request(final URI target)
    {
        final String path = (target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath())
            + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        final String host = target.getHost() + (target.getPort() > 0 ? ":" + target.getPort() : "");
        return "GET " + path + " HTTP/1.0\r\n"
            + "Host: " + host + "\r\n"
            + "User-Agent: Seamcast-ingest\r\n"
            + "Accept: */*\r\n"
            + "Icy-MetaData: 1\r\n"
            + "Connection: close\r\n\r\n";
    }

    private static String readHead(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int last3 = 0;
        while (true)
        {
            final int b;
            try
            {
                b = in.read();
            }
            catch (final SocketTimeoutException ex)
            {
                throw new IOException("no response head within the read timeout");
            }
            if (b < 0)
            {
                throw new IOException("connection closed before the response head ended");
            }
            head.write(b);
            last3 = (last3 << 8 | b) & 0xFFFFFF;
            if ((last3 & 0xFFFF) == 0x0A0A || (last3 == 0x0A0D0A))
            {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            if (head.size() > MAX_HEAD_BYTES)
            {
                throw new IOException("response head longer than " + MAX_HEAD_BYTES + " bytes");
            }
        }
    }

    private static int status(final String statusLine) throws IOException
    {
        final String[] parts = statusLine.trim().split(" +");
        if (parts.length < 2 || !(parts[0].startsWith("HTTP/") || "ICY".equals(parts[0])))
        {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        try
        {
            return Integer.parseInt(parts[1]);
        }
        catch (final NumberFormatException ex)
        {
            throw new IOException("not an HTTP status: " + statusLine);
        }
    }

    private static Map<String, String> headers(final String[] lines)
    {
        final Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++)
        {
            final int colon = lines[i].indexOf(':');
            if (colon > 0)
            {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private void closeSocket()
    {
        final Socket socket = this.socket;
        if (socket != null)
        {
            try
            {
                socket.close();
            }
            catch (final IOException ignored)
            {
                // closing a dead socket: nothing to do
            }
        }
    }

    @Override
    public void close()
    {
        closed = true;
        closeSocket();
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
}
