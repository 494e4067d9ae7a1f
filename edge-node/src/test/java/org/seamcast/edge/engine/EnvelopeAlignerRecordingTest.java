package org.seamcast.edge.engine;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.seamcast.edge.engine.EnvelopeRecordings.Encoding;
import org.seamcast.edge.engine.EnvelopeRecordings.Source;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Aligns real encodings of one program (different LAME settings, AAC bitrates and rates), shifted by cutting whole
 * frames off one of them and stamping it with an arbitrary offset, and checks unrelated and steady audio are not
 * trusted. The encodings are made once per JVM ({@link EnvelopeRecordings}).
 */
class EnvelopeAlignerRecordingTest
{
    static final long T0_US = 1_750_000_000_000_000L;
    private static final double HIGH_CONFIDENCE = 0.5;
    private static final double LOW_CONFIDENCE = 0.2;

    @Property(tries = 120)
    void shouldFindTheOffsetBetweenEncodingsOfOneProgramWithinOneFrame(
        @ForAll("programs") final Source program,
        @ForAll("references") final Encoding referenceEncoding,
        @ForAll final Encoding otherEncoding,
        @ForAll @IntRange(min = -1_000_000, max = 1_000_000) final int shiftUs,
        @ForAll @IntRange(max = 38) final int cutFrames,
        @ForAll final boolean cutTheReference)
    {
        final LoudnessEnvelope reference = EnvelopeRecordings.get(program, referenceEncoding);
        final LoudnessEnvelope other = EnvelopeRecordings.get(program, otherEncoding);
        final Outcome outcome = align(reference, other, shiftUs, cutTheReference ? cutFrames : 0,
            cutTheReference ? 0 : cutFrames);

        assertThat(Math.abs(outcome.errorUs()))
            .as("%s against %s shifted %d us: found %d us", reference.name(), other.name(), shiftUs, outcome.foundUs())
            .isLessThanOrEqualTo(Math.min(reference.frameUs(), other.frameUs()));
        assertThat(outcome.confidence()).as("%s against %s", reference.name(), other.name())
            .isGreaterThanOrEqualTo(HIGH_CONFIDENCE);
    }

    @Example
    void shouldTrustUnrelatedProgramsLittle()
    {
        final List<Outcome> outcomes = new ArrayList<>();
        for (final Source[] pair : new Source[][] {
            {Source.SPEECH, Source.MUSIC}, {Source.MUSIC, Source.OTHER_MUSIC},
            {Source.NOISE_BURSTS, Source.SPEECH}, {Source.MUSIC, Source.NOISE_BURSTS}})
        {
            for (final Encoding encoding : new Encoding[] {Encoding.LAME_VBR_V4, Encoding.AAC_64K})
            {
                outcomes.add(align(EnvelopeRecordings.get(pair[0], Encoding.LAME_CBR_128K),
                    EnvelopeRecordings.get(pair[1], encoding), 250_000, 0, 3));
            }
        }
        print("unrelated programs", outcomes);
        assertThat(outcomes).allSatisfy(outcome ->
            assertThat(outcome.confidence()).as(outcome.toString()).isLessThanOrEqualTo(LOW_CONFIDENCE));
    }

    @Example
    void shouldTrustSteadyAudioLittle()
    {
        final List<Outcome> outcomes = new ArrayList<>();
        for (final Source steady : new Source[] {Source.STEADY_NOISE, Source.STEADY_TONE, Source.SILENCE})
        {
            for (final Encoding encoding : new Encoding[] {Encoding.LAME_VBR_V4, Encoding.LAME_MPEG2_22K_MONO_32K,
                Encoding.AAC_64K, Encoding.AAC_128K_48K})
            {
                outcomes.add(align(EnvelopeRecordings.get(steady, Encoding.LAME_CBR_128K),
                    EnvelopeRecordings.get(steady, encoding), -400_000, 5, 0));
            }
        }
        print("steady audio", outcomes);
        assertThat(outcomes).allSatisfy(outcome ->
            assertThat(outcome.confidence()).as(outcome.toString()).isLessThanOrEqualTo(LOW_CONFIDENCE));
    }

