package org.seamcast.ingest.stamp;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A virtual encoder, server and link feeding one ingest, computed rather than waited for: when each frame is
 * produced (an encoder clock off by {@code ppm}), when a server may send it (a burst of old audio at connect, a
 * stalled link that then catches up, an encoder that loses real time), when it crosses a link of limited speed with
 * a steady delay and random jitter (in order, as TCP delivers), and how the ingest's reads group the frames.
 *
 * <p>{@link #earliestUs(int)} is where the frame would arrive with no jitter and no queue: production plus the
 * steady delay. Stamps should settle near it.
 */
final class ArrivalScenario
{
    static final long START_US = 1_700_000_000_000_000L;

    /** One read: frames {@code [firstFrame, endFrame)}, drained at {@code arrivalUs}. */
    record Read(int firstFrame, int endFrame, long arrivalUs)
    {
    }

    /** MP3 44.1 kHz or AAC 48 kHz at 128 kbit/s. */
    record Format(int samples, int rateHz, int frameBytes)
    {
        static final Format MP3_44K = new Format(1152, 44_100, 418);
        static final Format AAC_48K = new Format(1024, 48_000, 341);

        double frameUs()
        {
            return samples * 1e6 / rateHz;
        }
    }

    private final Format format;
    private final List<Read> reads = new ArrayList<>();
    private final long[] arrivalUs;
    private final long[] earliestUs;
    private final int settledFrame;
    private final String description;

    private ArrivalScenario(final Builder b)
    {
        format = b.format;
        final Random random = new Random(b.seed);
        final double frameUs = format.frameUs();
        final double periodUs = frameUs / (1 + b.ppm / 1e6);
        final int burstFrames = (int)Math.round(b.burstUs / frameUs);
        final int frames = burstFrames + (int)(b.durationUs / periodUs);
        final double bytesUs = b.linkBitsPerSecond == 0 ? 2 : format.frameBytes() * 8e6 / b.linkBitsPerSecond;
        final long connectUs = START_US;
        final long stallStartUs = connectUs + b.stallAtUs;

        arrivalUs = new long[frames];
        earliestUs = new long[frames];
        final double[] linkEndUs = new double[frames];
        int lastDisturbed = -1;
        int stallFrame = -1;
        double previousArrivalUs = 0;
        double previousLinkEndUs = 0;
        for (int n = 0; n < frames; n++)
        {
            double producedUs = connectUs + (n - (burstFrames - 1)) * periodUs;
            if (b.stallUs > 0 && producedUs >= stallStartUs)
            {
                if (stallFrame < 0)
                {
                    stallFrame = n;
                }
                if (!b.catchUp)
                {
                    producedUs += b.stallUs;
                }
            }
            double sendUs = Math.max(producedUs, connectUs);
            if (b.stallUs > 0 && b.catchUp && sendUs >= stallStartUs && sendUs < stallStartUs + b.stallUs)
            {
                sendUs = stallStartUs + b.stallUs;
            }
            final boolean queued = previousLinkEndUs > sendUs;
            linkEndUs[n] = Math.max(sendUs, previousLinkEndUs) + bytesUs;
            previousLinkEndUs = linkEndUs[n];
            final double u = random.nextDouble();
            final double jitterUs = b.maxJitterUs * u * u;
            final double arrival = Math.max(previousArrivalUs, linkEndUs[n] + b.steadyDelayUs + jitterUs);
            previousArrivalUs = arrival;
            arrivalUs[n] = (long)Math.ceil(arrival);
            earliestUs[n] = (long)(producedUs + bytesUs + b.steadyDelayUs);
            if (n < burstFrames || queued || sendUs > producedUs || n == stallFrame)
            {
                lastDisturbed = n;
            }
        }
        settledFrame = lastDisturbed + 1;

        int n = 0;
        final int burstReads = Math.max(1, Math.min(b.burstReads, Math.max(1, burstFrames)));
        for (int r = 0; r < burstReads && n < burstFrames; r++)
        {
            final int end = r == burstReads - 1 ? burstFrames :
                Math.max(n + 1, (int)((long)burstFrames * (r + 1) / burstReads));
            n = addRead(n, end, r);
        }
        while (n < frames)
        {
            int end = n + 1;
            while (end < frames && arrivalUs[end] - arrivalUs[n] <= b.coalesceUs)
            {
                end++;
            }
            n = addRead(n, end, 0);
        }
        description = b.toString();
    }

    private int addRead(final int first, final int end, final int index)
    {
        // reads of one burst that arrived in the same microsecond still happen one after another
        long arrival = arrivalUs[end - 1];
        if (!reads.isEmpty())
        {
            arrival = Math.max(arrival, reads.get(reads.size() - 1).arrivalUs() + (index > 0 ? 20 : 0));
        }
        for (int i = first; i < end; i++)
        {
            arrivalUs[i] = arrival;
        }
        reads.add(new Read(first, end, arrival));
        return end;
    }

    static Builder builder(final long seed)
    {
        return new Builder(seed);
    }

    Format format()
    {
        return format;
    }

    List<Read> reads()
    {
        return reads;
    }

    int frames()
    {
        return arrivalUs.length;
    }

    /**
     * @return when the read that completed frame {@code n} was drained.
     */
    long arrivalUs(final int n)
    {
        return arrivalUs[n];
    }

    long earliestUs(final int n)
    {
        return earliestUs[n];
    }

    /**
     * @return the first frame after the last disturbance (burst, queue, stall) whose arrival is undisturbed again.
     */
    int settledFrame()
    {
        return settledFrame;
    }

    @Override
    public String toString()
    {
        return description;
    }

    static final class Builder
    {
        private final long seed;
        private Format format = Format.MP3_44K;
        private double ppm;
        private long steadyDelayUs = 20_000;
        private long maxJitterUs;
        private long burstUs;
        private int burstReads = 1;
        private long linkBitsPerSecond;
        private long coalesceUs = 500;
        private long stallAtUs;
        private long stallUs;
        private boolean catchUp;
        private long durationUs = 60_000_000;

        private Builder(final long seed)
        {
            this.seed = seed;
        }

        Builder format(final Format format)
        {
            this.format = format;
            return this;
        }

        /** Encoder clock error: positive runs fast (more audio per second of real time). */
        Builder ppm(final double ppm)
        {
            this.ppm = ppm;
            return this;
        }

        Builder steadyDelayUs(final long steadyDelayUs)
        {
            this.steadyDelayUs = steadyDelayUs;
            return this;
        }

        Builder maxJitterUs(final long maxJitterUs)
        {
            this.maxJitterUs = maxJitterUs;
            return this;
        }

        /** Old audio the server holds at connect and sends at once. */
        Builder burst(final long burstUs, final int reads)
        {
            this.burstUs = burstUs;
            this.burstReads = reads;
            return this;
        }

        /** 0 for loopback. */
        Builder linkBitsPerSecond(final long linkBitsPerSecond)
        {
            this.linkBitsPerSecond = linkBitsPerSecond;
            return this;
        }

        /** Frames arriving within this of a read's first frame are drained by that read. */
        Builder coalesceUs(final long coalesceUs)
        {
            this.coalesceUs = coalesceUs;
            return this;
        }

        /**
         * @param catchUp true: the link stalls and then delivers what queued as fast as it can; false: the encoder
         *                stalls and resumes where it was, having lost {@code stallUs} of real time.
         */
        Builder stall(final long atUs, final long stallUs, final boolean catchUp)
        {
            this.stallAtUs = atUs;
            this.stallUs = stallUs;
            this.catchUp = catchUp;
            return this;
        }

        Builder durationUs(final long durationUs)
        {
            this.durationUs = durationUs;
            return this;
        }

        ArrivalScenario build()
        {
            return new ArrivalScenario(this);
        }

        @Override
        public String toString()
        {
            return "seed=" + seed + " " + format + " ppm=" + ppm + " delay=" + steadyDelayUs + "us jitter<=" +
                maxJitterUs + "us burst=" + burstUs + "us in " + burstReads + " reads link=" +
                (linkBitsPerSecond == 0 ? "loopback" : linkBitsPerSecond + "bit/s") + " stall=" + stallUs + "us at " +
                stallAtUs + "us" + (stallUs > 0 ? catchUp ? " with catch-up" : " without catch-up" : "");
        }
    }
}
