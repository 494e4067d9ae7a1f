package org.seamcast.transport.aeron;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.protocol.Keyring;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.transport.ByteBufAccess;
import org.seamcast.transport.TestMessages;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Once warm, offering a signed frame on an Aeron link and validating it on the receiver's agent thread allocate
 * nothing per message.
 */
class AeronAllocationTest
{
    private static final int MESSAGES = 5_000;
    /** Slack for one-off allocations (a counter cell, a lazily grown structure), far below one byte per message. */
    /** One object per message would be over 80 KB; a warm JVM's housekeeping stays far below this. */
    private static final long SLACK_BYTES = 16 * 1024;
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final AtomicLong frames = new AtomicLong();

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
    }

    @Test
    void shouldOfferAndReceiveWithoutAllocatingPerMessage()
    {
        final Keyring keyring = Keyring.of(1, KEY);
        final AeronReceiver receiver = track(AeronReceiver.bind(context("relay-alloc", keyring),
            LinkAddress.parse("aeron+udp://127.0.0.1:0"), (message, buffer, offset, length, from) ->
            {
                if (message.type() == MessageType.FRAME)
                {
                    frames.incrementAndGet();
                }
            }));
        final AeronPublicationLink sender = track(AeronPublicationLink.open(context("ingest-alloc", keyring),
            LinkAddress.parse("aeron+udp://127.0.0.1:" + receiver.localPort())));
        await().atMost(Duration.ofSeconds(10)).until(sender::isConnected);
        final ByteBuf frame = TestMessages.frame(TestMessages.MOUNT, 1, keyring.newAuthenticator());
        final Thread agentThread = thread("seamcast-aeron-rx-relay-alloc");
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

        offerAll(sender, frame);
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.get() == MESSAGES);

        final long receiverBefore = threads.getThreadAllocatedBytes(agentThread.getId());
        final long senderBefore = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        offerAll(sender, frame);
        final long senderBytes = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - senderBefore;
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.get() == 2 * MESSAGES);
        final long receiverBytes = threads.getThreadAllocatedBytes(agentThread.getId()) - receiverBefore;
        frame.release();

        assertThat(senderBytes).as("bytes allocated offering %d messages", MESSAGES).isLessThan(SLACK_BYTES);
        assertThat(receiverBytes).as("bytes allocated receiving %d messages", MESSAGES).isLessThan(SLACK_BYTES);
        assertThat(receiver.metrics().messagesIn()).isEqualTo(2 * MESSAGES);
    }

    private static void offerAll(final AeronPublicationLink sender, final ByteBuf frame)
    {
        final UnsafeBuffer bytes = ByteBufAccess.wrapReadable(new UnsafeBuffer(0, 0), frame);
        final int length = frame.readableBytes();
        for (int sent = 0; sent < MESSAGES; )
        {
            if (sender.offer(bytes, 0, length))
            {
                sent++;
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }

    private static Thread thread(final String name)
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (name.equals(thread.getName()))
            {
                return thread;
            }
        }
        throw new IllegalStateException("no thread named " + name);
    }

    private TransportContext context(final String name, final Keyring keyring)
    {
        final TransportContext ctx = new TransportContext()
            .nodeName(name)
            .keyring(keyring)
            .registry(new SimpleMeterRegistry())
            .conclude();
        closeables.add(ctx);
        return ctx;
    }

    private <T extends AutoCloseable> T track(final T closeable)
    {
        closeables.add(closeable);
        return closeable;
    }
}
