package org.seamcast.edge.engine;

import org.junit.jupiter.api.Test;
import org.seamcast.edge.engine.EnvelopeRecordings.Encoding;
import org.seamcast.edge.engine.EnvelopeRecordings.Source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The aligner as the engine runs it: real encodings' frames arrive in stamp order, {@link EnvelopeAligner#doWork}
 * runs at every arrival on the engine's clock, and the results are read as they change.
 */
class EnvelopeAlignerLiveTest
{
    private static final long T0_US = EnvelopeAlignerRecordingTest.T0_US;
    private static final long SILENCE_DURATION_US = EnvelopeAlignerContext.SILENCE_DURATION_US_DEFAULT;

    @Test
    void shouldSettleOnTheOffsetOfABackupRunningBehindAndKeepIt()
    {
        final LoudnessEnvelope reference = EnvelopeRecordings.get(Source.SPEECH, Encoding.LAME_CBR_128K);
        final LoudnessEnvelope backup = EnvelopeRecordings.get(Source.SPEECH, Encoding.AAC_64K);
        final long behindUs = 700_000;
        final long expectedUs = -behindUs + reference.codecDelayUs() - backup.codecDelayUs();
        final int frameUs = Math.min(reference.frameUs(), backup.frameUs());
        final EnvelopeAligner aligner = new EnvelopeAligner(new EnvelopeAlignerContext());

        long firstConfidentUs = Long.MAX_VALUE;
        int confidentResults = 0;
        long lastAlignments = 0;
        for (final Arrival arrival : arrivals(reference, T0_US, backup, T0_US + behindUs))
        {
            aligner.onFrame(arrival.slot, arrival.timestampUs + arrival.lagUs, arrival.durationUs, arrival.loudnessDb);
            aligner.doWork(arrival.timestampUs * 1000);
            if (aligner.alignments() != lastAlignments)
            {
                lastAlignments = aligner.alignments();
                if (aligner.confidence(1) >= 0.5)
                {
                    firstConfidentUs = Math.min(firstConfidentUs, arrival.timestampUs - T0_US);
                    confidentResults++;
                    assertThat(Math.abs(aligner.offsetUs(1) - expectedUs)).as("at %d us", arrival.timestampUs - T0_US)
                        .isLessThanOrEqualTo(frameUs);
                }
            }
        }

        final long playedS = (reference.startUs()[reference.frames() - 1] + behindUs) / 1_000_000;
        System.out.printf("%nEnvelopeAligner live: first confident alignment %.1f s after the start, %d of %d " +
            "alignments confident, final offset %d us (expected %d us)%n", firstConfidentUs / 1e6, confidentResults,
            aligner.alignments(), aligner.offsetUs(1), expectedUs);
        assertThat(firstConfidentUs).as("first confident alignment").isLessThan(10_000_000L);
        assertThat(confidentResults).isGreaterThan((int)playedS - 12);
        assertThat(aligner.alignments()).as("alignments over %d s, one a second at most", playedS)
            .isLessThanOrEqualTo(playedS + 2);
    }

    @Test
    void shouldCallAnEncoderSilentOnceItsStudioFeedIsGoneForTheSilenceDuration()
    {
        final LoudnessEnvelope reference = EnvelopeRecordings.get(Source.MUSIC, Encoding.LAME_CBR_128K);
        final LoudnessEnvelope program = EnvelopeRecordings.get(Source.MUSIC, Encoding.AAC_64K);
        final LoudnessEnvelope silence = EnvelopeRecordings.get(Source.SILENCE, Encoding.AAC_64K);
        final long deadAtUs = 12_000_000;
        final EnvelopeAligner aligner = new EnvelopeAligner(new EnvelopeAlignerContext());

        long silentFromUs = Long.MAX_VALUE;
        for (final Arrival arrival : arrivals(reference, T0_US, program, T0_US))
        {
            final long relativeUs = arrival.timestampUs - T0_US;
            final boolean feedGone = arrival.slot == 1 && relativeUs >= deadAtUs;
            final double loudness = feedGone ? silence.loudnessDb()[arrival.index] : arrival.loudnessDb;
            aligner.onFrame(arrival.slot, arrival.timestampUs, arrival.durationUs, loudness);
            assertThat(aligner.isSilent(0)).isFalse();
            if (aligner.isSilent(1))
            {
                silentFromUs = Math.min(silentFromUs, arrival.timestampUs + arrival.durationUs - T0_US);
            }
        }

        assertThat(silentFromUs - deadAtUs).as("dead air reported after")
            .isBetween(SILENCE_DURATION_US, SILENCE_DURATION_US + 100_000);
    }

    @Test
    void shouldCallDigitalSilenceSilentAndNoProgramSilentInAnyEncoding()
    {
        for (final Encoding encoding : Encoding.values())
        {
            assertThat(longestSilenceUs(EnvelopeRecordings.get(Source.SILENCE, encoding))).as(encoding.toString())
                .isGreaterThan(20_000_000L);
            for (final Source program : new Source[] {Source.SPEECH, Source.MUSIC, Source.NOISE_BURSTS})
            {
                assertThat(longestSilenceUs(EnvelopeRecordings.get(program, encoding)))
                    .as(program + " " + encoding).isLessThan(SILENCE_DURATION_US);
            }
        }
    }

    private static long longestSilenceUs(final LoudnessEnvelope envelope)
    {
        final EnvelopeAligner aligner = new EnvelopeAligner(new EnvelopeAlignerContext());
        long longestUs = 0;
        for (int k = 0; k < envelope.frames(); k++)
        {
            aligner.onFrame(0, T0_US + envelope.startUs()[k], envelope.durationUs()[k], envelope.loudnessDb()[k]);
            longestUs = Math.max(longestUs, aligner.silentForUs(0));
        }
        return longestUs;
    }

    private record Arrival(int slot, int index, long timestampUs, long lagUs, int durationUs, double loudnessDb)
    {
    }

    /**
     * Both encoders' frames stamped from their start times, in stamp order: the order a live edge sees them.
     */
    private static List<Arrival> arrivals(
        final LoudnessEnvelope reference, final long referenceStartUs, final LoudnessEnvelope other,
        final long otherStartUs)
    {
        final List<Arrival> arrivals = new ArrayList<>();
        for (int k = 0; k < reference.frames(); k++)
        {
            arrivals.add(new Arrival(0, k, referenceStartUs + reference.startUs()[k], reference.estimateLagUs()[k],
                reference.durationUs()[k], reference.loudnessDb()[k]));
        }
        for (int k = 0; k < other.frames(); k++)
        {
            arrivals.add(new Arrival(1, k, otherStartUs + other.startUs()[k], other.estimateLagUs()[k],
                other.durationUs()[k], other.loudnessDb()[k]));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::timestampUs));
        return arrivals;
    }
}
