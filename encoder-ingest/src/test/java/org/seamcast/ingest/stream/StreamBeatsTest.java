package org.seamcast.ingest.stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.audio.ChannelMode;
import org.seamcast.codec.audio.MpegVersion;
import org.seamcast.codec.audio.SilenceFrames;
import org.seamcast.codec.protocol.DecodeResult;
import org.seamcast.codec.protocol.HeartbeatView;
import org.seamcast.codec.protocol.KeyRole;
import org.seamcast.codec.protocol.Keyring;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.codec.protocol.Protocol;
import org.seamcast.codec.protocol.StreamPositionCursor;
import org.seamcast.ingest.send.RelayFanout;
import org.seamcast.ingest.stamp.EpochSource;
import org.seamcast.transport.AgentThreads;
import org.seamcast.transport.ByteBufAccess;
import org.seamcast.transport.ThreadingMode;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ingest's stream heartbeats on a virtual clock: a live source is beaten at the interval with its last sequence
 * sent, a source that goes quiet at once, a disconnected one for the linger time; many streams are split over
 * heartbeats that each fit a datagram; they are signed with the audio key and cost no allocation per heartbeat.
 */
class StreamBeatsTest
{
    private static final long T0_NS = 1_750_000_000_000_000_000L;
    private static final int FRAME_LENGTH = SilenceFrames.mp3FrameLength(MpegVersion.MPEG_1, 44_100, 128);
    private static final long FRAME_NS = 1152 * 1_000_000_000L / 44_100;
    private static final long TICK_NS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(StreamBeats.DEFAULT_INTERVAL_MS);
    private static final long QUIET_NS = TimeUnit.MILLISECONDS.toNanos(StreamBeats.DEFAULT_QUIET_MS);
    private static final long LINGER_NS = TimeUnit.MILLISECONDS.toNanos(StreamBeats.DEFAULT_LINGER_MS);
    private static final long FIRST_BEAT = 1_750_000_000_000_000L;
    private static final int ENCODER = 3;
    private static final NodeName INGEST = NodeName.of("ingest-1");

    private final long[] nowNs = {T0_NS};
    private final EpochNanoClock clock = () -> nowNs[0];
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RelayFanout fanout = new RelayFanout(List.of(), 1 << 10, registry);
    private final AgentThreads senders = AgentThreads.start(ThreadingMode.SHARED, fanout.senders(),
        Throwable::printStackTrace);
    private final StreamHub hub = new StreamHub(NodeName.of("ingest-test"), ENCODER, 0, null, fanout, clock,
        new EpochSource(() -> 1), registry,
        500);
    private final UnsafeBuffer frames = silence(64);
    private final List<Beat> beats = new ArrayList<>();
    private final MessageDecoder decoder = new MessageDecoder();
    private final StreamBeats streamBeats = newBeats(null, this::record);
    private SourceSession playing;
    private long nextFrameNs;
    private int fed;

    @AfterEach
    void close()
    {
        senders.close();
        fanout.close();
    }

    @Test
    void shouldBeatALiveStreamsLastSequenceSentAtTheInterval()
    {
        hub.beats(streamBeats);
        final SourceSession session = play("/live.mp3");

        final List<Long> lastSent = new ArrayList<>();
        runUntil(T0_NS + 2_200_000_000L, () ->
        {
            if (beats.size() > lastSent.size())
            {
                lastSent.add(session.lastSequenceSent());
            }
        });

        assertThat(beats).hasSize(8);
        for (int i = 0; i < beats.size(); i++)
        {
            final Beat beat = beats.get(i);
            assertThat(beat.node()).isEqualTo("ingest-1");
            assertThat(beat.heartbeatSequence()).isEqualTo(FIRST_BEAT + i);
            assertThat(beat.entries()).containsExactly(
                new Entry("/live.mp3", ENCODER, session.epoch(), lastSent.get(i)));
            if (i > 0)
            {
                assertThat(beat.senderTimeUs() - beats.get(i - 1).senderTimeUs()).as("no beat between")
                    .isEqualTo(INTERVAL_NS / 1000);
            }
        }
    }

