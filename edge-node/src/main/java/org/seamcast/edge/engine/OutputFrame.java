package org.seamcast.edge.engine;

/**
 * Reused descriptor of a played-out frame handed to a {@link PlayoutSink}; read it during the callback only.
 */
public final class OutputFrame
{
    private OutputSource source = OutputSource.ENCODER;
    private int encoderId;
    private long epoch;
    private long sequence;
    private long timestampUs;
    private long slotUs;
    private int durationUs;
    private long releaseNs;

    OutputFrame set(
        final OutputSource source,
        final int encoderId,
        final long epoch,
        final long sequence,
        final long timestampUs,
        final long slotUs,
        final int durationUs,
        final long releaseNs)
    {
        this.source = source;
        this.encoderId = encoderId;
        this.epoch = epoch;
        this.sequence = sequence;
        this.timestampUs = timestampUs;
        this.slotUs = slotUs;
        this.durationUs = durationUs;
        this.releaseNs = releaseNs;
        return this;
    }

    /** @return whether the frame is encoder audio or fallback. */
    public OutputSource source()
    {
        return source;
    }

    /** @return encoder that produced the frame, or {@link EdgeEngine#NO_ENCODER} for fallback. */
    public int encoderId()
    {
        return encoderId;
    }

    /** @return the encoder's epoch, 0 for fallback. */
    public long epoch()
    {
        return epoch;
    }

    /** @return the encoder's sequence, or the running count of fallback frames. */
    public long sequence()
    {
        return sequence;
    }

    /** @return the timestamp the encoder stamped, in its own clock (µs); the slot time for fallback. */
    public long timestampUs()
    {
        return timestampUs;
    }

    /** @return media time of the slot on the mount timeline (µs); released at slotUs + playout delay. */
    public long slotUs()
    {
        return slotUs;
    }

    /** @return duration of the frame in µs. */
    public int durationUs()
    {
        return durationUs;
    }

    /** @return engine clock at which the frame was released. */
    public long releaseNs()
    {
        return releaseNs;
    }

    public String toString()
    {
        return "OutputFrame{source=" + source + ", encoderId=" + encoderId + ", epoch=" + epoch +
            ", sequence=" + sequence + ", timestampUs=" + timestampUs + ", slotUs=" + slotUs +
            ", durationUs=" + durationUs + ", releaseNs=" + releaseNs + '}';
    }
}
