package org.seamcast.edge.node;

import org.seamcast.edge.engine.EdgeEngine;
import org.seamcast.edge.listener.ListenerServer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Renders the edge's live state as {@code /status.json}: per mount the playing encoder, fallback, buffer depth,
 * listeners, every encoder's offset and frames, and recent events; per relay path its connection and last message.
 * Built on the playout thread, served as a snapshot.
 */
final class EdgeStatusJson
{
    private EdgeStatusJson()
    {
    }

    static String render(
        final EdgeContext ctx,
        final Collection<MountPlayout> mounts,
        final List<MountStatus> snapshot,
        final List<EdgePath> paths,
        final java.util.concurrent.atomic.AtomicLongArray pathLastHeardNs,
        final long nowNs,
        final ListenerServer listeners)
    {
        final StringBuilder b = new StringBuilder(1024);
        b.append("{\"node\":").append(quote(ctx.nodeName()))
            .append(",\"timeMs\":").append(nowNs / 1_000_000)
            .append(",\"playoutDelayMs\":").append(ctx.playoutDelayMs())
            .append(",\"listeners\":").append(listeners.listenerCount())
            .append(",\"paths\":[");
        for (int i = 0; i < paths.size(); i++)
        {
            final EdgePath path = paths.get(i);
            final long lastHeardNs = pathLastHeardNs.get(i);
            b.append(i == 0 ? "" : ",").append("{\"id\":").append(i)
                .append(",\"address\":").append(quote(path.address()))
                .append(",\"kind\":").append(quote(path.kind().name().toLowerCase(java.util.Locale.ROOT)))
                .append(",\"connected\":").append(path.isUp(lastHeardNs, nowNs))
                .append(",\"problem\":").append(quote(path.problem(lastHeardNs, nowNs)))
                .append(",\"lastMessageAgoMs\":")
                .append(lastHeardNs == 0 ? "null" : String.valueOf((nowNs - lastHeardNs) / 1_000_000))
                .append('}');
        }
        b.append("],\"mounts\":[");
        final List<MountPlayout> sorted = new ArrayList<>(mounts);
        sorted.sort(Comparator.comparing(m -> m.mount().toString()));
        for (int m = 0; m < sorted.size(); m++)
        {
            final MountPlayout mount = sorted.get(m);
            final EdgeEngine engine = mount.engine();
            b.append(m == 0 ? "" : ",").append("{\"mount\":").append(quote(mount.mount().toString()))
                .append(",\"activeEncoder\":").append(engine.activeEncoderId())
                .append(",\"fallback\":").append(engine.isInFallback())
                .append(",\"pendingFrames\":").append(engine.pendingFrames())
                .append(",\"heldFrames\":").append(engine.bufferedFrames())
                .append(",\"framesPlayed\":").append(engine.framesPlayed())
                .append(",\"fallbackFrames\":").append(engine.fallbackFrames())
                .append(",\"listeners\":").append(mount.point().listenerCount())
                .append(",\"title\":").append(quote(mount.point().title()))
                .append(",\"encoders\":[");
            final List<EncoderStatus> encoders = encodersOf(snapshot, mount.mount().toString());
            for (int rank = 0; rank < encoders.size(); rank++)
            {
                final EncoderStatus encoder = encoders.get(rank);
                b.append(rank == 0 ? "" : ",").append("{\"id\":").append(encoder.id())
                    .append(",\"epoch\":").append(encoder.epoch())
                    .append(",\"framesPlayed\":").append(encoder.framesPlayed())
                    .append(",\"offsetUs\":").append(encoder.offsetUs())
                    .append(",\"rawOffsetUs\":").append(encoder.rawOffsetUs())
                    .append(",\"offsetSource\":").append(quote(encoder.offsetSource()))
                    .append(",\"offsetLearned\":").append(!"none".equals(encoder.offsetSource())
                        && !"operator".equals(encoder.offsetSource()))
                    .append(",\"offsetCapped\":").append(encoder.offsetCapped())
                    .append(",\"requiredPlayoutDelayMs\":").append(encoder.requiredPlayoutDelayMs())
                    .append(",\"offsetConfidence\":").append(Math.round(encoder.offsetConfidence() * 100) / 100.0)
                    .append(",\"deadAir\":").append(encoder.deadAir())
                    .append(",\"silentForMs\":").append(encoder.silentForMs())
                    .append('}');
            }
            b.append("],\"paths\":[");
            for (int p = 0; p < paths.size(); p++)
            {
                b.append(p == 0 ? "" : ",").append("{\"id\":").append(p)
                    .append(",\"received\":").append(engine.pathFramesReceived(p))
                    .append(",\"firstCopies\":").append(engine.pathFirstCopies(p))
                    .append(",\"duplicates\":").append(engine.pathDuplicates(p))
                    .append(",\"late\":").append(engine.pathLate(p))
                    .append('}');
            }
            b.append("],\"recentEvents\":[");
            int e = 0;
            for (final String event : mount.recentEvents())
            {
                b.append(e++ == 0 ? "" : ",").append(quote(event));
            }
            b.append("]}");
        }
        return b.append("]}").toString();
    }

    private static List<EncoderStatus> encodersOf(final List<MountStatus> snapshot, final String mount)
    {
        for (final MountStatus status : snapshot)
        {
            if (status.mount().equals(mount))
            {
                return status.encoderStatus();
            }
        }
        return List.of();
    }

    static String quote(final String value)
    {
        if (value == null)
        {
            return "null";
        }
        final StringBuilder b = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
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
        return b.append('"').toString();
    }
}
