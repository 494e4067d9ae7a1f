package org.seamcast.ingest;

import org.seamcast.ingest.send.RelayFanout;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.http.Json;

import java.util.List;

/**
 * Renders the ingest's {@code /status.json}: who it is, its live mounts, and per relay whether the link is up and
 * what was sent and dropped. Written with {@link Json}, so a mount such as {@code /a\} or {@code /a"b} (both valid
 * mount names) stays valid JSON.
 */
final class IngestStatusJson
{
    private IngestStatusJson()
    {
    }

    static String render(
        final String nodeName, final long encoderId, final int priority, final List<String> mounts,
        final RelayFanout fanout)
    {
        return Json.render(json ->
        {
            json.writeStartObject();
            json.writeStringField("node", nodeName);
            json.writeNumberField("encoderId", encoderId);
            json.writeNumberField("priority", priority);
            json.writeArrayFieldStart("mounts");
            for (final String mount : mounts)
            {
                json.writeString(mount);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("relays");
            final List<MessageLink> links = fanout.links();
            for (int i = 0; i < links.size(); i++)
            {
                json.writeStartObject();
                json.writeStringField("address", links.get(i).address().toString());
                json.writeBooleanField("connected", links.get(i).isConnected());
                json.writeNumberField("sent", fanout.sent(i));
                json.writeNumberField("queueFullDrops", fanout.queueFullDrops(i));
                json.writeNumberField("linkDrops", fanout.linkDrops(i));
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }
}
