package org.seamcast.ingest.stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.audio.ChannelMode;
import org.seamcast.codec.audio.MpegVersion;
import org.seamcast.codec.audio.SilenceFrames;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.ingest.RecordingLink;
import org.seamcast.ingest.send.RelayFanout;
import org.seamcast.ingest.stamp.EpochSource;
import org.seamcast.ingest.stamp.FrameStamper;
import org.seamcast.transport.AgentThreads;
import org.seamcast.transport.ThreadingMode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A source session's batching on a virtual clock: frames go out only when a read ends, stamped no later than that
 * read; a read may end at any byte of the stream; a burst is held and sent as one contiguous block.
 */
class SourceSessionTest
{
    private static final String MOUNT = "/batch.mp3";
    private static final int FRAME_LENGTH = SilenceFrames.mp3FrameLength(MpegVersion.MPEG_1, 44_100, 128);
    private static final long FRAME_NS = 1152 * 1_000_000_000L / 44_100;
    private static final long SLEW_US = (long)Math.ceil(FRAME_NS / 1000.0 * FrameStamper.DEFAULT_MAX_SLEW_PPM / 1e6);
    private static final long MIN_SPACING_US = FRAME_NS / 1000 - SLEW_US - 1;
    private static final long MAX_SPACING_US = FRAME_NS / 1000 + SLEW_US + 1;

    private final long[] nowNs = {1_700_000_000_000_000_000L};
    private final EpochNanoClock clock = () -> nowNs[0];
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordingLink link = new RecordingLink("tcp://127.0.0.1:9");
    private final RelayFanout fanout = new RelayFanout(List.of(link), 1 << 16, registry);
    private final AgentThreads senders = AgentThreads.start(ThreadingMode.SHARED, fanout.senders(),
        Throwable::printStackTrace);
    private final StreamHub hub = new StreamHub(NodeName.of("ingest-test"), 1, 0, null, fanout, clock, new EpochSource(() -> 1), registry,
        FrameStamper.DEFAULT_MAX_SLEW_PPM);
    private final UnsafeBuffer frames = silence(64);
    private final List<Long> releasedBeforeNs = new ArrayList<>();

    @AfterEach
    void close()
    {
        senders.close();
        fanout.close();
    }

    @Test
    void shouldSendFramesOnlyWhenAReadEndsWhicheverByteItEndsAt()
    {
        final SourceSession session = hub.open(MountName.of(MOUNT), StreamHeaders.NONE, "test", FramePacer.NONE);
        int fed = 0;
        for (; fed < 16; fed++)
        {
            readAt(session, fed * FRAME_LENGTH, FRAME_LENGTH, (fed + 1) * FRAME_NS);
        }
        assertThat(session.framesSent()).as("past the first reads' settle time").isGreaterThan(0);

        for (int split = 0; split <= FRAME_LENGTH; split++, fed++)
        {
            final int offset = (fed % 64) * FRAME_LENGTH;
            final long sentBefore = session.framesSent();
            session.onData(frames, offset, split);
            assertThat(session.framesSent()).as("nothing goes out before the read ends").isEqualTo(sentBefore);
            readAt(session, offset + split, 0, (fed + 1) * FRAME_NS);
            readAt(session, offset + split, FRAME_LENGTH - split, (fed + 1) * FRAME_NS + FRAME_NS / 2);
        }
        nowNs[0] += 2 * FRAME_NS;
        session.close();
        final int total = fed;

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
            .until(() -> link.frames(MOUNT).size() == total);
        final List<RecordingLink.Received> received = link.frames(MOUNT);
        for (int n = 0; n < total; n++)
        {
            assertThat(received.get(n).sequence()).isEqualTo(n);
            assertThat(received.get(n).payload()).hasSize(FRAME_LENGTH);
            if (n < releasedBeforeNs.size())
            {
                assertThat(received.get(n).timestampUs()).as("frame %d stamped no later than its read", n)
                    .isLessThanOrEqualTo(releasedBeforeNs.get(n) / 1000);
            }
            if (n > 0)
            {
                assertThat(received.get(n).timestampUs() - received.get(n - 1).timestampUs())
                    .as("spacing before frame %d", n).isBetween(MIN_SPACING_US, MAX_SPACING_US);
            }
        }
        assertThat(registry.get("seamcast.ingest.frames").tag("mount", MOUNT).counter().count()).isEqualTo(total);
    }

