package org.seamcast.edge.engine;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import org.seamcast.codec.audio.FrameLoudness;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The aligner's logic on synthetic envelopes: one program loudness curve sampled by two frame grids (MP3 26.122 ms,
 * AAC 21.333 ms) with estimation noise, gaps, frames without an estimate and reordering by the network.
 */
class EnvelopeAlignerTest
{
    private static final long T0_US = 1_750_000_000_000_000L;
    private static final int MP3_FRAME_US = 26_122;
    private static final int AAC_FRAME_US = 21_333;
    private static final long SECOND_NS = 1_000_000_000L;

    @Property(tries = 150)
    void shouldFindTheOffsetBetweenFrameGridsWithinOneFrame(
        @ForAll @IntRange(min = -1_900_000, max = 1_900_000) final int offsetUs,
        @ForAll final long seed)
    {
        final Random random = new Random(seed);
        final double[] program = program(random, 40);
        final EnvelopeAligner aligner = new EnvelopeAligner(new EnvelopeAlignerContext());
        final List<long[]> frames = new ArrayList<>();
        frames.addAll(sample(0, program, T0_US, MP3_FRAME_US, 0, random));
        frames.addAll(sample(1, program, T0_US - offsetUs, AAC_FRAME_US, random.nextInt(AAC_FRAME_US), random));
        arriveOutOfOrder(frames, random);
        feed(aligner, frames);

        assertThat(aligner.align(1)).isTrue();
        assertThat(Math.abs(aligner.offsetUs(1) - offsetUs)).as("found %d us", aligner.offsetUs(1))
            .isLessThanOrEqualTo(AAC_FRAME_US);
        assertThat(aligner.confidence(1)).isGreaterThanOrEqualTo(0.5);
    }

    @Example
    void shouldKeepAHistoryOnlyForSlotsThatSentFramesAndStillAlignThem()
    {
        final Random random = new Random(11);
        final double[] program = program(random, 40);
        final EnvelopeAligner aligner = new EnvelopeAligner(new EnvelopeAlignerContext());
        assertThat(aligner.historiesHeld()).isZero();
        assertThat(aligner.isSilent(5)).isFalse();
        aligner.reset(5);

        feed(aligner, sample(0, program, T0_US, MP3_FRAME_US, 0, random));
        feed(aligner, sample(3, program, T0_US - 500_000L, MP3_FRAME_US, 0, random));

        assertThat(aligner.historiesHeld()).as("of %d slots", aligner.maxEncoders()).isEqualTo(2);
        assertThat(aligner.doWork(SECOND_NS)).isEqualTo(1);
        assertThat(aligner.lastAlignedSlot()).isEqualTo(3);
        assertThat(Math.abs(aligner.offsetUs(3) - 500_000L)).isLessThanOrEqualTo(MP3_FRAME_US);
    }

    @Example
    void shouldAlignEachMountAsAloneWhenTheAlignersOfOneThreadShareTheirGrids()
    {
        final AlignmentScratch shared = new AlignmentScratch();
        final long[] offsetsUs = { 400_000L, -900_000L };
        final EnvelopeAligner[] sharing = new EnvelopeAligner[2];
        final EnvelopeAligner[] alone = new EnvelopeAligner[2];
        for (int m = 0; m < 2; m++)
        {
            sharing[m] = new EnvelopeAligner(new EnvelopeAlignerContext().scratch(shared));
            alone[m] = new EnvelopeAligner(new EnvelopeAlignerContext());
            final double[] program = program(new Random(20 + m), 40);
            for (final EnvelopeAligner aligner : new EnvelopeAligner[]{ sharing[m], alone[m] })
            {
                final Random random = new Random(30 + m);
                feed(aligner, sample(0, program, T0_US, MP3_FRAME_US, 0, random));
                feed(aligner, sample(1, program, T0_US - offsetsUs[m], AAC_FRAME_US, 0, random));
            }
        }

        for (int round = 0; round < 2; round++)
        {
            for (int m = 0; m < 2; m++)
            {
                assertThat(sharing[m].align(1)).isEqualTo(alone[m].align(1)).isTrue();
                assertThat(sharing[m].offsetUs(1)).isEqualTo(alone[m].offsetUs(1));
                assertThat(sharing[m].confidence(1)).isEqualTo(alone[m].confidence(1));
                assertThat(Math.abs(sharing[m].offsetUs(1) - offsetsUs[m])).isLessThanOrEqualTo(AAC_FRAME_US);
            }
        }
    }

