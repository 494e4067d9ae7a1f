package org.seamcast.ingest.source;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import org.seamcast.codec.audio.AudioFormat;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.ingest.stream.FramePacer;
import org.seamcast.ingest.stream.SourceSession;
import org.seamcast.ingest.stream.StreamHeaders;
import org.seamcast.ingest.stream.StreamHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One connection to the source server, from its first byte to its close. Stateful, one per channel.
 * <pre>
 *   HEAD      collect the request head (at most maxHeaderBytes, within headerTimeoutMs), then decide:
 *             SOURCE/PUT  auth (401) -&gt; content type (415) -&gt; mount free (403) -&gt; 100 Continue or 200 OK -&gt; STREAM
 *             GET /admin/metadata, /admin.cgi  {@link MetadataEndpoint}: request (400) -&gt; auth (401)
 *                         -&gt; live mount (400) -&gt; METADATA sent -&gt; 200 -&gt; DONE, every answer Icecast's XML
 *   STREAM    every byte goes to the mount's {@link SourceSession}, which stamps at each channelReadComplete;
 *             silence for sourceIdleTimeoutMs or more than maxGarbageBytes without a frame closes the connection
 *             and frees the mount
 *   DONE      an answer is on its way; further bytes are discarded
 * </pre>
 * A refusal touches nothing but its own connection, so a live mount never notices a bad client.
 */
