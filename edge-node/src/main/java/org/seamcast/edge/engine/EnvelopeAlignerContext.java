package org.seamcast.edge.engine;

import java.util.concurrent.TimeUnit;

/**
 * Configuration of one mount's {@link EnvelopeAligner}: tunables with named defaults and one validation in
 * {@link #conclude()} whose errors name the value and the limit.
 */
final class EnvelopeAlignerContext
{
    /** Encoder slots per mount, as {@link EdgeEngineContext#MAX_ENCODERS_DEFAULT}. */
    public static final int MAX_ENCODERS_DEFAULT = EdgeEngineContext.MAX_ENCODERS_DEFAULT;
    /** Envelope of the reference correlated with each other encoder: long enough for a few dozen syllables. */
    public static final long WINDOW_US_DEFAULT = 12_000_000L;
    /** Largest offset searched, in either direction. */
    public static final long MAX_LAG_US_DEFAULT = 2_000_000L;
    /** Resolution of the envelope grid: a quarter of the shortest common frame (AAC at 48 kHz, 21.3 ms). */
    public static final int GRID_STEP_US_DEFAULT = 5_000;
    /** Least time both envelopes must cover at an offset for that offset to count. */
    public static final long MIN_OVERLAP_US_DEFAULT = 6_000_000L;
    /** Offsets further than this from the best one compete with it for the confidence. */
    public static final long PEAK_EXCLUSION_US_DEFAULT = 200_000L;
    /** Below this spread of the smoothed envelope (10th to 90th percentile) the confidence is 0, at twice it 1. */
    public static final double MIN_ENVELOPE_SPREAD_DB_DEFAULT = 8.0;
    /** Least engine-clock time between two alignments of the same encoder. */
    public static final long RECOMPUTE_INTERVAL_NS_DEFAULT = TimeUnit.SECONDS.toNanos(1);
    /** Frame duration assumed when sizing each encoder's envelope buffer (MP3 and AAC up to 48 kHz are longer). */
    public static final int SIZING_FRAME_DURATION_US_DEFAULT = 20_000;
    /** Frames quieter than this are silent. */
    public static final double SILENCE_THRESHOLD_DB_DEFAULT = -60.0;
    /** An encoder whose frames were all silent for this long of its own media time is silent (dead air). */
    public static final long SILENCE_DURATION_US_DEFAULT = 5_000_000L;
    /** Largest envelope buffer per encoder, in frames. */
    public static final int MAX_FRAMES_PER_ENCODER_LIMIT = 1 << 14;

    private int maxEncoders = MAX_ENCODERS_DEFAULT;
    private long windowUs = WINDOW_US_DEFAULT;
    private long maxLagUs = MAX_LAG_US_DEFAULT;
    private int gridStepUs = GRID_STEP_US_DEFAULT;
    private long minOverlapUs = MIN_OVERLAP_US_DEFAULT;
    private long peakExclusionUs = PEAK_EXCLUSION_US_DEFAULT;
    private double minEnvelopeSpreadDb = MIN_ENVELOPE_SPREAD_DB_DEFAULT;
    private long recomputeIntervalNs = RECOMPUTE_INTERVAL_NS_DEFAULT;
    private int sizingFrameDurationUs = SIZING_FRAME_DURATION_US_DEFAULT;
    private double silenceThresholdDb = SILENCE_THRESHOLD_DB_DEFAULT;
    private long silenceDurationUs = SILENCE_DURATION_US_DEFAULT;
    private int framesPerEncoder;
    private AlignmentScratch scratch;
    private boolean concluded;

