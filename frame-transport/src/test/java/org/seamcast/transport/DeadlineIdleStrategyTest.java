package org.seamcast.transport;

import org.agrona.concurrent.SystemEpochNanoClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadlineIdleStrategyTest
{
    private static final long MIN = 50_000;
    private static final long MAX = 5_000_000;

    private final DeadlineIdleStrategy idle =
        new DeadlineIdleStrategy(() -> Long.MAX_VALUE, new SystemEpochNanoClock(), MIN, MAX);

    @Test
    void shouldParkUntilTheNextDeadline()
    {
        assertThat(idle.parkNs(1_000_000_000L + 2_000_000, 1_000_000_000L)).isEqualTo(2_000_000);
    }

    @Test
    void shouldParkAtMostTheLongestParkSoQueuedInputIsRead()
    {
        assertThat(idle.parkNs(1_000_000_000L + 60_000_000, 1_000_000_000L)).isEqualTo(MAX);
        assertThat(idle.parkNs(Long.MAX_VALUE, 1_796_000_000_000_000_000L)).isEqualTo(MAX);
    }

    @Test
    void shouldParkTheShortestParkWhenTheDeadlineIsDueOrPast()
    {
        assertThat(idle.parkNs(1_000_000_000L, 1_000_000_000L)).isEqualTo(MIN);
        assertThat(idle.parkNs(999_000_000L, 1_000_000_000L)).isEqualTo(MIN);
        assertThat(idle.parkNs(1_000_000_000L + 10_000, 1_000_000_000L)).isEqualTo(MIN);
    }

    @Test
    void shouldRefuseParksThatCannotBeMet()
    {
        assertThatThrownBy(() -> new DeadlineIdleStrategy(() -> 0, new SystemEpochNanoClock(), 0, MAX))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minParkNs=0");
        assertThatThrownBy(() -> new DeadlineIdleStrategy(() -> 0, new SystemEpochNanoClock(), MAX, MIN))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
