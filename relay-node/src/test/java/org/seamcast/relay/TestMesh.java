package org.seamcast.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.seamcast.codec.protocol.Keyring;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.Peer;
import org.seamcast.transport.ThreadingMode;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.Links;
import org.seamcast.transport.tcp.ConnectionListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Relays, senders and subscribers on loopback for one test, closed in reverse order afterwards.
 */
final class TestMesh implements AutoCloseable
{
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /**
     * Link settings fast enough for tests: heartbeats every 100 ms, reconnects from 50 ms.
     */
    static TransportContext fastTransport()
    {
        return new TransportContext()
            .heartbeatIntervalMs(100)
            .idleTimeoutMs(2_000)
            .reconnectInitialDelayNs(TimeUnit.MILLISECONDS.toNanos(50))
            .reconnectMaxDelayNs(TimeUnit.MILLISECONDS.toNanos(400));
    }

    static RelayContext relayContext(final String name)
    {
        return new RelayContext().nodeName(name).transport(fastTransport());
    }

    RelayNode relay(final RelayContext ctx)
    {
        return track(RelayNode.launch(ctx));
    }

    /**
     * A relay listening on {@code listens} fresh loopback TCP ports.
     */
    RelayNode relay(final String name, final int listens)
    {
        return relay(name, listens, ThreadingMode.IO_LOOP);
    }

    /**
     * A relay listening on {@code listens} fresh loopback TCP ports, its core run as {@code mode} says.
     */
    RelayNode relay(final String name, final int listens, final ThreadingMode mode)
    {
        final RelayContext ctx = relayContext(name).threadingMode(mode);
        for (int i = 0; i < listens; i++)
        {
            ctx.listen(LinkAddress.parse("tcp://127.0.0.1:0"));
        }
        return relay(ctx);
    }

    TransportContext transport(final String name, final Keyring keyring)
    {
        return track(fastTransport().nodeName(name).keyring(keyring).registry(new SimpleMeterRegistry()).conclude());
    }

    Sender sender(final String name, final Keyring keyring, final int... tcpPorts)
    {
        final List<String> urls = new ArrayList<>();
        for (final int port : tcpPorts)
        {
            urls.add("tcp://127.0.0.1:" + port);
        }
        return sender(name, keyring, urls);
    }

    Sender sender(final String name, final Keyring keyring, final List<String> urls)
    {
        final TransportContext ctx = transport(name, keyring);
        final List<MessageLink> links = new ArrayList<>();
        for (final String url : urls)
        {
            links.add(track(Links.dial(ctx, LinkAddress.parse(url),
                (message, buffer, offset, length, from) -> { }, ConnectionListener.NONE)));
        }
        return new Sender(links);
    }

    /**
     * A subscriber on {@code port} that sends {@code subscribe.apply(this)} whenever its link is established.
     */
    Subscriber subscriber(final String name, final Keyring keyring, final int port,
        final Function<Subscriber, ByteBuf> subscribe)
    {
        final TransportContext ctx = transport(name, keyring);
        final Subscriber subscriber = new Subscriber(subscribe);
        subscriber.link = track(Links.dial(ctx, LinkAddress.parse("tcp://127.0.0.1:" + port), (message, buffer,
            offset, length, from) ->
        {
            if (message.type() == MessageType.FRAME)
            {
                subscriber.frames.add(message.frame().mountString() + "#" + message.frame().sequence());
                subscriber.sequences.add(message.frame().sequence());
                subscriber.epochs.add(message.frame().epoch());
                subscriber.frameNanos.add(System.nanoTime());
            }
            else if (message.type() == MessageType.HEARTBEAT && message.heartbeat().streamCount() > 0)
            {
                subscriber.streamHeartbeats.incrementAndGet();
            }
            else if (message.type() == MessageType.ANNOUNCE)
            {
                subscriber.announces.add(message.announce().mountString());
            }
        }, new ConnectionListener()
        {
            @Override
            public void onEstablished(final Peer peer)
            {
                subscriber.peer = peer;
                peer.send(subscriber.subscribe.apply(subscriber));
                peer.flush();
            }
        }));
        return subscriber;
    }

    <T extends AutoCloseable> T track(final T closeable)
    {
        closeables.add(closeable);
        return closeable;
    }

    @Override
    public void close() throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
    }

    /**
     * Awaitility polling every 2 ms from the start, so a test waiting on many small steps stays fast.
     */
    static ConditionFactory await(final Duration atMost)
    {
        return Awaitility.await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    static double counter(final RelayNode relay, final String name, final String... tags)
    {
        return counter(relay.context().registry(), name, tags);
    }

    static double counter(final MeterRegistry registry, final String name, final String... tags)
    {
        double sum = 0;
        for (final Counter counter : registry.find(name).tags(tags).counters())
        {
            sum += counter.count();
        }
        for (final FunctionCounter counter : registry.find(name).tags(tags).functionCounters())
        {
            sum += counter.count();
        }
        return sum;
    }

    static double gauge(final RelayNode relay, final String name)
    {
        return gauge(relay.context().registry(), name);
    }

    static double gauge(final MeterRegistry registry, final String name)
    {
        final Gauge gauge = registry.find(name).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    /**
     * Sends the same messages over each of its links.
     */
    static final class Sender
    {
        final List<MessageLink> links;

        Sender(final List<MessageLink> links)
        {
            this.links = links;
        }

        boolean isConnected()
        {
            return links.stream().allMatch(MessageLink::isConnected);
        }

        void send(final ByteBuf message)
        {
            for (final MessageLink link : links)
            {
                link.offer(message.retainedDuplicate());
                link.flush();
            }
            message.release();
        }
    }

    /**
     * What one subscriber received, in arrival order.
     */
    static final class Subscriber
    {
        final Function<Subscriber, ByteBuf> subscribe;
        final List<String> frames = new CopyOnWriteArrayList<>();
        final List<Long> sequences = new CopyOnWriteArrayList<>();
        final List<Long> epochs = new CopyOnWriteArrayList<>();
        final List<Long> frameNanos = new CopyOnWriteArrayList<>();
        final List<String> announces = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger streamHeartbeats = new java.util.concurrent.atomic.AtomicInteger();
        volatile MessageLink link;
        volatile Peer peer;

        Subscriber(final Function<Subscriber, ByteBuf> subscribe)
        {
            this.subscribe = subscribe;
        }
    }
}
