package org.seamcast.relay.ring;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.seamcast.relay.ring.ReplayLogTest.message;

class ReplayRingTest
{
    private static final long MS = 1_000_000L;

    @Property(tries = 300)
    void shouldReturnExactlyWhatWasPutOfEachStreamAndKeepTheSpan(
        @ForAll @Size(min = 1, max = 600) final List<@IntRange(min = 1, max = 1500) Integer> lengths,
        @ForAll @IntRange(min = 0, max = 3) final int reorderEvery,
        @ForAll @IntRange(min = 1, max = 3) final int streams,
        @ForAll @IntRange(min = 0, max = 200) final int spanMs)
    {
        final ReplayLog log = new ReplayLog(1L << 30, spanMs * MS);
        final List<ReplayRing> rings = new ArrayList<>();
        final List<Map<Long, byte[]>> puts = new ArrayList<>();
        final List<Map<Long, Long>> putAt = new ArrayList<>();
        for (int s = 0; s < streams; s++)
        {
            rings.add(new ReplayRing(log, 64));
            puts.add(new HashMap<>());
            putAt.add(new HashMap<>());
        }
        for (int i = 0; i < lengths.size(); i++)
        {
            final int stream = i % streams;
            final int n = i / streams;
            final long sequence = reorderEvery > 0 && n % (reorderEvery + 1) == 1 ? n - 1 : n;
            final long actual = puts.get(stream).containsKey(sequence) ? n : sequence;
            final byte[] message = message(actual * 31 + stream, lengths.get(i));
            assertThat(rings.get(stream).put(actual, i * MS, new UnsafeBuffer(message), 0, message.length)).isTrue();
            puts.get(stream).put(actual, message);
            putAt.get(stream).put(actual, i * MS);
        }

        final long lastNs = (lengths.size() - 1) * MS;
        for (int s = 0; s < streams; s++)
        {
            final ReplayRing ring = rings.get(s);
            for (final Map.Entry<Long, byte[]> entry : puts.get(s).entrySet())
            {
                final long sequence = entry.getKey();
                ring.read(sequence, (got, buffer, offset, length) ->
                {
                    final byte[] read = new byte[length];
                    buffer.getBytes(offset, read);
                    assertThat(got).isEqualTo(sequence);
                    assertThat(read).isEqualTo(entry.getValue());
                });
                final boolean indexable = sequence > ring.highestSequence() - 64;
                if (lastNs - putAt.get(s).get(sequence) < spanMs * MS && indexable)
                {
                    assertThat(ring.contains(sequence)).as("stream %d sequence %d, within the span", s, sequence)
                        .isTrue();
                }
            }
        }
    }

    @Test
    void shouldResumeFromASequenceInOrderSkippingWhatIsGone()
    {
        final ReplayRing ring = new ReplayRing(new ReplayLog(1L << 20, 0), 16);
        for (long s = 0; s < 40; s++)
        {
            final byte[] message = message(s, 100);
            ring.put(s, 0, new UnsafeBuffer(message), 0, message.length);
        }

        final List<Long> resumed = new ArrayList<>();
        final int count = ring.readFrom(0, (sequence, buffer, offset, length) -> resumed.add(sequence));

        assertThat(resumed).containsExactly(24L, 25L, 26L, 27L, 28L, 29L, 30L, 31L, 32L, 33L, 34L, 35L, 36L, 37L,
            38L, 39L);
        assertThat(count).isEqualTo(16);
        assertThat(ring.readFrom(38, (sequence, buffer, offset, length) -> { })).isEqualTo(2);
        assertThat(ring.highestSequence()).isEqualTo(39);
    }

    @Test
    void shouldForgetMessagesWhoseBytesTheLogWroteOver()
    {
        final ReplayLog log = new ReplayLog(ReplayLog.MIN_CAPACITY_BYTES, 0);
        final ReplayRing ring = new ReplayRing(log, 1024);
        final ReplayRing other = new ReplayRing(log, 1024);
        final byte[] message = message(0, 1000);
        for (long s = 0; s < 300; s++)
        {
            ring.put(s, s * MS, new UnsafeBuffer(message), 0, message.length);
            other.put(s, s * MS, new UnsafeBuffer(message), 0, message.length);
        }

        // two chunks of 64 KiB hold 64..128 messages of 1 KB, shared by both streams
        assertThat(ring.contains(299)).isTrue();
        assertThat(ring.contains(270)).isTrue();
        assertThat(ring.contains(200)).isFalse();
        assertThat(ring.contains(0)).isFalse();
        assertThat(ring.contains(300)).isFalse();
        assertThat(ring.heldCount()).isBetween(32, 64);
    }

