package org.seamcast.relay.ring;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceWindowTest
{
    @Property(tries = 300)
    void shouldForwardEachSequenceOnceWithinTheWindow(
        @ForAll @Size(max = 3000) final List<@LongRange(min = 0, max = 5000) Long> arrivals)
    {
        final SequenceWindow window = new SequenceWindow();
        final Set<Long> seen = new HashSet<>();
        long highest = -1;
        for (final long sequence : arrivals)
        {
            final boolean tooOld = highest >= 0 && highest - sequence >= SequenceWindow.WINDOW;
            final boolean expected = !tooOld && !seen.contains(sequence);
            assertThat(window.firstSighting(sequence)).as("sequence %d after highest %d", sequence, highest)
                .isEqualTo(expected);
            if (expected)
            {
                seen.add(sequence);
                highest = Math.max(highest, sequence);
            }
        }
        assertThat(window.highest()).isEqualTo(highest);
    }

    @Test
    void shouldTreatACopyOverAnotherPathAsADuplicate()
    {
        final SequenceWindow window = new SequenceWindow();
        assertThat(window.firstSighting(10)).isTrue();
        assertThat(window.firstSighting(12)).isTrue();
        assertThat(window.firstSighting(10)).isFalse();
        assertThat(window.firstSighting(11)).isTrue();
        assertThat(window.firstSighting(11)).isFalse();
    }

    @Test
    void shouldForgetEverythingAfterAJumpBeyondTheWindow()
    {
        final SequenceWindow window = new SequenceWindow();
        window.firstSighting(5);
        assertThat(window.firstSighting(5 + 10 * SequenceWindow.WINDOW)).isTrue();
        assertThat(window.firstSighting(5 + 10 * SequenceWindow.WINDOW - 1)).isTrue();
        assertThat(window.firstSighting(5)).isFalse();
        assertThat(window.firstSighting(-1)).isFalse();
    }

    @Test
    void shouldStartAfreshAfterAReset()
    {
        final SequenceWindow window = new SequenceWindow();
        window.firstSighting(1L << 60);
        window.reset();

        assertThat(window.highest()).isEqualTo(-1);
        assertThat(window.firstSighting(5)).isTrue();
        assertThat(window.firstSighting(5)).isFalse();
        assertThat(window.firstSighting(4)).isTrue();
    }
}
