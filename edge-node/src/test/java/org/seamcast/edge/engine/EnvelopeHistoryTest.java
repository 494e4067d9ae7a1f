package org.seamcast.edge.engine;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopeHistoryTest
{
    @Property(tries = 200)
    void shouldHoldTheLatestFramesExactlyInOrderOfArrival(
        @ForAll @IntRange(min = 1, max = 64) final int capacity,
        @ForAll @IntRange(min = 0, max = 300) final int frames,
        @ForAll @LongRange(min = -5_000_000_000L, max = 5_000_000_000L) final long startUs)
    {
        final EnvelopeHistory history = new EnvelopeHistory(capacity, -50.0);
        for (int i = 0; i < frames; i++)
        {
            history.add(timestampUs(startUs, i), durationUs(i), loudnessDb(i));
        }

        assertThat(history.size()).isEqualTo(Math.min(frames, capacity));
        for (int i = Math.max(0, frames - capacity); i < frames; i++)
        {
            final int index = i % capacity;
            assertThat(history.timestampUs(index)).as("frame %d", i).isEqualTo(timestampUs(startUs, i));
            assertThat(history.durationUs(index)).as("frame %d", i).isEqualTo(durationUs(i));
            final float expected = (float)loudnessDb(i);
            if (Float.isNaN(expected))
            {
                assertThat(history.loudnessDb(index)).as("frame %d", i).isNaN();
            }
            else
            {
                assertThat(history.loudnessDb(index)).as("frame %d", i).isEqualTo(expected);
            }
        }
    }

    @Test
    void shouldStartOverAtTheFirstEntryAfterAReset()
    {
        final EnvelopeHistory history = new EnvelopeHistory(4, -50.0);
        for (int i = 0; i < 6; i++)
        {
            history.add(1_000L * i, 26_122, -20.0);
        }

        history.reset();
        history.add(42, Integer.MAX_VALUE, -120.0);

        assertThat(history.size()).isOne();
        assertThat(history.timestampUs(0)).isEqualTo(42);
        assertThat(history.durationUs(0)).isEqualTo(Integer.MAX_VALUE);
        assertThat(history.loudnessDb(0)).isEqualTo(-120.0f);
        assertThat(history.latestEndUs()).isEqualTo(42L + Integer.MAX_VALUE);
    }

    private static long timestampUs(final long startUs, final int i)
    {
        // out of order now and then, as frames over two paths arrive
        return startUs + 26_122L * (i % 7 == 3 ? i - 2 : i);
    }

    private static int durationUs(final int i)
    {
        return 1 + (i * 7919) % 250_000;
    }

    private static double loudnessDb(final int i)
    {
        return i % 5 == 0 ? Double.NaN : -90.0 + (i * 37) % 90 + 0.25;
    }
}
