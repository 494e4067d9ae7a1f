package org.seamcast.edge.listener;

import com.fasterxml.jackson.core.JsonGenerator;
import org.seamcast.transport.http.Json;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Renders {@code /status-json.xsl} in the shape Icecast 2.4 gives it, so tools written for Icecast read an edge:
 * {@code icestats.source} is an object for one mount, an array for several, absent for none. Written with
 * {@link Json}, so a title or stream name of any content stays valid JSON.
 */
final class IcecastStatusJson
{
    private IcecastStatusJson()
    {
    }

    static String render(
        final String serverName, final String host, final long startedEpochMs, final Collection<MountPoint> mounts)
    {
        final List<MountPoint> sorted = new ArrayList<>(mounts);
        sorted.sort(Comparator.comparing(MountPoint::name));
        return Json.render(json ->
        {
            json.writeStartObject();
            json.writeObjectFieldStart("icestats");
            json.writeStringField("admin", "icemaster@localhost");
            json.writeStringField("host", host);
            json.writeStringField("location", "Seamcast edge");
            json.writeStringField("server_id", serverName);
            json.writeStringField("server_start_iso8601", iso(startedEpochMs));
            if (sorted.size() == 1)
            {
                json.writeFieldName("source");
                source(json, host, sorted.get(0));
            }
            else if (sorted.size() > 1)
            {
                json.writeArrayFieldStart("source");
                for (final MountPoint mount : sorted)
                {
                    source(json, host, mount);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static void source(final JsonGenerator json, final String host, final MountPoint mount) throws IOException
    {
        final StreamHeaders headers = mount.headers();
        json.writeStartObject();
        json.writeStringField("audio_info", headers.audioInfo());
        if (headers.bitrateKbps() > 0)
        {
            json.writeNumberField("bitrate", headers.bitrateKbps());
        }
        json.writeStringField("genre", headers.genre());
        json.writeNumberField("listener_peak", mount.listenerPeak());
        json.writeNumberField("listeners", mount.listenerCount());
        json.writeStringField("listenurl", "http://" + host + mount.name());
        json.writeStringField("server_description", headers.description());
        json.writeStringField("server_name", headers.name());
        json.writeStringField("server_type", headers.contentType());
        json.writeStringField("server_url", headers.url());
        json.writeStringField("stream_start_iso8601", iso(mount.startedEpochMs()));
        json.writeStringField("title", mount.title());
        json.writeNullField("dummy");
        json.writeEndObject();
    }

    private static String iso(final long epochMs)
    {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.ofEpochMilli(epochMs).atOffset(ZoneOffset.UTC));
    }
}