    @Example
    void shouldReportTheAccuracyOfEveryPairing()
    {
        final List<Outcome> outcomes = new ArrayList<>();
        for (final Source program : new Source[] {Source.SPEECH, Source.MUSIC, Source.NOISE_BURSTS})
        {
            for (final Encoding reference : new Encoding[] {Encoding.LAME_CBR_128K, Encoding.AAC_128K_48K})
            {
                for (final Encoding other : Encoding.values())
                {
                    for (final int shiftUs : new int[] {-987_654, -123_456, 0, 345_678, 1_000_000})
                    {
                        outcomes.add(align(EnvelopeRecordings.get(program, reference),
                            EnvelopeRecordings.get(program, other), shiftUs, 0, 7));
                    }
                }
            }
        }
        print("same program", outcomes);
        assertThat(outcomes).allSatisfy(outcome ->
        {
            assertThat(Math.abs(outcome.errorUs())).as(outcome.toString()).isLessThanOrEqualTo(outcome.frameUs());
            assertThat(outcome.confidence()).as(outcome.toString()).isGreaterThanOrEqualTo(HIGH_CONFIDENCE);
        });
    }

    /**
     * Feeds both envelopes to a fresh aligner, the reference in slot 0, and aligns slot 1 once.
     *
     * @param shiftUs the offset the aligner should find, before the encodings' own delay difference.
     */
    static Outcome align(
        final LoudnessEnvelope reference,
        final LoudnessEnvelope other,
        final long shiftUs,
        final int referenceCut,
        final int otherCut)
    {
        final long otherBaseUs = T0_US - shiftUs - reference.startUs()[referenceCut] + other.startUs()[otherCut];
        final long expectedUs = shiftUs + reference.codecDelayUs() - other.codecDelayUs();
        final EnvelopeAligner aligner = new EnvelopeAligner(new EnvelopeAlignerContext());
        feed(aligner, 0, reference, referenceCut, T0_US);
        feed(aligner, 1, other, otherCut, otherBaseUs);
        aligner.align(1);
        return new Outcome(reference.name(), other.name(), expectedUs, aligner.offsetUs(1), aligner.confidence(1),
            aligner.correlation(1), aligner.rivalCorrelation(1), aligner.envelopeSpreadDb(1),
            Math.min(reference.frameUs(), other.frameUs()));
    }

    static void feed(
        final EnvelopeAligner aligner, final int slot, final LoudnessEnvelope envelope, final int cut, final long baseUs)
    {
        for (int k = cut; k < envelope.frames(); k++)
        {
            aligner.onFrame(slot, baseUs + envelope.startUs()[k] - envelope.startUs()[cut] + envelope.estimateLagUs()[k],
                envelope.durationUs()[k], envelope.loudnessDb()[k]);
        }
    }

    private static void print(final String title, final List<Outcome> outcomes)
    {
        final StringBuilder text = new StringBuilder("\nEnvelopeAligner on " + title + "\n");
        for (final Outcome outcome : outcomes)
        {
            text.append(outcome).append('\n');
        }
        System.out.println(text);
    }

    @Provide
    Arbitrary<Source> programs()
    {
        return Arbitraries.of(Source.SPEECH, Source.MUSIC, Source.NOISE_BURSTS);
    }

    @Provide
    Arbitrary<Encoding> references()
    {
        return Arbitraries.of(Encoding.LAME_CBR_128K, Encoding.AAC_128K_48K);
    }

    record Outcome(String reference, String other, long expectedUs, long foundUs, double confidence,
        double correlation, double rival, double spreadDb, int frameUs)
    {
        long errorUs()
        {
            return foundUs - expectedUs;
        }

        @Override
        public String toString()
        {
            return String.format(Locale.ROOT,
                "%-30s vs %-34s expected %+9d found %+9d error %+7d us  " +
                    "confidence %.2f  r %.2f  rival %.2f  spread %4.1f dB",
                reference, other, expectedUs, foundUs, errorUs(), confidence, correlation, rival, spreadDb);
        }
    }
}
