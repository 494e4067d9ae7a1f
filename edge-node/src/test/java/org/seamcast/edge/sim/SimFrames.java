package org.seamcast.edge.sim;

import java.util.Arrays;

/**
 * Every frame the simulated encoders emit, in primitive columns; a life's frames are contiguous so (encoder, epoch,
 * sequence) finds its frame without a map.
 */
final class SimFrames
{
    int count;
    int[] encoder = new int[1024];
    long[] epoch = new long[1024];
    long[] sequence = new long[1024];
    long[] content = new long[1024];
    long[] timestampUs = new long[1024];
    long[] emitUs = new long[1024];
    private int lifeCount;
    private int[] lifeEncoder = new int[16];
    private long[] lifeEpoch = new long[16];
    private int[] lifeStart = new int[16];

    void startLife(final int e, final long lifeEpochValue)
    {
        if (lifeCount == lifeEncoder.length)
        {
            lifeEncoder = Arrays.copyOf(lifeEncoder, lifeCount * 2);
            lifeEpoch = Arrays.copyOf(lifeEpoch, lifeCount * 2);
            lifeStart = Arrays.copyOf(lifeStart, lifeCount * 2);
        }
        lifeEncoder[lifeCount] = e;
        lifeEpoch[lifeCount] = lifeEpochValue;
        lifeStart[lifeCount] = count;
        lifeCount++;
    }

    void add(final int e, final long ep, final long seq, final long k, final long tsUs, final long emittedUs)
    {
        if (count == encoder.length)
        {
            final int n = count * 2;
            encoder = Arrays.copyOf(encoder, n);
            epoch = Arrays.copyOf(epoch, n);
            sequence = Arrays.copyOf(sequence, n);
            content = Arrays.copyOf(content, n);
            timestampUs = Arrays.copyOf(timestampUs, n);
            emitUs = Arrays.copyOf(emitUs, n);
        }
        encoder[count] = e;
        epoch[count] = ep;
        sequence[count] = seq;
        content[count] = k;
        timestampUs[count] = tsUs;
        emitUs[count] = emittedUs;
        count++;
    }

    int find(final int e, final long ep, final long seq)
    {
        for (int life = 0; life < lifeCount; life++)
        {
            if (lifeEncoder[life] == e && lifeEpoch[life] == ep)
            {
                final int end = life + 1 < lifeCount ? lifeStart[life + 1] : count;
                final long f = lifeStart[life] + seq;
                return seq >= 0 && f < end ? (int)f : -1;
            }
        }
        return -1;
    }
}
