package org.seamcast.edge.engine;

/**
 * The sequence gaps of one encoder epoch still worth asking for: a bounded set of windows, each with an estimate of
 * its frames' timestamps so requests stop once their deadline no longer allows an answer.
 */
final class GapTracker
{
    private final long[] fromSequences;
    private final long[] toSequences;
    private final long[] afterTimestampsUs;
    private final int[] durationsUs;
    private final long[] nextRequestNs;
    private final int[] attempts;
    private int count;

    GapTracker(final int maxGaps)
    {
        fromSequences = new long[maxGaps];
        toSequences = new long[maxGaps];
        afterTimestampsUs = new long[maxGaps];
        durationsUs = new int[maxGaps];
        nextRequestNs = new long[maxGaps];
        attempts = new int[maxGaps];
    }

    /**
     * Track the gap before a frame that arrived after it (or, for a tail gap, before the sequence that would follow
     * the last one a sender says it sent). The ends of the range already covered by a tracked gap are left to that
     * gap, so a range learnt twice (from a heartbeat, then from the frame after it) is asked for once.
     *
     * @param fromSequence     first missing sequence.
     * @param toSequence       last missing sequence.
     * @param afterTimestampUs timestamp of the frame at toSequence + 1.
     * @param durationUs       frame duration used to estimate the missing timestamps.
     * @param firstRequestNs   earliest time to ask.
     * @return the number of sequences newly tracked, 0 when every one was tracked already.
     */
    long add(
        final long fromSequence,
        final long toSequence,
        final long afterTimestampUs,
        final int durationUs,
        final long firstRequestNs)
    {
        long first = fromSequence;
        long last = toSequence;
        boolean trimmed = true;
        while (trimmed && first <= last)
        {
            trimmed = false;
            for (int i = 0; i < count; i++)
            {
                if (fromSequences[i] <= first && first <= toSequences[i])
                {
                    first = toSequences[i] + 1;
                    trimmed = true;
                }
                if (fromSequences[i] <= last && last <= toSequences[i])
                {
                    last = fromSequences[i] - 1;
                    trimmed = true;
                }
            }
        }
        if (first > last)
        {
            return 0;
        }
        if (count == fromSequences.length)
        {
            remove(0);
        }
        final int i = count++;
        fromSequences[i] = first;
        toSequences[i] = last;
        afterTimestampsUs[i] = afterTimestampUs - (toSequence - last) * durationUs;
        durationsUs[i] = durationUs;
        nextRequestNs[i] = firstRequestNs;
        attempts[i] = 0;
        return last - first + 1;
    }

    void clear()
    {
        count = 0;
    }

    int count()
    {
        return count;
    }

    /**
     * Ask for every tracked gap whose time has come, skipping sequences already held and those whose deadline is
     * too close; forget gaps that are filled, out of time or asked for often enough.
     *
     * @return number of requests sent.
     */
    int poll(final EncoderState encoder, final EdgeEngine engine, final long nowNs, final long minTimestampUs)
    {
        int requests = 0;
        for (int i = 0; i < count; )
        {
            final FrameRing ring = encoder.ring();
            final long epoch = encoder.epoch();
            long from = fromSequences[i];
            final long to = toSequences[i];
            while (from <= to && (ring.contains(epoch, from) || estimatedTimestampUs(i, from) < minTimestampUs))
            {
                from++;
            }
            fromSequences[i] = from;
            if (from > to)
            {
                remove(i);
                continue;
            }
            if (nowNs >= nextRequestNs[i])
            {
                long runStart = -1;
                for (long sequence = from; sequence <= to; sequence++)
                {
                    final boolean missing = !ring.contains(epoch, sequence);
                    if (missing && runStart < 0)
                    {
                        runStart = sequence;
                    }
                    else if (!missing && runStart >= 0)
                    {
                        engine.requestRetransmit(encoder, runStart, sequence - 1, nowNs);
                        requests++;
                        runStart = -1;
                    }
                }
                if (runStart >= 0)
                {
                    engine.requestRetransmit(encoder, runStart, to, nowNs);
                    requests++;
                }
                attempts[i]++;
                nextRequestNs[i] = nowNs + engine.retransmitIntervalNs();
                if (attempts[i] >= engine.retransmitMaxAttempts())
                {
                    remove(i);
                    continue;
                }
            }
            i++;
        }
        return requests;
    }

    private long estimatedTimestampUs(final int i, final long sequence)
    {
        return afterTimestampsUs[i] - (toSequences[i] + 1 - sequence) * durationsUs[i];
    }

    private void remove(final int i)
    {
        final int last = count - 1;
        for (int j = i; j < last; j++)
        {
            fromSequences[j] = fromSequences[j + 1];
            toSequences[j] = toSequences[j + 1];
            afterTimestampsUs[j] = afterTimestampsUs[j + 1];
            durationsUs[j] = durationsUs[j + 1];
            nextRequestNs[j] = nextRequestNs[j + 1];
            attempts[j] = attempts[j + 1];
        }
        count = last;
    }
}
