package org.seamcast.edge.engine;

import java.util.Arrays;

/**
 * Aligns encoders of one mount that carry the same studio audio but share no bytes (other models or settings, MP3
 * and AAC) by cross-correlating their loudness envelopes, and tells which encoders have been silent for a while
 * (dead air). The envelope is one loudness estimate per frame, read from the bitstream without decoding
 * ({@code org.seamcast.codec.audio.FrameLoudness}).
 * <p>
 * Every stored frame of every encoder goes to {@link #onFrame}. {@link #doWork(long)} aligns at most one encoder
 * per call, each no more often than {@link EnvelopeAlignerContext#recomputeIntervalNs()}: the reference's last
 * {@link EnvelopeAlignerContext#windowUs()} of envelope is resampled onto a grid of
 * {@link EnvelopeAlignerContext#gridStepUs()} and correlated (Pearson, on dB) with the other encoder's at every
 * offset in {@code ±maxLagUs}, first on a coarse grid of {@link #COARSE_CELLS} steps, then on the fine grid around
 * the best coarse offset, refined between cells by a parabola through the peak.
 * <pre>
 *  offsetUs   = T_reference - T_other for the same audio: added to the other encoder's timestamps (the engine's
 *               convention for encoder offsets)
 *  confidence = ramp(r_best - max(0, r_rival), from 0.1 to 0.25)
 *             * ramp(spread, from minEnvelopeSpreadDb to 2 * minEnvelopeSpreadDb)
 *     r_best    the coarse correlation at the best offset
 *     r_rival   the best coarse correlation further than peakExclusionUs from it (a periodic or flat envelope has
 *               rivals as good as the peak)
 *     spread    the smaller of the two envelopes' spreads: 90th minus 10th percentile of the envelope smoothed over
 *               100 ms (steady noise, a steady tone and silence have none)
 *  A best offset at the edge of the search range, or too little overlap, gives confidence 0.
 * </pre>
 * One slot is the reference, 0 unless {@link #referenceSlot(int)} names another: the engine can keep its own slot
 * numbers and move the reference when the highest-priority encoder changes, keeping every envelope. It calls
 * {@link #reset(int)} when a slot is given to another encoder or its encoder restarts; resetting the reference
 * drops every alignment.
 * <p>
 * Threading: single-threaded, on the engine's thread and clock; reads no clock. Allocates only in its constructor.
 */
final class EnvelopeAligner
{
    /** Fine cells per coarse cell. */
    public static final int COARSE_CELLS = 4;

    private static final double MARGIN_LOW = 0.1;
    private static final double MARGIN_FULL = 0.25;
    private static final int FINE_SEARCH_COARSE_CELLS = 2;
    private static final double MIN_VARIANCE_DB2 = 1e-6;
    private static final long NEVER = Long.MIN_VALUE;

    /** Per encoder slot; {@link #noHistory}, empty and never written, until the slot's first frame. */
    private final EnvelopeHistory[] histories;
    private final EnvelopeHistory noHistory;
    private final int historyFrames;
    private final double silenceThresholdDb;
    private final EnvelopeGrid referenceGrid;
    private final EnvelopeGrid otherGrid;
    private final long windowUs;
    private final long maxLagUs;
    private final int stepUs;
    private final int coarseLagCells;
    private final int fineLagCells;
    private final int minOverlapCoarseCells;
    private final int exclusionCoarseCells;
    private final double minSpreadDb;
    private final long recomputeIntervalNs;
    private final long silenceDurationUs;
    private final long[] offsetUs;
    private final double[] confidence;
    private final double[] correlation;
    private final double[] rivalCorrelation;
    private final double[] spreadDb;
    private final long[] lastAlignedNs;
    private final boolean[] unwanted;
    private final double[] coarseCorrelations;
    private final double[] fineCorrelations = new double[2 * FINE_SEARCH_COARSE_CELLS * COARSE_CELLS + 3];
    private int referenceSlot;
    private int lastAlignedSlot = -1;
    private int nextSlot;
    private long alignments;

