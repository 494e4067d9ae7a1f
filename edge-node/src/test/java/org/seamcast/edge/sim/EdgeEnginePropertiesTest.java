package org.seamcast.edge.sim;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.seamcast.edge.engine.CyclingFallbackFrameSource;
import org.seamcast.edge.engine.EdgeEngineContext;
import org.seamcast.edge.engine.EdgeEvent;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's promises, checked on thousands of random schedules of the deterministic simulator. A failure prints
 * jqwik's seed and the sample (including the simulator seed), which replay the schedule exactly.
 */
class EdgeEnginePropertiesTest
{
    private static final long MS = 1000;
    private static final long PLAYOUT_DELAY_NS = 500_000_000L;

    @Property(tries = 250)
    void hitlessPathsReproduceTheEncoderExactly(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 4) final int pathCount,
        @ForAll final boolean aac)
    {
        final Simulation sim = new Simulation(seed);
        final SimRandom random = sim.random();
        final SimFormat format = aac ? SimFormat.AAC_48K : SimFormat.MP3_44K;
        final long durationUs = random.between(5_000, 20_000) * MS;
        sim.durationUs(durationUs)
            .poll(random.between(1, 10) * MS, random.between(0, 5) * MS)
            .encoder(new SimEncoder(7, 0, format, random.between(0, 50) * MS, random.between(-100, 100),
                (int)random.between(16, 128)).live(0, durationUs))
            .guaranteeEveryFrameBefore(PLAYOUT_DELAY_NS);
        for (int p = 0; p < pathCount; p++)
        {
            sim.path(randomPath(random, p, durationUs));
        }

        final SimResult result = sim.run(context());

        final long[] emitted = result.emittedContent(0);
        assertThat(result.count()).as("released").isGreaterThan(0);
        for (int i = 0; i < result.count(); i++)
        {
            if (result.isFallback(i) || result.content(i) != emitted[i])
            {
                throw new AssertionError("expected content " + emitted[i] + " at " + i + ":\n" +
                    result.describe(i - 3, i + 3));
            }
        }
        final long[] timestampsUs = result.emittedTimestampsUs(0);
        int due = 0;
        while (due < emitted.length && timestampsUs[due] * 1000 + PLAYOUT_DELAY_NS < result.endNs() - 20_000_000L)
        {
            due++;
        }
        assertThat(result.count()).as("frames released by the end").isGreaterThanOrEqualTo(due);
        assertReleasedOnTime(result, 16 * MS);
        final var engine = result.engine();
        long accounted = engine.eventCount(EdgeEvent.DROPPED_FUTURE) + engine.eventCount(EdgeEvent.DROPPED_PAST) +
            engine.eventCount(EdgeEvent.DROPPED_INVALID) + engine.candidateFramesHeld() +
            engine.candidateFramesDiscarded();
        for (int p = 0; p < pathCount; p++)
        {
            accounted += engine.pathFirstCopies(p) + engine.pathDuplicates(p) + engine.pathLate(p);
        }
        assertThat(accounted).as("every copy counted once").isEqualTo(result.copiesDelivered());
    }

    @Property(tries = 200)
    void failoverToABackupWithTheSameTimelineLosesNoSlot(
        @ForAll final long seed,
        @ForAll final boolean learnOffsets,
        @ForAll final boolean aac)
    {
        final Simulation sim = new Simulation(seed);
        final SimRandom random = sim.random();
        final SimFormat format = aac ? SimFormat.AAC_48K : SimFormat.MP3_44K;
        final long durationUs = random.between(8_000, 16_000) * MS;
        final long deathUs = random.between(3_000, durationUs / MS - 2_000) * MS;
        final long halfFrameUs = format.durationUs() / 2 - 1_000;
        final long backupLatencyUs = learnOffsets ? random.between(-200, 200) * MS :
            random.between(-halfFrameUs, halfFrameUs);
        final int length = (int)random.between(16, 128);
        sim.durationUs(durationUs)
            .poll(random.between(1, 10) * MS, random.between(0, 3) * MS)
            .encoder(new SimEncoder(1, 0, format, 0, 0, length).live(0, deathUs))
            .encoder(new SimEncoder(2, 1, format, backupLatencyUs, random.between(-20, 20), length)
                .live(random.between(300, 1_000) * MS, durationUs))
            .guaranteeEveryFrameBefore(PLAYOUT_DELAY_NS - 250_000_000L);
        for (int p = 0; p < 3; p++)
        {
            sim.path(randomPath(random, p, durationUs));
        }

        final SimResult result = sim.run(context().offsetLearning(learnOffsets));

        final long toleranceUs = learnOffsets ? 0 : format.durationUs();
        assertContinuousAudio(result, toleranceUs);
        assertThat(result.encoderId(result.count() - 1)).as("backup plays at the end").isEqualTo(2);
        assertThat(result.engine().eventCount(EdgeEvent.SWITCH)).isEqualTo(1);
        assertReleasedOnTime(result, 14 * MS);
        if (learnOffsets)
        {
            assertThat(result.engine().hasLearnedOffset(2)).isTrue();
            assertThat(result.engine().encoderOffsetUs(2)).as("learned offset").isCloseTo(-backupLatencyUs,
                org.assertj.core.data.Offset.offset(1_000L));
        }
    }

    @Property(tries = 150)
    void switchesBackAfterTheHoldTimeAtACleanFrame(
        @ForAll final long seed,
        @ForAll final boolean aac,
        @ForAll @LongRange(min = 1_000, max = 4_000) final long holdMs)
    {
        final Simulation sim = new Simulation(seed);
        final SimRandom random = sim.random();
        final SimFormat format = aac ? SimFormat.AAC_48K : SimFormat.MP3_44K;
        final long deathUs = random.between(2_000, 5_000) * MS;
        final long returnUs = deathUs + random.between(1_000, 3_000) * MS;
        final long durationUs = returnUs + holdMs * MS + 4_000 * MS;
        final int length = (int)random.between(16, 128);
        sim.durationUs(durationUs)
            .poll(random.between(1, 10) * MS, random.between(0, 3) * MS)
            .encoder(new SimEncoder(1, 0, format, 0, 0, length).live(0, deathUs).live(returnUs, durationUs))
            .encoder(new SimEncoder(2, 1, format, random.between(-100, 100) * MS, 0, length).live(0, durationUs))
            .guaranteeEveryFrameBefore(PLAYOUT_DELAY_NS - 150_000_000L);
        for (int p = 0; p < 2; p++)
        {
            sim.path(randomPath(random, p, durationUs));
        }

        final SimResult result = sim.run(context().holdTimeNs(holdMs * 1_000_000));

        assertContinuousAudio(result, 0);
        final int firstBackup = result.firstFrom(2, 0);
        final int back = result.firstFrom(1, firstBackup);
        assertThat(firstBackup).as("failed over").isGreaterThan(0);
        assertThat(back).as("switched back").isGreaterThan(firstBackup);
        // the hold runs from the first slot the returned primary has a frame for: the slot on the playing grid
        // within half a frame of its first frame's timestamp
        long firstReturnedUs = Long.MAX_VALUE;
        for (final long timestampUs : result.emittedTimestampsUs(0))
        {
            if (timestampUs >= Simulation.T0_US + returnUs)
            {
                firstReturnedUs = Math.min(firstReturnedUs, timestampUs);
            }
        }
        long primaryReturnSlotUs = Long.MAX_VALUE;
        for (int i = 0; i < result.count(); i++)
        {
            if (Math.abs(result.slotUs(i) - firstReturnedUs) <= format.durationUs() / 2)
            {
                primaryReturnSlotUs = result.slotUs(i);
                break;
            }
        }
        assertThat(result.slotUs(back) - primaryReturnSlotUs).as("held before switching back")
            .isGreaterThanOrEqualTo(holdMs * MS);
        assertThat(format.isClean(result.content(back))).as("switch-back frame is clean").isTrue();
        assertThat(result.encoderChanges()).isEqualTo(2);
        assertThat(result.encoderId(result.count() - 1)).isEqualTo(1);
    }

    @Property(tries = 30)
    void intermittentLossOnThePrimaryDoesNotMakeTheOutputFlap(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 100) final int lossPerMille,
        @ForAll @LongRange(min = 2_000, max = 10_000) final long holdMs)
    {
        final Simulation sim = new Simulation(seed);
        final SimRandom random = sim.random();
        final long durationUs = 60_000 * MS;
        final SimFormat format = SimFormat.MP3_44K;
        sim.durationUs(durationUs)
            .poll(10 * MS, 2 * MS)
            .encoder(new SimEncoder(1, 0, format, 0, 0, 32).live(0, durationUs).loss(lossPerMille / 1000.0))
            .encoder(new SimEncoder(2, 1, format, random.between(-100, 100) * MS, 0, 32).live(0, durationUs))
            .path(new SimPath(0, 20 * MS, 30 * MS, 0, 0))
            .path(new SimPath(1, 40 * MS, 60 * MS, 0, 0));

        final SimResult result = sim.run(context().holdTimeNs(holdMs * 1_000_000));

        final long maxSwitches = 2 * (durationUs / (holdMs * MS)) + 2;
        assertThat(result.encoderChanges()).as("switches in one minute").isLessThanOrEqualTo((int)maxSwitches);
        assertContinuousAudio(result, 0, Simulation.T0_US + 2_000 * MS);
    }

    @Property(tries = 200)
    void fallbackKeepsTheCadenceUntilAnEncoderReturns(
        @ForAll final long seed,
        @ForAll final boolean aac,
        @ForAll @IntRange(min = 1, max = 2) final int encoderCount)
    {
        final Simulation sim = new Simulation(seed);
        final SimRandom random = sim.random();
        final SimFormat format = aac ? SimFormat.AAC_48K : SimFormat.MP3_44K;
        final long deathUs = random.between(1_000, 5_000) * MS;
        final long returnUs = deathUs + random.between(500, 5_000) * MS;
        final long durationUs = returnUs + random.between(2_000, 4_000) * MS;
        sim.durationUs(durationUs).poll(random.between(1, 10) * MS, random.between(0, 3) * MS);
        for (int e = 0; e < encoderCount; e++)
        {
            final SimEncoder encoder = new SimEncoder(e + 1, e, format, random.between(0, 20) * MS, 0, 48);
            encoder.live(random.between(0, 200) * MS, deathUs - random.between(0, 300) * MS);
            if (e == encoderCount - 1)
            {
                encoder.live(returnUs, durationUs);
            }
            sim.encoder(encoder);
        }
        sim.path(new SimPath(0, random.between(1, 100) * MS, random.between(0, 200) * MS, 0.1, 0.1))
            .path(new SimPath(1, random.between(1, 100) * MS, random.between(0, 200) * MS, 0.1, 0.1))
            .guaranteeEveryFrameBefore(PLAYOUT_DELAY_NS - 100_000_000L);

        final SimResult result = sim.run(context().fallbackFrameSource(
            new CyclingFallbackFrameSource(List.of(new byte[]{ 1, 2, 3 }, new byte[]{ 4, 5, 6 }),
                format.durationUs())));

        assertCadence(result);
        assertReleasedOnTime(result, 14 * MS);
        int firstFallback = -1;
        int lastFallback = -1;
        for (int i = 0; i < result.count(); i++)
        {
            if (result.isFallback(i))
            {
                firstFallback = firstFallback < 0 ? i : firstFallback;
                lastFallback = i;
            }
        }
        assertThat(firstFallback).as("fallback played").isGreaterThan(0);
        assertThat(result.isFallback(result.count() - 1)).as("encoder resumed").isFalse();
        for (int i = firstFallback; i <= lastFallback; i++)
        {
            assertThat(result.isFallback(i)).as("one run of fallback, at %d", i).isTrue();
        }
        final long fallbackUs = result.slotUs(lastFallback + 1) - result.slotUs(firstFallback);
        final long silentUs = result.studioStartUs(lastFallback + 1) - result.studioEndUs(firstFallback - 1);
        assertThat(Math.abs(fallbackUs - silentUs)).as("fallback fills exactly the silent time")
            .isLessThanOrEqualTo(format.durationUs() + 200 * MS);
        assertThat(result.engine().eventCount(EdgeEvent.FALLBACK_START)).isEqualTo(1);
        assertThat(result.engine().eventCount(EdgeEvent.FALLBACK_END)).isEqualTo(1);
    }

    @Property(tries = 120)
    void memoryStaysBoundedUnderAnySchedule(
        @ForAll final long seed,
        @ForAll @IntRange(min = 0, max = 20_000) final int floodCopies,
        @ForAll @IntRange(min = 1, max = 4) final int encoderCount)
    {
        final Simulation sim = new Simulation(seed);
        final SimRandom random = sim.random();
        final long durationUs = random.between(3_000, 10_000) * MS;
        final long playoutDelayNs = random.between(50, 3_000) * 1_000_000L;
        final EdgeEngineContext ctx = context()
            .playoutDelayNs(playoutDelayNs)
            .retransmitGuardNs(playoutDelayNs / 4)
            .retransmitDelayNs(playoutDelayNs / 10)
            .maxFutureNs(random.between(0, 2_000) * 1_000_000L)
            .maxEncoders((int)random.between(1, 4))
            .maxTrackedPaths((int)random.between(1, 16))
            .maxFrameLength((int)random.between(512, 9_000))
            .retransmitMaxGaps((int)random.between(1, 8));
        sim.durationUs(durationUs).poll(random.between(1, 20) * MS, random.between(0, 20) * MS)
            .flood(floodCopies, random.between(1, 120_000) * MS)
            .retransmits(random.between(1, 200) * MS, 0.5);
        for (int e = 0; e < encoderCount; e++)
        {
            final SimEncoder encoder = new SimEncoder(e + 1, (int)random.between(0, 3),
                random.chance(0.5) ? SimFormat.AAC_48K : SimFormat.MP3_44K, random.between(-500, 500) * MS,
                random.between(-500, 500), (int)random.between(16, 512));
            long at = 0;
            while (at < durationUs)
            {
                final long end = at + random.between(200, 5_000) * MS;
                encoder.live(at, end);
                at = end + random.between(0, 2_000) * MS;
            }
            sim.encoder(encoder.loss(random.nextDouble() * 0.2));
        }
        for (int p = 0; p < 1 + random.nextInt(6); p++)
        {
            sim.path(randomPath(random, p, durationUs));
        }

        final SimResult result = sim.run(ctx);

        assertThat(result.maxRetainedBytes()).isLessThanOrEqualTo(ctx.maxRetainedFrameBytes());
        assertThat(result.maxBufferedFrames()).isLessThanOrEqualTo((long)ctx.maxEncoders() * ctx.framesPerEncoder());
        assertThat(result.maxTrackedPaths()).isLessThanOrEqualTo(ctx.maxTrackedPaths());
        for (int i = 1; i < result.count(); i++)
        {
            if (result.releaseNs(i) < result.releaseNs(i - 1) || result.slotUs(i) <= result.slotUs(i - 1))
            {
                throw new AssertionError("output went backwards at " + i + ":\n" + result.describe(i - 3, i + 3));
            }
        }
    }

    @Property(tries = 100)
    void failoverBetweenFormatsIsAlignedWithinOneFrame(@ForAll final long seed, @ForAll final boolean mp3First)
    {
        final Simulation sim = new Simulation(seed);
        final SimRandom random = sim.random();
        final SimFormat primary = mp3First ? SimFormat.MP3_44K : SimFormat.AAC_48K;
        final SimFormat backup = mp3First ? SimFormat.AAC_48K : SimFormat.MP3_44K;
        final long durationUs = random.between(6_000, 12_000) * MS;
        final long deathUs = random.between(2_000, durationUs / MS - 2_000) * MS;
        sim.durationUs(durationUs)
            .poll(random.between(1, 10) * MS, random.between(0, 3) * MS)
            .encoder(new SimEncoder(1, 0, primary, 0, 0, 100).live(0, deathUs))
            .encoder(new SimEncoder(2, 1, backup, random.between(-5, 5) * MS, 0, 100).live(0, durationUs))
            .guaranteeEveryFrameBefore(PLAYOUT_DELAY_NS - 50_000_000L)
            .path(randomPath(random, 0, durationUs))
            .path(randomPath(random, 1, durationUs));

        final SimResult result = sim.run(context());

        assertContinuousAudio(result, Math.max(primary.durationUs(), backup.durationUs()));
        assertThat(result.encoderId(result.count() - 1)).isEqualTo(2);
        assertReleasedOnTime(result, 14 * MS);
    }

    @Property(tries = 150)
    void retransmitsRepairFramesLostOnEveryPathWhileTheDeadlineAllows(
        @ForAll final long seed,
        @ForAll @IntRange(min = 0, max = 30) final int lossPercent)
    {
        final Simulation sim = new Simulation(seed);
        final SimRandom random = sim.random();
        final long durationUs = random.between(5_000, 10_000) * MS;
        final long guardNs = 100_000_000L;
        sim.durationUs(durationUs)
            .poll(random.between(1, 10) * MS, random.between(0, 3) * MS)
            .encoder(new SimEncoder(1, 0, SimFormat.MP3_44K, 0, 0, 64).live(0, durationUs))
            .path(new SimPath(0, random.between(1, 100) * MS, random.between(0, 50) * MS, lossPercent / 100.0, 0.05))
            .path(new SimPath(1, random.between(1, 100) * MS, random.between(0, 50) * MS, lossPercent / 100.0, 0.05))
            .retransmits(random.between(1, 100) * MS, 0);

        final SimResult result = sim.run(context().retransmitGuardNs(guardNs).retransmitMaxAttempts(3));

        final long[] emitted = result.emittedContent(0);
        final long lastFullyCheckedUs = Simulation.T0_US + durationUs - 1_000_000;
        final int leadingLost = (int)(result.content(0) - emitted[0]);
        assertThat(leadingLost).as("frames lost before the first one that arrived").isLessThan(10);
        for (int i = 0; i < result.count() && result.slotUs(i) < lastFullyCheckedUs; i++)
        {
            if (result.isFallback(i) || result.content(i) != emitted[i + leadingLost])
            {
                throw new AssertionError("expected content " + emitted[i + leadingLost] + " at " + i + ":\n" +
                    result.describe(i - 3, i + 3));
            }
        }
        final long[] timestampsUs = result.emittedTimestampsUs(0);
        for (final long[] request : result.requestLog())
        {
            final long requestNs = request[0];
            final long firstSequence = request[3];
            final long deadlineNs = timestampsUs[(int)firstSequence] * 1000 + PLAYOUT_DELAY_NS;
            assertThat(deadlineNs - requestNs).as("time left when asking for %d", firstSequence)
                .isGreaterThanOrEqualTo(guardNs);
        }
        if (lossPercent == 0)
        {
            // nothing is lost, but jitter can delay a frame past the reorder wait: it may be asked for only if it
            // had not arrived when asked for
            for (final long[] request : result.requestLog())
            {
                for (long sequence = request[3]; sequence <= request[4]; sequence++)
                {
                    assertThat(result.firstArrivalNs((int)request[1], request[2], sequence))
                        .as("first arrival of %d, asked for at %d", sequence, request[0]).isGreaterThan(request[0]);
                }
            }
        }
    }

    @Property(tries = 100)
    void outputNeverBurstsOrStallsUnderJitter(
        @ForAll final long seed,
        @ForAll @LongRange(min = 0, max = 450) final long jitterMs)
    {
        final Simulation sim = new Simulation(seed);
        final SimRandom random = sim.random();
        final long durationUs = 10_000 * MS;
        final long pollUs = random.between(1, 5) * MS;
        sim.durationUs(durationUs)
            .poll(pollUs, 0)
            .encoder(new SimEncoder(1, 0, SimFormat.AAC_48K, 0, 0, 64).live(0, durationUs))
            .path(new SimPath(0, 0, jitterMs * MS, 0, 0.2))
            .path(new SimPath(1, 20 * MS, jitterMs * MS, 0, 0.2));

        final SimResult result = sim.run(context());

        final long frameNs = SimFormat.AAC_48K.durationUs() * 1000L;
        for (int i = 1; i < result.count(); i++)
        {
            final long gapNs = result.releaseNs(i) - result.releaseNs(i - 1);
            if (Math.abs(gapNs - frameNs) > pollUs * 1000 + 1000)
            {
                throw new AssertionError("release gap " + gapNs + " ns at " + i + ":\n" +
                    result.describe(i - 3, i + 3));
            }
        }
        assertThat(result.count()).isGreaterThan((int)((durationUs - 1_000_000) / SimFormat.AAC_48K.durationUs()));
    }

    static EdgeEngineContext context()
    {
        return new EdgeEngineContext()
            .playoutDelayNs(PLAYOUT_DELAY_NS)
            .playoutSink((buffer, offset, length, frame) -> {});
    }

    static SimPath randomPath(final SimRandom random, final int pathId, final long durationUs)
    {
        final SimPath path = new SimPath(pathId, random.between(0, 400) * MS, random.between(0, 300) * MS,
            random.chance(0.3) ? random.nextDouble() * 0.5 : 0, random.chance(0.3) ? random.nextDouble() * 0.3 : 0);
        final int outages = random.nextInt(3);
        for (int i = 0; i < outages; i++)
        {
            final long from = random.nextLong(durationUs);
            final long to = random.chance(0.3) ? Long.MAX_VALUE / 4 : from + random.between(10, 3_000) * MS;
            path.outage(from, to, random.chance(0.5) ? random.between(10, 2_000) * MS : 0);
        }
        return path;
    }

    /** Every release is no earlier than its slot deadline and no later than the owner loop's slack. */
    static void assertReleasedOnTime(final SimResult result, final long slackUs)
    {
        for (int i = 0; i < result.count(); i++)
        {
            final long latenessNs = result.releaseNs(i) - (result.slotUs(i) * 1000 + PLAYOUT_DELAY_NS);
            if (latenessNs < 0 || latenessNs > slackUs * 1000)
            {
                throw new AssertionError("release " + latenessNs + " ns after its deadline at " + i + ", slack " +
                    slackUs + " us:\n" + result.describe(i - 3, i + 3));
            }
        }
    }

    /** Consecutive slots follow on by one frame duration (within half a frame at a change of source). */
    static void assertCadence(final SimResult result)
    {
        assertCadenceFrom(result, 1);
    }

    static void assertCadenceFrom(final SimResult result, final int from)
    {
        for (int i = from; i < result.count(); i++)
        {
            final long stepUs = result.slotUs(i) - result.slotUs(i - 1);
            final int durationUs = result.durationUs(i - 1);
            if (stepUs < durationUs / 2 || stepUs > durationUs * 3L / 2)
            {
                throw new AssertionError("slot step " + stepUs + " us after a " + durationUs + " us frame at " + i +
                    ":\n" + result.describe(i - 3, i + 3));
            }
        }
    }

    /** No fallback, and each frame's audio starts where the previous one's ended, within a tolerance. */
    static void assertContinuousAudio(final SimResult result, final long toleranceUs)
    {
        assertContinuousAudio(result, toleranceUs, Long.MIN_VALUE);
    }

    static void assertContinuousAudio(final SimResult result, final long toleranceUs, final long fromSlotUs)
    {
        assertThat(result.count()).isGreaterThan(0);
        int first = 0;
        while (first < result.count() && result.slotUs(first) < fromSlotUs)
        {
            first++;
        }
        assertCadenceFrom(result, first + 1);
        for (int i = first; i < result.count(); i++)
        {
            if (result.isFallback(i))
            {
                throw new AssertionError("fallback at " + i + ":\n" + result.describe(i - 3, i + 3));
            }
            if (i > first)
            {
                final long jumpUs = result.studioStartUs(i) - result.studioEndUs(i - 1);
                if (Math.abs(jumpUs) > toleranceUs)
                {
                    throw new AssertionError("audio discontinuity of " + jumpUs + " us > " + toleranceUs + " at " + i +
                        ":\n" + result.describe(i - 3, i + 3));
                }
            }
        }
    }
}
