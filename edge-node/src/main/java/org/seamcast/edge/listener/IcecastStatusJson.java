package org.seamcast.edge.listener;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Renders {@code /status-json.xsl} in the shape Icecast 2.4 gives it, so tools written for Icecast read an edge:
 * {@code icestats.source} is an object for one mount, an array for several, absent for none.
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
        final StringBuilder b = new StringBuilder(256 + 512 * sorted.size());
        b.append("{\"icestats\":{");
        field(b, "admin", "icemaster@localhost").append(',');
        field(b, "host", host).append(',');
        field(b, "location", "Seamcast edge").append(',');
        field(b, "server_id", serverName).append(',');
        field(b, "server_start_iso8601", iso(startedEpochMs));
        if (!sorted.isEmpty())
        {
            b.append(",\"source\":");
            if (sorted.size() > 1)
            {
                b.append('[');
            }
            for (int i = 0; i < sorted.size(); i++)
            {
                if (i > 0)
                {
                    b.append(',');
                }
                source(b, host, sorted.get(i));
            }
            if (sorted.size() > 1)
            {
                b.append(']');
            }
        }
        return b.append("}}").toString();
    }

    private static void source(final StringBuilder b, final String host, final MountPoint mount)
    {
        final StreamHeaders headers = mount.headers();
        b.append('{');
        field(b, "audio_info", headers.audioInfo()).append(',');
        if (headers.bitrateKbps() > 0)
        {
            b.append("\"bitrate\":").append(headers.bitrateKbps()).append(',');
        }
        field(b, "genre", headers.genre()).append(',');
        b.append("\"listener_peak\":").append(mount.listenerPeak()).append(',');
        b.append("\"listeners\":").append(mount.listenerCount()).append(',');
        field(b, "listenurl", "http://" + host + mount.name()).append(',');
        field(b, "server_description", headers.description()).append(',');
        field(b, "server_name", headers.name()).append(',');
        field(b, "server_type", headers.contentType()).append(',');
        field(b, "server_url", headers.url()).append(',');
        field(b, "stream_start_iso8601", iso(mount.startedEpochMs())).append(',');
        field(b, "title", mount.title()).append(',');
        b.append("\"dummy\":null}");
    }

    private static StringBuilder field(final StringBuilder b, final String name, final String value)
    {
        b.append('"').append(name).append("\":");
        if (value == null)
        {
            return b.append("null");
        }
        b.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        b.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }

    private static String iso(final long epochMs)
    {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.ofEpochMilli(epochMs).atOffset(ZoneOffset.UTC));
    }
}
