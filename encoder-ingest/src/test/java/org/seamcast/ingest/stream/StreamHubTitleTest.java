package org.seamcast.ingest.stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.EpochNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.ingest.RecordingLink;
import org.seamcast.ingest.send.RelayFanout;
import org.seamcast.ingest.stamp.EpochSource;
import org.seamcast.transport.AgentThreads;
import org.seamcast.transport.ThreadingMode;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A title keeps the time it was set through every repeat, so an edge can tell a new title from an old one repeated.
 */
class StreamHubTitleTest
{
    private static final long START_NS = 1_700_000_000_000_000_000L;

    private final RecordingLink relay = new RecordingLink("tcp://127.0.0.1:9001");
    private final AtomicLong nowNs = new AtomicLong(START_NS);
    private final EpochNanoClock clock = nowNs::get;
    private final RelayFanout fanout = new RelayFanout(List.of(relay), 1024, new SimpleMeterRegistry());
    private final AgentThreads senders = AgentThreads.start(ThreadingMode.SHARED, fanout.senders(),
        Throwable::printStackTrace);
    private final StreamHub hub = new StreamHub(NodeName.of("ingest-test"), 3, 0, null, fanout, clock,
        new EpochSource(() -> nowNs.get() / 1_000_000), new SimpleMeterRegistry(), 500);

    @AfterEach
    void stop()
    {
        senders.close();
        fanout.close();
    }

    @Test
    void shouldRepeatATitleWithTheTimestampItWasSetAt()
    {
        final SourceSession session = hub.open(MountName.of("/live"), StreamHeaders.NONE, "test", FramePacer.NONE);
        session.updateMetadata("First", null);
        for (int i = 0; i < 3; i++)
        {
            nowNs.addAndGet(500_000_000L);
            hub.repeatAnnouncements();
        }
        nowNs.addAndGet(250_000_000L);
        session.updateMetadata("Second", null);
        nowNs.addAndGet(500_000_000L);
        hub.repeatAnnouncements();

        await().atMost(Duration.ofSeconds(5)).until(() -> metadata().size() == 6);
        final List<RecordingLink.Received> sent = metadata();
        assertThat(sent).extracting(RecordingLink.Received::title)
            .containsExactly("First", "First", "First", "First", "Second", "Second");
        assertThat(sent.subList(0, 4)).extracting(RecordingLink.Received::timestampUs)
            .containsOnly(START_NS / 1000);
        assertThat(sent.subList(4, 6)).extracting(RecordingLink.Received::timestampUs)
            .containsOnly(START_NS / 1000 + 1_750_000);
    }

    @Test
    void shouldStampTitlesSetInTheSameMicrosecondInTheOrderTheyWereSet()
    {
        final SourceSession a = hub.open(MountName.of("/a"), StreamHeaders.NONE, "test", FramePacer.NONE);
        final SourceSession b = hub.open(MountName.of("/b"), StreamHeaders.NONE, "test", FramePacer.NONE);

        a.updateMetadata("one", null);
        b.updateMetadata("two", null);
        a.updateMetadata("three", null);

        await().atMost(Duration.ofSeconds(5)).until(() -> metadata().size() == 3);
        assertThat(metadata()).extracting(RecordingLink.Received::timestampUs)
            .containsExactly(START_NS / 1000, START_NS / 1000 + 1, START_NS / 1000 + 2);
    }

    @Test
    void shouldNameTheMountWhoseSourceConnectedFirst()
    {
        assertThat(hub.firstLive()).isNull();
        final SourceSession first = hub.open(MountName.of("/z-first"), StreamHeaders.NONE, "test", FramePacer.NONE);
        hub.open(MountName.of("/a-second"), StreamHeaders.NONE, "test", FramePacer.NONE);

        assertThat(hub.firstLive()).isSameAs(first);
        first.close();
        assertThat(hub.firstLive().mount().toString()).isEqualTo("/a-second");
    }

    @Test
    void shouldForgetTheTitleOfASessionThatEnded()
    {
        final SourceSession session = hub.open(MountName.of("/live"), StreamHeaders.NONE, "test", FramePacer.NONE);
        session.updateMetadata("Gone", null);
        session.close();

        hub.repeatAnnouncements();
        session.updateMetadata("Late", null);
        hub.repeatAnnouncements();

        await().atMost(Duration.ofSeconds(5)).until(() -> metadata().size() == 2);
        assertThat(metadata()).extracting(RecordingLink.Received::title).containsExactly("Gone", "Late");
    }

    private List<RecordingLink.Received> metadata()
    {
        return relay.ofType(MessageType.METADATA);
    }
}
