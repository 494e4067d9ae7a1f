package org.seamcast.edge.listener;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Answers the one request of a listener connection, the way Icecast does: an HTTP/1.0 response that is never
 * chunked and ends when the connection closes. Stateful: one per channel.
 */
final class ListenerRequestHandler extends ChannelInboundHandlerAdapter
{
    static final String IDLE_HANDLER_NAME = "request-timeout";
    static final String DECODER_NAME = "http-request-decoder";

    private final ListenerServerContext ctx;
    private final Map<String, MountPoint> mounts;
    private final ListenerCounters counters;
    private final long startedEpochMs;
    private boolean answered;

    ListenerRequestHandler(
        final ListenerServerContext ctx,
        final Map<String, MountPoint> mounts,
        final ListenerCounters counters,
        final long startedEpochMs)
    {
        this.ctx = ctx;
        this.mounts = mounts;
        this.counters = counters;
        this.startedEpochMs = startedEpochMs;
    }

    @Override
    public void channelRead(final ChannelHandlerContext channelCtx, final Object msg)
    {
        try
        {
            if (answered)
            {
                return;
            }
            if (msg instanceof HttpRequest request)
            {
                answered = true;
                if (request.decoderResult().isFailure())
                {
                    final boolean tooLong = request.decoderResult().cause() instanceof TooLongFrameException;
                    sendAndClose(channelCtx, tooLong ? "431 Request Header Fields Too Large" : "400 Bad Request",
                        "text/plain", (tooLong ? "request header too large" : "malformed request") + "\n", false);
                    return;
                }
                handle(channelCtx, request);
            }
            else if (msg instanceof HttpContent content && content.decoderResult().isFailure())
            {
                answered = true;
                sendAndClose(channelCtx, "400 Bad Request", "text/plain", "malformed request\n", false);
            }
        }
        finally
        {
            ReferenceCountUtil.release(msg);
        }
    }

    private void handle(final ChannelHandlerContext channelCtx, final HttpRequest request)
    {
        final boolean head = HttpMethod.HEAD.equals(request.method());
        if (!head && !HttpMethod.GET.equals(request.method()))
        {
            sendAndClose(channelCtx, "405 Method Not Allowed", "text/plain",
                "method " + request.method() + " not allowed\n", false);
            return;
        }

        final String uri = request.uri();
        final int q = uri.indexOf('?');
        final String path = q < 0 ? uri : uri.substring(0, q);

        if ("/admin/streamlist.txt".equals(path))
        {
            final StringBuilder body = new StringBuilder();
            for (final String name : mounts.keySet())
            {
                body.append(name).append('\n');
            }
            sendAndClose(channelCtx, "200 OK", "text/plain", body.toString(), head);
            return;
        }
        if ("/status-json.xsl".equals(path))
        {
            final String host = hostOf(request);
            sendAndClose(channelCtx, "200 OK", "application/json",
                IcecastStatusJson.render(ctx.serverName(), host, startedEpochMs, mounts.values()), head);
            return;
        }

        final MountPoint mount = mounts.get(path);
        if (mount == null)
        {
            sendAndClose(channelCtx, "404 File Not Found", "text/plain", "no such mount: " + path + "\n", head);
            return;
        }

        if (head)
        {
            final boolean icy = "1".equals(request.headers().get("Icy-MetaData"));
            final ByteBuf header = Unpooled.copiedBuffer(streamHeader(mount, icy), StandardCharsets.ISO_8859_1);
            channelCtx.writeAndFlush(header).addListener(ChannelFutureListener.CLOSE);
            return;
        }

        if (ctx.maxListeners() > 0 && counters.listeners.incrementAndGet() > ctx.maxListeners())
        {
            counters.listeners.decrementAndGet();
            refuseFull(channelCtx, uri);
            return;
        }
        else if (ctx.maxListeners() == 0)
        {
            counters.listeners.incrementAndGet();
        }

        final boolean icy = "1".equals(request.headers().get("Icy-MetaData"));
        channelCtx.pipeline().remove(IDLE_HANDLER_NAME);
        channelCtx.pipeline().remove(DECODER_NAME);
        channelCtx.write(Unpooled.copiedBuffer(streamHeader(mount, icy), StandardCharsets.ISO_8859_1),
            channelCtx.voidPromise());
        mount.attach(channelCtx.channel(), icy);
    }

