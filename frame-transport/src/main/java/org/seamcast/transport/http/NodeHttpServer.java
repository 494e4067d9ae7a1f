package org.seamcast.transport.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateHandler;
import org.seamcast.transport.link.NettyTransport;
import org.seamcast.transport.metrics.ProcessMeters;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The admin HTTP endpoint every long-running node serves: {@code /metrics} (Prometheus text), {@code /health}
 * (200, or 503 with one reason a line, fit for load-balancer checks) and any routes the node adds, such as
 * {@code /status.json}.
 *
 * <p>The registry it serves gets the JVM and process meters and {@code seamcast_build_info} when the server binds
 * ({@link ProcessMeters}): every node's registry is served by exactly one of these, so this is the one place they are
 * bound, and closing the server unbinds them.
 *
 * <p>Runs on its own single-thread event loop so a scrape never competes with the data path.
 */
public final class NodeHttpServer implements AutoCloseable
{
    /** Longest request line plus headers accepted; larger requests get 431 and are closed. */
    public static final int MAX_HEADER_BYTES = 8192;

    /** An admin connection idle this long is closed. */
    public static final int IDLE_TIMEOUT_SECONDS = 30;

    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ProcessMeters processMeters;

    private NodeHttpServer(final EventLoopGroup group, final Channel serverChannel, final ProcessMeters processMeters)
    {
        this.group = group;
        this.serverChannel = serverChannel;
        this.processMeters = processMeters;
    }

    /**
     * Starts a builder for a server that scrapes {@code registry} on {@code /metrics}.
     *
     * @param registry the node's registry.
     * @param role     {@code ingest}, {@code relay} or {@code edge}, for {@code seamcast_build_info}.
     * @param nodeName the node's name, for {@code seamcast_build_info}.
     */
    public static Builder builder(final PrometheusMeterRegistry registry, final String role, final String nodeName)
    {
        return new Builder(registry, role, nodeName);
    }

    /**
     * The address actually bound (useful when the port was 0).
     */
    public InetSocketAddress localAddress()
    {
        return (InetSocketAddress)serverChannel.localAddress();
    }

    @Override
    public void close()
    {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        processMeters.close();
    }

    /**
     * Collects routes and health checks, then binds.
     */
    public static final class Builder
    {
        private final PrometheusMeterRegistry registry;
        private final String role;
        private final String nodeName;
        private final Map<String, HttpRoute> routes = new LinkedHashMap<>();
        private final List<HealthCheck> healthChecks = new ArrayList<>();

        private Builder(final PrometheusMeterRegistry registry, final String role, final String nodeName)
        {
            this.registry = registry;
            this.role = role;
            this.nodeName = nodeName;
            routes.put("/metrics", (path, query) -> new HttpReply(
                200, "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            routes.put("/health", (path, query) -> health(healthChecks));
        }

        /**
         * Serves {@code route} at exactly {@code path}.
         */
        public Builder route(final String path, final HttpRoute route)
        {
            if (!path.startsWith("/"))
            {
                throw new IllegalArgumentException("route path '" + path + "' must start with '/'");
            }
            if (routes.putIfAbsent(path, route) != null)
            {
                throw new IllegalArgumentException("route path '" + path + "' is already served");
            }
            return this;
        }

        /**
         * Adds a check whose problems make {@code /health} answer 503.
         */
        public Builder healthCheck(final HealthCheck check)
        {
            healthChecks.add(check);
            return this;
        }

        /**
         * Binds to {@code address} (port 0 picks a free port) and starts serving.
         */
        public NodeHttpServer bind(final InetSocketAddress address)
        {
            final NettyTransport transport = NettyTransport.best();
            final EventLoopGroup group = transport.newEventLoopGroup(1, "seamcast-admin-http");
            final AdminHandler handler = new AdminHandler(Map.copyOf(routes));
            try
            {
                final Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverSocketChannel())
                    .childHandler(new ChannelInitializer<SocketChannel>()
                    {
                        @Override
                        protected void initChannel(final SocketChannel ch)
                        {
                            ch.pipeline()
                                .addLast(new IdleStateHandler(0, 0, IDLE_TIMEOUT_SECONDS))
                                .addLast(new HttpServerCodec(4096, MAX_HEADER_BYTES, 8192))
                                .addLast(new HttpObjectAggregator(64 * 1024))
                                .addLast(handler);
                        }
                    })
                    .bind(address)
                    .syncUninterruptibly()
                    .channel();
                return new NodeHttpServer(group, channel, ProcessMeters.bind(registry, role, nodeName));
            }
            // syncUninterruptibly() rethrows a failed bind's checked exception (epoll: NativeIoException) as is
            catch (final Exception ex)
            {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw new IllegalStateException("cannot bind admin HTTP on " + address + ": " + ex.getMessage(), ex);
            }
        }

        private static HttpReply health(final List<HealthCheck> checks)
        {
            final StringBuilder body = new StringBuilder();
            for (final HealthCheck check : checks)
            {
                for (final String problem : check.problems())
                {
                    body.append(problem).append('\n');
                }
            }
            return body.length() == 0 ? HttpReply.text(200, "ok\n") : HttpReply.text(503, "unhealthy\n" + body);
        }
    }

    @ChannelHandler.Sharable
    private static final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        private final Map<String, HttpRoute> routes;

        AdminHandler(final Map<String, HttpRoute> routes)
        {
            this.routes = routes;
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
        {
            if (!request.decoderResult().isSuccess())
            {
                final HttpResponseStatus status = request.decoderResult().cause() instanceof
                    io.netty.handler.codec.TooLongFrameException ?
                    HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST;
                send(ctx, request, HttpReply.text(status.code(), status.reasonPhrase() + "\n"), false);
                return;
            }

            final boolean head = HttpMethod.HEAD.equals(request.method());
            if (!head && !HttpMethod.GET.equals(request.method()))
            {
                send(ctx, request, HttpReply.text(405, "method " + request.method() + " not allowed\n"), false);
                return;
            }

            final String uri = request.uri();
            final int q = uri.indexOf('?');
            final String path = q < 0 ? uri : uri.substring(0, q);
            final String query = q < 0 ? "" : uri.substring(q + 1);
            final HttpRoute route = routes.get(path);
            HttpReply reply;
            if (route == null)
            {
                reply = HttpReply.text(404, "no such path: " + path + "\n");
            }
            else
            {
                try
                {
                    reply = route.handle(path, query);
                }
                catch (final RuntimeException ex)
                {
                    reply = HttpReply.text(500, "route " + path + " failed: " + ex + "\n");
                }
            }
            send(ctx, request, reply, head);
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            ctx.close();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }

        private static void send(
            final ChannelHandlerContext ctx, final FullHttpRequest request, final HttpReply reply, final boolean head)
        {
            final FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply.body()));
            response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
            final boolean keepAlive = reply.status() < 400 && HttpUtil.isKeepAlive(request);
            if (keepAlive)
            {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response);
            }
            else
            {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