    @Test
    void shouldHoldAConnectBurstAndSendItAsOneBlockEndingAtItsArrival()
    {
        final SourceSession session = hub.open(MountName.of(MOUNT), StreamHeaders.NONE, "test", FramePacer.NONE);
        final long connectNs = nowNs[0];
        readAt(session, 0, 40 * FRAME_LENGTH, 0);
        assertThat(session.framesSent()).isZero();
        int fed = 40;
        for (int k = 1; session.framesSent() == 0; k++, fed++)
        {
            readAt(session, fed * FRAME_LENGTH, FRAME_LENGTH, k * FRAME_NS);
        }
        final long sent = session.framesSent();
        nowNs[0] += 2 * FRAME_NS;
        session.close();
        final int total = fed;

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
            .until(() -> link.frames(MOUNT).size() == total);
        final List<RecordingLink.Received> received = link.frames(MOUNT);
        assertThat(sent).as("the burst and the live frames of the settle time, at once").isGreaterThan(40);
        assertThat(received.get(38).timestampUs()).as("the last frame the burst completed ends at its arrival")
            .isBetween(connectNs / 1000 - 1, connectNs / 1000);
        for (int n = 1; n < total; n++)
        {
            assertThat(received.get(n).timestampUs() - received.get(n - 1).timestampUs())
                .as("spacing before frame %d", n).isBetween(MIN_SPACING_US, MAX_SPACING_US);
        }
        assertThat(registry.get("seamcast.ingest.stamp.bursts").tag("mount", MOUNT).counter().count()).isEqualTo(1);
        assertThat(registry.get("seamcast.ingest.stamp.held.frames").tag("mount", MOUNT).counter().count())
            .isEqualTo(sent - 1);
    }

    @Test
    void shouldStampEachPacedFrameAsAReadOfItsOwn()
    {
        final SourceSession session = hub.open(MountName.of(MOUNT), StreamHeaders.NONE, "test", durationNs ->
        {
            nowNs[0] += durationNs;
            return FramePacer.PACED;
        });
        session.onData(frames, 0, 64 * FRAME_LENGTH);
        assertThat(session.framesSent()).as("every frame the splitter completed").isEqualTo(63);
        session.close();
        assertThat(session.framesSent()).isEqualTo(64);
    }

    @Test
    void shouldStampTheFrameCompletedOnlyAtCloseNoLaterThanTheClose()
    {
        final SourceSession session = hub.open(MountName.of(MOUNT), StreamHeaders.NONE, "test", FramePacer.NONE);
        for (int fed = 0; fed < 20; fed++)
        {
            readAt(session, fed * FRAME_LENGTH, FRAME_LENGTH, (fed + 1) * FRAME_NS);
        }
        final long closeNs = nowNs[0];
        session.close();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
            .until(() -> link.frames(MOUNT).size() == 20);
        final List<RecordingLink.Received> received = link.frames(MOUNT);
        assertThat(received.get(19).timestampUs()).as("the last frame, which the splitter completes only at close")
            .isLessThanOrEqualTo(closeNs / 1000)
            .isLessThan(received.get(18).timestampUs() + FRAME_NS / 1000 - SLEW_US);
        assertThat(registry.get("seamcast.ingest.stamp.pullbacks").tag("mount", MOUNT).counter().count() +
            registry.get("seamcast.ingest.stamp.bursts").tag("mount", MOUNT).counter().count())
            .as("the step back is counted").isEqualTo(1);
    }

    private void readAt(final SourceSession session, final int offset, final int length, final long sinceConnectNs)
    {
        nowNs[0] = Math.max(nowNs[0], 1_700_000_000_000_000_000L + sinceConnectNs);
        if (length > 0)
        {
            session.onData(frames, offset % (64 * FRAME_LENGTH), length);
        }
        session.endOfRead();
        while (releasedBeforeNs.size() < session.framesSent())
        {
            releasedBeforeNs.add(nowNs[0]);
        }
    }

    private static UnsafeBuffer silence(final int count)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[count * FRAME_LENGTH]);
        for (int i = 0; i < count; i++)
        {
            SilenceFrames.writeMp3(MpegVersion.MPEG_1, 44_100, ChannelMode.STEREO, 128, buffer, i * FRAME_LENGTH);
        }
        return buffer;
    }
}
