package org.seamcast.edge.engine;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives one engine by hand on a virtual clock for example-based tests, recording what it plays, reports and asks.
 */
final class EngineHarness
{
    static final long T0_US = 1_750_000_000_000_000L;
    static final int MP3_FRAME_US = 26_122;

    record Played(OutputSource source, int encoderId, long epoch, long sequence, long slotUs, long releaseNs,
        long payloadTag)
    {
    }

    record Event(EdgeEvent event, int encoderId, int pathId, long value, long nowNs)
    {
    }

    record Request(int encoderId, long epoch, long fromSequence, long toSequence, long nowNs)
    {
    }

    final List<Played> played = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    final List<Request> requests = new ArrayList<>();
    final EdgeEngineContext ctx;
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
    private EdgeEngine engine;
    long nowNs = T0_US * 1000;

    EngineHarness()
    {
        ctx = new EdgeEngineContext()
            .playoutSink((buffer, offset, length, frame) -> played.add(new Played(frame.source(), frame.encoderId(),
                frame.epoch(), frame.sequence(), frame.slotUs(), frame.releaseNs(),
                length >= 8 ? buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) : -1)))
            .eventListener((event, encoderId, pathId, value, now) ->
                events.add(new Event(event, encoderId, pathId, value, now)))
            .retransmitRequester((encoderId, epoch, from, to) ->
                requests.add(new Request(encoderId, epoch, from, to, nowNs)))
            .maxFutureNs(60_000_000_000L);
    }

    EdgeEngine engine()
    {
        if (null == engine)
        {
            engine = new EdgeEngine(ctx);
        }
        return engine;
    }

    /** Timestamp of frame n of a 26.122 ms grid starting at T0. */
    static long tsUs(final long n)
    {
        return T0_US + n * MP3_FRAME_US;
    }

    /** Offer a frame whose payload is its content number n (identical for every encoder carrying content n). */
    int offer(final int pathId, final int encoderId, final int priority, final long epoch, final long sequence,
        final long timestampUs, final long content, final boolean clean)
    {
        payload.putLong(0, content, ByteOrder.LITTLE_ENDIAN);
        payload.putLong(8, content * 31 + 7, ByteOrder.LITTLE_ENDIAN);
        return engine().onFrame(pathId, encoderId, priority, epoch, sequence, timestampUs, MP3_FRAME_US, clean,
            payload, 0, 32, nowNs);
    }

    /** Advance the clock to t, calling doWork every millisecond and at every slot deadline on the way. */
    void advanceTo(final long tNs)
    {
        while (nowNs < tNs)
        {
            final long deadlineNs = engine().nextDeadlineNs();
            nowNs = Math.min(tNs, Math.min(nowNs + 1_000_000, deadlineNs > nowNs ? deadlineNs : Long.MAX_VALUE));
            engine().doWork(nowNs);
        }
    }

    long count(final EdgeEvent event)
    {
        return events.stream().filter(e -> e.event() == event).count();
    }
}
