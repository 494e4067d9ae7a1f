package org.seamcast.edge.listener;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.ReadTimeoutHandler;
import org.seamcast.transport.link.NettyTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Sends a pushed mount's title to the Icecast it feeds, the way source clients do:
 * <pre>
 *   GET /admin/metadata?mode=updinfo&amp;mount=/live&amp;song=Artist%20-%20Title&amp;charset=UTF-8 HTTP/1.0
 *   Authorization: Basic (the push's source credentials)
 * </pre>
 * one short connection per title. {@code charset=UTF-8} says what the bytes are, so Icecast converts them to the
 * mount's {@code <charset>} (ISO-8859-1 unless configured: Icecast 2.4 then writes characters Latin-1 lacks as
 * {@code &#NNNN;}; set {@code <charset>UTF-8</charset>} on the mount to keep them).
 *
 * <p>Latest wins: at most one request is in flight, and when it ends the newest title is sent if it differs from
 * what Icecast confirmed. A source that (re)connects starts without a title, so {@link #streaming} sends the
 * current one again; a refusal or timeout is retried every {@link #RETRY_DELAY_MS} while the push streams.
 *
 * <p>Threading: {@link #offer}, {@link #streaming}, {@link #stopped} and {@link #close} may be called from any
 * thread; all state is confined to one event loop, which also runs the requests.
 */
final class IcecastTitleUpdater
{
    static final long RETRY_DELAY_MS = 2_000;
    static final int CONNECT_TIMEOUT_MS = 5_000;
    static final int READ_TIMEOUT_SECONDS = 5;
    /** Icecast's answer is a few hundred bytes of XML; more is not Icecast. */
    static final int MAX_RESPONSE_BYTES = 16 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(IcecastTitleUpdater.class);
    private static final String SUCCESS = "<return>1</return>";

    private final URI target;
    private final String authorization;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private String wanted;
    private String confirmed;
    private boolean isStreaming;
    private boolean inFlight;
    private boolean retryScheduled;
    private boolean closed;
    private Channel channel;
    private volatile String problem;
    private volatile long titlesSent;

    IcecastTitleUpdater(final URI target, final String user, final String password, final EventLoop loop,
        final NettyTransport transport)
    {
        this.target = target;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
            (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.loop = loop;
        this.bootstrap = new Bootstrap()
            .group(loop)
            .channel(transport.socketChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS);
    }

    /**
     * The mount's title changed: send it once the push streams. Any thread.
     */
    void offer(final String title)
    {
        run(() ->
        {
            wanted = title;
            sendIfNeeded();
        });
    }

    /**
     * Icecast took the push as its source (which has no title yet): send {@code title}. Any thread.
     */
    void streaming(final String title)
    {
        run(() ->
        {
            isStreaming = true;
            confirmed = null;
            wanted = title;
            sendIfNeeded();
        });
    }

    /**
     * The push lost its connection: hold titles until it streams again. Any thread.
     */
    void stopped()
    {
        run(() -> isStreaming = false);
    }

    /**
     * Why the last title did not reach Icecast, or null when it did.
     */
    String problem()
    {
        return problem;
    }

    /**
     * Titles Icecast confirmed since start.
     */
    long titlesSent()
    {
        return titlesSent;
    }

    void close()
    {
        run(() ->
        {
            closed = true;
            if (channel != null)
            {
                channel.close();
            }
        });
    }

    private void run(final Runnable task)
    {
        try
        {
            loop.execute(task);
        }
        catch (final RejectedExecutionException shuttingDown)
        {
            LOG.debug("title update for {} dropped: the edge is closing", target);
        }
    }

    private void sendIfNeeded()
    {
        if (closed || !isStreaming || inFlight || wanted == null || wanted.equals(confirmed)
            || (confirmed == null && wanted.isEmpty()))
        {
            return;
        }
        inFlight = true;
        final String title = wanted;
        final StringBuilder response = new StringBuilder();
        final ChannelFuture connect = bootstrap.clone()
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(new ReadTimeoutHandler(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS),
                        new ResponseReader(response));
                }
            })
            .connect(target.getHost(), target.getPort());
        channel = connect.channel();
        connect.addListener(f ->
        {
            if (f.isSuccess())
            {
                connect.channel().writeAndFlush(Unpooled.copiedBuffer(request(title), StandardCharsets.ISO_8859_1));
            }
            else
            {
                connect.channel().close();
            }
        });
        connect.channel().closeFuture().addListener(f -> finished(title, connect, response));
    }

    private void finished(final String title, final ChannelFuture connect, final StringBuilder response)
    {
        inFlight = false;
        channel = null;
        final String statusLine = response.toString().lines().findFirst().orElse("");
        if (statusLine.contains(" 200 ") && response.indexOf(SUCCESS) >= 0)
        {
            confirmed = title;
            titlesSent++;
            problem = null;
        }
        else
        {
            final String why = !connect.isSuccess() ? "cannot connect: " + connect.cause().getMessage()
                : statusLine.isEmpty() ? "no answer" : "Icecast answered " + statusLine + " " + message(response);
            if (!why.equals(problem))
            {
                LOG.warn("title for {}:{}{} not set: {}", target.getHost(), target.getPort(), target.getPath(), why);
            }
            problem = why;
            if (!retryScheduled && !closed)
            {
                retryScheduled = true;
                loop.schedule(() ->
                {
                    retryScheduled = false;
                    sendIfNeeded();
                }, RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
            }
            return;
        }
        sendIfNeeded();
    }

    private static String message(final StringBuilder response)
    {
        final int start = response.indexOf("<message>");
        final int end = response.indexOf("</message>");
        if (start >= 0 && end > start)
        {
            return "(" + response.substring(start + "<message>".length(), end) + ")";
        }
        final int body = response.indexOf("\r\n\r\n");
        return body < 0 ? "" : "(" + response.substring(body + 4, Math.min(response.length(), body + 4 + 200)).trim()
            + ")";
    }

    private String request(final String title)
    {
        return "GET /admin/metadata?mode=updinfo&mount=" + percentEncode(target.getPath(), true)
            + "&song=" + percentEncode(title, false) + "&charset=UTF-8 HTTP/1.0\r\n"
            + "Host: " + target.getHost() + ":" + target.getPort() + "\r\n"
            + "Authorization: " + authorization + "\r\n"
            + "User-Agent: Seamcast\r\n\r\n";
    }

    /**
     * @return {@code text}'s UTF-8 bytes with everything but RFC 3986's unreserved characters (and '/' when
     * {@code keepSlash}) percent-encoded.
     */
    static String percentEncode(final String text, final boolean keepSlash)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final StringBuilder b = new StringBuilder(bytes.length * 3);
        for (final byte value : bytes)
        {
            final int c = value & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || (keepSlash && c == '/'))
            {
                b.append((char)c);
            }
            else
            {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return b.toString();
    }

    /**
     * Collects Icecast's whole answer (it closes the connection after it), bounded.
     */
    private static final class ResponseReader extends ChannelInboundHandlerAdapter
    {
        private final StringBuilder response;

        ResponseReader(final StringBuilder response)
        {
            this.response = response;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf buf = (ByteBuf)msg;
            try
            {
                if (response.length() + buf.readableBytes() > MAX_RESPONSE_BYTES)
                {
                    ctx.close();
                    return;
                }
                response.append(buf.toString(StandardCharsets.UTF_8));
            }
            finally
            {
                buf.release();
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }
    }
}
