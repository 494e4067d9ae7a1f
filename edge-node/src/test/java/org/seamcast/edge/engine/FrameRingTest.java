package org.seamcast.edge.engine;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
    void shouldSizeEachSlotToItsFrameRoundedTo64Bytes()
    {
        final FrameRing ring = new FrameRing(MAX_CAPACITY, SPAN_US, 8192);
        for (long sequence = 0; sequence < 10; sequence++)
        {
            store(ring, 1, sequence, MP3_FRAME_US, sequence % 2 == 0 ? 417 : 418);
        }

        assertThat(ring.retainedBytes()).isEqualTo(10 * 448L);
        assertThat(ring.length(ring.indexOf(1, 3))).isEqualTo(418);
        assertThat(ring.buffer(ring.indexOf(1, 3)).getByte(417)).isEqualTo((byte)3);
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
