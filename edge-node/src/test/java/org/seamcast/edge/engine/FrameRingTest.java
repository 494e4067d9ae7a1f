package org.seamcast.edge.engine;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameRingTest
{
    private static final long SPAN_US = 3_000_000; // D = 2 s plus 1 s ahead
    private static final int MAX_CAPACITY = 512; // what the 10 ms sizing duration gives for that span
    private static final int MP3_FRAME_US = 26_122;
    private static final int AAC_96K_FRAME_US = 10_667;

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);

    @Test
    void shouldHoldTheSpanOfAnMp3StreamInHalfTheFramesOfTheSizingDuration()
    {
        final FrameRing ring = new FrameRing(MAX_CAPACITY, SPAN_US, 8192);
        store(ring, 1, 0, MP3_FRAME_US, 418);

        assertThat(ring.capacity()).isEqualTo(256).isEqualTo(FrameRing.capacityFor(SPAN_US, MP3_FRAME_US, 1 << 14));
        assertThat(256L * MP3_FRAME_US).as("the span and its margin fit").isGreaterThanOrEqualTo(
            SPAN_US + FrameRing.SPAN_MARGIN_FRAMES * (long)MP3_FRAME_US);
    }

    @Test
    void shouldKeepTheSpansBytesInOneArrayNotASlotsWorthForEverySlot()
    {
        final FrameRing ring = new FrameRing(MAX_CAPACITY, SPAN_US, 8192);
        for (long sequence = 0; sequence < 10; sequence++)
        {
            store(ring, 1, sequence, MP3_FRAME_US, sequence % 2 == 0 ? 417 : 418);
        }

        assertThat(ring.retainedBytes()).isEqualTo(FrameArena.capacityFor(SPAN_US, MP3_FRAME_US, 417))
            .isBetween(SPAN_US / MP3_FRAME_US * 417, SPAN_US / MP3_FRAME_US * 417 + 1024);
        assertThat(ring.length(ring.indexOf(1, 3))).isEqualTo(418);
        assertThat(ring.buffer(ring.indexOf(1, 3)).capacity()).isEqualTo(418);
        assertThat(ring.buffer(ring.indexOf(1, 3)).getByte(417)).isEqualTo((byte)3);
    }

    @Test
    void shouldPlayEveryFrameIntactThroughManyLapsOfTheArray()
    {
        final FrameRing ring = new FrameRing(MAX_CAPACITY, SPAN_US, 8192);
        final java.util.Random random = new java.util.Random(5);
        final int lag = 80; // frames waiting to play: about 2 s
        final int[] lengths = new int[5_000];
        for (int n = 0; n < lengths.length; n++)
        {
            lengths[n] = 100 + random.nextInt(1_341); // VBR MP3: 104..1441 bytes
            store(ring, 1, n, MP3_FRAME_US, lengths[n]);
            if (n >= lag)
            {
                final long played = n - lag;
                final int i = ring.indexOf(1, played);
                assertThat(ring.hasBytes(i)).as("frame %d", played).isTrue();
                assertThat(ring.length(i)).isEqualTo(lengths[(int)played]);
                assertThat(ring.buffer(i).getByte(0)).isEqualTo((byte)played);
                assertThat(ring.buffer(i).getByte(lengths[(int)played] - 1)).isEqualTo((byte)played);
                ring.markReleased(i);
            }
        }

        assertThat(ring.lostFrames()).isZero();
        assertThat(ring.retainedBytes()).as("80 frames of up to 1441 bytes wait at once")
            .isLessThanOrEqualTo(4L * 80 * 1_441);
        long newerBytes = 0;
        for (int n = lengths.length - 1; n >= lengths.length - ring.capacity(); n--)
        {
            newerBytes += lengths[n];
            final int i = ring.indexOf(1, n);
            if (newerBytes <= ring.retainedBytes() - 1_441)
            {
                assertThat(ring.hasBytes(i)).as("frame %d, within the array's last lap", n).isTrue();
            }
            else if (newerBytes > ring.retainedBytes() + 1_441)
            {
                assertThat(ring.hasBytes(i)).as("frame %d, played and lapped", n).isFalse();
            }
        }
        assertThat(newerBytes).as("the ring's entries span more than the array").isGreaterThan(
            ring.retainedBytes() + 1_441);
    }

    @Test
    void shouldGrowTheArrayRatherThanLapAFrameWaitingToPlay()
    {
        final FrameRing ring = new FrameRing(MAX_CAPACITY, SPAN_US, 8192);
        for (long sequence = 0; sequence < 250; sequence++)
        {
            store(ring, 1, sequence, MP3_FRAME_US, 418);
        }

        assertThat(ring.retainedBytes()).isGreaterThanOrEqualTo(250L * 418);
        assertThat(ring.pending()).isEqualTo(250);
        for (long sequence = 0; sequence < 250; sequence++)
        {
            final int i = ring.indexOf(1, sequence);
            assertThat(ring.hasBytes(i)).isTrue();
            assertThat(ring.buffer(i).getByte(0)).isEqualTo((byte)sequence);
            assertThat(ring.buffer(i).getByte(417)).isEqualTo((byte)sequence);
        }
        assertThat(ring.lostFrames()).isZero();
    }

    @Test
    void shouldGrowForShorterFramesKeepingEveryHeldFrameWhereItIsFound()
    {
        final FrameRing ring = new FrameRing(MAX_CAPACITY, SPAN_US, 8192);
        for (long sequence = 0; sequence < 200; sequence++)
        {
            store(ring, 1, sequence, MP3_FRAME_US, 418);
        }
        assertThat(ring.capacity()).isEqualTo(256);
        store(ring, 1, 200, AAC_96K_FRAME_US, 300);

        assertThat(ring.capacity()).isEqualTo(MAX_CAPACITY);
        assertThat(ring.pending()).isEqualTo(201);
        assertThat(ring.occupied()).isEqualTo(201);
        for (long sequence = 0; sequence < 200; sequence++)
        {
            final int i = ring.indexOf(1, sequence);
            assertThat(i).as("sequence %d", sequence).isNotEqualTo(FrameRing.NONE);
            assertThat(ring.length(i)).isEqualTo(418);
            assertThat(ring.buffer(i).getByte(417)).isEqualTo((byte)sequence);
        }
        assertThat(ring.indexOf(1, 200)).isNotEqualTo(FrameRing.NONE);
    }

    @Test
    void shouldGrowKeepingAnEarlierEpochsFramesPlayable()
    {
        final FrameRing ring = new FrameRing(MAX_CAPACITY, SPAN_US, 8192);
        for (long sequence = 0; sequence < 200; sequence++)
        {
            store(ring, 1, sequence, MP3_FRAME_US, 418);
        }
        ring.startEpoch(199);
        for (long sequence = 0; sequence < 10; sequence++)
        {
            store(ring, 2, sequence, AAC_96K_FRAME_US, 300);
        }

        assertThat(ring.capacity()).isEqualTo(MAX_CAPACITY);
        assertThat(ring.pending()).isEqualTo(210);
        assertThat(ring.occupied()).isEqualTo(210);
        final int old = ring.find(150L * MP3_FRAME_US, 0, 1, 150);
        assertThat(old).isNotEqualTo(FrameRing.NONE);
        assertThat(ring.epoch(old)).isEqualTo(1);
        assertThat(ring.sequence(old)).isEqualTo(150);
        for (long sequence = 0; sequence < 10; sequence++)
        {
            assertThat(ring.indexOf(2, sequence)).isNotEqualTo(FrameRing.NONE);
        }
    }

    @Test
    void shouldReserveTheBytesOfWhatWaitsInSteadyStateAndDoubleThemOnlyWhenMoreWaits()
    {
        final long spanUs = 5_000_000; // D = 2 s, 1 s ahead, 2 s catch-up
        final long reserveUs = 2_500_000; // D and the margin
        final FrameRing ring = new FrameRing(MAX_CAPACITY, spanUs, reserveUs, 8192);
        final int waiting = (int)(2_000_000 / MP3_FRAME_US); // D of frames between arrival and play
        final int reserved = FrameArena.capacityFor(reserveUs, MP3_FRAME_US, 418);
        for (long sequence = 0; sequence < 2_000; sequence++)
        {
            store(ring, 1, sequence, MP3_FRAME_US, 418);
            if (sequence >= waiting)
            {
                ring.markReleased(ring.indexOf(1, sequence - waiting));
            }
        }
        assertThat(ring.retainedBytes()).as("steady state").isEqualTo(reserved)
            .isLessThan(FrameArena.capacityFor(spanUs, MP3_FRAME_US, 418) * 3L / 5);

        final long stalledAt = 2_000 - waiting; // the first frame not played: playout stalls, frames keep coming
        assertThat(ring.buffer(ring.indexOf(1, stalledAt)).getByte(0)).isEqualTo((byte)stalledAt);
        for (long sequence = 2_000; sequence < 2_000 + 3 * waiting / 2; sequence++)
        {
            store(ring, 1, sequence, MP3_FRAME_US, 418);
        }

        assertThat(ring.retainedBytes()).as("after a stall").isEqualTo(2L * reserved);
        assertThat(ring.heldArrays()).as("arrays held: the one it grew from is let go").hasSize(1)
            .allMatch(held -> held == ring.arenaBytes());
        assertThat(ring.lostFrames()).isZero();
        for (long sequence = stalledAt; sequence < 2_000 + 3 * waiting / 2; sequence++)
        {
            final int i = ring.indexOf(1, sequence);
            assertThat(ring.hasBytes(i)).as("frame %d waiting to play", sequence).isTrue();
            assertThat(ring.buffer(i).getByte(417)).isEqualTo((byte)sequence);
        }

        // playout catches up and runs steady again: every frame plays intact, and the array halves back
        long next = 2_000 + 3 * waiting / 2;
        for (long played = stalledAt; played < next - waiting; played++)
        {
            playIntact(ring, played);
        }
        final long steadyUntil = next + 2L * FrameArena.SHRINK_CHECK_INTERVAL;
        for (; next < steadyUntil; next++)
        {
            store(ring, 1, next, MP3_FRAME_US, next % 3 == 0 ? 417 : 418);
            playIntact(ring, next - waiting);
        }
        assertThat(ring.retainedBytes()).as("steady again").isEqualTo(reserved);
        assertThat(ring.heldArrays()).as("arrays held: the one it shrank from is let go").hasSize(1)
            .allMatch(held -> held == ring.arenaBytes());
        assertThat(ring.lostFrames()).isZero();
        for (long sequence = next - waiting; sequence < next; sequence++)
        {
            assertThat(ring.buffer(ring.indexOf(1, sequence)).getByte(416)).as("frame %d", sequence)
                .isEqualTo((byte)sequence);
        }
        final int lastPlayed = ring.indexOf(1, next - waiting - 1);
        assertThat(ring.hasBytes(lastPlayed)).as("the frame played last, which a bridge may read back").isTrue();
    }

    private static void playIntact(final FrameRing ring, final long sequence)
    {
        final int i = ring.indexOf(1, sequence);
        assertThat(ring.hasBytes(i)).as("frame %d at its slot", sequence).isTrue();
        assertThat(ring.buffer(i).getByte(0)).as("frame %d", sequence).isEqualTo((byte)sequence);
        assertThat(ring.buffer(i).getByte(ring.length(i) - 1)).as("frame %d", sequence).isEqualTo((byte)sequence);
        ring.markReleased(i);
    }

    @Test
    void shouldRefuseToReserveMoreThanTheSpan()
    {
        assertThatThrownBy(() -> new FrameRing(MAX_CAPACITY, SPAN_US, SPAN_US + 1, 8192))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserveSpanUs");
    }

    @Test
    void shouldKeepAFixedCapacityWithoutASpan()
    {
        final FrameRing ring = new FrameRing(64, 8192);
        store(ring, 1, 0, AAC_96K_FRAME_US, 300);

        assertThat(ring.capacity()).isEqualTo(64);
    }

    private void store(final FrameRing ring, final long epoch, final long sequence, final int durationUs,
        final int length)
    {
        frame.setMemory(0, length, (byte)sequence);
        ring.store(epoch, sequence, sequence * durationUs, durationUs, true, sequence * 31 + epoch, frame, 0, length);
    }
}
