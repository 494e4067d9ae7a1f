package org.seamcast.ingest.send;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.protocol.MetadataEncoder;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.ingest.RecordingLink;
import org.seamcast.transport.AgentThreads;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.ThreadingMode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RelayFanoutTest
{
    private static final MountName MOUNT = MountName.of("/live.mp3");

    @Test
    void shouldDeliverEveryMessageToEveryDestinationInOrderAndReleaseEveryBuffer()
    {
        final RecordingLink a = new RecordingLink("tcp://127.0.0.1:9001");
        final RecordingLink b = new RecordingLink("udp://127.0.0.1:9002");
        final List<ByteBuf> published = new ArrayList<>();
        try (RelayFanout fanout = new RelayFanout(List.of(a, b), 64, new SimpleMeterRegistry());
            AgentThreads senders = AgentThreads.start(ThreadingMode.SHARED, fanout.senders(), Throwable::printStackTrace))
        {
            for (int i = 0; i < 500; i++)
            {
                final ByteBuf message = message("title " + i);
                published.add(message);
                fanout.publish(message);
                if (i % 50 == 49)
                {
                    final int expected = i + 1;
                    await().atMost(Duration.ofSeconds(10)).until(() -> a.received().size() == expected
                        && b.received().size() == expected);
                }
            }
            for (final RecordingLink link : List.of(a, b))
            {
                for (int i = 0; i < 500; i++)
                {
                    assertThat(link.received().get(i).title()).isEqualTo("title " + i);
                }
            }
            assertThat(fanout.queueFullDrops(0) + fanout.queueFullDrops(1)).isZero();
        }
        assertThat(published).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    }

    @Test
    void shouldNotDelayAHealthyDestinationWhileAnotherOnesLinkIsStuck()
    {
        final RecordingLink stuck = new RecordingLink("tcp://127.0.0.1:9001");
        final RecordingLink healthy = new RecordingLink("tcp://127.0.0.1:9002");
        stuck.block();
        final List<MessageLink> links = List.of(stuck, healthy);
        final int capacity = 16;
        final List<ByteBuf> published = new ArrayList<>();
        try (RelayFanout fanout = new RelayFanout(links, capacity, new SimpleMeterRegistry());
            AgentThreads senders = AgentThreads.start(ThreadingMode.DEDICATED, fanout.senders(), Throwable::printStackTrace))
        {
            for (int i = 0; i < 200; i++)
            {
                final ByteBuf message = message("title " + i);
                published.add(message);
                fanout.publish(message);
                // frames come at the audio's pace: the healthy destination keeps up with every one of them
                final int expected = i + 1;
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                    .until(() -> healthy.received().size() == expected);
            }
            assertThat(fanout.queueFullDrops(1)).isZero();
            // the stuck link holds one message in offer; its queue holds `capacity`; the rest were dropped for it alone
            assertThat(fanout.queueFullDrops(0)).isBetween(200L - capacity - 1, 200L - capacity);

            stuck.unblock();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(stuck.received().size() + fanout.queueFullDrops(0)).isEqualTo(200));
        }
        assertThat(published).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    }

    @Test
    void shouldCountMessagesTheLinkRefusesPerDestination()
    {
        final RecordingLink open = new RecordingLink("tcp://127.0.0.1:9001");
        final RecordingLink closed = new RecordingLink("tcp://127.0.0.1:9002");
        final MessageLink refusing = new RefusingLink(closed);
        try (RelayFanout fanout = new RelayFanout(List.of(open, refusing), 64, new SimpleMeterRegistry());
            AgentThreads senders = AgentThreads.start(ThreadingMode.DEDICATED, fanout.senders(), Throwable::printStackTrace))
        {
            for (int i = 0; i < 10; i++)
            {
                fanout.publish(message("t" + i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> fanout.linkDrops(1) == 10 && fanout.sent(0) == 10);
            assertThat(fanout.linkDrops(0)).isZero();
        }
    }

    private static ByteBuf message(final String title)
    {
        final ByteBuf buf = Unpooled.directBuffer(2048);
        final UnsafeBuffer view = new UnsafeBuffer(buf.memoryAddress(), buf.capacity());
        final int length = new MetadataEncoder().wrap(view, 0, MOUNT).encoderId(1).epoch(1).timestampUs(1)
            .streamTitle(title).finish(null);
        return buf.writerIndex(length);
    }

    private record RefusingLink(RecordingLink delegate) implements MessageLink
    {
        @Override
        public org.seamcast.transport.link.LinkAddress address()
        {
            return delegate.address();
        }

        @Override
        public boolean offer(final DirectBuffer buffer, final int offset, final int length)
        {
            return false;
        }

        @Override
        public void flush()
        {
        }

        @Override
        public boolean isConnected()
        {
            return false;
        }

        @Override
        public String problem()
        {
            return "refusing";
        }

        @Override
        public void close()
        {
        }
    }
}