    /**
     * @param context tunables; concluded here.
     */
    public EnvelopeAligner(final EnvelopeAlignerContext context)
    {
        context.conclude();
        windowUs = context.windowUs();
        maxLagUs = context.maxLagUs();
        stepUs = context.gridStepUs();
        final int coarseStepUs = stepUs * COARSE_CELLS;
        coarseLagCells = (int)(maxLagUs / coarseStepUs);
        fineLagCells = coarseLagCells * COARSE_CELLS;
        minOverlapCoarseCells = (int)(context.minOverlapUs() / coarseStepUs);
        exclusionCoarseCells = (int)(context.peakExclusionUs() / coarseStepUs);
        minSpreadDb = context.minEnvelopeSpreadDb();
        recomputeIntervalNs = context.recomputeIntervalNs();
        silenceDurationUs = context.silenceDurationUs();

        final int encoders = context.maxEncoders();
        historyFrames = context.framesPerEncoder();
        silenceThresholdDb = context.silenceThresholdDb();
        noHistory = new EnvelopeHistory(1, silenceThresholdDb);
        histories = new EnvelopeHistory[encoders];
        Arrays.fill(histories, noHistory);
        final int windowCoarseCells = (int)(windowUs / coarseStepUs);
        final AlignmentScratch scratch = null == context.scratch() ? new AlignmentScratch(context) : context.scratch();
        if (!scratch.fits(windowCoarseCells, coarseLagCells))
        {
            throw new IllegalArgumentException("the shared AlignmentScratch was made for another window or lag than"
                + " windowUs=" + windowUs + " maxLagUs=" + maxLagUs + " gridStepUs=" + stepUs);
        }
        referenceGrid = scratch.reference;
        otherGrid = scratch.other;
        coarseCorrelations = scratch.coarseCorrelations;
        offsetUs = new long[encoders];
        confidence = new double[encoders];
        correlation = new double[encoders];
        rivalCorrelation = new double[encoders];
        spreadDb = new double[encoders];
        lastAlignedNs = new long[encoders];
        Arrays.fill(lastAlignedNs, NEVER);
        unwanted = new boolean[encoders];
    }

    /**
     * Says whether an encoder's alignment is wanted: not for one whose offset is set by the operator or learned from
     * shared bytes, where the result would be thrown away (a correlation a second for each such encoder was 5 % of an
     * edge's CPU at 250 mounts of byte-identical encoders). Its envelope and silence are kept either way, and an
     * encoder wanted again is aligned at its next turn.
     *
     * @param slot   encoder slot.
     * @param wanted false to skip it in {@link #doWork}; true by default.
     */
    public void alignmentWanted(final int slot, final boolean wanted)
    {
        checkSlot(slot);
        unwanted[slot] = !wanted;
    }

    /**
     * Adds a stored frame to its encoder's envelope.
     *
     * @param slot        encoder slot, 0 for the reference.
     * @param timestampUs when the audio the estimate describes plays: the frame's timestamp as its ingest stamped it
     *                    (no encoder offset added) plus {@code FrameLoudness.estimateLagUs} of the frame.
     * @param durationUs  the frame's duration; frames of 0 or less are ignored.
     * @param loudnessDb  the frame's loudness estimate, or NaN when the frame gave none.
     * @return false when ignored.
     * @throws IllegalArgumentException when the slot is outside {@code [0, maxEncoders)}.
     */
    public boolean onFrame(final int slot, final long timestampUs, final int durationUs, final double loudnessDb)
    {
        checkSlot(slot);
        if (durationUs <= 0)
        {
            return false;
        }
        EnvelopeHistory history = histories[slot];
        if (history == noHistory)
        {
            // a slot's history is allocated when its encoder first sends a frame, not for every slot up front
            history = new EnvelopeHistory(historyFrames, silenceThresholdDb);
            histories[slot] = history;
        }
        history.add(timestampUs, durationUs, loudnessDb);
        return true;
    }

