package org.seamcast.relay.ring;

/**
 * Remembers which sequence numbers of one (stream, encoder, epoch) have been seen, over a sliding window behind
 * the highest, so the copies of a frame that arrive over TCP, UDP and multicast are forwarded once.
 *
 * <p>A sequence more than {@link #WINDOW} behind the highest seen is reported as a duplicate: it is too old to be
 * useful downstream, and this keeps the memory fixed. Not thread-safe: owned by the relay's duty thread.
 */
public final class SequenceWindow
{
    /** How far behind the highest sequence a late copy is still recognised: ~26 s of MP3 at 44.1 kHz. */
    public static final int WINDOW = 1024;

    private static final int WORDS = WINDOW / 64;

    private final long[] seen = new long[WORDS];
    private long highest = -1;

    /**
     * Marks {@code sequence} seen.
     *
     * @return true the first time a sequence is offered, false for a duplicate (or one too old to tell).
     */
    public boolean firstSighting(final long sequence)
    {
        if (sequence < 0)
        {
            return false;
        }
        if (highest < 0)
        {
            highest = sequence;
            set(sequence);
            return true;
        }
        if (sequence > highest)
        {
            final long advance = sequence - highest;
            if (advance >= WINDOW)
            {
                java.util.Arrays.fill(seen, 0L);
            }
            else
            {
                for (long s = highest + 1; s < sequence; s++)
                {
                    clear(s);
                }
            }
            highest = sequence;
            set(sequence);
            return true;
        }
        if (highest - sequence >= WINDOW)
        {
            return false;
        }
        if (isSet(sequence))
        {
            return false;
        }
        set(sequence);
        return true;
    }

    /**
     * Forgets every sequence, as if new.
     */
    public void reset()
    {
        java.util.Arrays.fill(seen, 0L);
        highest = -1;
    }

    /**
     * The highest sequence seen, or -1 before the first.
     */
    public long highest()
    {
        return highest;
    }

    private void set(final long sequence)
    {
        final int bit = (int)(sequence & (WINDOW - 1));
        seen[bit >>> 6] |= 1L << (bit & 63);
    }

    private void clear(final long sequence)
    {
        final int bit = (int)(sequence & (WINDOW - 1));
        seen[bit >>> 6] &= ~(1L << (bit & 63));
    }

    private boolean isSet(final long sequence)
    {
        final int bit = (int)(sequence & (WINDOW - 1));
        return (seen[bit >>> 6] & (1L << (bit & 63))) != 0;
    }
}
