package org.seamcast.edge.node;

import com.fasterxml.jackson.core.JsonGenerator;
import org.seamcast.edge.engine.EdgeEngine;
import org.seamcast.edge.engine.EdgeEvent;
import org.seamcast.edge.listener.ListenerServer;
import org.seamcast.transport.http.Json;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Renders the edge's live state as {@code /status.json}: per mount the playing encoder, fallback, buffer depth,
 * listeners, bridges, every encoder's ingest, start, offset, dead air and frames, and recent events; per path (a
 * subscribed or repair relay, a listening source) its kind, whether it is up, its last message and its delay from the
 * ingests' heartbeats. For the status page's pictures it adds the last {@link SampleRing#CAPACITY} seconds of each
 * path's arrival headroom and each mount's buffer depth, a timeline per mount and the paths' downs and ups
 * ({@code history} gives the time grid).
 * Each mount is rendered on the thread of the playout agent that owns it, the whole put together from the agents'
 * parts ({@link PlayoutShards}) and served as a snapshot; written with {@link Json}, so mount names, titles and link
 * problems of any content stay valid JSON.
 */
final class EdgeStatusJson
{
    private EdgeStatusJson()
    {
    }

    /**
     * The whole status, put together from the playout agents' parts ({@link PlayoutShards}).
     *
     * @param mountsJson      every mount's object, sorted by mount name, as {@link #mount} rendered it.
     * @param pathLastHeardNs when each path last delivered (engine clock), 0 for never.
     * @param nowNs           the time the status is of (agent 0's duty cycle when it rendered).
     * @param tick            the running history second ({@code nowNs / SampleRing.TICK_NS}).
     * @param headroom        every path's headroom seconds up to {@code tick - 1}, or null before any was rendered.
     * @param pathEventsJson  the paths' downs and ups as a JSON array ({@link #pathEvents}).
     */
    static String render(
        final EdgeContext ctx,
        final List<String> mountsJson,
        final List<EdgePath> paths,
        final java.util.concurrent.atomic.AtomicLongArray pathLastHeardNs,
        final PathDelays pathDelays,
        final long nowNs,
        final ListenerServer listeners,
        final long tick,
        final PathHeadroom.Window headroom,
        final String pathEventsJson)
    {
        return Json.render(json ->
        {
            json.writeStartObject();
            json.writeStringField("node", ctx.nodeName());
            json.writeNumberField("timeMs", nowNs / 1_000_000);
            json.writeNumberField("playoutDelayMs", ctx.playoutDelayMs());
            json.writeNumberField("playoutThreads", ctx.playoutThreads());
            json.writeNumberField("listeners", listeners.listenerCount());
            json.writeObjectFieldStart("history");
            json.writeNumberField("stepMs", SampleRing.TICK_NS / 1_000_000);
            json.writeNumberField("samples", SampleRing.CAPACITY);
            json.writeNumberField("endMs", tick * (SampleRing.TICK_NS / 1_000_000));
            json.writeEndObject();
            json.writeArrayFieldStart("paths");
            for (int i = 0; i < paths.size(); i++)
            {
                path(json, paths.get(i), pathLastHeardNs.get(i), pathDelays, nowNs);
                if (headroom != null)
                {
                    headroom.write(json, i);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeFieldName("pathEvents");
            json.writeRawValue(pathEventsJson);
            json.writeArrayFieldStart("mounts");
            for (final String mount : mountsJson)
            {
                json.writeRawValue(mount);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /**
     * @return the paths' downs and ups as a JSON array, on the thread that samples them.
     */
    static String pathEvents(final PathEvents events)
    {
        return Json.render(events::write);
    }

    /**
     * Writes a path's fields into an object it starts; the caller adds more and ends it.
     */
    private static void path(
        final JsonGenerator json, final EdgePath path, final long lastHeardNs, final PathDelays delays, final long nowNs)
        throws IOException
    {
        json.writeStartObject();
        json.writeNumberField("id", path.id());
        json.writeStringField("address", path.address());
        json.writeStringField("kind", path.kind().name().toLowerCase(java.util.Locale.ROOT));
        json.writeBooleanField("connected", path.isUp(lastHeardNs, nowNs));
        json.writeStringField("problem", path.problem(lastHeardNs, nowNs));
        json.writeFieldName("lastMessageAgoMs");
        if (lastHeardNs == 0)
        {
            json.writeNull();
        }
        else
        {
            json.writeNumber((nowNs - lastHeardNs) / 1_000_000);
        }
        json.writeFieldName("delayMs");
        if (delays.isKnown(path.id()))
        {
            json.writeNumber(delays.delayUs(path.id()) / 1000.0);
        }
        else
        {
            json.writeNull();
        }
    }

    /**
     * @return one mount's object, on the thread of the agent that owns it; its history ends at {@code lastTick}.
     */
    static String mount(final MountPlayout mount, final List<EncoderStatus> encoders, final int paths,
        final long lastTick)
    {
        return Json.render(json -> mount(json, mount, encoders, paths, lastTick));
    }

    private static void mount(
        final JsonGenerator json,
        final MountPlayout mount,
        final List<EncoderStatus> encoders,
        final int paths,
        final long lastTick)
        throws IOException
    {
        final EdgeEngine engine = mount.engine();
        json.writeStartObject();
        json.writeStringField("mount", mount.mount().toString());
        json.writeNumberField("activeEncoder", engine.activeEncoderId());
        json.writeBooleanField("fallback", engine.isInFallback());
        json.writeStringField("fallbackPlays", mount.fallback().playsFile() ? "file" : "silence");
        json.writeStringField("fallbackFile", mount.fallback().fileName());
        json.writeStringField("fallbackRefusal", mount.fallback().refusal());
        json.writeNumberField("pendingFrames", engine.pendingFrames());
        json.writeNumberField("heldFrames", engine.bufferedFrames());
        json.writeNumberField("framesPlayed", engine.framesPlayed());
        json.writeNumberField("fallbackFrames", engine.fallbackFrames());
        json.writeNumberField("listeners", mount.point().listenerCount());
        json.writeStringField("title", mount.point().title());
        json.writeNumberField("titleEncoder", mount.titles().newestEncoder());
        json.writeNumberField("titlesRefused", mount.titles().refusedFromTheFuture());
        json.writeObjectFieldStart("bridges");
        json.writeNumberField("switches", mount.history().bridgesStarted());
        json.writeNumberField("frames", engine.eventCount(EdgeEvent.BRIDGE));
        json.writeNumberField("silent", engine.eventCount(EdgeEvent.BRIDGE_SILENT));
        json.writeNumberField("refused", engine.eventCount(EdgeEvent.BRIDGE_REFUSED));
        json.writeEndObject();
        json.writeArrayFieldStart("encoders");
        for (final EncoderStatus encoder : encoders)
        {
            encoder(json, encoder);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("paths");
        for (int p = 0; p < paths; p++)
        {
            json.writeStartObject();
            json.writeNumberField("id", p);
            json.writeNumberField("received", engine.pathFramesReceived(p));
            json.writeNumberField("firstCopies", engine.pathFirstCopies(p));
            json.writeNumberField("duplicates", engine.pathDuplicates(p));
            json.writeNumberField("late", engine.pathLate(p));
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("recentEvents");
        for (final String event : mount.recentEvents())
        {
            json.writeString(event);
        }
        json.writeEndArray();
        mount.history().write(json, lastTick);
        json.writeEndObject();
    }

    private static void encoder(final JsonGenerator json, final EncoderStatus encoder) throws IOException
    {
        json.writeStartObject();
        json.writeNumberField("id", encoder.id());
        json.writeStringField("ingest", encoder.ingest());
        json.writeNumberField("epoch", encoder.epoch());
        json.writeStringField("startedAt",
            encoder.epoch() <= 0 ? null : Instant.ofEpochMilli(encoder.epoch()).toString());
        json.writeNumberField("framesPlayed", encoder.framesPlayed());
        json.writeNumberField("offsetUs", encoder.offsetUs());
        json.writeNumberField("rawOffsetUs", encoder.rawOffsetUs());
        json.writeStringField("offsetSource", encoder.offsetSource());
        json.writeBooleanField("offsetLearned",
            !"none".equals(encoder.offsetSource()) && !"operator".equals(encoder.offsetSource()));
        json.writeBooleanField("offsetCapped", encoder.offsetCapped());
        json.writeNumberField("requiredPlayoutDelayMs", encoder.requiredPlayoutDelayMs());
        json.writeNumberField("offsetConfidence", Math.round(encoder.offsetConfidence() * 100) / 100.0);
        json.writeBooleanField("deadAir", encoder.deadAir());
        json.writeNumberField("silentForMs", encoder.silentForMs());
        json.writeStringField("title", encoder.title());
        json.writeEndObject();
    }
}