    /**
     * Aligns the next encoder that is due, if any.
     *
     * @param nowNs the engine's clock.
     * @return 1 when an encoder was aligned (successfully or not), else 0.
     */
    public int doWork(final long nowNs)
    {
        for (int i = 0; i < histories.length; i++)
        {
            final int slot = nextSlot;
            nextSlot = nextSlot + 1 < histories.length ? nextSlot + 1 : 0;
            if (slot != referenceSlot && !unwanted[slot] && histories[slot].size() > 0 &&
                (lastAlignedNs[slot] == NEVER || nowNs - lastAlignedNs[slot] >= recomputeIntervalNs))
            {
                lastAlignedNs[slot] = nowNs;
                lastAlignedSlot = slot;
                align(slot);
                return 1;
            }
        }
        return 0;
    }

    /**
     * Forgets an encoder's envelope, silence and alignment; for the reference, every encoder's alignment.
     *
     * @param slot encoder slot.
     */
    public void reset(final int slot)
    {
        checkSlot(slot);
        histories[slot].reset();
        if (slot == referenceSlot)
        {
            clearAlignments();
        }
        else
        {
            clearAlignment(slot);
        }
    }

    /**
     * Makes another slot the reference: envelopes are kept, every alignment is dropped and computed again against
     * the new reference as encoders fall due.
     *
     * @param slot encoder slot of the new reference.
     */
    public void referenceSlot(final int slot)
    {
        checkSlot(slot);
        if (slot != referenceSlot)
        {
            referenceSlot = slot;
            clearAlignments();
        }
    }

    /** @return the slot the other encoders are aligned with. */
    public int referenceSlot()
    {
        return referenceSlot;
    }

    /**
     * @param slot encoder slot.
     * @return offset to add to the encoder's timestamps to align it with the reference, from the last alignment
     * that found one; 0 before that and for the reference.
     */
    public long offsetUs(final int slot)
    {
        checkSlot(slot);
        return offsetUs[slot];
    }

    /**
     * @param slot encoder slot.
     * @return confidence in [0, 1] of {@link #offsetUs(int)} at the last alignment; 0 when it found nothing.
     */
    public double confidence(final int slot)
    {
        checkSlot(slot);
        return confidence[slot];
    }

    /**
     * @param slot encoder slot.
     * @return Pearson correlation of the envelopes at the best coarse offset of the last alignment, for diagnosis.
     */
    public double correlation(final int slot)
    {
        checkSlot(slot);
        return correlation[slot];
    }

    /**
     * @param slot encoder slot.
     * @return the best correlation further than the peak exclusion from the best offset at the last alignment (at
     * least 0), for diagnosis: close to {@link #correlation(int)} when the envelope repeats or has no features.
     */
    public double rivalCorrelation(final int slot)
    {
        checkSlot(slot);
        return rivalCorrelation[slot];
    }

    /**
     * @param slot encoder slot.
     * @return the smaller of the two envelopes' spreads at the last alignment, dB.
     */
    public double envelopeSpreadDb(final int slot)
    {
        checkSlot(slot);
        return spreadDb[slot];
    }

    /**
     * @param slot encoder slot.
     * @return true when the encoder's last {@link EnvelopeAlignerContext#silenceDurationUs()} or more of media time
     * had no estimated frame at or above {@link EnvelopeAlignerContext#silenceThresholdDb()}: dead air.
     */
    public boolean isSilent(final int slot)
    {
        checkSlot(slot);
        return histories[slot].silentForUs() >= silenceDurationUs;
    }

    /**
     * @param slot encoder slot.
     * @return media time since the encoder's last frame at or above the threshold (or its first estimated frame).
     */
    public long silentForUs(final int slot)
    {
        checkSlot(slot);
        return histories[slot].silentForUs();
    }

