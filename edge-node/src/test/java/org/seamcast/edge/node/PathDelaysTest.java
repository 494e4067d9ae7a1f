package org.seamcast.edge.node;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Per-path delay from heartbeat sender times on a virtual clock: the first beat sets it, later ones move it by an
 * eighth of their difference, so one delayed beat barely shows while a lasting change is followed.
 */
class PathDelaysTest
{
    private static final long T0_US = 1_750_000_000_000_000L;

    private final PathDelays delays = new PathDelays(2);

    @Test
    void shouldKnowNoDelayBeforeTheFirstStreamHeartbeat()
    {
        assertThat(delays.isKnown(0)).isFalse();
        assertThat(delays.delaySeconds(0)).isNaN();
    }

    @Test
    void shouldTakeTheFirstSampleThenSmoothAnOutlierAndFollowALastingChange()
    {
        delays.sample(0, T0_US, T0_US + 20_000);
        assertThat(delays.delayUs(0)).isEqualTo(20_000);

        delays.sample(0, T0_US + 250_000, T0_US + 250_000 + 180_000);
        assertThat(delays.delayUs(0)).as("one late beat").isEqualTo(20_000 + 160_000 / PathDelays.SMOOTHING_DIVISOR);

        for (int beat = 2; beat < 60; beat++)
        {
            final long sentUs = T0_US + beat * 250_000L;
            delays.sample(0, sentUs, sentUs + 60_000);
        }
        assertThat(delays.delaySeconds(0)).as("the path got slower").isCloseTo(0.060, within(0.001));
        assertThat(delays.isKnown(1)).as("paths apart").isFalse();
    }

    @Test
    void shouldReportANegativeDelayWhenTheSendersClockIsAhead()
    {
        delays.sample(1, T0_US + 5_000, T0_US);

        assertThat(delays.delayUs(1)).isEqualTo(-5_000);
    }
}
