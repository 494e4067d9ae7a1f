package org.seamcast.ingest;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.protocol.DecodeResult;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.link.LinkAddress;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A destination link for tests: decodes and keeps what it is offered; can be made to block in {@code offer},
 * as a misbehaving transport would, until released.
 */
public final class RecordingLink implements MessageLink
{
    /** A decoded message kept by value. */
    public record Received(MessageType type, String mount, long epoch, long sequence, long timestampUs,
        boolean cleanSwitch, byte[] payload, String title, String contentType, String icyName)
    {
    }

    private final LinkAddress address;
    private final MessageDecoder decoder = new MessageDecoder();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch gate;
    private volatile boolean closed;

    public RecordingLink(final String address)
    {
        this.address = LinkAddress.parse(address);
    }

    /**
     * Makes the next offers block until {@link #unblock()}.
     */
    public void block()
    {
        gate = new CountDownLatch(1);
    }

    public void unblock()
    {
        final CountDownLatch gate = this.gate;
        if (gate != null)
        {
            gate.countDown();
        }
    }

    @Override
    public LinkAddress address()
    {
        return address;
    }

    @Override
    public boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            final CountDownLatch gate = this.gate;
            if (gate != null)
            {
                gate.await(30, TimeUnit.SECONDS);
            }
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            final UnsafeBuffer copy = new UnsafeBuffer(bytes);
            if (decoder.decode(copy, 0, bytes.length) != DecodeResult.OK)
            {
                throw new AssertionError("undecodable message of " + bytes.length + " bytes");
            }
            received.add(switch (decoder.type())
            {
                case FRAME -> new Received(MessageType.FRAME, decoder.frame().mountString(), decoder.frame().epoch(),
                    decoder.frame().sequence(), decoder.frame().timestampUs(), decoder.frame().isCleanSwitch(),
                    payload(copy, decoder.frame().payloadOffset(), decoder.frame().payloadLength()), null, null,
                    null);
                case ANNOUNCE -> new Received(MessageType.ANNOUNCE, decoder.announce().mountString(),
                    decoder.announce().epoch(), -1, 0, false, null, null, decoder.announce().contentType(),
                    decoder.announce().icyName());
                case METADATA -> new Received(MessageType.METADATA, decoder.metadata().mountString(),
                    decoder.metadata().epoch(), -1, decoder.metadata().timestampUs(), false, null,
                    decoder.metadata().streamTitle(), null, null);
                case HEARTBEAT -> heartbeat(decoder.heartbeat());
                default -> new Received(decoder.type(), null, 0, -1, 0, false, null, null, null, null);
            });
            return true;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A heartbeat kept by its first stream entry (mount, epoch, last sequence sent) and its sender time.
     */
    private static Received heartbeat(final org.seamcast.codec.protocol.HeartbeatView heartbeat)
    {
        final org.seamcast.codec.protocol.StreamPositionCursor entries = heartbeat.streams();
        if (!entries.next())
        {
            return new Received(MessageType.HEARTBEAT, null, 0, -1, heartbeat.senderTimeUs(), false, null, null,
                null, null);
        }
        final byte[] mount = new byte[entries.mountLength()];
        entries.buffer().getBytes(entries.mountOffset(), mount);
        return new Received(MessageType.HEARTBEAT, new String(mount, java.nio.charset.StandardCharsets.US_ASCII),
            entries.epoch(), entries.sequence(), heartbeat.senderTimeUs(), false, null, null, null, null);
    }

    private static byte[] payload(final UnsafeBuffer buffer, final int offset, final int length)
    {
        final byte[] payload = new byte[length];
        buffer.getBytes(offset, payload);
        return payload;
    }

    public List<Received> received()
    {
        return received;
    }

    public List<Received> frames(final String mount)
    {
        return received.stream().filter(r -> r.type() == MessageType.FRAME && mount.equals(r.mount())).toList();
    }

    public List<Received> ofType(final MessageType type)
    {
        return received.stream().filter(r -> r.type() == type).toList();
    }

    @Override
    public void flush()
    {
    }

    @Override
    public boolean isConnected()
    {
        return !closed;
    }

    @Override
    public String problem()
    {
        return closed ? "closed" : null;
    }

    @Override
    public void close()
    {
        closed = true;
        unblock();
    }
}