    /** @return alignments computed, successful or not. */
    /** @return the slot the last {@link #doWork} that did work aligned, or -1 before the first. */
    public int lastAlignedSlot()
    {
        return lastAlignedSlot;
    }

    public long alignments()
    {
        return alignments;
    }

    /** @return slots holding an envelope history: those whose encoder has sent a frame. */
    int historiesHeld()
    {
        int held = 0;
        for (final EnvelopeHistory history : histories)
        {
            held += history == noHistory ? 0 : 1;
        }
        return held;
    }

    /** @return encoder slots. */
    public int maxEncoders()
    {
        return histories.length;
    }

    /**
     * Aligns one encoder with the reference now.
     *
     * @return true when an offset was found (its confidence may still be 0).
     */
    boolean align(final int slot)
    {
        alignments++;
        confidence[slot] = 0.0;
        if (slot == referenceSlot)
        {
            return false;
        }
        final EnvelopeHistory reference = histories[referenceSlot];
        final long latestUs = reference.latestEndUs();
        if (latestUs == EnvelopeHistory.NONE || histories[slot].size() == 0)
        {
            return false;
        }
        final long coarseStepUs = (long)stepUs * COARSE_CELLS;
        final long startUs = Math.floorDiv(latestUs, coarseStepUs) * coarseStepUs - windowUs;
        if (!referenceGrid.resample(reference, startUs, stepUs) ||
            !otherGrid.resample(histories[slot], startUs - maxLagUs, stepUs))
        {
            return false;
        }

        int bestLag = Integer.MIN_VALUE;
        double best = Double.NEGATIVE_INFINITY;
        for (int lag = -coarseLagCells; lag <= coarseLagCells; lag++)
        {
            final double r = correlate(referenceGrid, otherGrid, false, lag, coarseLagCells, minOverlapCoarseCells);
            coarseCorrelations[lag + coarseLagCells] = r;
            if (r > best)
            {
                best = r;
                bestLag = lag;
            }
        }
        if (bestLag == Integer.MIN_VALUE)
        {
            return false;
        }
        double rival = 0.0;
        for (int lag = -coarseLagCells; lag <= coarseLagCells; lag++)
        {
            if (Math.abs(lag - bestLag) > exclusionCoarseCells)
            {
                final double r = coarseCorrelations[lag + coarseLagCells];
                rival = r > rival ? r : rival;
            }
        }

        final int centre = bestLag * COARSE_CELLS;
        final int from = Math.max(-fineLagCells, centre - FINE_SEARCH_COARSE_CELLS * COARSE_CELLS);
        final int to = Math.min(fineLagCells, centre + FINE_SEARCH_COARSE_CELLS * COARSE_CELLS);
        final int minOverlapFineCells = minOverlapCoarseCells * COARSE_CELLS;
        int bestFineLag = centre;
        double bestFine = Double.NEGATIVE_INFINITY;
        for (int lag = from - 1; lag <= to + 1; lag++)
        {
            final double r = Math.abs(lag) > fineLagCells ? Double.NaN :
                correlate(referenceGrid, otherGrid, true, lag, fineLagCells, minOverlapFineCells);
            fineCorrelations[lag - from + 1] = r;
            if (lag >= from && lag <= to && r > bestFine)
            {
                bestFine = r;
                bestFineLag = lag;
            }
        }
        final double before = fineCorrelations[bestFineLag - from];
        final double after = fineCorrelations[bestFineLag - from + 2];
        final double curvature = before - 2 * bestFine + after;
        final double fraction = curvature < 0 ? Math.max(-0.5, Math.min(0.5, 0.5 * (before - after) / curvature)) : 0.0;

        final double spread = Math.min(
            referenceGrid.spreadDb(referenceGrid.coarseFrom, referenceGrid.coarseTo),
            otherGrid.spreadDb(otherGrid.coarseFrom, otherGrid.coarseTo));
        final boolean atEdge = Math.abs(bestLag) == coarseLagCells;

        offsetUs[slot] = Math.round((bestFineLag + fraction) * stepUs);
        correlation[slot] = best;
        rivalCorrelation[slot] = rival;
        spreadDb[slot] = spread;
        confidence[slot] = atEdge ? 0.0 :
            ramp(best - rival, MARGIN_LOW, MARGIN_FULL) * ramp(spread, minSpreadDb, 2 * minSpreadDb);
        return true;
    }