    @Test
    void shouldBeatAtOnceWhenAStreamGoesQuietThenAtTheIntervalWithItsLastSequence()
    {
        hub.beats(streamBeats);
        final SourceSession session = play("/live.mp3");
        runUntil(T0_NS + 1_100_000_000L, () -> { });
        playing = null;
        final long quietSinceNs = session.lastSentNs();
        final long last = session.lastSequenceSent();
        final int before = beats.size();

        runUntil(quietSinceNs + 700_000_000L, () -> { });

        final List<Beat> after = beats.subList(before, beats.size());
        assertThat(after).isNotEmpty();
        assertThat(after.get(0).senderTimeUs() * 1000).as("the quiet beat")
            .isBetween(quietSinceNs + QUIET_NS, quietSinceNs + QUIET_NS + TICK_NS);
        assertThat(after).allSatisfy(beat -> assertThat(beat.entries()).singleElement()
            .extracting(Entry::sequence).isEqualTo(last));
        for (int i = 1; i < after.size(); i++)
        {
            assertThat(after.get(i).senderTimeUs() - after.get(i - 1).senderTimeUs()).isEqualTo(INTERVAL_NS / 1000);
        }
    }

    @Test
    void shouldKeepBeatingADisconnectedSourceForTheLingerTimeThenForgetIt()
    {
        hub.beats(streamBeats);
        final SourceSession session = play("/live.mp3");
        runUntil(T0_NS + 500_000_000L, () -> { });
        playing = null;
        session.close();
        final long lastSentNs = session.lastSentNs();
        final long last = session.lastSequenceSent();

        runUntil(lastSentNs + LINGER_NS + 1_000_000_000L, () -> { });

        final Beat lastBeat = beats.get(beats.size() - 1);
        assertThat(lastBeat.entries()).singleElement().extracting(Entry::sequence).isEqualTo(last);
        assertThat(lastBeat.senderTimeUs() * 1000).isBetween(lastSentNs + LINGER_NS - INTERVAL_NS,
            lastSentNs + LINGER_NS);
        assertThat(streamBeats.streams()).isZero();
    }

    @Test
    void shouldSplitManyStreamsOverHeartbeatsThatEachFitADatagram()
    {
        hub.beats(streamBeats);
        final List<String> mounts = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            final String mount = "/" + "m".repeat(200) + i;
            mounts.add(mount);
            sending(mount);
        }

        assertThat(streamBeats.doWork(nowNs[0])).isGreaterThan(1);

