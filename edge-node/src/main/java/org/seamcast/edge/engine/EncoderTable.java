package org.seamcast.edge.engine;

import org.agrona.collections.Int2ObjectHashMap;

/**
 * The mount's encoders, at most a fixed number, by id and in priority order (0 highest, ties by id). The first in
 * order is the reference whose timestamps define the mount timeline; when it changes, learned offsets are forgotten.
 */
final class EncoderTable
{
    private final Int2ObjectHashMap<EncoderState> byId;
    private final EncoderState[] ordered;
    private final EdgeEngineContext ctx;
    private final java.util.function.IntConsumer onSlotTaken;
    private int count;
    private long referenceChanges;

    /**
     * @param ctx         the engine's configuration.
     * @param onSlotTaken told the slot of a state given to a new encoder (first use, or an evicted encoder's).
     */
    EncoderTable(final EdgeEngineContext ctx, final java.util.function.IntConsumer onSlotTaken)
    {
        this.ctx = ctx;
        this.onSlotTaken = onSlotTaken;
        byId = new Int2ObjectHashMap<>(Math.max(8, ctx.maxEncoders() * 2), 0.65f);
        ordered = new EncoderState[ctx.maxEncoders()];
    }

    int count()
    {
        return count;
    }

    EncoderState byRank(final int rank)
    {
        return ordered[rank];
    }

    EncoderState byId(final int encoderId)
    {
        return byId.get(encoderId);
    }

    /**
     * Find an encoder, registering it on first sight. When the table is full, the encoder idle longest takes the
     * new one's place if it has stored nothing for encoderIdleTimeoutNs (so ids that only ever sent rejected frames,
     * or encoders retired by the operator, do not lock others out); the playing encoder is never evicted.
     *
     * @return the encoder, re-ordered if its priority changed, or null when the table is full of live encoders.
     */
    EncoderState register(final int encoderId, final int priority, final EncoderState playing, final long nowNs)
    {
        EncoderState encoder = byId.get(encoderId);
        if (null == encoder)
        {
            if (count == ordered.length)
            {
                encoder = evictIdle(playing, nowNs);
                if (null == encoder)
                {
                    return null;
                }
            }
            else
            {
                encoder = new EncoderState(count, ctx.framesPerEncoder(), ctx.frameRingSpanUs(),
                    ctx.frameBytesReservedUs(), ctx.maxFrameLength(),
                    ctx.retransmitMaxGaps(), ctx.epochProofFrames());
                ordered[count++] = encoder;
            }
            encoder.init(encoderId, priority);
            onSlotTaken.accept(encoder.slot());
            final Long operatorOffsetUs = ctx.encoderOffsetsUs().get(encoderId);
            if (null != operatorOffsetUs)
            {
                encoder.operatorOffsetUs(operatorOffsetUs);
            }
            byId.put(encoderId, encoder);
            sortByPriority();
        }
        else if (encoder.priority() != priority)
        {
            encoder.priority(priority);
            sortByPriority();
        }
        return encoder;
    }

    private EncoderState evictIdle(final EncoderState playing, final long nowNs)
    {
        EncoderState idlest = null;
        for (int r = 0; r < count; r++)
        {
            final EncoderState encoder = ordered[r];
            if (encoder != playing && nowNs - encoder.lastFrameNs() > ctx.encoderIdleTimeoutNs() &&
                (null == idlest || encoder.lastFrameNs() < idlest.lastFrameNs()))
            {
                idlest = encoder;
            }
        }
        if (null != idlest)
        {
            byId.remove(idlest.encoderId());
            forgetLearnedOffsets();
        }
        return idlest;
    }

    private void sortByPriority()
    {
        final EncoderState previousReference = ordered[0];
        for (int i = 1; i < count; i++)
        {
            final EncoderState encoder = ordered[i];
            int j = i - 1;
            while (j >= 0 && isBefore(encoder, ordered[j]))
            {
                ordered[j + 1] = ordered[j];
                j--;
            }
            ordered[j + 1] = encoder;
        }
        if (ordered[0] != previousReference)
        {
            forgetLearnedOffsets();
        }
    }

    private void forgetLearnedOffsets()
    {
        referenceChanges++;
        for (int r = 0; r < count; r++)
        {
            ordered[r].forgetLearnedOffset();
        }
    }

    /**
     * @return how many times learned offsets were forgotten because the reference changed (or an encoder was
     * evicted): the engine recomputes the offsets in use when this moves.
     */
    long referenceChanges()
    {
        return referenceChanges;
    }

    private static boolean isBefore(final EncoderState a, final EncoderState b)
    {
        return a.priority() < b.priority() || (a.priority() == b.priority() && a.encoderId() < b.encoderId());
    }
}
