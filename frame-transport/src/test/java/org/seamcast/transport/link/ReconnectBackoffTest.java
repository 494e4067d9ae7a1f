package org.seamcast.transport.link;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconnectBackoffTest
{
    private static final long MS = 1_000_000L;

    @Property(tries = 200)
    void shouldStayBetweenHalfAndFullExponentialCeiling(
        @ForAll @LongRange(min = 1, max = 1_000) final long initialMs,
        @ForAll @IntRange(min = 1, max = 100) final int capFactor,
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 100) final int attempts)
    {
        final long initialNs = initialMs * MS;
        final long maxNs = initialNs * capFactor;
        final ReconnectBackoff backoff = new ReconnectBackoff(initialNs, maxNs, seed);
        for (int n = 0; n < attempts; n++)
        {
            final long ceiling = n >= 62 ? maxNs : Math.min(maxNs, initialNs * Math.min(1L << Math.min(n, 30), 1L << 30));
            final long delay = backoff.nextDelayNs();
            assertThat(delay).isBetween(ceiling / 2, ceiling);
        }
        assertThat(backoff.attempts()).isEqualTo(Math.min(attempts, 62));
    }

    @Test
    void shouldStartNearOneHundredMillisecondsAndCapAtAFewSeconds()
    {
        final ReconnectBackoff backoff = new ReconnectBackoff();
        assertThat(backoff.nextDelayNs()).isBetween(50 * MS, 100 * MS);
        long last = 0;
        for (int i = 0; i < 100; i++)
        {
            last = backoff.nextDelayNs();
        }
        assertThat(last).isBetween(2_000 * MS, 4_000 * MS);
    }

    @Test
    void shouldStartOverAfterReset()
    {
        final ReconnectBackoff backoff = new ReconnectBackoff(100 * MS, 4_000 * MS, 42);
        for (int i = 0; i < 10; i++)
        {
            backoff.nextDelayNs();
        }
        backoff.reset();
        assertThat(backoff.attempts()).isZero();
        assertThat(backoff.nextDelayNs()).isBetween(50 * MS, 100 * MS);
    }

    @Test
    void shouldRefuseInconsistentBounds()
    {
        assertThatThrownBy(() -> new ReconnectBackoff(0, 1, 1)).hasMessageContaining("initialDelayNs=0");
        assertThatThrownBy(() -> new ReconnectBackoff(10, 5, 1)).hasMessageContaining("maxDelayNs=5");
    }
}
