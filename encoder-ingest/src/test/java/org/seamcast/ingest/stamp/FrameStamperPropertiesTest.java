package org.seamcast.ingest.stamp;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stamper's promises on random virtual links (a failure prints the scenario, which replays it exactly):
 * <ul>
 *   <li>no stamp leads its frame's arrival;</li>
 *   <li>consecutive stamps differ by the frame duration within the slew bound, except where an event was
 *   counted (burst, pullback, overflow, re-anchor) since the frame before was released;</li>
 *   <li>from 2 s of media after the last disturbance on, stamps lie within a few frame durations of the frame's
 *   undisturbed arrival (production plus the steady delay).</li>
 * </ul>
 */
class FrameStamperPropertiesTest
{
    private static final long MS = 1_000;
    /** Media time after the last disturbance by which the stamps must be back near the arrivals. */
    private static final long CONVERGENCE_US = 2_000_000;
    private static final int SETTLED_WITHIN_FRAMES = 3;
    /** Link speeds are drawn in kbit/s; below 1 Mbit/s the link is loopback (no serialisation delay). */
    private static final long SLOWEST_LINK_KBPS = 1_000;

    @Property(tries = 400)
    void aConnectBurstIsStampedIntoThePastAndStampsSettleOnArrival(
        @ForAll final long seed,
        @ForAll final boolean aac,
        @ForAll @DoubleRange(min = -500, max = 500) final double ppm,
        @ForAll @LongRange(min = 0, max = 300) final long steadyDelayMs,
        @ForAll @LongRange(min = 0, max = 200) final long jitterMs,
        @ForAll @LongRange(min = 0, max = 8_000) final long burstMs,
        @ForAll @IntRange(min = 1, max = 40) final int burstReads,
        @ForAll @LongRange(min = 0, max = 20_000) final long linkKbps)
    {
        assertPromises(ArrivalScenario.builder(seed)
            .format(aac ? ArrivalScenario.Format.AAC_48K : ArrivalScenario.Format.MP3_44K)
            .ppm(ppm)
            .steadyDelayUs(steadyDelayMs * MS)
            .maxJitterUs(jitterMs * MS)
            .burst(burstMs * MS, burstReads)
            .linkBitsPerSecond(linkKbps < SLOWEST_LINK_KBPS ? 0 : linkKbps * 1_000)
            .durationUs(40_000_000)
            .build());
    }

    @Property(tries = 400)
    void aStallFollowedByACatchUpLeavesTheStampsWhereTheyWere(
        @ForAll final long seed,
        @ForAll final boolean aac,
        @ForAll @DoubleRange(min = -500, max = 500) final double ppm,
        @ForAll @LongRange(min = 0, max = 200) final long jitterMs,
        @ForAll @LongRange(min = 0, max = 4_000) final long burstMs,
        @ForAll @LongRange(min = 0, max = 20_000) final long linkKbps,
        @ForAll @LongRange(min = 10_000, max = 30_000) final long stallAtMs,
        @ForAll @LongRange(min = 100, max = 6_000) final long stallMs)
    {
        final StampedRun run = assertPromises(stall(seed, aac, ppm, jitterMs, burstMs, linkKbps)
            .stall(stallAtMs * MS, stallMs * MS, true)
            .build());
        assertThat(run.stamper.reanchors()).as("re-anchors, %s", run.scenario).isZero();
    }

    @Property(tries = 400)
    void anEncoderThatLostMoreThanTheLagLimitIsReanchoredOnce(
        @ForAll final long seed,
        @ForAll final boolean aac,
        @ForAll @DoubleRange(min = -500, max = 500) final double ppm,
        @ForAll @LongRange(min = 0, max = 200) final long jitterMs,
        @ForAll @LongRange(min = 0, max = 4_000) final long burstMs,
        @ForAll @LongRange(min = 0, max = 20_000) final long linkKbps,
        @ForAll @LongRange(min = 10_000, max = 30_000) final long stallAtMs,
        @ForAll @LongRange(min = 1_200, max = 6_000) final long stallMs)
    {
        final StampedRun run = assertPromises(stall(seed, aac, ppm, jitterMs, burstMs, linkKbps)
            .stall(stallAtMs * MS, stallMs * MS, false)
            .build());
        assertThat(run.stamper.reanchors()).as("re-anchors, %s", run.scenario).isEqualTo(1);
    }

    private static ArrivalScenario.Builder stall(
        final long seed, final boolean aac, final double ppm, final long jitterMs, final long burstMs,
        final long linkKbps)
    {
        return ArrivalScenario.builder(seed)
            .format(aac ? ArrivalScenario.Format.AAC_48K : ArrivalScenario.Format.MP3_44K)
            .ppm(ppm)
            .maxJitterUs(jitterMs * MS)
            .burst(burstMs * MS, 1)
            .linkBitsPerSecond(linkKbps < SLOWEST_LINK_KBPS ? 0 : linkKbps * 1_000)
            .durationUs(45_000_000);
    }

    static StampedRun assertPromises(final ArrivalScenario scenario)
    {
        final StampedRun run = StampedRun.of(scenario);
        for (int n = 0; n < scenario.frames(); n++)
        {
            if (run.timestampUs[n] == Long.MIN_VALUE)
            {
                throw new AssertionError("frame " + n + " never released\n" + run.describe(n));
            }
            if (run.timestampUs[n] > scenario.arrivalUs(n))
            {
                throw new AssertionError("frame " + n + " stamped after its arrival\n" + run.describe(n));
            }
            if (n > 0 && !run.spacedWithinSlew(n) && run.eventsAtRelease[n] == run.eventsAtRelease[n - 1])
            {
                throw new AssertionError("frame " + n + " spaced by " + (run.timestampUs[n] - run.timestampUs[n - 1]) +
                    " us with no event counted\n" + run.describe(n));
            }
        }
        final int settled = scenario.settledFrame();
        final long toleranceUs = SETTLED_WITHIN_FRAMES * run.frameUs;
        for (int n = settled; n < scenario.frames(); n++)
        {
            if ((n - settled) * run.frameUs >= CONVERGENCE_US &&
                Math.abs(run.timestampUs[n] - scenario.earliestUs(n)) > toleranceUs)
            {
                throw new AssertionError("frame " + n + " stamped " + (run.timestampUs[n] - scenario.earliestUs(n)) +
                    " us from its undisturbed arrival, 2 s after the disturbance\n" + run.describe(n));
            }
        }
        return run;
    }
}
