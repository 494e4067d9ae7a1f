package org.seamcast.transport.link;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SelectStrategy;
import io.netty.channel.socket.SocketChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class PacedSelectStrategyTest
{
    private static final long PERIOD_NS = 50_000_000;

    private long nowNs = 1_000_000_000L;
    private final List<Long> sleeps = new ArrayList<>();
    private final AtomicInteger looks = new AtomicInteger();

    /** Sleeps on the virtual clock, the whole time asked for. */
    private PacedSelectStrategy strategy()
    {
        return new PacedSelectStrategy(PERIOD_NS, PacedSelectStrategy.LOOK_WORK_NS, () -> nowNs, ns ->
        {
            sleeps.add(ns);
            nowNs += ns;
        });
    }

    /** Looks that find, in turn, what is given, and nothing after. */
    private io.netty.util.IntSupplier looksFinding(final int... ready)
    {
        return () -> looks.getAndIncrement() < ready.length ? ready[looks.get() - 1] : 0;
    }

    @Test
    void aLoopWithNothingReadyBlocksAtOnce() throws Exception
    {
        final PacedSelectStrategy strategy = strategy();

        assertThat(strategy.calculateStrategy(looksFinding(), false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(sleeps).isEmpty();
        assertThat(looks).hasValue(1);
    }

    @Test
    void afterAWakeUpTheNextLookWaitsOutThePeriodAndTakesWhatCame() throws Exception
    {
        final PacedSelectStrategy strategy = strategy();
        strategy.calculateStrategy(looksFinding(), false);
        nowNs += 7_000_000; // the blocking select returns: a message came; the loop reads it and comes back
        final long wokenNs = nowNs;

        looks.set(0);
        assertThat(strategy.calculateStrategy(looksFinding(0, 3), false)).isEqualTo(3);
        assertThat(sleeps).containsExactly(PERIOD_NS);
        assertThat(nowNs).isEqualTo(wokenNs + PERIOD_NS);

        nowNs += 200_000;
        looks.set(0);
        assertThat(strategy.calculateStrategy(looksFinding(0, 2), false)).isEqualTo(2);
        assertThat(nowNs).as("one look per period while each finds something").isEqualTo(wokenNs + 2 * PERIOD_NS);

        nowNs += 200_000;
        looks.set(0);
        assertThat(strategy.calculateStrategy(looksFinding(0, 0), false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(nowNs).isEqualTo(wokenNs + 3 * PERIOD_NS);
        assertThat(sleeps).hasSize(3);
    }

    @Test
    void whatIsStillReadyAfterAReadIsTakenWithoutWaiting() throws Exception
    {
        final PacedSelectStrategy strategy = strategy();
        strategy.calculateStrategy(looksFinding(), false);
        nowNs += 7_000_000;
        looks.set(0);

        // a level-triggered datagram channel read one of three datagrams: the other two are ready at once
        assertThat(strategy.calculateStrategy(looksFinding(1), false)).isEqualTo(1);
        looks.set(0);
        assertThat(strategy.calculateStrategy(looksFinding(1), false)).isEqualTo(1);
        assertThat(sleeps).isEmpty();

        looks.set(0);
        assertThat(strategy.calculateStrategy(looksFinding(0, 0), false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(sleeps).as("the period still runs from the wake-up").containsExactly(PERIOD_NS);
    }

    @Test
    void aLookThatFindsNothingLetsTheLoopBlockUntilTheNextEvent() throws Exception
    {
        final PacedSelectStrategy strategy = strategy();
        strategy.calculateStrategy(looksFinding(), false);
        nowNs += 3 * PERIOD_NS;

        assertThat(strategy.calculateStrategy(looksFinding(), false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(sleeps).as("the wake-up started a period; nothing came in it").containsExactly(PERIOD_NS);

        nowNs += 10 * PERIOD_NS; // blocked this long, then an event
        final long wokenNs = nowNs;
        looks.set(0);
        assertThat(strategy.calculateStrategy(looksFinding(0, 1), false)).isEqualTo(1);
        assertThat(nowNs).as("the period starts at the wake-up, not at the last look").isEqualTo(wokenNs + PERIOD_NS);
    }

    @Test
    void queuedTasksAreRunWithoutWaiting() throws Exception
    {
        final PacedSelectStrategy strategy = strategy();
        strategy.calculateStrategy(looksFinding(), false);
        nowNs += 1_000;
        looks.set(0);

        assertThat(strategy.calculateStrategy(looksFinding(0, 4), true)).isZero();
        assertThat(strategy.calculateStrategy(looksFinding(0, 4), true)).isEqualTo(4);
        assertThat(sleeps).isEmpty();
        assertThat(looks).hasValue(2);
    }

    @Test
    void aSleepCutShortIsSleptAgainUntilThePeriodEnds() throws Exception
    {
        final PacedSelectStrategy strategy = new PacedSelectStrategy(PERIOD_NS, PacedSelectStrategy.LOOK_WORK_NS,
            () -> nowNs, ns ->
            {
                sleeps.add(ns);
                nowNs += Math.min(ns, PERIOD_NS / 4); // woken early, as parkNanos may be
            });
        strategy.calculateStrategy(looksFinding(), false);
        final long wokenNs = nowNs;
        looks.set(0);

        assertThat(strategy.calculateStrategy(looksFinding(0, 1), false)).isEqualTo(1);
        assertThat(nowNs).isEqualTo(wokenNs + PERIOD_NS);
        assertThat(sleeps).hasSize(4);
    }

    @Test
    void underLoadThePeriodShortensSoAPeriodsArrivalsTakeAtMostTheWorkBudget() throws Exception
    {
        final long workBudgetNs = PacedSelectStrategy.LOOK_WORK_NS;
        final PacedSelectStrategy strategy = strategy();
        strategy.calculateStrategy(looksFinding(), false);
        final long wokenNs = nowNs;
        looks.set(0);
        assertThat(strategy.calculateStrategy(looksFinding(0, 5), false)).isEqualTo(5);
        assertThat(nowNs).isEqualTo(wokenNs + PERIOD_NS);

        // what a whole period brought took the loop 10 ms: a fifth of its time, so the next period is 2 ms / 0.2
        nowNs += 10_000_000;
        looks.set(0);
        assertThat(strategy.calculateStrategy(looksFinding(0, 5), false)).isEqualTo(5);
        assertThat(nowNs).as("this period was still whole").isEqualTo(wokenNs + 2 * PERIOD_NS);
        assertThat(strategy.currentPeriodNs()).isEqualTo(workBudgetNs * 5);

        // the load holds: a fifth of each shorter period is work, the period stays, each look brings 2 ms of work
        final long lookNs = nowNs;
        nowNs += workBudgetNs;
        looks.set(0);
        assertThat(strategy.calculateStrategy(looksFinding(0, 1), false)).isEqualTo(1);
        assertThat(nowNs).isEqualTo(lookNs + workBudgetNs * 5);
        assertThat(strategy.currentPeriodNs()).isEqualTo(workBudgetNs * 5);

        // the load falls away: the period grows back to the configured one, no longer
        nowNs += 100_000;
        looks.set(0);
        assertThat(strategy.calculateStrategy(looksFinding(0, 1), false)).isEqualTo(1);
        assertThat(strategy.currentPeriodNs()).isEqualTo(PERIOD_NS);
    }

    @Test
    void workOnWhatWasReadyAtOnceCountsToo() throws Exception
    {
        final PacedSelectStrategy strategy = strategy();
        strategy.calculateStrategy(looksFinding(), false);
        looks.set(0);
        assertThat(strategy.calculateStrategy(looksFinding(0, 1), false)).isEqualTo(1);

        // a task queued while the loop worked, then the rest of the read: 25 ms of work in a 50 ms period
        nowNs += 5_000_000;
        looks.set(0);
        assertThat(strategy.calculateStrategy(looksFinding(0), true)).isZero();
        nowNs += 20_000_000;
        looks.set(0);
        assertThat(strategy.calculateStrategy(looksFinding(0, 1), false)).isEqualTo(1);
        assertThat(strategy.currentPeriodNs()).isEqualTo(2 * PacedSelectStrategy.LOOK_WORK_NS);
    }

    @Test
    void rejectsANonPositivePeriodOrWorkBudget()
    {
        assertThatThrownBy(() -> new PacedSelectStrategy(0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("periodNs=0");
        assertThatThrownBy(() -> new PacedSelectStrategy(PERIOD_NS, 0, System::nanoTime, ns -> { }))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lookWorkNs=0");
    }

    /**
     * A real paced event loop: bytes written in many small pieces arrive whole and in order, and tasks and timers
     * submitted from other threads while it paces still run.
     */
    @Test
    void aPacedLoopDeliversEverythingAndRunsItsTasks() throws Exception
    {
        final NettyTransport transport = NettyTransport.best();
        final EventLoopGroup paced = transport.newEventLoopGroup(1, "paced-test", TimeUnit.MILLISECONDS.toNanos(20));
        final EventLoopGroup plain = transport.newEventLoopGroup(1, "plain-test");
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final int pieces = 200;
        final int pieceBytes = 37;
        try
        {
            final Channel server = new ServerBootstrap().group(paced).channel(transport.serverSocketChannel())
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter()
                        {
                            @Override
                            public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                            {
                                final ByteBuf buf = (ByteBuf)msg;
                                synchronized (received)
                                {
                                    final byte[] bytes = new byte[buf.readableBytes()];
                                    buf.readBytes(bytes);
                                    received.writeBytes(bytes);
                                }
                                buf.release();
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            final Channel client = new Bootstrap().group(plain).channel(transport.socketChannel())
                .handler(new ChannelInboundHandlerAdapter())
                .connect(server.localAddress()).sync().channel();
            final byte[] expected = new byte[pieces * pieceBytes];
            for (int i = 0; i < pieces; i++)
            {
                final byte[] piece = new byte[pieceBytes];
                for (int j = 0; j < pieceBytes; j++)
                {
                    piece[j] = (byte)(i * 31 + j);
                }
                System.arraycopy(piece, 0, expected, i * pieceBytes, pieceBytes);
                client.writeAndFlush(Unpooled.wrappedBuffer(piece)).sync();
            }

            final CountDownLatch ran = new CountDownLatch(2);
            paced.next().execute(ran::countDown);
            paced.next().schedule(ran::countDown, 5, TimeUnit.MILLISECONDS);

            await().atMost(10, TimeUnit.SECONDS).until(() ->
            {
                synchronized (received)
                {
                    return received.size() == expected.length;
                }
            });
            synchronized (received)
            {
                assertThat(received.toByteArray()).isEqualTo(expected);
            }
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            client.close().sync();
            server.close().sync();
        }
        finally
        {
            plain.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            assertThat(paced.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
