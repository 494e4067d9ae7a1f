package org.seamcast.it.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.protocol.CodecType;
import org.seamcast.codec.protocol.FrameEncoder;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.transport.ByteBufAccess;
import org.seamcast.transport.DropReason;
import org.seamcast.transport.InboundEndpoint;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.aeron.AeronReceiver;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.Links;
import org.seamcast.transport.tcp.ConnectionListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A child JVM for {@link MulticastInNamespaceTest}, run inside a network namespace: {@code receive URL N NAME}
 * joins the group, says {@code JOINED} once the publisher's image is connected, and reports what it got;
 * {@code send URL N NAME GO_FILE} opens the publication, waits until {@code GO_FILE} exists and then publishes N
 * frames, staying up until killed so Aeron can repair losses. The go file is the test's word that every receiver
 * has joined: a multicast receiver whose image connects after the first frames were sent joins at the
 * publication's current position and never sees them. Reports are single lines on stdout, e.g.
 * {@code RECEIVED node=rx-1 distinct=500 total=500 outOfOrder=0 drops=0 from=127.0.0.1:41234}.
 *
 * <p>{@code receive URL N NAME STALL_FILE} stands for a CPU-starved receiver: it holds its first frame until
 * {@code STALL_FILE} exists. The sender says {@code HELD_BACK} when one frame has been refused for
 * {@value #HELD_BACK_MS} ms, i.e. the publication is waiting for a slow receiver rather than leaving it behind.
 */
public final class MulticastProbe
{
    /** The longest a probe waits for its peer or its frames before reporting what it has and exiting. */
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(60);

    /** How long one frame must stay refused before the sender reports that a receiver holds it back. */
    private static final long HELD_BACK_MS = 1_000;

    private static final MountName MOUNT = MountName.of("/probe");

    private MulticastProbe()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final boolean sender = args.length == 5 && "send".equals(args[0]);
        if (!sender && !((args.length == 4 || args.length == 5) && "receive".equals(args[0])))
        {
            System.err.println("usage: MulticastProbe receive mcast://GROUP:PORT?interface=ADDR COUNT NODE [STALL_FILE]\n"
                + "       MulticastProbe send mcast://GROUP:PORT?interface=ADDR COUNT NODE GO_FILE");
            System.exit(64);
        }
        final LinkAddress address = LinkAddress.parse(args[1]);
        final int count = Integer.parseInt(args[2]);
        try (TransportContext ctx = new TransportContext().nodeName(args[3]).conclude())
        {
            final boolean ok = sender ? send(ctx, address, count, Path.of(args[4]))
                : receive(ctx, address, count, args.length == 5 ? Path.of(args[4]) : null);
            System.out.flush();
            System.exit(ok ? 0 : 1);
        }
    }

    private static boolean receive(
        final TransportContext ctx, final LinkAddress address, final int count, final Path stallUntil)
        throws InterruptedException
    {
        final BitSet seen = new BitSet(count);
        final CountDownLatch all = new CountDownLatch(count);
        final AtomicLong total = new AtomicLong();
        final AtomicLong outOfOrder = new AtomicLong();
        final AtomicReference<String> from = new AtomicReference<>("nobody");
        final long[] last = {-1};
        try (InboundEndpoint endpoint = Links.listen(ctx, address, (message, buffer, offset, length, peer) ->
        {
            if (message.type() != MessageType.FRAME)
            {
                return;
            }
            final long sequence = message.frame().sequence();
            if (stallUntil != null && total.get() == 0)
            {
                awaitFile(stallUntil);
            }
            total.incrementAndGet();
            from.set(peer.name());
            if (sequence <= last[0])
            {
                outOfOrder.incrementAndGet();
            }
            last[0] = sequence;
            if (sequence < count && !seen.get((int)sequence))
            {
                seen.set((int)sequence);
                all.countDown();
            }
        }, ConnectionListener.NONE))
        {
            final long deadlineNs = System.nanoTime() + DEADLINE_NS;
            final IdleStrategy idle = new SleepingMillisIdleStrategy(1);
            while (!((AeronReceiver)endpoint).isConnected())
            {
                if (System.nanoTime() > deadlineNs)
                {
                    System.out.println("NOT_JOINED node=" + ctx.nodeName());
                    return false;
                }
                idle.idle();
            }
            System.out.println("JOINED node=" + ctx.nodeName() + " path=" + endpoint.path());
            System.out.flush();
            final boolean complete = all.await(deadlineNs - System.nanoTime(), TimeUnit.NANOSECONDS);
            long drops = 0;
            for (final DropReason reason : DropReason.values())
            {
                drops += (long)endpoint.metrics().drops(reason);
            }
            System.out.println("RECEIVED node=" + ctx.nodeName() + " distinct=" + (count - all.getCount())
                + " total=" + total.get() + " outOfOrder=" + outOfOrder.get() + " drops=" + drops
                + " from=" + from.get());
            return complete;
        }
    }

    private static boolean send(final TransportContext ctx, final LinkAddress address, final int count, final Path go)
        throws InterruptedException
    {
        final IdleStrategy idle = new BackoffIdleStrategy(1, 1, TimeUnit.MICROSECONDS.toNanos(50),
            TimeUnit.MILLISECONDS.toNanos(5));
        final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        try (MessageLink link = Links.dial(ctx, address, (m, b, o, l, f) -> { }, ConnectionListener.NONE))
        {
            while (!link.isConnected())
            {
                if (System.nanoTime() > deadlineNs)
                {
                    System.out.println("NOT_CONNECTED node=" + ctx.nodeName() + " problem=" + link.problem());
                    return false;
                }
                idle.idle();
            }
            System.out.println("CONNECTED node=" + ctx.nodeName());
            System.out.flush();
            if (!awaitFile(go))
            {
                System.out.println("NO_GO node=" + ctx.nodeName());
                return false;
            }
            long refused = 0;
            boolean heldBack = false;
            for (long sequence = 0; sequence < count; sequence++)
            {
                idle.reset();
                final long refusedSinceNs = System.nanoTime();
                while (!link.offer(frame(sequence)))
                {
                    refused++;
                    if (!heldBack && System.nanoTime() - refusedSinceNs > TimeUnit.MILLISECONDS.toNanos(HELD_BACK_MS))
                    {
                        heldBack = true;
                        System.out.println("HELD_BACK node=" + ctx.nodeName() + " at=" + sequence);
                        System.out.flush();
                    }
                    if (System.nanoTime() > deadlineNs)
                    {
                        System.out.println("GAVE_UP node=" + ctx.nodeName() + " at=" + sequence);
                        return false;
                    }
                    idle.idle();
                }
            }
            link.flush();
            System.out.println("SENT node=" + ctx.nodeName() + " count=" + count + " refused=" + refused);
            System.out.flush();
            // Stay up so the driver can answer NAKs until the test has its answer and stops this process.
            new CountDownLatch(1).await(DEADLINE_NS, TimeUnit.NANOSECONDS);
            return true;
        }
    }

    /**
     * Waits for the test to create {@code file}, for at most the probe's deadline.
     */
    private static boolean awaitFile(final Path file)
    {
        final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        final IdleStrategy idle = new SleepingMillisIdleStrategy(1);
        while (!Files.exists(file))
        {
            if (System.nanoTime() > deadlineNs)
            {
                return false;
            }
            idle.idle();
        }
        return true;
    }

    private static ByteBuf frame(final long sequence)
    {
        final byte[] payload = new byte[417];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)(sequence * 7 + i);
        }
        final ByteBuf buf = Unpooled.directBuffer(1024);
        final int length = new FrameEncoder()
            .wrap(ByteBufAccess.wrap(new UnsafeBuffer(0, 0), buf, 0, buf.capacity()), 0, MOUNT)
            .encoderId(1).priority(0).epoch(1).sequence(sequence).timestampUs(sequence * 26_122)
            .codec(CodecType.MP3).sampleRate(44_100).samplesInFrame(1152).cleanSwitch(true)
            .payload(payload, 0, payload.length)
            .finish(null);
        buf.writerIndex(length);
        return buf;
    }
}
