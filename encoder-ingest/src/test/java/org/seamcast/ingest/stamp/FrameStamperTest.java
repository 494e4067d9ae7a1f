package org.seamcast.ingest.stamp;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The stamper on a virtual clock: arrivals are computed, never waited for. Frames are fed read by read, as a source
 * session feeds them.
 */
class FrameStamperTest
{
    private static final int RATE = 44_100;
    private static final int SAMPLES = 1_152;
    private static final double FRAME_US = SAMPLES * 1e6 / RATE;
    private static final long START_US = ArrivalScenario.START_US;
    private static final long SLEW_US = (long)Math.ceil(FRAME_US * FrameStamper.DEFAULT_MAX_SLEW_PPM / 1e6);

    private final FrameStamper stamper = new FrameStamper(7);
    private final long[] stamps = new long[200_000];
    private int stamped;

    @Test
    void shouldStampSampleAccuratelyOneHeadroomBelowArrivalsThatAreExact()
    {
        for (int n = 0; n < 10_000; n++)
        {
            read(START_US + n * (long)SAMPLES * 1_000_000L / RATE, 1);
        }
        assertThat(stamped).isEqualTo(10_000);
        for (int n = 0; n < 10_000; n++)
        {
            final long exactUs = START_US + n * (long)SAMPLES * 1_000_000L / RATE;
            assertThat(stamps[n]).as("frame %d", n).isBetween(exactUs - FrameStamper.HEADROOM_US, exactUs);
            if (n > 100)
            {
                assertThat(stamps[n]).as("frame %d", n).isEqualTo(exactUs - FrameStamper.HEADROOM_US);
            }
        }
        assertThat(stamper.epoch()).isEqualTo(7);
        assertThat(stamper.bursts() + stamper.pullbacks() + stamper.reanchors() + stamper.overflowFrames()).isZero();
    }

    @Test
    void shouldHoldTheFirstReadsUntilTheInputKeptRealTimePaceForTheSettleTime()
    {
        final int settleFrames = (int)Math.ceil(FrameStamper.SETTLE_US / FRAME_US);
        for (int n = 0; n < settleFrames; n++)
        {
            assertThat(read(START_US + (long)(n * FRAME_US), 1)).as("released at frame %d", n).isZero();
        }
        assertThat(read(START_US + (long)(settleFrames * FRAME_US), 1)).isEqualTo(settleFrames + 1);
        assertThat(stamper.releasedSequence(0)).isZero();
        assertThat(stamper.bursts()).as("a first read of one frame is no burst").isZero();
    }

    @Test
    void shouldStampAConnectBurstIntoThePastEndingAtItsArrival()
    {
        final int burstFrames = 153;
        final long connectUs = START_US;
        read(connectUs, burstFrames);
        for (int k = 1; stamped == 0; k++)
        {
            read(connectUs + (long)(k * FRAME_US), 1);
        }

        for (int n = 0; n < burstFrames; n++)
        {
            assertThat((double)(connectUs - stamps[n])).as("frame %d before the arrival", n)
                .isCloseTo((burstFrames - 1 - n) * FRAME_US, org.assertj.core.data.Offset.offset(2.0));
        }
        assertThat(stamps[burstFrames - 1]).as("the burst ends at its arrival (to the microsecond rounding of the "
            + "arrivals after it)").isBetween(connectUs - 1, connectUs);
        assertThat(stamper.bursts()).isEqualTo(1);
        assertThat(stamper.heldFrames()).isEqualTo(stamped - 1);
        assertContiguous(0, stamped);
    }

    @Test
    void shouldMergeABurstArrivingOverManyReadsIntoOneContiguousRunEndingAtItsLastArrival()
    {
        final StampedRun run = FrameStamperPropertiesTest.assertPromises(ArrivalScenario.builder(3)
            .burst(4_000_000, 1)
            .linkBitsPerSecond(1_000_000)
            .durationUs(20_000_000)
            .build());

        assertThat(run.steps()).as("steps anywhere").isZero();
        assertThat(run.stamper.bursts()).isEqualTo(1);
        final ArrivalScenario scenario = run.scenario;
        final int lastLeading = scenario.settledFrame() - 1;
        assertThat(scenario.arrivalUs(lastLeading) - run.timestampUs[lastLeading])
            .as("the last frame that arrived ahead of real time is stamped at its arrival, less the headroom")
            .isBetween(0L, FrameStamper.HEADROOM_US + (long)FRAME_US);
        assertThat(scenario.reads().size()).as("reads the burst came in").isGreaterThan(150);
    }

    @Test
    void shouldLeaveTheStampsAloneThroughAStallThatCatchesUp()
    {
        final StampedRun run = FrameStamperPropertiesTest.assertPromises(ArrivalScenario.builder(4)
            .stall(10_000_000, 3_000_000, true)
            .durationUs(30_000_000)
            .build());

        assertThat(run.steps()).isZero();
        assertThat(run.stamper.reanchors()).isZero();
        long maxLateUs = 0;
        for (int n = 0; n < run.scenario.frames(); n++)
        {
            maxLateUs = Math.max(maxLateUs, run.scenario.arrivalUs(n) - run.timestampUs[n]);
        }
        assertThat(maxLateUs).as("frames of the stall arrive late, in the past").isGreaterThan(2_900_000);
    }

