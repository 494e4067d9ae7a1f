package org.seamcast.ingest.stamp;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stamper on a virtual clock: arrivals are computed, never waited for.
 */
class FrameStamperTest
{
    private static final int RATE = 44_100;
    private static final int SAMPLES = 1_152;
    private static final double FRAME_US = SAMPLES * 1e6 / RATE;
    private static final long START_US = 1_700_000_000_000_000L;
    private static final long SLEW_US = (long)Math.ceil(FRAME_US * FrameStamper.DEFAULT_MAX_SLEW_PPM / 1e6);

    @Test
    void shouldStampStartPlusSamplesOverRateWhenArrivalsAreExact()
    {
        final FrameStamper stamper = new FrameStamper(7);
        for (int n = 0; n < 10_000; n++)
        {
            final long arrival = START_US + (long)(n * FRAME_US);
            final long ts = stamper.stamp(arrival, SAMPLES, RATE);
            assertThat(stamper.sequence()).isEqualTo(n);
            assertThat(ts).isEqualTo(START_US + (long)n * SAMPLES * 1_000_000L / RATE);
        }
        assertThat(stamper.correctionUs()).isZero();
        assertThat(stamper.epoch()).isEqualTo(7);
    }

    @Test
    void shouldKeepNetworkJitterOutOfTheTimestamps()
    {
        final Random random = new Random(42);
        final FrameStamper stamper = new FrameStamper(1);
        long previous = 0;
        long firstDelayUs = 0;
        for (int n = 0; n < 50_000; n++)
        {
            final long jitterUs = (long)(random.nextDouble() * random.nextDouble() * 80_000);
            final long ts = stamper.stamp(START_US + (long)(n * FRAME_US) + jitterUs, SAMPLES, RATE);
            if (n == 0)
            {
                firstDelayUs = jitterUs;
            }
            else
            {
                assertSpacing(previous, ts, n);
            }
            previous = ts;
            final long errorUs = Math.abs(ts - (START_US + (long)(n * FRAME_US)));
            // the first frame's own delay is the only offset the stamps start with; the slew removes it
            assertThat(errorUs).as("frame %d", n).isLessThanOrEqualTo(firstDelayUs + 2_000);
            if (n > firstDelayUs / (SLEW_US - 1) + 200)
            {
                assertThat(errorUs).as("frame %d", n).isLessThan(2_000);
            }
        }
        assertThat(stamper.reanchors()).isZero();
    }

    @Test
    void shouldFollowAnEncoderWhoseClockDriftsWithinTheSlewBound()
    {
        for (final double ppm : new double[] {-300, -100, 100, 300})
        {
            final Random random = new Random(7);
            final FrameStamper stamper = new FrameStamper(1);
            final double realFrameUs = FRAME_US * (1 + ppm / 1e6);
            long previous = 0;
            for (int n = 0; n < 60_000; n++)
            {
                final long production = START_US + (long)(n * realFrameUs);
                final long ts = stamper.stamp(production + random.nextInt(20_000), SAMPLES, RATE);
                if (n > 0)
                {
                    assertSpacing(previous, ts, n);
                }
                previous = ts;
                if (n > 10_000)
                {
                    assertThat(Math.abs(ts - production)).as("%s ppm, frame %d", ppm, n).isLessThan(5_000);
                }
            }
        }
    }

    @Test
    void shouldAbsorbBurstsWithoutAJump()
    {
        final FrameStamper stamper = new FrameStamper(1);
        long previous = 0;
        for (int n = 0; n < 60_000; n++)
        {
            final int burstEnd = (n / 20) * 20 + 19;
            final long arrival = START_US + (long)(burstEnd * FRAME_US);
            final long ts = stamper.stamp(arrival, SAMPLES, RATE);
            if (n > 0)
            {
                assertSpacing(previous, ts, n);
            }
            previous = ts;
            // the first frame arrived with the whole first burst, 19 frames late; never later than that
            assertThat(ts - (START_US + (long)(n * FRAME_US))).isBetween(-2_000L, (long)(19 * FRAME_US) + 1);
        }
        assertThat(stamper.reanchors()).isZero();
        assertThat(Math.abs(stamper.correctionUs() + (long)(19 * FRAME_US))).isLessThan(2_000);
    }

    @Test
    void shouldReanchorOnceWhenTheEncoderStallsAndResumesSecondsLate()
    {
        final FrameStamper stamper = new FrameStamper(1);
        long previous = 0;
        int jumps = 0;
        for (int n = 0; n < 5_000; n++)
        {
            final long lateUs = n >= 1_000 ? 5_000_000 : 0;
            final long arrival = START_US + (long)(n * FRAME_US) + lateUs;
            final long ts = stamper.stamp(arrival, SAMPLES, RATE);
            if (n > 0 && ts - previous > FRAME_US + SLEW_US + 1)
            {
                jumps++;
            }
            previous = ts;
            if (n > 1_300)
            {
                assertThat(Math.abs(ts - arrival)).isLessThan(2_000);
            }
        }
        assertThat(stamper.reanchors()).isEqualTo(1);
        assertThat(jumps).isEqualTo(1);
    }

    @Test
    void shouldContinueWithoutAGapWhenTheSampleRateChanges()
    {
        final FrameStamper stamper = new FrameStamper(1);
        final long first = stamper.stamp(START_US, SAMPLES, RATE);
        final long second = stamper.stamp(START_US + 26_122, 1_024, 48_000);
        final long third = stamper.stamp(START_US + 26_122 + 21_333, 1_024, 48_000);
        assertThat(second - first).isEqualTo(26_122);
        assertThat(third - second).isBetween(21_332L, 21_334L);
    }

    @Test
    void shouldHandOutStrictlyIncreasingEpochsEvenWhenTheClockStandsStillOrStepsBack()
    {
        final long[] now = {1_000};
        final EpochSource epochs = new EpochSource(() -> now[0]);
        final long a = epochs.next();
        final long b = epochs.next();
        now[0] = 500;
        final long c = epochs.next();
        now[0] = 5_000;
        final long d = epochs.next();
        assertThat(new long[] {a, b, c, d}).containsExactly(1_000, 1_001, 1_002, 5_000);
    }

    private static void assertSpacing(final long previous, final long ts, final int n)
    {
        assertThat((double)(ts - previous)).as("spacing before frame %d", n)
            .isBetween(FRAME_US - SLEW_US - 1, FRAME_US + SLEW_US + 1);
    }
}
