package org.seamcast.edge.engine;

/**
 * Learns each encoder's timestamp offset from the reference encoder by finding the same payload hash in both
 * encoders' frames: byte-identical frames carry the same audio, so their timestamps differ by exactly the offset.
 */
final class OffsetLearner
{
    static final long NOTHING_ADOPTED = Long.MIN_VALUE;
    private static final long RECHECK_SEQUENCE_MASK = 7;

    private final int confirmations;
    private final long toleranceUs;
    private EncoderState adoptedBy;

    OffsetLearner(final int confirmations, final long toleranceUs)
    {
        this.confirmations = confirmations;
        this.toleranceUs = toleranceUs;
    }

    /**
     * Match a newly stored frame against the other side of the reference pairing. Once an encoder's offset is
     * settled only one frame in eight is checked, to follow drift.
     *
     * @return the offset adopted by {@link #adoptedBy()}, or {@link #NOTHING_ADOPTED}.
     */
    long onStored(
        final EncoderTable encoders,
        final EncoderState encoder,
        final long sequence,
        final long hash,
        final long timestampUs)
    {
        adoptedBy = null;
        final boolean recheck = (sequence & RECHECK_SEQUENCE_MASK) == 0;
        final EncoderState reference = encoders.byRank(0);
        long adoptedUs = NOTHING_ADOPTED;
        if (encoder == reference)
        {
            final long referenceMediaUs = timestampUs + reference.rawOffsetUs();
            for (int r = 1; r < encoders.count(); r++)
            {
                final EncoderState other = encoders.byRank(r);
                if (!other.hasOperatorOffset() && (recheck || !other.isOffsetSettled()))
                {
                    final int index = other.ring().findUniqueHash(hash);
                    if (index != FrameRing.NONE)
                    {
                        final long offsetUs = referenceMediaUs - other.ring().timestampUs(index);
                        if (offer(other, offsetUs))
                        {
                            adoptedUs = offsetUs;
                        }
                    }
                }
            }
        }
        else if (!encoder.hasOperatorOffset() && (recheck || !encoder.isOffsetSettled()))
        {
            final int index = reference.ring().findUniqueHash(hash);
            if (index != FrameRing.NONE)
            {
                final long offsetUs = reference.ring().timestampUs(index) + reference.rawOffsetUs() - timestampUs;
                if (offer(encoder, offsetUs))
                {
                    adoptedUs = offsetUs;
                }
            }
        }
        return adoptedUs;
    }

    /** @return the encoder whose offset the last {@link #onStored} call adopted. */
    EncoderState adoptedBy()
    {
        return adoptedBy;
    }

    private boolean offer(final EncoderState encoder, final long offsetUs)
    {
        if (Math.abs(offsetUs) <= EdgeEngineContext.MAX_ENCODER_OFFSET_US &&
            encoder.offerOffset(offsetUs, confirmations, toleranceUs))
        {
            adoptedBy = encoder;
            return true;
        }
        return false;
    }
}