    @Test
    void shouldReanchorOnceWhenTheEncoderLostRealTimeBeyondTheLagLimit()
    {
        final StampedRun run = FrameStamperPropertiesTest.assertPromises(ArrivalScenario.builder(5)
            .maxJitterUs(20_000)
            .stall(10_000_000, 5_000_000, false)
            .durationUs(30_000_000)
            .build());

        assertThat(run.stamper.reanchors()).isEqualTo(1);
        int forwardJumps = 0;
        for (int n = 1; n < run.scenario.frames(); n++)
        {
            if (run.timestampUs[n] - run.timestampUs[n - 1] > FRAME_US + SLEW_US + 1)
            {
                forwardJumps++;
                assertThat((double)(run.timestampUs[n] - run.timestampUs[n - 1])).as("the jump")
                    .isCloseTo(5_000_000 + FRAME_US, org.assertj.core.data.Offset.offset(25_000.0));
            }
        }
        assertThat(forwardJumps).isEqualTo(1);
    }

    @Test
    void shouldSlewRatherThanJumpWhenTheEncoderLostLessThanTheLagLimit()
    {
        final StampedRun run = StampedRun.of(ArrivalScenario.builder(6)
            .stall(10_000_000, 500_000, false)
            .durationUs(60_000_000)
            .build());

        assertThat(run.stamper.reanchors()).isZero();
        assertThat(run.steps()).isZero();
        final ArrivalScenario scenario = run.scenario;
        final int last = scenario.frames() - 1;
        final int stalled = scenario.settledFrame() - 1;
        final long lagAtStallUs = scenario.arrivalUs(stalled) - run.timestampUs[stalled];
        final long lagAtEndUs = scenario.arrivalUs(last) - run.timestampUs[last];
        assertThat(lagAtStallUs).isBetween(500_000L, 500_000L + 2 * FrameStamper.HEADROOM_US);
        assertThat(lagAtEndUs).as("late by most of the loss, slewed away at most at the slew bound")
            .isBetween(lagAtStallUs - (last - stalled) * SLEW_US, lagAtStallUs - 1);
        for (int n = 0; n < scenario.frames(); n++)
        {
            assertThat(run.timestampUs[n]).isLessThanOrEqualTo(scenario.arrivalUs(n));
        }
    }

    @Test
    void shouldKeepNetworkJitterOutOfTheStampsAndNeverLead()
    {
        final Random random = new Random(42);
        for (int n = 0; n < 50_000; n++)
        {
            final long jitterUs = (long)(random.nextDouble() * random.nextDouble() * 80_000);
            read(START_US + (long)(n * FRAME_US) + jitterUs, 1);
        }
        read(START_US + (long)(50_000 * FRAME_US), 0);
        assertThat(stamper.pullbacks() + stamper.bursts()).as("steps back forced by a frame earlier than ever")
            .isLessThan(10);
        assertThat(stamper.reanchors()).isZero();
        int steps = 0;
        for (int n = 1; n < stamped; n++)
        {
            if (!withinSlew(stamps[n] - stamps[n - 1]))
            {
                steps++;
            }
            if (n > 2_000)
            {
                assertThat(Math.abs(stamps[n] - (START_US + (long)(n * FRAME_US)))).as("frame %d", n)
                    .isLessThan(3_000);
            }
        }
        assertThat(steps).isLessThanOrEqualTo((int)(stamper.pullbacks() + stamper.bursts()));
    }