        assertThat(beats).allSatisfy(beat -> assertThat(beat.length()).isLessThanOrEqualTo(
            Protocol.MAX_DATAGRAM_LENGTH));
        assertThat(beats.stream().flatMap(beat -> beat.entries().stream()).map(Entry::mount).toList())
            .containsExactlyElementsOf(mounts);
        for (int i = 1; i < beats.size(); i++)
        {
            assertThat(beats.get(i).heartbeatSequence()).isEqualTo(beats.get(i - 1).heartbeatSequence() + 1);
        }
    }

    @Test
    void shouldSignWithTheKeyThatSignsAudio()
    {
        final Keyring keyring = Keyring.of(1, "edge-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII),
            KeyRole.EDGE).withKey(2, "ingest-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII), KeyRole.INGEST);
        final MessageDecoder verifying = new MessageDecoder(keyring.newAuthenticator());
        final List<Integer> keyIds = new ArrayList<>();
        final StreamBeats signed = newBeats(keyring.newAuthenticator(), message ->
        {
            final UnsafeBuffer view = ByteBufAccess.wrapReadable(new UnsafeBuffer(0, 0), message);
            assertThat(verifying.decode(view, 0, message.readableBytes())).isEqualTo(DecodeResult.OK);
            keyIds.add(verifying.heartbeat().macKeyId());
            message.release();
        });
        hub.beats(signed);
        sending("/live.mp3");

        signed.doWork(nowNs[0]);

        assertThat(keyIds).containsExactly(2);
    }

    @Test
    void shouldAllocateNothingPerHeartbeatOnceWarm() throws Exception
    {
        final long[] allocated = new long[1];
        final StreamBeats discarding = newBeats(null, ByteBuf::release);
        hub.beats(discarding);
        for (int i = 0; i < 4; i++)
        {
            sending("/m" + i);
        }
        final long startNs = nowNs[0];
        final io.netty.util.ResourceLeakDetector.Level level = io.netty.util.ResourceLeakDetector.getLevel();
        io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        try
        {
            final Thread thread = new io.netty.util.concurrent.FastThreadLocalThread(() ->
            {
                for (int i = 0; i < 2_000; i++)
                {
                    discarding.doWork(startNs + i * INTERVAL_NS);
                }
                final com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
                final long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 2_000; i < 12_000; i++)
                {
                    discarding.doWork(startNs + i * INTERVAL_NS);
                }
                allocated[0] = threads.getCurrentThreadAllocatedBytes() - before;
            }, "beats-thread");
            thread.start();
            thread.join();
        }
        finally
        {
            io.netty.util.ResourceLeakDetector.setLevel(level);
        }

        assertThat(discarding.heartbeatsSent()).isEqualTo(12_000);
        // one object per heartbeat would be at least 16 B x 10,000
        assertThat(allocated[0]).as("bytes allocated for 10,000 heartbeats").isLessThan(80_000);
    }

    private StreamBeats newBeats(
        final org.seamcast.codec.protocol.MessageAuthenticator signer, final Consumer<ByteBuf> publisher)
    {
        return new StreamBeats(INGEST, ENCODER, signer, publisher, StreamBeats.DEFAULT_INTERVAL_MS,
            StreamBeats.DEFAULT_QUIET_MS, StreamBeats.DEFAULT_LINGER_MS, FIRST_BEAT);
    }

    /**
     * Opens {@code mount} and feeds it frames in real time until the first is sent (the stamper settles first).
     */
    private SourceSession sending(final String mount)
    {
        final SourceSession session = hub.open(MountName.of(mount), StreamHeaders.NONE, "test", paced());
        for (int n = 0; session.lastSequenceSent() < 0; n++)
        {
            nowNs[0] += FRAME_NS;
            session.onData(frames, (n % 64) * FRAME_LENGTH, FRAME_LENGTH);
        }
        return session;
    }

    private SourceSession play(final String mount)
    {
        playing = hub.open(MountName.of(mount), StreamHeaders.NONE, "test", paced());
        nextFrameNs = nowNs[0];
        return playing;
    }

    /**
     * Moves the clock in ticks: a playing source gets a frame whenever one is due, the heartbeats are looked at every
     * tick, as the ingest's repeater does, and {@code afterTick} runs after each.
     */
    private void runUntil(final long untilNs, final Runnable afterTick)
    {
        while (nowNs[0] < untilNs)
        {
            final long tickEndNs = nowNs[0] + TICK_NS;
            while (playing != null && nextFrameNs <= tickEndNs)
            {
                nowNs[0] = Math.max(nowNs[0], nextFrameNs);
                playing.onData(frames, (fed++ % 64) * FRAME_LENGTH, FRAME_LENGTH);
                nextFrameNs += FRAME_NS;
            }
            nowNs[0] = tickEndNs;
            streamBeats.doWork(nowNs[0]);
            afterTick.run();
        }
    }

    private static FramePacer paced()
    {
        return durationNs -> FramePacer.PACED;
    }

    private void record(final ByteBuf message)
    {
        final UnsafeBuffer view = ByteBufAccess.wrapReadable(new UnsafeBuffer(0, 0), message);
        assertThat(decoder.decode(view, 0, message.readableBytes())).isEqualTo(DecodeResult.OK);
        assertThat(decoder.type()).isEqualTo(MessageType.HEARTBEAT);
        final HeartbeatView heartbeat = decoder.heartbeat();
        final List<Entry> entries = new ArrayList<>();
        final StreamPositionCursor cursor = heartbeat.streams();
        while (cursor.next())
        {
            final byte[] mount = new byte[cursor.mountLength()];
            cursor.buffer().getBytes(cursor.mountOffset(), mount);
            entries.add(new Entry(new String(mount, StandardCharsets.US_ASCII), cursor.encoderId(), cursor.epoch(),
                cursor.sequence()));
        }
        final byte[] node = new byte[heartbeat.nodeNameLength()];
        view.getBytes(heartbeat.nodeNameOffset(), node);
        beats.add(new Beat(new String(node, StandardCharsets.US_ASCII), heartbeat.senderTimeUs(),
            heartbeat.heartbeatSequence(), message.readableBytes(), entries));
        message.release();
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

    private record Entry(String mount, long encoderId, long epoch, long sequence)
    {
    }

    private record Beat(String node, long senderTimeUs, long heartbeatSequence, int length, List<Entry> entries)
    {
    }
}