    @Test
    void shouldFindItsOwnMessageOnlyWhenStreamsShareSequences()
    {
        final ReplayLog log = new ReplayLog(1L << 20, 1_000 * MS);
        final ReplayRing a = new ReplayRing(log, 64);
        final ReplayRing b = new ReplayRing(log, 64);
        a.put(5, 0, new UnsafeBuffer(message(1, 50)), 0, 50);
        b.put(5, 0, new UnsafeBuffer(message(2, 60)), 0, 60);
        b.put(6, 0, new UnsafeBuffer(message(3, 70)), 0, 70);

        final List<byte[]> read = new ArrayList<>();
        a.readFrom(0, (sequence, buffer, offset, length) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            read.add(bytes);
        });
        assertThat(read).containsExactly(message(1, 50));
        assertThat(a.contains(6)).isFalse();
        assertThat(b.contains(5)).isTrue();
    }

    @Test
    void shouldRefuseAMessageTheLogCannotHoldAndBadSizes()
    {
        final ReplayRing ring = new ReplayRing(new ReplayLog(1L << 20, 0), 8);
        final UnsafeBuffer large = new UnsafeBuffer(new byte[ReplayLog.CHUNK_BYTES]);
        assertThat(ring.put(1, 0, large, 0, ReplayLog.MAX_MESSAGE_BYTES + 1)).isFalse();
        assertThat(ring.put(-1, 0, large, 0, 100)).isFalse();
        assertThat(ring.highestSequence()).isEqualTo(-1);
        assertThatThrownBy(() -> new ReplayRing(new ReplayLog(1L << 20, 0), 10)).hasMessageContaining("slots=10");
    }

    @Test
    void shouldGrowItsIndexSoEveryHeldMessageStaysFindableAndForgetAllOnClear()
    {
        final ReplayLog log = new ReplayLog(1L << 20, 10_000 * MS);
        final ReplayRing ring = new ReplayRing(log, 1024);
        assertThat(ring.allocatedBytes()).as("index of a new ring").isEqualTo(ReplayRing.INITIAL_SLOTS * Long.BYTES);
        for (long s = 0; s < 600; s++)
        {
            final byte[] message = message(s, 100);
            ring.put(s, s * MS, new UnsafeBuffer(message), 0, message.length);
        }
        assertThat(ring.heldCount()).isEqualTo(600);
        final List<Long> resumed = new ArrayList<>();
        ring.readFrom(0, (sequence, buffer, offset, length) -> resumed.add(sequence));
        assertThat(resumed).hasSize(600).startsWith(0L).endsWith(599L);
        assertThat(ring.allocatedBytes()).isEqualTo(1024 * Long.BYTES);

        ring.clear();
        assertThat(ring.heldCount()).isZero();
        assertThat(ring.highestSequence()).isEqualTo(-1);
        assertThat(ring.contains(599)).isFalse();
        assertThat(ring.readFrom(0, (sequence, buffer, offset, length) -> { })).isZero();

        final byte[] again = message(7, 100);
        ring.put(3, 700 * MS, new UnsafeBuffer(again), 0, again.length);
        assertThat(ring.contains(3)).isTrue();
        assertThat(ring.contains(4)).isFalse();
        assertThat(ring.heldCount()).isEqualTo(1);
    }

    @Test
    void shouldKeepTheSpanOfEveryStreamInMemoryThatFollowsTheTraffic()
    {
        final int frameUs = 26_122;
        final int length = 457;
        final long spanNs = 10_000 * MS;
        final int streams = 20;
        final ReplayLog log = new ReplayLog(1L << 30, spanNs);
        final List<ReplayRing> rings = new ArrayList<>();
        for (int s = 0; s < streams; s++)
        {
            rings.add(new ReplayRing(log, 1024));
        }
        final long frames = 3 * spanNs / 1000 / frameUs;
        for (long f = 0; f < frames; f++)
        {
            for (int s = 0; s < streams; s++)
            {
                final byte[] message = message(f * streams + s, length);
                rings.get(s).put(f, f * frameUs * 1000L, new UnsafeBuffer(message), 0, length);
            }
        }

        // 10 s of 20 streams of 128 kbit/s: 3.5 MB, in chunks of 64 KiB, not the 30 s sent
        final long spanBytes = spanNs / 1000 / frameUs * streams * (ReplayLog.HEADER_BYTES + length + 3);
        assertThat(log.allocatedBytes()).isBetween(spanBytes, spanBytes + 3L * ReplayLog.CHUNK_BYTES);
        for (int s = 0; s < streams; s++)
        {
            final ReplayRing ring = rings.get(s);
            final int stream = s;
            for (long f = frames - spanNs / 1000 / frameUs; f < frames; f++)
            {
                final long frame = f;
                assertThat(ring.read(f, (got, buffer, offset, bytes) ->
                {
                    final byte[] read = new byte[bytes];
                    buffer.getBytes(offset, read);
                    assertThat(read).isEqualTo(message(frame * streams + stream, length));
                })).as("stream %d frame %d, within the last 10 s", s, f).isTrue();
            }
            assertThat(ring.contains(frames - 2 * spanNs / 1000 / frameUs)).as("20 s back").isFalse();
        }
    }
}
