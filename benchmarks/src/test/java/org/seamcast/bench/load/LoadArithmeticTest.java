package org.seamcast.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LoadArithmeticTest
{
    private static final long INTERVAL_NS = LoadArithmetic.MP3_FRAME_INTERVAL_NS;

    @Test
    void shouldUseTheDurationOfOneMp3FrameAt44100Hz()
    {
        assertThat(INTERVAL_NS).isEqualTo(26_122_448L);
    }

    @Test
    void shouldGiveEveryEncoderOneSlotPerFrameIntervalSpreadEvenly()
    {
        final int encoders = 500;
        final long start = 1_000L;

        assertThat(LoadArithmetic.dueNs(start, 0, encoders, INTERVAL_NS)).isEqualTo(start);
        assertThat(LoadArithmetic.dueNs(start, encoders, encoders, INTERVAL_NS)).isEqualTo(start + INTERVAL_NS);
        assertThat(LoadArithmetic.dueNs(start, 3L * encoders + 7, encoders, INTERVAL_NS)
            - LoadArithmetic.dueNs(start, 2L * encoders + 7, encoders, INTERVAL_NS)).isEqualTo(INTERVAL_NS);
        assertThat(LoadArithmetic.dueNs(start, 250, encoders, INTERVAL_NS)).isEqualTo(start + INTERVAL_NS / 2);
    }

    @Test
    void shouldStartTheMountsOneAfterAnotherOverTheRamp()
    {
        final long rampFrames = 383; // 10 s of MP3 frames
        assertThat(LoadArithmetic.firstSequence(0, 1_500, rampFrames)).isZero();
        assertThat(LoadArithmetic.firstSequence(750, 1_500, rampFrames)).isEqualTo(191);
        assertThat(LoadArithmetic.firstSequence(1_499, 1_500, rampFrames)).isEqualTo(382);
        assertThat(LoadArithmetic.firstSequence(1_499, 1_500, 0)).as("no ramp: all at once").isZero();
    }

    @Test
    void shouldNotOverflowTheScheduleOverADayOfFrames()
    {
        final long slotsInADay = 86_400L * 1_000_000_000L / INTERVAL_NS * 10_000;

        assertThat(LoadArithmetic.dueNs(0, slotsInADay, 10_000, INTERVAL_NS))
            .isCloseTo(86_400L * 1_000_000_000L, within(INTERVAL_NS));
    }

    @Test
    void shouldStampBothEncodersOfAMountAlikeAndMountsApart()
    {
        final long t0Us = 1_750_000_000_000_000L;

        assertThat(LoadArithmetic.timestampUs(t0Us, 0, 0, 250, INTERVAL_NS)).isEqualTo(t0Us);
        assertThat(LoadArithmetic.timestampUs(t0Us, 10, 0, 250, INTERVAL_NS))
            .isEqualTo(t0Us + 10 * INTERVAL_NS / 1_000);
        assertThat(LoadArithmetic.timestampUs(t0Us, 0, 125, 250, INTERVAL_NS))
            .isEqualTo(t0Us + INTERVAL_NS / 2 / 1_000);
    }

    @Test
    void shouldExpressCpuPerCopyInMicrosecondsAndAsVcpus()
    {
        assertThat(LoadArithmetic.microsPerCopy(2_000_000_000L, 1_000_000L)).isEqualTo(2.0);
        assertThat(LoadArithmetic.microsPerCopy(1_000L, 0)).isNaN();
        assertThat(LoadArithmetic.vcpus(15_000_000_000L, 10_000_000_000L)).isEqualTo(1.5);
        assertThat(LoadArithmetic.perSecond(19_141, 1_000_000_000L)).isEqualTo(19_141.0);
    }

    @Test
    void shouldExpectDavecastsLoadToBeAbout19141FramesPerSecondPerReplica()
    {
        assertThat(LoadArithmetic.expectedFrames(500, 1_000_000_000L, INTERVAL_NS)).isCloseTo(19_140.6, within(0.1));
    }

    @Test
    void shouldGiveMeanAndSampleStandardDeviationSkippingEmptySlices()
    {
        final LoadArithmetic.Spread spread = LoadArithmetic.spread(new double[] {2, 4, Double.NaN, 4, 4, 5, 5, 7, 9});

        assertThat(spread.n()).isEqualTo(8);
        assertThat(spread.mean()).isEqualTo(5.0);
        assertThat(spread.sd()).isCloseTo(Math.sqrt(32.0 / 7), within(1e-12));
        assertThat(spread.format(2)).isEqualTo("5.00 ± 2.14");
        assertThat(LoadArithmetic.spread(new double[] {3}).sd()).isNaN();
        assertThat(LoadArithmetic.spread(new double[] {Double.NaN}).format(2)).isEqualTo("-");
    }

    @Test
    void shouldPutAThreadInTheFirstGroupWithOneOfItsPrefixesOrInOther()
    {
        final String[][] groups = {
            {"seamcast-relay-relay-a", "seamcast-io-relay-a-"},
            {"seamcast-relay-relay-b", "seamcast-io-relay-b-"},
            {"edge-playout", "seamcast-io-edge-1-"},
        };

        assertThat(LoadArithmetic.groupOf("seamcast-io-relay-a-2-1", groups)).isZero();
        assertThat(LoadArithmetic.groupOf("seamcast-relay-relay-b", groups)).isEqualTo(1);
        assertThat(LoadArithmetic.groupOf("edge-playout", groups)).isEqualTo(2);
        assertThat(LoadArithmetic.groupOf("G1 Conc#0", groups)).isEqualTo(3);
    }

    @Test
    void shouldRefuseAnOptionOutsideItsLimitNamingBoth()
    {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--mounts", "0"}))
            .hasMessage("--mounts=0 is not in 1..5000");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--transport", "sctp"}))
            .hasMessage("--transport=sctp is not tcp or udp");
        assertThat(LoadOptions.parse(new String[] {"--seconds", "3", "--slice-seconds", "10"}).sliceSeconds)
            .isEqualTo(3);
    }
}