    @Example
    void shouldRefuseGridsMadeForAnotherWindow()
    {
        final AlignmentScratch shared = new AlignmentScratch();

        assertThatThrownBy(() -> new EnvelopeAligner(new EnvelopeAlignerContext().windowUs(8_000_000L).scratch(shared)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("windowUs=8000000");
    }

    @Example
    void shouldFindNothingWhenTheEnvelopesDoNotOverlapEnough()
    {
        final Random random = new Random(7);
        final double[] program = program(random, 40);
        final EnvelopeAligner aligner = new EnvelopeAligner(new EnvelopeAlignerContext());
        feed(aligner, sample(0, program, T0_US, MP3_FRAME_US, 0, random));
        feed(aligner, sample(1, Arrays.copyOf(program, 3), T0_US + 37_000_000L, MP3_FRAME_US, 0, random));

        assertThat(aligner.align(1)).isFalse();
        assertThat(aligner.confidence(1)).isZero();
    }

    @Example
    void shouldNotTrustAnOffsetAtTheEdgeOfTheSearch()
    {
        final Random random = new Random(8);
        final double[] program = program(random, 40);
        final EnvelopeAligner aligner = new EnvelopeAligner(new EnvelopeAlignerContext());
        feed(aligner, sample(0, program, T0_US, MP3_FRAME_US, 0, random));
        feed(aligner, sample(1, program, T0_US - 3_000_000L, MP3_FRAME_US, 0, random));

        aligner.align(1);
        assertThat(aligner.confidence(1)).isZero();
    }

    @Example
    void shouldNotTrustAFlatEnvelope()
    {
        final Random random = new Random(9);
        final double[] flat = new double[40 * 10];
        Arrays.fill(flat, -20.0);
        final EnvelopeAligner aligner = new EnvelopeAligner(new EnvelopeAlignerContext());
        feed(aligner, sample(0, flat, T0_US, MP3_FRAME_US, 0, random));
        feed(aligner, sample(1, flat, T0_US, AAC_FRAME_US, 0, random));

        aligner.align(1);
        assertThat(aligner.confidence(1)).isZero();
        assertThat(aligner.envelopeSpreadDb(1)).isLessThan(EnvelopeAlignerContext.MIN_ENVELOPE_SPREAD_DB_DEFAULT);
    }

    @Example
    void shouldAlignOneDueEncoderPerCallAndEachNoMoreOftenThanTheInterval()
    {
        final EnvelopeAligner aligner = threeInStepEveryTwoSeconds(new Random(10));

        final long nowNs = T0_US * 1000;
        assertThat(aligner.doWork(nowNs)).isEqualTo(1);
        assertThat(aligner.doWork(nowNs)).isEqualTo(1);
        assertThat(aligner.doWork(nowNs)).isZero();
        assertThat(aligner.doWork(nowNs + SECOND_NS)).isZero();
        assertThat(aligner.doWork(nowNs + 2 * SECOND_NS)).isEqualTo(1);
        assertThat(aligner.doWork(nowNs + 2 * SECOND_NS)).isEqualTo(1);
        assertThat(aligner.doWork(nowNs + 2 * SECOND_NS)).isZero();
        assertThat(aligner.alignments()).isEqualTo(4);
        assertThat(aligner.confidence(1)).isGreaterThan(0.9);
        assertThat(aligner.confidence(2)).isGreaterThan(0.9);
    }

    @Example
    void shouldSkipAnEncoderWhoseAlignmentIsNotWantedUntilItIsWantedAgain()
    {
        final EnvelopeAligner aligner = threeInStepEveryTwoSeconds(new Random(12));
        aligner.alignmentWanted(1, false);

        final long nowNs = T0_US * 1000;
        assertThat(aligner.doWork(nowNs)).isEqualTo(1);
        assertThat(aligner.lastAlignedSlot()).isEqualTo(2);
        assertThat(aligner.doWork(nowNs)).isZero();
        assertThat(aligner.doWork(nowNs + 3 * SECOND_NS)).isEqualTo(1);
        assertThat(aligner.doWork(nowNs + 3 * SECOND_NS)).isZero();
        assertThat(aligner.alignments()).isEqualTo(2);
        assertThat(aligner.confidence(1)).isZero();

        aligner.alignmentWanted(1, true);
        assertThat(aligner.doWork(nowNs + 3 * SECOND_NS)).as("due at once: never aligned").isEqualTo(1);
        assertThat(aligner.lastAlignedSlot()).isEqualTo(1);
        assertThat(aligner.confidence(1)).isGreaterThan(0.9);
    }

    /** An aligner that aligns every 2 s, fed the same program from a reference and two backups in step. */
    private static EnvelopeAligner threeInStepEveryTwoSeconds(final Random random)
    {
        final double[] program = program(random, 20);
        final EnvelopeAligner aligner = new EnvelopeAligner(new EnvelopeAlignerContext()
            .maxEncoders(3).recomputeIntervalNs(2 * SECOND_NS));
        feed(aligner, sample(0, program, T0_US, MP3_FRAME_US, 0, random));
        feed(aligner, sample(1, program, T0_US, AAC_FRAME_US, 0, random));
        feed(aligner, sample(2, program, T0_US, MP3_FRAME_US, 0, random));
        return aligner;
    }

    @Example
    void shouldForgetAnEncoderOnResetAndEveryAlignmentWhenTheReferenceResets()
    {
        final Random random = new Random(11);
        final double[] program = program(random, 20);
        final EnvelopeAligner aligner = new EnvelopeAligner(new EnvelopeAlignerContext().maxEncoders(3));
        feed(aligner, sample(0, program, T0_US, MP3_FRAME_US, 0, random));
        feed(aligner, sample(1, program, T0_US - 500_000, AAC_FRAME_US, 0, random));
        feed(aligner, sample(2, program, T0_US + 300_000, AAC_FRAME_US, 0, random));
        aligner.align(1);
        aligner.align(2);
        assertThat(aligner.confidence(1)).isGreaterThan(0.9);
        assertThat(aligner.confidence(2)).isGreaterThan(0.9);

        aligner.reset(1);
        assertThat(aligner.offsetUs(1)).isZero();
        assertThat(aligner.confidence(1)).isZero();
        assertThat(aligner.align(1)).isFalse();
        assertThat(aligner.confidence(2)).isGreaterThan(0.9);

        aligner.reset(0);
        assertThat(aligner.confidence(2)).isZero();
        assertThat(aligner.align(2)).isFalse();
    }

    @Example
    void shouldAlignWithANewReferenceWithoutForgettingAnyEnvelope()
    {
        final Random random = new Random(14);
        final double[] program = program(random, 20);
        final EnvelopeAligner aligner = new EnvelopeAligner(new EnvelopeAlignerContext().maxEncoders(3));
        feed(aligner, sample(0, program, T0_US, MP3_FRAME_US, 0, random));
        feed(aligner, sample(1, program, T0_US - 500_000, AAC_FRAME_US, 0, random));
        feed(aligner, sample(2, program, T0_US + 300_000, AAC_FRAME_US, 0, random));
        aligner.align(1);
        assertThat(aligner.offsetUs(1)).isCloseTo(500_000, within(20_000L));

        aligner.referenceSlot(2);
        assertThat(aligner.referenceSlot()).isEqualTo(2);
        assertThat(aligner.confidence(1)).isZero();
        assertThat(aligner.align(2)).isFalse();
        final long nowNs = T0_US * 1000;
        assertThat(aligner.doWork(nowNs)).isEqualTo(1);
        assertThat(aligner.doWork(nowNs)).isEqualTo(1);
        assertThat(aligner.doWork(nowNs)).isZero();
        assertThat(aligner.offsetUs(0)).isCloseTo(300_000, within(20_000L));
        assertThat(aligner.offsetUs(1)).isCloseTo(800_000, within(20_000L));
        assertThat(aligner.confidence(0)).isGreaterThan(0.5);
        assertThat(aligner.confidence(1)).isGreaterThan(0.5);
    }

    @Example
    void shouldCallAnEncoderSilentOnlyAfterTheSilenceDuration()
    {
        final EnvelopeAligner aligner = new EnvelopeAligner(new EnvelopeAlignerContext()
            .silenceThresholdDb(-60).silenceDurationUs(5_000_000));
        long timestampUs = T0_US;
        for (int i = 0; i < 200; i++, timestampUs += MP3_FRAME_US)
        {
            aligner.onFrame(1, timestampUs, MP3_FRAME_US, -20.0);
        }
        assertThat(aligner.isSilent(1)).isFalse();
        assertThat(aligner.silentForUs(1)).isZero();

        final long silenceStartUs = timestampUs;
        while (timestampUs + MP3_FRAME_US - silenceStartUs < 5_000_000)
        {
            aligner.onFrame(1, timestampUs, MP3_FRAME_US, -75.0);
            aligner.onFrame(1, timestampUs, MP3_FRAME_US, Double.NaN);
            timestampUs += MP3_FRAME_US;
            assertThat(aligner.isSilent(1)).isFalse();
        }
        aligner.onFrame(1, timestampUs, MP3_FRAME_US, -120.0);
        timestampUs += MP3_FRAME_US;
        assertThat(aligner.isSilent(1)).isTrue();
        assertThat(aligner.silentForUs(1)).isEqualTo(timestampUs - silenceStartUs);
        assertThat(aligner.isSilent(0)).isFalse();

        aligner.onFrame(1, timestampUs, MP3_FRAME_US, -59.0);
        assertThat(aligner.isSilent(1)).isFalse();
        assertThat(aligner.silentForUs(1)).isZero();
    }

    @Example
    void shouldTrackDeadAirOfASingleEncoder()
    {
        final EnvelopeAligner aligner = new EnvelopeAligner(new EnvelopeAlignerContext().maxEncoders(1));
        for (int i = 0; i < 300; i++)
        {
            aligner.onFrame(0, T0_US + (long)i * MP3_FRAME_US, MP3_FRAME_US, FrameLoudness.SILENCE_DB);
            assertThat(aligner.doWork(T0_US * 1000 + i * 26_122_000L)).isZero();
        }
        assertThat(aligner.isSilent(0)).isTrue();
    }

    @Example
    void shouldNotCallAnEncoderWithoutEstimatesSilent()
    {
        final EnvelopeAligner aligner = new EnvelopeAligner(new EnvelopeAlignerContext());
        for (int i = 0; i < 1000; i++)
        {
            aligner.onFrame(1, T0_US + (long)i * MP3_FRAME_US, MP3_FRAME_US, Double.NaN);
        }
        assertThat(aligner.isSilent(1)).isFalse();
        assertThat(aligner.silentForUs(1)).isZero();
    }

    @Example
    void shouldRejectSlotsOutsideTheTableAndIgnoreFramesWithoutDuration()
    {
        final EnvelopeAligner aligner = new EnvelopeAligner(new EnvelopeAlignerContext().maxEncoders(2));
        assertThatThrownBy(() -> aligner.onFrame(2, T0_US, MP3_FRAME_US, -20.0))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("slot=2 outside [0, maxEncoders=2)");
        assertThatThrownBy(() -> aligner.confidence(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(aligner.onFrame(1, T0_US, 0, -20.0)).isFalse();
        assertThat(aligner.onFrame(1, T0_US, MP3_FRAME_US, -20.0)).isTrue();
    }

    @Example
    void shouldNotAllocateAfterConstruction()
    {
        final Random random = new Random(12);
        final double[] program = program(random, 120);
        final EnvelopeAligner aligner = new EnvelopeAligner(new EnvelopeAlignerContext());
        final long[] reference = flatten(sample(0, program, T0_US, MP3_FRAME_US, 0, random));
        final long[] other = flatten(sample(1, program, T0_US - 250_000, AAC_FRAME_US, 0, random));
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();

        play(aligner, reference, other, 0, 60_000_000);
        final long before = threads.getThreadAllocatedBytes(threadId);
        play(aligner, reference, other, 60_000_000, 120_000_000);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertThat(aligner.alignments()).isGreaterThan(100);
        assertThat(aligner.confidence(1)).isGreaterThan(0.9);
        assertThat(allocated).as("bytes allocated over 60 s of two encoders, aligned once a second")
            .isLessThan(16 * 1024);
    }

    @Example
    void shouldCostLessThanAMillisecondPerAlignment()
    {
        final Random random = new Random(13);
        final double[] program = program(random, 40);
        final EnvelopeAligner aligner = new EnvelopeAligner(new EnvelopeAlignerContext());
        feed(aligner, sample(0, program, T0_US, MP3_FRAME_US, 0, random));
        feed(aligner, sample(1, program, T0_US - 700_000, AAC_FRAME_US, 0, random));

        final long[] samplesNs = new long[400];
        for (int i = 0; i < samplesNs.length; i++)
        {
            final long start = System.nanoTime();
            aligner.align(1);
            samplesNs[i] = System.nanoTime() - start;
        }
        Arrays.sort(samplesNs);
        final long medianUs = samplesNs[samplesNs.length / 2] / 1000;
        System.out.printf("%nEnvelopeAligner: one alignment (12 s window, +-2 s, 5 ms grid) takes %d us median, " +
            "%d us at the 90th percentile%n", medianUs, samplesNs[samplesNs.length * 9 / 10] / 1000);
        assertThat(medianUs).isLessThan(1_000);
    }

    /**
     * A program's loudness every 100 ms: phrases at a random level with syllable-like dips, sometimes a pause.
     */
    static double[] program(final Random random, final int seconds)
    {
        final double[] level = new double[seconds * 10];
        double phrase = -20;
        for (int i = 0; i < level.length; i++)
        {
            if (random.nextInt(20) == 0)
            {
                phrase = -35 + 25 * random.nextDouble();
            }
            level[i] = random.nextInt(15) == 0 ? -90 : phrase - 20 * random.nextDouble();
        }
        return level;
    }

    /**
     * Frames of {@code frameUs} whose grid starts {@code phaseUs} into the program, program time t stamped
     * {@code startUs + t}; each with 2 dB of estimation noise, one in a hundred missing and one in a hundred
     * without an estimate.
     *
     * @return {@code {slot, timestampUs, durationUs, loudness bits}} per frame.
     */
    static List<long[]> sample(
        final int slot, final double[] program, final long startUs, final int frameUs, final int phaseUs,
        final Random random)
    {
        final List<long[]> frames = new ArrayList<>();
        for (long t = phaseUs; t + frameUs <= program.length * 100_000L; t += frameUs)
        {
            if (random.nextInt(100) == 0)
            {
                continue;
            }
            final double loudness = random.nextInt(100) == 0 ?
                Double.NaN : program[(int)((t + frameUs / 2) / 100_000)] + 2 * random.nextGaussian();
            frames.add(new long[] {slot, startUs + t, frameUs, Double.doubleToRawLongBits(loudness)});
        }
        return frames;
    }

    /**
     * Orders frames as paths with up to 500 ms of jitter deliver them.
     */
    private static void arriveOutOfOrder(final List<long[]> frames, final Random random)
    {
        final Map<long[], Long> arrivalUs = new IdentityHashMap<>();
        for (final long[] frame : frames)
        {
            arrivalUs.put(frame, frame[1] + random.nextInt(500_000));
        }
        frames.sort(Comparator.comparingLong(arrivalUs::get));
    }

    private static void feed(final EnvelopeAligner aligner, final List<long[]> frames)
    {
        for (final long[] frame : frames)
        {
            aligner.onFrame((int)frame[0], frame[1], (int)frame[2], Double.longBitsToDouble(frame[3]));
        }
    }

    private static long[] flatten(final List<long[]> frames)
    {
        final long[] flat = new long[frames.size() * 4];
        for (int i = 0; i < frames.size(); i++)
        {
            System.arraycopy(frames.get(i), 0, flat, i * 4, 4);
        }
        return flat;
    }

    /**
     * Feeds both encoders' frames stamped in {@code [fromUs, toUs)} after T0 in arrival order (by timestamp) and
     * calls doWork at each, with the clock at the frame's timestamp.
     */
    private static void play(
        final EnvelopeAligner aligner, final long[] reference, final long[] other, final long fromUs, final long toUs)
    {
        int r = 0;
        int o = 0;
        while (r < reference.length || o < other.length)
        {
            final boolean takeReference = o >= other.length ||
                (r < reference.length && reference[r + 1] <= other[o + 1]);
            final long[] frames = takeReference ? reference : other;
            final int i = takeReference ? r : o;
            final long relativeUs = frames[i + 1] - T0_US;
            if (relativeUs >= fromUs && relativeUs < toUs)
            {
                aligner.onFrame((int)frames[i], frames[i + 1], (int)frames[i + 2], Double.longBitsToDouble(frames[i + 3]));
                aligner.doWork(frames[i + 1] * 1000);
            }
            if (takeReference)
            {
                r += 4;
            }
            else
            {
                o += 4;
            }
        }
    }
}
