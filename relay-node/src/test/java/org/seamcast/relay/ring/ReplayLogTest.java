package org.seamcast.relay.ring;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayLogTest
{
    private static final long MS = 1_000_000L;

    @Property(tries = 200)
    void shouldHoldEveryRecordOfTheSpanExactlyAndTakeOnlyTheMemoryTheSpanNeeds(
        @ForAll @Size(min = 1, max = 3_000) final List<@IntRange(min = 1, max = 9_000) Integer> lengths,
        @ForAll @IntRange(min = 0, max = 20) final int gapMs,
        @ForAll @IntRange(min = 0, max = 2_000) final int spanMs)
    {
        final ReplayLog log = new ReplayLog(1L << 30, spanMs * MS);
        final List<long[]> records = new ArrayList<>(); // position, sequence, length, time
        long peakSpanBytes = 0;
        for (int i = 0; i < lengths.size(); i++)
        {
            final long nowNs = (long)i * gapMs * MS;
            final byte[] message = message(i, lengths.get(i));
            final long position = log.append(i, nowNs, new UnsafeBuffer(message), 0, message.length);
            assertThat(position).isGreaterThanOrEqualTo(0);
            records.add(new long[] {position, i, message.length, nowNs});

            long spanBytes = 0;
            for (int j = records.size() - 1; j >= 0 && nowNs - records.get(j)[3] < spanMs * MS; j--)
            {
                spanBytes += ReplayLog.HEADER_BYTES + records.get(j)[2] + 7;
            }
            peakSpanBytes = Math.max(peakSpanBytes, spanBytes);
            // the log lets go of chunks older than 1.25 spans, which hold at most two spans' worth; full chunks may
            // leave up to a record's bytes unused at their end; then the chunk being written and the one that
            // straddles the start
            assertThat(log.allocatedBytes()).as("memory after record %d", i)
                .isLessThanOrEqualTo(2 * peakSpanBytes * 6 / 5 + 3L * ReplayLog.CHUNK_BYTES);
        }

        final long lastNs = records.get(records.size() - 1)[3];
        for (final long[] record : records)
        {
            final boolean inSpan = lastNs - record[3] < spanMs * MS;
            if (inSpan)
            {
                assertThat(log.holds(record[0])).as("record %d, within the span", record[1]).isTrue();
            }
            if (log.holds(record[0]))
            {
                assertThat(log.read(record[0], record[1], (sequence, buffer, offset, length) ->
                {
                    final byte[] got = new byte[length];
                    buffer.getBytes(offset, got);
                    assertThat(got).isEqualTo(message(sequence, (int)record[2]));
                })).isTrue();
                assertThat(log.read(record[0], record[1] + 1, (sequence, buffer, offset, length) -> { }))
                    .as("a record read for another sequence").isFalse();
            }
        }
    }

    @Test
    void shouldKeepLessThanTheSpanRatherThanPassItsByteBound()
    {
        final ReplayLog log = new ReplayLog(4L * ReplayLog.CHUNK_BYTES, 10_000 * MS);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[1000]);
        final List<Long> positions = new ArrayList<>();
        for (int i = 0; i < 1_000; i++)
        {
            positions.add(log.append(i, i * MS, message, 0, 1000));
        }

        assertThat(log.allocatedBytes()).isEqualTo(4L * ReplayLog.CHUNK_BYTES);
        assertThat(log.holds(positions.get(999))).isTrue();
        assertThat(log.holds(positions.get(0))).as("a second back, beyond 4 chunks").isFalse();
        assertThat(log.heldNs(999 * MS)).isBetween(150 * MS, 270 * MS);
    }

    @Test
    void shouldGiveBackMemoryWhenTheTrafficFalls()
    {
        final ReplayLog log = new ReplayLog(1L << 30, 1_000 * MS);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[1000]);
        long nowNs = 0;
        long sequence = 0;
        for (int i = 0; i < 20_000; i++, nowNs += MS / 10)
        {
            log.append(sequence++, nowNs, message, 0, 1000); // 10 MB/s for 2 s
        }
        final long busy = log.allocatedBytes();
        for (int i = 0; i < 3_000; i++, nowNs += MS)
        {
            log.append(sequence++, nowNs, message, 0, 1000); // 1 MB/s for 3 s
        }

        assertThat(busy).isGreaterThan(10_000_000L);
        assertThat(log.allocatedBytes()).isLessThan(2_000_000L);
    }

    @Test
    void shouldAllocateNothingOnceItHoldsItsSpanAtASteadyRateInBatches()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final ReplayLog log = new ReplayLog(1L << 30, 1_000 * MS);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[440]);
        // as a relay core appends: every 2 to 6 ms, the copies that arrived meanwhile (40 here, 10,000 a second)
        final java.util.Random random = new java.util.Random(42);
        final long[] batchNs = new long[200_000 / 40];
        for (int batch = 1; batch < batchNs.length; batch++)
        {
            batchNs[batch] = batchNs[batch - 1] + 2 * MS + random.nextInt(4_000_000);
        }
        final int perBatch = 40;
        long sequence = 0;
        for (; sequence < 40_000; sequence++)
        {
            log.append(sequence, batchNs[(int)(sequence / perBatch)], message, 0, 440);
        }

        // The least of three rounds: an allocation of append() recurs in every round, while the JVM's own work on
        // this thread does not.
        long leastRound = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (final long end = sequence + 40_000; sequence < end; sequence++)
            {
                log.append(sequence, batchNs[(int)(sequence / perBatch)], message, 0, 440);
            }
            leastRound = Math.min(leastRound, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertThat(leastRound).as("bytes allocated over 40,000 appends (4 s) at a steady rate").isLessThan(4 * 1024);
    }

    @Test
    void shouldRefuseAnEmptyOrTooLargeMessageAndBadBounds()
    {
        final ReplayLog log = new ReplayLog(ReplayLog.MIN_CAPACITY_BYTES, 0);
        final UnsafeBuffer large = new UnsafeBuffer(new byte[ReplayLog.CHUNK_BYTES]);

        assertThat(log.append(1, 0, large, 0, ReplayLog.MAX_MESSAGE_BYTES + 1)).isEqualTo(-1);
        assertThat(log.append(1, 0, large, 0, 0)).isEqualTo(-1);
        assertThat(log.append(1, 0, large, 0, ReplayLog.MAX_MESSAGE_BYTES)).as("fills a chunk exactly").isEqualTo(0);
        assertThat(log.allocatedBytes()).isEqualTo(ReplayLog.CHUNK_BYTES);
        assertThat(log.append(2, 0, large, 0, 10)).as("the next record, in the next chunk")
            .isEqualTo(ReplayLog.CHUNK_BYTES);
        assertThat(log.allocatedBytes()).isEqualTo(2L * ReplayLog.CHUNK_BYTES);
        assertThat(log.read(0, 1, (sequence, buffer, offset, length) -> assertThat(length)
            .isEqualTo(ReplayLog.MAX_MESSAGE_BYTES))).as("the full chunk's record, untouched").isTrue();
        assertThatThrownBy(() -> new ReplayLog(ReplayLog.CHUNK_BYTES, 0)).hasMessageContaining("capacityBytes=65536");
        assertThatThrownBy(() -> new ReplayLog(1L << 30, -1)).hasMessageContaining("spanNs=-1");
    }

    static byte[] message(final long sequence, final int length)
    {
        final byte[] message = new byte[length];
        for (int i = 0; i < length; i++)
        {
            message[i] = (byte)(sequence * 7 + i);
        }
        return message;
    }
}