    @Test
    void shouldFollowAnEncoderWhoseClockDriftsUpToTheSlewBound()
    {
        for (final double ppm : new double[] {-500, -100, 100, 500})
        {
            final StampedRun run = FrameStamperPropertiesTest.assertPromises(ArrivalScenario.builder(7)
                .ppm(ppm)
                .maxJitterUs(20_000)
                .durationUs(300_000_000)
                .build());
            for (int n = 1_000; n < run.scenario.frames(); n++)
            {
                assertThat(Math.abs(run.timestampUs[n] - run.scenario.earliestUs(n))).as("%s ppm, frame %d", ppm, n)
                    .isLessThan(6_000);
            }
            assertThat(run.steps()).as("%s ppm", ppm).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void shouldStampReadsOfManyFramesEachContiguously()
    {
        for (int read = 0; read < 3_000; read++)
        {
            read(START_US + (long)((read * 20 + 19) * FRAME_US), 20);
        }
        assertContiguous(0, stamped);
        assertThat(stamper.reanchors() + stamper.pullbacks()).isZero();
        assertThat(stamper.bursts()).as("only the first read, 20 frames at once").isEqualTo(1);
    }

    @Test
    void shouldHoldAtMostTheBoundAndReleaseTheOldestWhenTheInputIsAlwaysFasterThanRealTime()
    {
        long lastArrivalUs = 0;
        for (int n = 0; n < 5_000; n++)
        {
            lastArrivalUs = START_US + (long)(n * FRAME_US / 2);
            final int released = read(lastArrivalUs, 1);
            assertThat(stamper.pendingFrames() * FRAME_US).isLessThanOrEqualTo(FrameStamper.DEFAULT_MAX_HELD_US);
            for (int i = 0; i < released; i++)
            {
                assertThat(stamper.releasedTimestampUs(i)).isLessThanOrEqualTo(lastArrivalUs);
            }
        }
        assertThat(stamper.overflowFrames()).isGreaterThan(4_000);
        assertThat((double)(lastArrivalUs - stamps[stamped - 1])).as("released stamps trail arrival by the bound")
            .isCloseTo(FrameStamper.DEFAULT_MAX_HELD_US, org.assertj.core.data.Offset.offset(2 * FRAME_US));

        assertThat(stamper.endOfStream(lastArrivalUs)).isEqualTo(5_000 - stamped);
        assertThat(stamper.pendingFrames()).isZero();
    }

    @Test
    void shouldReleaseEveryHeldFrameAtTheEndOfTheStream()
    {
        read(START_US, 100);
        assertThat(stamper.pendingFrames()).isEqualTo(100);
        addFrames(3);
        final int released = stamper.endOfStream(START_US + 10);
        assertThat(released).isEqualTo(103);
        assertThat(stamper.releasedSequence(102)).isEqualTo(102);
        assertThat(stamper.releasedTimestampUs(102)).isLessThanOrEqualTo(START_US + 10);
        assertThat(stamper.bursts()).isEqualTo(1);
        assertThat(stamper.heldFrames()).isEqualTo(103);
    }

    @Test
    void shouldContinueWithoutAGapWhenTheSampleRateChanges()
    {
        stamper.add(SAMPLES, RATE);
        stamper.add(1_024, 48_000);
        stamper.add(1_024, 48_000);
        assertThat(stamper.endOfStream(START_US)).isEqualTo(3);
        assertThat(stamper.releasedTimestampUs(1) - stamper.releasedTimestampUs(0)).isEqualTo(26_122);
        assertThat(stamper.releasedTimestampUs(2) - stamper.releasedTimestampUs(1)).isBetween(21_332L, 21_334L);
    }

    @Test
    void shouldRefuseSettingsOutsideTheirLimitsNamingValueAndLimit()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> new FrameStamper(1, 0))
            .withMessage("maxSlewPpm=0 is not in 1..10000");
        assertThatIllegalArgumentException().isThrownBy(() -> new FrameStamper(1, 500, 2_000_000, 1_000_000,
                1_000_000, FrameStamper.MAX_HELD_LIMIT_US + 1))
            .withMessage("maxHeldUs=" + (FrameStamper.MAX_HELD_LIMIT_US + 1) + " is not in 0..MAX_HELD_LIMIT_US=" +
                FrameStamper.MAX_HELD_LIMIT_US);
        assertThatIllegalArgumentException().isThrownBy(() -> stamper.add(0, RATE))
            .withMessage("samplesInFrame=0 and sampleRateHz=44100 must be > 0");
    }

    @Test
    void shouldRefuseAFrameBeyondCapacityUntilTheReadIsEnded()
    {
        addFrames(FrameStamper.CAPACITY_FRAMES);
        assertThat(stamper.isFull()).isTrue();
        assertThatIllegalStateException().isThrownBy(() -> stamper.add(SAMPLES, RATE))
            .withMessage("pending frames=2048 = CAPACITY_FRAMES: end the read");
        stamper.endOfRead(START_US);
        assertThat(stamper.isFull()).isFalse();
        assertThat(stamper.pendingFrames() * FRAME_US).isLessThanOrEqualTo(FrameStamper.DEFAULT_MAX_HELD_US);
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

    private int read(final long arrivalUs, final int frames)
    {
        addFrames(frames);
        final int released = stamper.endOfRead(arrivalUs);
        for (int i = 0; i < released; i++)
        {
            assertThat(stamper.releasedSequence(i)).isEqualTo(stamped);
            stamps[stamped++] = stamper.releasedTimestampUs(i);
        }
        return released;
    }

    private void addFrames(final int frames)
    {
        for (int i = 0; i < frames; i++)
        {
            stamper.add(SAMPLES, RATE);
        }
    }

    private void assertContiguous(final int from, final int to)
    {
        for (int n = from + 1; n < to; n++)
        {
            assertThat(withinSlew(stamps[n] - stamps[n - 1])).as("spacing %d before frame %d",
                stamps[n] - stamps[n - 1], n).isTrue();
        }
    }

    private static boolean withinSlew(final long spacingUs)
    {
        return spacingUs >= FRAME_US - SLEW_US - 1 && spacingUs <= FRAME_US + SLEW_US + 1;
    }
}
