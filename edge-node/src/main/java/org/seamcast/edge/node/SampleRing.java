package org.seamcast.edge.node;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.Arrays;

/**
 * One value a history tick for the last {@link #CAPACITY} ticks, for the status page's charts: tick {@code t} is
 * the {@code t}-th second since the edge started ({@link #TICK_NS}). Ticks never recorded (before the series began,
 * or with nothing to report) read as absent and are written as JSON {@code null}. Records allocate nothing.
 *
 * <p>Threading: the playout thread only.
 */
final class SampleRing
{
    /** Ticks kept: three minutes at one a second. */
    static final int CAPACITY = 180;

    /** Time between two ticks. */
    static final long TICK_NS = 1_000_000_000L;

    /** What an unrecorded tick holds. */
    static final long ABSENT = Long.MIN_VALUE;

    private final long[] values = new long[CAPACITY];
    private final long[] ticks = new long[CAPACITY];

    SampleRing()
    {
        Arrays.fill(ticks, -1);
    }

    /**
     * @param tick  the tick the value belongs to, never lower than an earlier one.
     * @param value the value; {@link #ABSENT} for none.
     */
    void record(final long tick, final long value)
    {
        final int index = (int)(tick % CAPACITY);
        ticks[index] = tick;
        values[index] = value;
    }

    /**
     * @return the value of {@code tick}, or {@link #ABSENT} if it was not recorded or has been overwritten.
     */
    long get(final long tick)
    {
        final int index = (int)(tick % CAPACITY);
        return tick >= 0 && ticks[index] == tick ? values[index] : ABSENT;
    }

    /**
     * Writes the {@link #CAPACITY} ticks ending at {@code lastTick}, oldest first, as a JSON array of numbers and
     * nulls.
     */
    void write(final JsonGenerator json, final long lastTick) throws IOException
    {
        json.writeStartArray();
        for (long tick = lastTick - CAPACITY + 1; tick <= lastTick; tick++)
        {
            final long value = get(tick);
            if (value == ABSENT)
            {
                json.writeNull();
            }
            else
            {
                json.writeNumber(value);
            }
        }
        json.writeEndArray();
    }
}
