package org.seamcast.edge.engine;

import java.util.Arrays;

/**
 * An encoder's envelope resampled onto a regular grid of media time, at two resolutions (fine, and coarse cells of
 * {@link EnvelopeAligner#COARSE_CELLS} fine ones), with prefix sums of the coarse cells so that the mean and variance
 * of any run of them cost two subtractions (the coarse grid is correlated at every offset, the fine one at a few).
 * Each fine cell takes the loudness of the frame covering its centre; cells no frame covers between two that are
 * covered hold the value before them; the valid cells are one run, {@code [from, to)}. Values are floored at
 * {@link #FLOOR_DB}. Scratch space reused by every alignment: allocates only in its constructor. Single-threaded.
 */
final class EnvelopeGrid
{
    /**
     * Floor of envelope values: digital silence (-120 dB) counts as this, so that silence in both envelopes
     * correlates without outweighing the program's own dynamics.
     */
    static final float FLOOR_DB = -90.0f;

    private static final float CEILING_DB = 20.0f;
    private static final int SPREAD_SMOOTHING_CELLS = 5;
    private static final int HISTOGRAM_BINS = (int)(CEILING_DB - FLOOR_DB) + 1;

    final float[] fine;
    final float[] coarse;
    final double[] coarseSum;
    final double[] coarseSumOfSquares;
    private final int[] histogram = new int[HISTOGRAM_BINS];
    int fineFrom;
    int fineTo;
    int coarseFrom;
    int coarseTo;

    EnvelopeGrid(final int coarseCells)
    {
        final int fineCells = coarseCells * EnvelopeAligner.COARSE_CELLS;
        fine = new float[fineCells];
        coarse = new float[coarseCells];
        coarseSum = new double[coarseCells + 1];
        coarseSumOfSquares = new double[coarseCells + 1];
    }

    /**
     * Paints {@code history} onto the grid whose fine cell 0 starts at {@code startUs}.
     *
     * @return true when at least one cell is valid.
     */
    boolean resample(final EnvelopeHistory history, final long startUs, final int stepUs)
    {
        final int cells = fine.length;
        Arrays.fill(fine, Float.NaN);
        final long halfStepUs = stepUs / 2;
        final long spanUs = (long)cells * stepUs;
        for (int i = 0, size = history.size(); i < size; i++)
        {
            final float db = history.loudnessDb(i);
            final long fromUs = history.timestampUs(i) - startUs - halfStepUs;
            final long toUs = fromUs + history.durationUs(i);
            if (Float.isNaN(db) || toUs <= -stepUs || fromUs >= spanUs)
            {
                continue;
            }
            final int first = (int)Math.max(0, ceilDiv(fromUs, stepUs));
            final int last = (int)Math.min(cells, ceilDiv(toUs, stepUs));
            Arrays.fill(fine, first, Math.max(first, last), Math.min(CEILING_DB, Math.max(FLOOR_DB, db)));
        }

        fineFrom = 0;
        while (fineFrom < cells && Float.isNaN(fine[fineFrom]))
        {
            fineFrom++;
        }
        fineTo = cells;
        while (fineTo > fineFrom && Float.isNaN(fine[fineTo - 1]))
        {
            fineTo--;
        }
        for (int i = fineFrom + 1; i < fineTo; i++)
        {
            if (Float.isNaN(fine[i]))
            {
                fine[i] = fine[i - 1];
            }
        }
        if (fineFrom == fineTo)
        {
            coarseFrom = 0;
            coarseTo = 0;
            return false;
        }

        coarseFrom = fineFrom / EnvelopeAligner.COARSE_CELLS;
        coarseTo = (fineTo + EnvelopeAligner.COARSE_CELLS - 1) / EnvelopeAligner.COARSE_CELLS;
        for (int c = coarseFrom; c < coarseTo; c++)
        {
            final int from = Math.max(fineFrom, c * EnvelopeAligner.COARSE_CELLS);
            final int to = Math.min(fineTo, (c + 1) * EnvelopeAligner.COARSE_CELLS);
            float sum = 0;
            for (int i = from; i < to; i++)
            {
                sum += fine[i];
            }
            coarse[c] = sum / (to - from);
        }
        prefixSums(coarse, coarseFrom, coarseTo, coarseSum, coarseSumOfSquares);
        return true;
    }

    /**
     * Spread of the envelope smoothed over about 100 ms (five coarse cells): the 90th minus the 10th percentile, to
     * 1 dB, of the valid coarse cells in {@code [from, to)}.
     */
    double spreadDb(final int from, final int to)
    {
        final int first = Math.max(from, coarseFrom);
        final int end = Math.min(to, coarseTo) - SPREAD_SMOOTHING_CELLS + 1;
        if (end <= first)
        {
            return 0.0;
        }
        Arrays.fill(histogram, 0);
        for (int c = first; c < end; c++)
        {
            final double mean = (coarseSum[c + SPREAD_SMOOTHING_CELLS] - coarseSum[c]) / SPREAD_SMOOTHING_CELLS;
            histogram[(int)Math.round(mean - FLOOR_DB)]++;
        }
        final int count = end - first;
        return percentileBin(count / 10) - percentileBin(count - 1 - count / 10);
    }

    private int percentileBin(final int rankFromTop)
    {
        int seen = 0;
        for (int bin = HISTOGRAM_BINS - 1; bin >= 0; bin--)
        {
            seen += histogram[bin];
            if (seen > rankFromTop)
            {
                return bin;
            }
        }
        return 0;
    }

    private static void prefixSums(
        final float[] values, final int from, final int to, final double[] sum, final double[] sumOfSquares)
    {
        sum[from] = 0.0;
        sumOfSquares[from] = 0.0;
        for (int i = from; i < to; i++)
        {
            final double value = values[i];
            sum[i + 1] = sum[i] + value;
            sumOfSquares[i + 1] = sumOfSquares[i] + value * value;
        }
    }

    private static long ceilDiv(final long numerator, final long denominator)
    {
        return -Math.floorDiv(-numerator, denominator);
    }
}