    /**
     * Validate and fill derived values; called by {@link EnvelopeAligner}'s constructor.
     *
     * @return this.
     * @throws IllegalArgumentException naming the value and the limit it breaks.
     */
    public EnvelopeAlignerContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        requireRange("maxEncoders", maxEncoders, 1, 64);
        requireRange("gridStepUs", gridStepUs, 1_000, 20_000);
        final long coarseStepUs = (long)gridStepUs * EnvelopeAligner.COARSE_CELLS;
        requireRange("windowUs", windowUs, 2_000_000L, 60_000_000L);
        requireRange("maxLagUs", maxLagUs, coarseStepUs * 4, 10_000_000L);
        requireMultiple("windowUs", windowUs, coarseStepUs);
        requireMultiple("maxLagUs", maxLagUs, coarseStepUs);
        requireRange("minOverlapUs", minOverlapUs, 1_000_000L, windowUs);
        requireRange("peakExclusionUs", peakExclusionUs, coarseStepUs, maxLagUs / 2);
        if (!(minEnvelopeSpreadDb >= 0.0 && minEnvelopeSpreadDb <= 60.0))
        {
            throw new IllegalArgumentException("minEnvelopeSpreadDb=" + minEnvelopeSpreadDb + " outside [0.0, 60.0]");
        }
        requireRange("recomputeIntervalNs", recomputeIntervalNs, 0, TimeUnit.HOURS.toNanos(1));
        requireRange("sizingFrameDurationUs", sizingFrameDurationUs, 2_000, 500_000);
        if (!(silenceThresholdDb >= -120.0 && silenceThresholdDb <= 0.0))
        {
            throw new IllegalArgumentException("silenceThresholdDb=" + silenceThresholdDb + " outside [-120.0, 0.0]");
        }
        requireRange("silenceDurationUs", silenceDurationUs, 100_000L, 3_600_000_000L);