    private void refuseFull(final ChannelHandlerContext channelCtx, final String uri)
    {
        if (ctx.redirectTargets().isEmpty())
        {
            counters.refused.incrementAndGet();
            sendAndClose(channelCtx, "503 Service Unavailable", "text/plain", "server full\n", false);
            return;
        }
        final long n = counters.redirected.getAndIncrement();
        final URI target = ctx.redirectTargets().get((int)(n % ctx.redirectTargets().size()));
        final String base = target.toString().endsWith("/") ?
            target.toString().substring(0, target.toString().length() - 1) : target.toString();
        final String location = base + uri;
        final String response = "HTTP/1.0 302 Found\r\n"
            + "Server: " + ctx.serverName() + "\r\n"
            + "Location: " + clean(location) + "\r\n"
            + "Content-Length: 0\r\n"
            + "Connection: close\r\n\r\n";
        channelCtx.writeAndFlush(Unpooled.copiedBuffer(response, StandardCharsets.ISO_8859_1))
            .addListener(ChannelFutureListener.CLOSE);
    }

    private String streamHeader(final MountPoint mount, final boolean icy)
    {
        final StreamHeaders headers = mount.headers();
        final StringBuilder b = new StringBuilder(512)
            .append("HTTP/1.0 200 OK\r\n")
            .append("Server: ").append(ctx.serverName()).append("\r\n")
            .append("Date: ").append(httpDate()).append("\r\n")
            .append("Content-Type: ").append(clean(headers.contentType())).append("\r\n")
            .append("Cache-Control: no-cache, no-store\r\n")
            .append("Expires: Mon, 26 Jul 1997 05:00:00 GMT\r\n")
            .append("Pragma: no-cache\r\n")
            .append("Access-Control-Allow-Origin: *\r\n");
        if (headers.bitrateKbps() > 0)
        {
            b.append("icy-br:").append(headers.bitrateKbps()).append("\r\n");
        }
        header(b, "icy-description", headers.description());
        header(b, "icy-genre", headers.genre());
        header(b, "icy-name", headers.name());
        b.append("icy-pub:").append(headers.isPublic() ? 1 : 0).append("\r\n");
        header(b, "icy-url", headers.url());
        header(b, "ice-audio-info", headers.audioInfo());
        if (icy)
        {
            b.append("icy-metaint:").append(ctx.icyMetaintBytes()).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    private static void header(final StringBuilder b, final String name, final String value)
    {
        if (value != null && !value.isEmpty())
        {
            b.append(name).append(':').append(clean(value)).append("\r\n");
        }
    }

    /**
     * Strips control characters (CR/LF above all) so an announce cannot inject headers.
     */
    static String clean(final String value)
    {
        final StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c >= 0x20 && c != 0x7f && c < 0x100)
            {
                b.append(c);
            }
        }
        return b.toString();
    }

    private void sendAndClose(
        final ChannelHandlerContext channelCtx,
        final String status,
        final String contentType,
        final String body,
        final boolean head)
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        final String header = "HTTP/1.0 " + status + "\r\n"
            + "Server: " + ctx.serverName() + "\r\n"
            + "Date: " + httpDate() + "\r\n"
            + "Content-Type: " + contentType + "; charset=utf-8\r\n"
            + "Content-Length: " + bytes.length + "\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Connection: close\r\n\r\n";
        final ByteBuf response = Unpooled.buffer(header.length() + (head ? 0 : bytes.length));
        response.writeCharSequence(header, StandardCharsets.ISO_8859_1);
        if (!head)
        {
            response.writeBytes(bytes);
        }
        channelCtx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static String hostOf(final HttpRequest request)
    {
        final String host = request.headers().get(HttpHeaderNames.HOST);
        return host == null ? "localhost" : clean(host);
    }

    private static String httpDate()
    {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext channelCtx, final Object evt)
    {
        if (evt instanceof IdleStateEvent)
        {
            channelCtx.close();
        }
        else
        {
            channelCtx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext channelCtx, final Throwable cause)
    {
        channelCtx.close();
    }
}