    /**
     * Pearson correlation of the reference grid with the other grid shifted by {@code lag} cells: reference cell
     * {@code i} against other cell {@code i - lag + lagCells} (the other grid starts {@code lagCells} earlier).
     * The coarse grids use their prefix sums; the fine grids, correlated at a few offsets only, sum as they go.
     *
     * @return the correlation, 0 when either side is flat, NaN when they overlap by fewer than {@code minOverlap}.
     */
    static double correlate(
        final EnvelopeGrid reference,
        final EnvelopeGrid other,
        final boolean fine,
        final int lag,
        final int lagCells,
        final int minOverlap)
    {
        final float[] x = fine ? reference.fine : reference.coarse;
        final float[] y = fine ? other.fine : other.coarse;
        final int shift = lagCells - lag;
        final int from = Math.max(fine ? reference.fineFrom : reference.coarseFrom,
            (fine ? other.fineFrom : other.coarseFrom) - shift);
        final int to = Math.min(fine ? reference.fineTo : reference.coarseTo,
            (fine ? other.fineTo : other.coarseTo) - shift);
        final int n = to - from;
        if (n < minOverlap || n <= 1)
        {
            return Double.NaN;
        }

        double products = 0.0;
        double sx;
        double sy;
        double sxx;
        double syy;
        if (fine)
        {
            sx = 0.0;
            sy = 0.0;
            sxx = 0.0;
            syy = 0.0;
            for (int i = from; i < to; i++)
            {
                final double xi = x[i];
                final double yi = y[i + shift];
                products += xi * yi;
                sx += xi;
                sy += yi;
                sxx += xi * xi;
                syy += yi * yi;
            }
        }
        else
        {
            for (int i = from; i < to; i++)
            {
                products += x[i] * y[i + shift];
            }
            sx = reference.coarseSum[to] - reference.coarseSum[from];
            sy = other.coarseSum[to + shift] - other.coarseSum[from + shift];
            sxx = reference.coarseSumOfSquares[to] - reference.coarseSumOfSquares[from];
            syy = other.coarseSumOfSquares[to + shift] - other.coarseSumOfSquares[from + shift];
        }
        final double varianceX = sxx - sx * sx / n;
        final double varianceY = syy - sy * sy / n;
        if (varianceX <= MIN_VARIANCE_DB2 * n || varianceY <= MIN_VARIANCE_DB2 * n)
        {
            return 0.0;
        }
        return (products - sx * sy / n) / Math.sqrt(varianceX * varianceY);
    }

    private void clearAlignments()
    {
        for (int slot = 0; slot < histories.length; slot++)
        {
            clearAlignment(slot);
        }
    }

    private void clearAlignment(final int slot)
    {
        offsetUs[slot] = 0;
        confidence[slot] = 0.0;
        correlation[slot] = 0.0;
        rivalCorrelation[slot] = 0.0;
        spreadDb[slot] = 0.0;
        lastAlignedNs[slot] = NEVER;
    }

    private static double ramp(final double value, final double zeroAt, final double oneAt)
    {
        if (oneAt <= zeroAt)
        {
            return value >= oneAt ? 1.0 : 0.0;
        }
        return Math.max(0.0, Math.min(1.0, (value - zeroAt) / (oneAt - zeroAt)));
    }

    private void checkSlot(final int slot)
    {
        if (slot < 0 || slot >= histories.length)
        {
            throw new IllegalArgumentException("slot=" + slot + " outside [0, maxEncoders=" + histories.length + ")");
        }
    }
}
