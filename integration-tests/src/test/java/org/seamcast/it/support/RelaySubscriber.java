package org.seamcast.it.support;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.transport.InboundEndpoint;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.Links;
import org.seamcast.transport.tcp.ConnectionListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands where a relay would: a real inbound endpoint (TCP server or UDP receiver, through {@link Links#listen})
 * on a free loopback port that ingests (or upstream relays) send to, keeping every FRAME, ANNOUNCE and METADATA it
 * receives by value for a test to inspect.
 */
public final class RelaySubscriber implements AutoCloseable
{
    /**
     * One received message, copied out of the link's buffer, with when it arrived: {@code receivedNanoTime} on
     * {@code System.nanoTime()}, {@code receivedEpochUs} on the subscriber's wall clock (share it with an ingest to
     * compare stamps with arrivals).
     */
    public record Message(MessageType type, String mount, long encoderId, long epoch, long sequence,
        long timestampUs, int samples, int sampleRate, boolean cleanSwitch, byte[] payload, String title,
        String contentType, String icyName, long receivedNanoTime, long receivedEpochUs)
    {
    }

    private final TransportContext ctx;
    private final EpochNanoClock clock;
    private final String scheme;
    private final InboundEndpoint server;
    private final List<Message> messages = new CopyOnWriteArrayList<>();

    private RelaySubscriber(final String nodeName, final String scheme, final EpochNanoClock clock)
    {
        this.scheme = scheme;
        this.clock = clock;
        ctx = new TransportContext().nodeName(nodeName).conclude();
        server = Links.listen(ctx, LinkAddress.parse(scheme + "://127.0.0.1:0"), this::onMessage,
            ConnectionListener.NONE);
    }

    /**
     * A TCP subscriber.
     */
    public static RelaySubscriber start(final String nodeName)
    {
        return new RelaySubscriber(nodeName, "tcp", new OffsetEpochNanoClock());
    }

    /**
     * A TCP subscriber that times arrivals on {@code clock}.
     */
    public static RelaySubscriber start(final String nodeName, final EpochNanoClock clock)
    {
        return new RelaySubscriber(nodeName, "tcp", clock);
    }

    /**
     * A subscriber on {@code scheme} ({@code tcp} or {@code udp}).
     */
    public static RelaySubscriber start(final String nodeName, final String scheme)
    {
        return new RelaySubscriber(nodeName, scheme, new OffsetEpochNanoClock());
    }

    private void onMessage(
        final MessageDecoder message, final DirectBuffer buffer, final int offset, final int length,
        final org.seamcast.transport.Peer from)
    {
        final long now = System.nanoTime();
        final long nowEpochUs = clock.nanoTime() / 1000;
        if (message.type() == MessageType.FRAME)
        {
            final var frame = message.frame();
            final byte[] payload = new byte[frame.payloadLength()];
            buffer.getBytes(frame.payloadOffset(), payload);
            messages.add(new Message(MessageType.FRAME, frame.mountString(), frame.encoderId(), frame.epoch(),
                frame.sequence(), frame.timestampUs(), frame.samplesInFrame(), frame.sampleRate(),
                frame.isCleanSwitch(), payload, null, null, null, now, nowEpochUs));
        }
        else if (message.type() == MessageType.ANNOUNCE)
        {
            final var announce = message.announce();
            messages.add(new Message(MessageType.ANNOUNCE, announce.mountString(), announce.encoderId(),
                announce.epoch(), -1, 0, 0, announce.sampleRate(), false, null, null, announce.contentType(),
                announce.icyName(), now, nowEpochUs));
        }
        else if (message.type() == MessageType.METADATA)
        {
            final var metadata = message.metadata();
            messages.add(new Message(MessageType.METADATA, metadata.mountString(), metadata.encoderId(),
                metadata.epoch(), -1, metadata.timestampUs(), 0, 0, false, null, metadata.streamTitle(), null, null,
                now, nowEpochUs));
        }
    }

    /**
     * @return the link URL an ingest sends to.
     */
    public String url()
    {
        return scheme + "://127.0.0.1:" + server.localPort();
    }

    public List<Message> messages()
    {
        return messages;
    }

    /**
     * @return the FRAMEs of {@code mount}, in arrival order.
     */
    public List<Message> frames(final String mount)
    {
        return messages.stream().filter(m -> m.type() == MessageType.FRAME && mount.equals(m.mount())).toList();
    }

    public List<Message> ofType(final MessageType type, final String mount)
    {
        return messages.stream().filter(m -> m.type() == type && mount.equals(m.mount())).toList();
    }

    @Override
    public void close()
    {
        server.close();
        ctx.close();
    }
}
