package org.seamcast.edge.node;

import com.fasterxml.jackson.core.JsonGenerator;
import org.seamcast.edge.engine.EdgeEngine;
import org.seamcast.edge.engine.EdgeEvent;

import java.io.IOException;
import java.util.Locale;

/**
 * What the status page draws of one mount over the last minutes: the playout buffer's depth each second, and a
 * timeline of what an engineer would otherwise dig out of logs: switches, switch-backs, fallback runs, dead air,
 * bridged and refused splices, epoch changes. The timeline keeps the latest {@link #TIMELINE_CAPACITY} events.
 *
 * <p>Threading: the playout thread only.
 */
final class MountHistory
{
    /** Timeline events kept per mount. */
    static final int TIMELINE_CAPACITY = 64;

    private final SampleRing bufferFrames = new SampleRing();
    private final long[] timeMs = new long[TIMELINE_CAPACITY];
    private final EdgeEvent[] kinds = new EdgeEvent[TIMELINE_CAPACITY];
    private final int[] encoders = new int[TIMELINE_CAPACITY];
    private final long[] values = new long[TIMELINE_CAPACITY];
    private long eventsRecorded;
    private long bridgesStarted;

    /**
     * @return whether {@code event} belongs on the timeline; a bridge counts once, at the first frame of its chain.
     */
    static boolean isTimelineEvent(final EdgeEvent event, final long value)
    {
        return switch (event)
        {
            case SWITCH, SWITCH_BACK, FALLBACK_START, FALLBACK_END, DEAD_AIR, BRIDGE_SILENT, BRIDGE_REFUSED,
                 EPOCH_CHANGE -> true;
            case BRIDGE -> value == 0;
            default -> false;
        };
    }

    /**
     * Remembers an engine event if it belongs on the timeline.
     */
    void onEvent(final EdgeEvent event, final int encoderId, final long value, final long nowNs)
    {
        if (!isTimelineEvent(event, value))
        {
            return;
        }
        if (event == EdgeEvent.BRIDGE)
        {
            bridgesStarted++;
        }
        final int index = (int)(eventsRecorded++ % TIMELINE_CAPACITY);
        timeMs[index] = nowNs / 1_000_000;
        kinds[index] = event;
        encoders[index] = encoderId;
        values[index] = value;
    }

    /**
     * Records the buffer depth of history tick {@code tick}.
     */
    void tick(final long tick, final int pendingFrames)
    {
        bufferFrames.record(tick, pendingFrames);
    }

    /**
     * @return switches bridged (a bridge chain started), for status.
     */
    long bridgesStarted()
    {
        return bridgesStarted;
    }

    /**
     * Writes {@code "bufferFrames": [...]} ending at {@code lastTick} and {@code "timeline": [{timeMs, kind,
     * encoder, value}, ...]}, oldest first.
     */
    void write(final JsonGenerator json, final long lastTick) throws IOException
    {
        json.writeFieldName("bufferFrames");
        bufferFrames.write(json, lastTick);
        json.writeArrayFieldStart("timeline");
        final long first = Math.max(0, eventsRecorded - TIMELINE_CAPACITY);
        for (long n = first; n < eventsRecorded; n++)
        {
            final int index = (int)(n % TIMELINE_CAPACITY);
            json.writeStartObject();
            json.writeNumberField("timeMs", timeMs[index]);
            json.writeStringField("kind", kinds[index].name().toLowerCase(Locale.ROOT));
            json.writeNumberField("encoder", encoders[index] == EdgeEngine.NO_ENCODER ? -1 : encoders[index]);
            json.writeNumberField("value", values[index]);
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