final class SourceConnectionHandler extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(SourceConnectionHandler.class);
    private static final String SERVER = "Server: Seamcast ingest (Icecast-compatible)\r\n";
    private static final String WWW_AUTHENTICATE = "WWW-Authenticate: Basic realm=\"Icecast2 Server\"\r\n";

    private enum State
    {
        HEAD, STREAM, DONE
    }

    private final SourceServer.Settings settings;
    private final StreamHub hub;
    private final SourcePasswords passwords;
    private final MetadataEndpoint metadata;
    private final SourceServerMetrics metrics;
    private State state = State.HEAD;
    private ByteBuf head;
    private ScheduledFuture<?> headerTimeout;
    private SourceSession session;

    SourceConnectionHandler(
        final SourceServer.Settings settings,
        final StreamHub hub,
        final SourcePasswords passwords,
        final MetadataEndpoint metadata,
        final SourceServerMetrics metrics)
    {
        this.settings = settings;
        this.hub = hub;
        this.passwords = passwords;
        this.metadata = metadata;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        metrics.connections.increment();
        headerTimeout = ctx.executor().schedule(() ->
        {
            if (state == State.HEAD)
            {
                metrics.headerTimeout.increment();
                reply(ctx, 408, "Request Timeout", "no request head within " + settings.headerTimeoutMs() + " ms");
            }
        }, settings.headerTimeoutMs(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf in = (ByteBuf)msg;
        try
        {
            switch (state)
            {
                case HEAD -> readHead(ctx, in);
                case STREAM -> stream(ctx, in);
                case DONE ->
                {
                }
            }
        }
        finally
        {
            in.release();
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        if (state == State.STREAM)
        {
            session.endOfRead();
        }
        ctx.fireChannelReadComplete();
    }

    private void readHead(final ChannelHandlerContext ctx, final ByteBuf in)
    {
        if (head == null)
        {
            head = ctx.alloc().buffer(Math.min(1024, settings.maxHeaderBytes()));
        }
        head.writeBytes(in);
        final int headLength = SourceRequest.endOfHead(head);
        if (headLength < 0)
        {
            if (head.readableBytes() > settings.maxHeaderBytes())
            {
                metrics.headerTooLarge.increment();
                reply(ctx, 431, "Request Header Fields Too Large",
                    "request head longer than " + settings.maxHeaderBytes() + " bytes");
            }
            return;
        }
        if (headLength > settings.maxHeaderBytes())
        {
            metrics.headerTooLarge.increment();
            reply(ctx, 431, "Request Header Fields Too Large",
                "request head of " + headLength + " bytes > " + settings.maxHeaderBytes());
            return;
        }
        headerTimeout.cancel(false);
        final SourceRequest request = SourceRequest.parse(SourceRequest.decodeHead(head, headLength));
        head.skipBytes(headLength);
        if (request == null)
        {
            metrics.badRequest.increment();
            reply(ctx, 400, "Bad Request", "not an HTTP or ICE request");
            return;
        }
        switch (request.method())
        {
            case "SOURCE", "PUT" -> startSource(ctx, request);
            case "GET" -> admin(ctx, request);
            default ->
            {
                metrics.badRequest.increment();
                reply(ctx, 405, "Method Not Allowed", "method " + request.method() + " not allowed");
            }
        }
        if (state == State.STREAM && head.isReadable())
        {
            stream(ctx, head);
        }
        releaseHead();
    }

    private void startSource(final ChannelHandlerContext ctx, final SourceRequest request)
    {
        final String mountText = request.path();
        if (!passwords.allows(mountText, request.header("authorization")))
        {
            metrics.unauthorized.increment();
            reply(ctx, 401, "Unauthorized", "authentication required for " + mountText, WWW_AUTHENTICATE);
            return;
        }
        final String contentType = request.header("content-type");
        if (contentType != null && AudioFormat.fromContentType(contentType) == null)
        {
            metrics.unsupportedType.increment();
            reply(ctx, 415, "Unsupported Media Type",
                "content type " + contentType + " is not carried; send audio/mpeg (MP3) or audio/aac (ADTS)");
            return;
        }
        if (request.header("transfer-encoding") != null)
        {
            metrics.badRequest.increment();
            reply(ctx, 400, "Bad Request", "Transfer-Encoding is not supported for a source; send the stream raw");
            return;
        }
        final MountName mount;
        try
        {
            mount = MountName.of(mountText);
        }
        catch (final IllegalArgumentException ex)
        {
            metrics.badRequest.increment();
            reply(ctx, 400, "Bad Request", "bad mount: " + ex.getMessage());
            return;
        }
        final SourceSession opened = hub.open(
            mount, StreamHeaders.from(request.headers()), String.valueOf(ctx.channel().remoteAddress()), FramePacer.NONE);
        if (opened == null)
        {
            metrics.busy.increment();
            reply(ctx, 403, "Forbidden", "Mountpoint in use");
            return;
        }
        session = opened;
        state = State.STREAM;
        ctx.pipeline().addFirst("source-idle",
            new IdleStateHandler(settings.sourceIdleTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS));
        final boolean expectContinue = "100-continue".equalsIgnoreCase(
            String.valueOf(request.header("expect")).trim());
        final String status = expectContinue ? "HTTP/1.1 100 Continue\r\n\r\n" : "HTTP/1.0 200 OK\r\n" + SERVER + "\r\n";
        ctx.writeAndFlush(Unpooled.copiedBuffer(status, StandardCharsets.ISO_8859_1));
    }

    private void admin(final ChannelHandlerContext ctx, final SourceRequest request)
    {
        final MetadataRequest.Form form = MetadataRequest.Form.of(request.path());
        if (form == null)
        {
            metrics.notFound.increment();
            reply(ctx, 404, "Not Found", "no such path: " + request.path());
            return;
        }
        final MetadataEndpoint.Answer answer = metadata.answer(form, request);
        adminReply(ctx, answer.status(), answer.message(), answer.success(),
            answer.askForCredentials() ? WWW_AUTHENTICATE : "");
    }

    private void adminReply(
        final ChannelHandlerContext ctx,
        final int status,
        final String message,
        final boolean success,
        final String extraHeaders)
    {
        state = State.DONE;
        respond(ctx, "HTTP/1.0 " + status + " " + reason(status) + "\r\nContent-Type: " + IceResponse.CONTENT_TYPE
            + "\r\n" + extraHeaders, IceResponse.body(message, success));
    }

    private static String reason(final int status)
    {
        return switch (status)
        {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            default -> "Error";
        };
    }

    private void stream(final ChannelHandlerContext ctx, final ByteBuf in)
    {
        session.onData(in);
        if (session.garbageSinceLastFrame() > settings.maxGarbageBytes())
        {
            metrics.endedGarbage.increment();
            LOG.warn("source {} on {} sent {} bytes that are not {} audio; closing", ctx.channel().remoteAddress(),
                session.mount(), session.garbageSinceLastFrame(), "MP3 or ADTS");
            state = State.DONE;
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        if (evt instanceof IdleStateEvent && state == State.STREAM)
        {
            metrics.endedStalled.increment();
            LOG.warn("source {} on {} sent nothing for {} ms; closing", ctx.channel().remoteAddress(),
                session.mount(), settings.sourceIdleTimeoutMs());
            state = State.DONE;
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (headerTimeout != null)
        {
            headerTimeout.cancel(false);
        }
        if (state == State.STREAM)
        {
            metrics.endedEof.increment();
        }
        state = State.DONE;
        releaseHead();
        if (session != null)
        {
            session.close();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (state == State.STREAM)
        {
            metrics.endedError.increment();
            LOG.warn("source {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        state = State.DONE;
        ctx.close();
    }

    private void releaseHead()
    {
        if (head != null)
        {
            head.release();
            head = null;
        }
    }

    private void reply(final ChannelHandlerContext ctx, final int status, final String reason, final String message)
    {
        reply(ctx, status, reason, message, "");
    }

    private void reply(
        final ChannelHandlerContext ctx,
        final int status,
        final String reason,
        final String message,
        final String extraHeaders)
    {
        state = State.DONE;
        respond(ctx, "HTTP/1.0 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + extraHeaders, (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(final ChannelHandlerContext ctx, final String statusAndHeaders, final byte[] body)
    {
        final ByteBuf out = ctx.alloc().buffer(statusAndHeaders.length() + 128 + body.length);
        out.writeCharSequence(statusAndHeaders, StandardCharsets.ISO_8859_1);
        out.writeCharSequence(SERVER + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n",
            StandardCharsets.ISO_8859_1);
        out.writeBytes(body);
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }
}
