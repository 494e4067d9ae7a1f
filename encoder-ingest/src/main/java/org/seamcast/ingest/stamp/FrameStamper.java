package org.seamcast.ingest.stamp;

/**
 * Gives each frame of one source connection its sequence number and media timestamp.
 *
 * <p>The timestamp is sample-accurate: {@code anchor + samples / sampleRate} (microseconds since the Unix epoch),
 * where {@code samples} counts every sample of the connection so far, plus a {@code correction} that keeps the
 * stamps close to the wall clock:
 * <pre>
 *   rawError   = arrival - (anchor + samples / rate)      per frame; jitter only ever adds to it
 *   floor      = min(rawError) over the last two windows  the arrival's lower envelope: jitter removed
 *   correction moves towards floor by at most maxSlewPpm x frame duration per frame (a gentle slew, never a jump)
 *   timestamp  = anchor + samples / rate + correction
 * </pre>
 * So an encoder whose clock runs fast or slow is followed at its real rate, network jitter and bursts (which only
 * delay frames) do not leak in, and consecutive stamps differ by the frame duration within the slew bound.
 *
 * <p>One exception, counted in {@link #reanchors()}: when a whole window of frames arrives more than
 * {@code maxLagUs} later than its stamps, the encoder has lost real time (it stalled and resumed without
 * reconnecting). Slewing that away would take hours while the edge's deadlines pass, so the correction is set to
 * the floor at once. Jitter cannot cause it, because one frame on time within the window keeps the floor low.
 *
 * <p>A change of sample rate re-bases the anchor at the next frame's continuous position.
 *
 * <p>Threading: confined to the thread of its source connection. Allocation-free.
 */
public final class FrameStamper
{
    /** An encoder clock is followed up to this far from nominal rate; real encoders drift by well under 100 ppm. */
    public static final int DEFAULT_MAX_SLEW_PPM = 500;

    /** Length of one window of the arrival envelope, in media time. */
    public static final long DEFAULT_ENVELOPE_WINDOW_US = 2_000_000;

    /** Stamps lagging arrival by more than this for a whole window are re-anchored (see class doc). */
    public static final long DEFAULT_MAX_LAG_US = 1_000_000;

    /** Differences between the correction and the floor below this are left alone, so the stamps do not hunt. */
    public static final long DEADBAND_US = 1_000;

    private final long epoch;
    private final long maxSlewPpm;
    private final long envelopeWindowUs;
    private final long maxLagUs;

    private long sequence;
    private boolean started;
    private int sampleRateHz;
    private long anchorUs;
    private long samples;
    private long correctionNs;
    private long windowStartUs;
    private long windowMinUs = Long.MAX_VALUE;
    private long previousWindowMinUs = Long.MAX_VALUE;
    private long lastTimestampUs;
    private long reanchors;

    public FrameStamper(final long epoch)
    {
        this(epoch, DEFAULT_MAX_SLEW_PPM, DEFAULT_ENVELOPE_WINDOW_US, DEFAULT_MAX_LAG_US);
    }

    /**
     * @param epoch            of the source connection.
     * @param maxSlewPpm       how fast the stamps may run faster or slower than the sample count, 1..10,000 ppm.
     * @param envelopeWindowUs length of one envelope window.
     * @param maxLagUs         lag after which the stamps are re-anchored.
     */
    public FrameStamper(final long epoch, final long maxSlewPpm, final long envelopeWindowUs, final long maxLagUs)
    {
        if (maxSlewPpm < 1 || maxSlewPpm > 10_000)
        {
            throw new IllegalArgumentException("maxSlewPpm=" + maxSlewPpm + " is not in 1..10000");
        }
        if (envelopeWindowUs < 100_000)
        {
            throw new IllegalArgumentException("envelopeWindowUs=" + envelopeWindowUs + " < 100000");
        }
        if (maxLagUs < 2 * DEADBAND_US)
        {
            throw new IllegalArgumentException("maxLagUs=" + maxLagUs + " < " + 2 * DEADBAND_US);
        }
        this.epoch = epoch;
        this.maxSlewPpm = maxSlewPpm;
        this.envelopeWindowUs = envelopeWindowUs;
        this.maxLagUs = maxLagUs;
    }

    /**
     * Stamps the next frame.
     *
     * @param arrivalEpochUs when its last byte arrived, microseconds since the Unix epoch.
     * @param samplesInFrame samples per channel in the frame.
     * @param sampleRateHz   of the frame.
     * @return its media timestamp in microseconds; {@link #sequence()} is the frame's sequence number until the
     * next call.
     */
    public long stamp(final long arrivalEpochUs, final int samplesInFrame, final int sampleRateHz)
    {
        if (!started)
        {
            started = true;
            this.sampleRateHz = sampleRateHz;
            anchorUs = arrivalEpochUs;
            windowStartUs = arrivalEpochUs;
        }
        else
        {
            sequence++;
            if (sampleRateHz != this.sampleRateHz)
            {
                anchorUs += samples * 1_000_000L / this.sampleRateHz;
                samples = 0;
                this.sampleRateHz = sampleRateHz;
            }
        }

        final long nominalUs = anchorUs + samples * 1_000_000L / this.sampleRateHz;
        track(arrivalEpochUs - nominalUs, nominalUs, samplesInFrame);
        final long timestampUs = nominalUs + correctionNs / 1000;
        lastTimestampUs = timestampUs;
        samples += samplesInFrame;
        return timestampUs;
    }

    private void track(final long rawErrorUs, final long nominalUs, final int samplesInFrame)
    {
        windowMinUs = Math.min(windowMinUs, rawErrorUs);
        if (nominalUs - windowStartUs >= envelopeWindowUs)
        {
            if (windowMinUs - correctionNs / 1000 > maxLagUs)
            {
                correctionNs = windowMinUs * 1000;
                reanchors++;
            }
            previousWindowMinUs = windowMinUs;
            windowMinUs = Long.MAX_VALUE;
            windowStartUs = nominalUs;
        }

        final long floorUs = Math.min(windowMinUs, previousWindowMinUs);
        final long differenceNs = floorUs * 1000 - correctionNs;
        if (Math.abs(differenceNs) > DEADBAND_US * 1000)
        {
            final long frameNs = samplesInFrame * 1_000_000_000L / sampleRateHz;
            final long maxStepNs = Math.max(1, frameNs * maxSlewPpm / 1_000_000);
            correctionNs += Math.max(-maxStepNs, Math.min(maxStepNs, differenceNs));
        }
    }

    public long epoch()
    {
        return epoch;
    }

    /**
     * @return the sequence number of the frame stamped last (0 for the first).
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * @return the timestamp given last, in microseconds.
     */
    public long lastTimestampUs()
    {
        return lastTimestampUs;
    }

    /**
     * @return the current distance of the stamps from the nominal sample clock, in microseconds.
     */
    public long correctionUs()
    {
        return correctionNs / 1000;
    }

    /**
     * @return how many times a stalled encoder made the stamps jump forward.
     */
    public long reanchors()
    {
        return reanchors;
    }
}
