package org.seamcast.edge.listener;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import org.seamcast.transport.link.NettyTransport;
import org.seamcast.transport.link.ReconnectBackoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Pushes one mount into an Icecast server as a source ({@code PUT /mount} with Basic auth), for sites that run
 * Icecast as the listener-facing server and prefer the edge to feed it. Once Icecast answers 200 the connection is
 * attached to the mount like a listener, so it gets the same frames; when Icecast goes away or refuses, the push
 * reconnects with backoff. The mount's title goes to Icecast's {@code /admin/metadata} with the same credentials
 * (see {@link IcecastTitleUpdater}), at once and again after every reconnect.
 */
public final class IcecastPush implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(IcecastPush.class);

    private final MountPoint mount;
    private final URI target;
    private final String user;
    private final String password;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final ReconnectBackoff backoff = new ReconnectBackoff();
    private final IcecastTitleUpdater titles;
    private volatile Channel channel;
    private volatile boolean closed;
    private volatile boolean streaming;
    private volatile String problem = "not connected yet";
    private volatile long connects;

    private IcecastPush(final MountPoint mount, final URI target, final EventLoopGroup group,
        final NettyTransport transport, final int maxQueuedBytes)
    {
        this.mount = mount;
        this.target = target;
        this.group = group;
        final String userInfo = target.getUserInfo() == null ? "source:" : target.getUserInfo();
        final int colon = userInfo.indexOf(':');
        this.user = colon < 0 ? "source" : userInfo.substring(0, colon);
        this.password = colon < 0 ? userInfo : userInfo.substring(colon + 1);
        this.titles = new IcecastTitleUpdater(target, user, password, group.next(), transport);
        this.bootstrap = new Bootstrap()
            .group(group)
            .channel(transport.socketChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(maxQueuedBytes / 2, maxQueuedBytes))
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(new ResponseHandler());
                }
            });
    }

    /**
     * Starts pushing {@code mount} to {@code target}, e.g. {@code icecast://source:secret@127.0.0.1:8000/live}
     * (or {@code http://}); the path is the Icecast mount.
     */
    public static IcecastPush start(final ListenerServer server, final MountPoint mount, final URI target)
    {
        if (!"icecast".equals(target.getScheme()) && !"http".equals(target.getScheme()))
        {
            throw new IllegalArgumentException("push target '" + target + "' must be icecast:// or http://");
        }
        if (target.getHost() == null || target.getPort() < 1 || target.getPath() == null || target.getPath().length() < 2)
        {
            throw new IllegalArgumentException("push target '" + target + "' must name host, port and mount");
        }
        final IcecastPush push = new IcecastPush(mount, target, server.eventLoopGroup(), NettyTransport.best(),
            server.context().maxQueuedBytes());
        mount.watchTitle(push.titles::offer);
        push.connect();
        return push;
    }

    private void connect()
    {
        if (closed)
        {
            return;
        }
        bootstrap.connect(target.getHost(), target.getPort()).addListener(f ->
        {
            if (!f.isSuccess())
            {
                problem = "cannot connect to " + target.getHost() + ":" + target.getPort() + ": "
                    + f.cause().getMessage();
                scheduleReconnect();
                return;
            }
            final Channel ch = ((io.netty.channel.ChannelFuture)f).channel();
            channel = ch;
            ch.writeAndFlush(Unpooled.copiedBuffer(request(), StandardCharsets.ISO_8859_1));
            ch.closeFuture().addListener(c ->
            {
                if (streaming)
                {
                    problem = "Icecast closed the source connection";
                }
                streaming = false;
                titles.stopped();
                if (!closed)
                {
                    LOG.warn("push of {} to {}:{}{} ended: {}", mount.name(), target.getHost(), target.getPort(),
                        target.getPath(), problem);
                }
                scheduleReconnect();
            });
        });
    }

    private String request()
    {
        final StreamHeaders headers = mount.headers();
        final StringBuilder b = new StringBuilder(512)
            .append("PUT ").append(target.getRawPath()).append(" HTTP/1.1\r\n")
            .append("Host: ").append(target.getHost()).append(':').append(target.getPort()).append("\r\n")
            .append("Authorization: Basic ").append(Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8))).append("\r\n")
            .append("User-Agent: Seamcast\r\n")
            .append("Content-Type: ").append(ListenerRequestHandler.clean(headers.contentType())).append("\r\n")
            .append("Ice-Public: ").append(headers.isPublic() ? 1 : 0).append("\r\n");
        header(b, "Ice-Name", headers.name());
        header(b, "Ice-Description", headers.description());
        header(b, "Ice-Genre", headers.genre());
        header(b, "Ice-Url", headers.url());
        header(b, "Ice-Audio-Info", headers.audioInfo());
        return b.append("Expect: 100-continue\r\n\r\n").toString();
    }

    private static void header(final StringBuilder b, final String name, final String value)
    {
        if (value != null && !value.isEmpty())
        {
            b.append(name).append(": ").append(ListenerRequestHandler.clean(value)).append("\r\n");
        }
    }

    private void scheduleReconnect()
    {
        if (!closed)
        {
            group.schedule(this::connect, backoff.nextDelayNs(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Whether Icecast accepted the source and audio is flowing.
     */
    public boolean isStreaming()
    {
        return streaming;
    }

    /**
     * Why the push is not streaming, or null when it is.
     */
    public String problem()
    {
        return streaming ? null : problem;
    }

    /**
     * Successful connections since start (a reconnect counts again).
     */
    public long connects()
    {
        return connects;
    }

    /**
     * Why the mount's latest title did not reach Icecast, or null when it did (or there was none to send).
     */
    public String titleProblem()
    {
        return titles.problem();
    }

    /**
     * Titles Icecast confirmed since start.
     */
    public long titlesSent()
    {
        return titles.titlesSent();
    }

    @Override
    public void close()
    {
        closed = true;
        titles.close();
        final Channel ch = channel;
        if (ch != null)
        {
            ch.close().syncUninterruptibly();
        }
    }

    /**
     * Reads Icecast's answer: 100 Continue (ignored), then 200 to start streaming, anything else is a refusal.
     */
    private final class ResponseHandler extends ChannelInboundHandlerAdapter
    {
        private final StringBuilder head = new StringBuilder();

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            try
            {
                if (streaming)
                {
                    return;
                }
                final ByteBuf buf = (ByteBuf)msg;
                head.append(buf.toString(StandardCharsets.ISO_8859_1));
                if (head.length() > 16 * 1024)
                {
                    problem = "oversized response from Icecast";
                    ctx.close();
                    return;
                }
                int end;
                while ((end = head.indexOf("\r\n\r\n")) >= 0)
                {
                    final String response = head.substring(0, end);
                    head.delete(0, end + 4);
                    final String status = response.lines().findFirst().orElse("");
                    if (status.contains(" 100 "))
                    {
                        continue;
                    }
                    if (status.contains(" 200 "))
                    {
                        streaming = true;
                        problem = null;
                        connects++;
                        backoff.reset();
                        LOG.info("pushing {} to {}:{}{}", mount.name(), target.getHost(), target.getPort(),
                            target.getPath());
                        mount.attach(ctx.channel(), false, false);
                        titles.streaming(mount.title());
                    }
                    else
                    {
                        problem = "Icecast refused the source: " + status;
                        ctx.close();
                    }
                    return;
                }
            }
            finally
            {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            problem = cause.toString();
            ctx.close();
        }
    }
}