        final long frames = (windowUs + 2 * maxLagUs) / sizingFrameDurationUs + 16;
        if (frames > MAX_FRAMES_PER_ENCODER_LIMIT)
        {
            throw new IllegalArgumentException("(windowUs + 2 * maxLagUs) / sizingFrameDurationUs + 16=" + frames +
                " frames > MAX_FRAMES_PER_ENCODER_LIMIT=" + MAX_FRAMES_PER_ENCODER_LIMIT);
        }
        framesPerEncoder = (int)frames;
        concluded = true;
        return this;
    }

    /**
     * @param scratch grids shared with the other aligners the same thread runs (see {@link AlignmentScratch}); by
     *                default each aligner makes its own.
     * @return this.
     */
    public EnvelopeAlignerContext scratch(final AlignmentScratch scratch)
    {
        this.scratch = scratch;
        return this;
    }

    /** @return the shared grids, or null for the aligner's own. */
    public AlignmentScratch scratch()
    {
        return scratch;
    }

    private static void requireRange(final String name, final long value, final long min, final long max)
    {
        if (value < min)
        {
            throw new IllegalArgumentException(name + "=" + value + " < " + min);
        }
        if (value > max)
        {
            throw new IllegalArgumentException(name + "=" + value + " > " + max);
        }
    }

    private static void requireMultiple(final String name, final long value, final long step)
    {
        if (value % step != 0)
        {
            throw new IllegalArgumentException(name + "=" + value + " is not a multiple of the coarse grid step " +
                step + " (gridStepUs * " + EnvelopeAligner.COARSE_CELLS + ")");
        }
    }

    /**
     * @param maxEncoders encoder slots, 0 being the reference.
     * @return this.
     */
    public EnvelopeAlignerContext maxEncoders(final int maxEncoders)
    {
        this.maxEncoders = maxEncoders;
        return this;
    }

    /** @return encoder slots, 0 being the reference. */
    public int maxEncoders()
    {
        return maxEncoders;
    }

    /**
     * @param windowUs length of the reference's envelope correlated with each other encoder.
     * @return this.
     */
    public EnvelopeAlignerContext windowUs(final long windowUs)
    {
        this.windowUs = windowUs;
        return this;
    }

    /** @return length of the reference's envelope correlated with each other encoder. */
    public long windowUs()
    {
        return windowUs;
    }

    /**
     * @param maxLagUs largest offset searched, in either direction.
     * @return this.
     */
    public EnvelopeAlignerContext maxLagUs(final long maxLagUs)
    {
        this.maxLagUs = maxLagUs;
        return this;
    }

    /** @return largest offset searched, in either direction. */
    public long maxLagUs()
    {
        return maxLagUs;
    }

    /**
     * @param gridStepUs resolution of the envelope grid; the window and the lag must be multiples of four steps.
     * @return this.
     */
    public EnvelopeAlignerContext gridStepUs(final int gridStepUs)
    {
        this.gridStepUs = gridStepUs;
        return this;
    }

    /** @return resolution of the envelope grid. */
    public int gridStepUs()
    {
        return gridStepUs;
    }

    /**
     * @param minOverlapUs least time both envelopes must cover at an offset for that offset to count.
     * @return this.
     */
    public EnvelopeAlignerContext minOverlapUs(final long minOverlapUs)
    {
        this.minOverlapUs = minOverlapUs;
        return this;
    }

    /** @return least time both envelopes must cover at an offset for that offset to count. */
    public long minOverlapUs()
    {
        return minOverlapUs;
    }

    /**
     * @param peakExclusionUs offsets further than this from the best one compete with it for the confidence.
     * @return this.
     */
    public EnvelopeAlignerContext peakExclusionUs(final long peakExclusionUs)
    {
        this.peakExclusionUs = peakExclusionUs;
        return this;
    }

    /** @return offsets further than this from the best one compete with it for the confidence. */
    public long peakExclusionUs()
    {
        return peakExclusionUs;
    }

    /**
     * @param minEnvelopeSpreadDb envelope spread below which the confidence is 0 (full at twice this).
     * @return this.
     */
    public EnvelopeAlignerContext minEnvelopeSpreadDb(final double minEnvelopeSpreadDb)
    {
        this.minEnvelopeSpreadDb = minEnvelopeSpreadDb;
        return this;
    }

    /** @return envelope spread below which the confidence is 0 (full at twice this). */
    public double minEnvelopeSpreadDb()
    {
        return minEnvelopeSpreadDb;
    }

    /**
     * @param recomputeIntervalNs least engine-clock time between two alignments of the same encoder.
     * @return this.
     */
    public EnvelopeAlignerContext recomputeIntervalNs(final long recomputeIntervalNs)
    {
        this.recomputeIntervalNs = recomputeIntervalNs;
        return this;
    }

    /** @return least engine-clock time between two alignments of the same encoder. */
    public long recomputeIntervalNs()
    {
        return recomputeIntervalNs;
    }

    /**
     * @param sizingFrameDurationUs frame duration assumed when sizing each encoder's envelope buffer; shorter
     *                              frames fill it sooner and shorten the window that can be correlated.
     * @return this.
     */
    public EnvelopeAlignerContext sizingFrameDurationUs(final int sizingFrameDurationUs)
    {
        this.sizingFrameDurationUs = sizingFrameDurationUs;
        return this;
    }

    /** @return frame duration assumed when sizing each encoder's envelope buffer. */
    public int sizingFrameDurationUs()
    {
        return sizingFrameDurationUs;
    }

    /**
     * @param silenceThresholdDb frames quieter than this are silent.
     * @return this.
     */
    public EnvelopeAlignerContext silenceThresholdDb(final double silenceThresholdDb)
    {
        this.silenceThresholdDb = silenceThresholdDb;
        return this;
    }

    /** @return frames quieter than this are silent. */
    public double silenceThresholdDb()
    {
        return silenceThresholdDb;
    }

    /**
     * @param silenceDurationUs media time of silent frames after which an encoder is silent.
     * @return this.
     */
    public EnvelopeAlignerContext silenceDurationUs(final long silenceDurationUs)
    {
        this.silenceDurationUs = silenceDurationUs;
        return this;
    }

    /** @return media time of silent frames after which an encoder is silent. */
    public long silenceDurationUs()
    {
        return silenceDurationUs;
    }

    /**
     * @return frames of envelope kept per encoder: the window and both lags at the sizing duration, and 16 more (816
     * by default, not rounded up to a power of two: 16 B a frame, two encoders a mount); valid after
     * {@link #conclude()}.
     */
    public int framesPerEncoder()
    {
        return framesPerEncoder;
    }
}
