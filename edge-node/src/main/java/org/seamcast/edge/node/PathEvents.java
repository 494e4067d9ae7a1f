package org.seamcast.edge.node;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * When each path went down and came back (a reconnect), for the status page's timeline: the paths' states are
 * sampled with every status snapshot and each change after a path was first up is kept, the latest
 * {@link #CAPACITY} of them. A path that never came up has no events (its row on the page says why).
 *
 * <p>Threading: the playout thread only.
 */
final class PathEvents
{
    /** Path state changes kept. */
    static final int CAPACITY = 64;

    private final long[] timeMs = new long[CAPACITY];
    private final int[] pathIds = new int[CAPACITY];
    private final boolean[] ups = new boolean[CAPACITY];
    private final String[] problems = new String[CAPACITY];
    private long recorded;
    private boolean[] wasUp = new boolean[0];
    private boolean[] seenUp = new boolean[0];

    /**
     * Compares each path's state with the last sample and records the changes.
     *
     * @param lastHeardNs when each path last delivered a message, by path id.
     */
    void sample(final List<EdgePath> paths, final IntToLongFunction lastHeardNs, final long nowNs)
    {
        if (wasUp.length != paths.size())
        {
            wasUp = java.util.Arrays.copyOf(wasUp, paths.size());
            seenUp = java.util.Arrays.copyOf(seenUp, paths.size());
        }
        for (int p = 0; p < paths.size(); p++)
        {
            final EdgePath path = paths.get(p);
            final long heardNs = lastHeardNs.applyAsLong(path.id());
            final boolean up = path.isUp(heardNs, nowNs);
            if (up != wasUp[p] && seenUp[p])
            {
                final int index = (int)(recorded++ % CAPACITY);
                timeMs[index] = nowNs / 1_000_000;
                pathIds[index] = path.id();
                ups[index] = up;
                problems[index] = up ? null : path.problem(heardNs, nowNs);
            }
            wasUp[p] = up;
            seenUp[p] |= up;
        }
    }

    /**
     * Writes the array {@code [{timeMs, path, kind: "down"|"up", problem}, ...]}, oldest first.
     */
    void write(final JsonGenerator json) throws IOException
    {
        json.writeStartArray();
        for (long n = Math.max(0, recorded - CAPACITY); n < recorded; n++)
        {
            final int index = (int)(n % CAPACITY);
            json.writeStartObject();
            json.writeNumberField("timeMs", timeMs[index]);
            json.writeNumberField("path", pathIds[index]);
            json.writeStringField("kind", ups[index] ? "up" : "down");
            json.writeStringField("problem", problems[index]);
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
