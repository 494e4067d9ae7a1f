package org.seamcast.edge.engine;

/**
 * The grids an {@link EnvelopeAligner} resamples two loudness envelopes into while it aligns them. They hold nothing
 * from one alignment to the next, so the aligners of every mount one thread plays can share one set (about 50 KiB)
 * instead of each mount keeping its own. Owned by that thread.
 */
public final class AlignmentScratch
{
    final EnvelopeGrid reference;
    final EnvelopeGrid other;
    final double[] coarseCorrelations;
    private final int windowCoarseCells;
    private final int coarseLagCells;

    /**
     * Scratch for the aligners engines make: the default window, lag and grid step.
     */
    public AlignmentScratch()
    {
        this(new EnvelopeAlignerContext());
    }

    /**
     * @param context the window, lag and grid step of the aligners that will share it; concluded here.
     */
    AlignmentScratch(final EnvelopeAlignerContext context)
    {
        context.conclude();
        final long coarseStepUs = (long)context.gridStepUs() * EnvelopeAligner.COARSE_CELLS;
        windowCoarseCells = (int)(context.windowUs() / coarseStepUs);
        coarseLagCells = (int)(context.maxLagUs() / coarseStepUs);
        reference = new EnvelopeGrid(windowCoarseCells);
        other = new EnvelopeGrid(windowCoarseCells + 2 * coarseLagCells);
        coarseCorrelations = new double[2 * coarseLagCells + 1];
    }

    boolean fits(final int windowCoarseCells, final int coarseLagCells)
    {
        return this.windowCoarseCells == windowCoarseCells && this.coarseLagCells == coarseLagCells;
    }
}
