package org.seamcast.edge.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.EpochNanoClock;
import org.seamcast.edge.engine.EdgeEvent;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.IntToLongFunction;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The edge's meters, besides the links' and the headroom histogram ({@link PathHeadroom}): per mount what plays
 * (encoder, rank, fallback), frames, events, listeners and buffer depth; per encoder its offset and dead air; per
 * path whether it is up. Counters read the engines' thread-safe counts; gauges of state read the status snapshot
 * the playout thread renders when asked (a scrape asks once), never the engines themselves.
 *
 * <p>Threading: mounts and encoders are registered as they appear, on the {@code registrar} executor's thread, not
 * the playout thread that reports them: a mount's 28 meters cost that thread about 2.5 ms while the code is cold
 * (two thirds of setting a mount up), so 250 mounts appearing at once held every mount's playout back for a second.
 * Paths are registered at start. The meters are read by the admin thread's scrape.
 */
final class EdgeMetrics
{
    private final MeterRegistry registry;
    private final Supplier<List<MountStatus>> snapshot;
    private final Executor registrar;
    /** Encoders whose meters exist: the registrar's thread only. */
    private final LongHashSet encodersRegistered = new LongHashSet();

    /**
     * @param registrar runs the registrations of mounts and encoders, one at a time, in the order asked.
     */
    EdgeMetrics(final MeterRegistry registry, final Supplier<List<MountStatus>> snapshot, final Executor registrar)
    {
        this.registry = registry;
        this.snapshot = snapshot;
        this.registrar = registrar;
    }

    /**
     * Has the meters of a mount that has just appeared registered.
     */
    void mount(final MountPlayout mount)
    {
        registrar.execute(() -> registerMount(mount));
    }

    /**
     * Has the gauges of one encoder of a mount registered, the first time it appears; later calls for the same
     * encoder do nothing.
     */
    void encoder(final String mount, final int encoderId)
    {
        registrar.execute(() -> registerEncoder(mount, encoderId));
    }

    private void registerMount(final MountPlayout mount)
    {
        final String name = mount.mount().toString();
        FunctionCounter.builder("seamcast.edge.frames.played", mount.engine(), e -> e.framesPlayed())
            .description("encoder frames played to listeners").tag("mount", name).register(registry);
        FunctionCounter.builder("seamcast.edge.fallback.frames", mount.engine(), e -> e.fallbackFrames())
            .description("fallback frames played (silence or the fallback file) while no encoder had audio")
            .tag("mount", name).register(registry);
        for (final EdgeEvent event : EdgeEvent.values())
        {
            FunctionCounter.builder("seamcast.edge.events", mount.engine(), e -> e.eventCount(event))
                .description("playout engine events by kind: switch, fallback_start, late, duplicate, bridge, ...")
                .tag("mount", name).tag("event", event.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        Gauge.builder("seamcast.edge.listeners", mount.point(), p -> p.listenerCount())
            .description("listeners connected to the mount").tag("mount", name).register(registry);
        FunctionCounter.builder("seamcast.edge.listeners.dropped.slow", mount.point(), p -> p.listenersDroppedSlow())
            .description("listeners dropped because they stopped reading").tag("mount", name).register(registry);
        FunctionCounter.builder("seamcast.edge.listeners.frames.dropped", mount.point(), p -> p.framesDroppedBehind())
            .description("frames no listener got because the mount's listener event loop was far behind playout")
            .tag("mount", name).register(registry);
        Gauge.builder("seamcast.edge.buffer.frames", this, m -> m.mountValue(name, MountStatus::pendingFrames))
            .description("frames of the playing encoder still to come: the playout buffer's depth")
            .tag("mount", name).register(registry);
        Gauge.builder("seamcast.edge.active.encoder", this, m -> m.mountValue(name, MountStatus::activeEncoder))
            .description("id of the encoder playing, -1 while none does (fallback, or before the first frame)")
            .tag("mount", name).register(registry);
        Gauge.builder("seamcast.edge.active.encoder.rank", this, m -> m.mountValue(name, EdgeMetrics::activeRank))
            .description("priority rank of the encoder playing: 0 the primary, 1 and more a backup, -1 none")
            .tag("mount", name).register(registry);
        Gauge.builder("seamcast.edge.fallback", this, m -> m.mountValue(name, s -> s.fallback() ? 1 : 0))
            .description("1 while fallback plays because no encoder has audio, else 0")
            .tag("mount", name).register(registry);
    }

    private void registerEncoder(final String mount, final int encoderId)
    {
        final long key = ((long)mount.hashCode() << 32) ^ (encoderId & 0xFFFF_FFFFL);
        if (!encodersRegistered.add(key))
        {
            return;
        }
        final String id = Integer.toString(encoderId);
        Gauge.builder("seamcast.edge.encoder.offset", this, m -> m.encoderValue(mount, encoderId,
                e -> e.offsetUs() / 1e6))
            .description("offset added to the encoder's timestamps on the mount timeline (negative: it lags)")
            .baseUnit("seconds").tag("mount", mount).tag("encoder", id).register(registry);
        Gauge.builder("seamcast.edge.encoder.offset.capped", this, m -> m.encoderValue(mount, encoderId,
                e -> e.offsetCapped() ? 1 : 0))
            .description("1 when the playout delay is too short for the encoder's lag and a smaller offset is used")
            .tag("mount", mount).tag("encoder", id).register(registry);
        Gauge.builder("seamcast.edge.encoder.offset.confidence", this, m -> m.encoderValue(mount, encoderId,
                EncoderStatus::offsetConfidence))
            .description("confidence of the encoder's offset: 1 operator or hash-learned, the envelope alignment's")
            .tag("mount", mount).tag("encoder", id).register(registry);
        Gauge.builder("seamcast.edge.encoder.dead.air", this, m -> m.encoderValue(mount, encoderId,
                e -> e.deadAir() ? 1 : 0))
            .description("1 while the encoder has been silent for the dead-air time (its studio feed is gone)")
            .tag("mount", mount).tag("encoder", id).register(registry);
    }

    /**
     * Registers {@code seamcast_edge_path_up{path,address,kind}} for one path.
     *
     * @param lastHeardNs when each path last delivered a message, by path id (thread-safe).
     * @param clock       the edge's clock.
     */
    static void path(
        final MeterRegistry registry, final EdgePath path, final IntToLongFunction lastHeardNs,
        final EpochNanoClock clock)
    {
        Gauge.builder("seamcast.edge.path.up", path,
                p -> p.isUp(lastHeardNs.applyAsLong(p.id()), clock.nanoTime()) ? 1 : 0)
            .description("1 while the path is up: a relay link connected, or a listening path heard from within 3 s")
            .tag("path", Integer.toString(path.id()))
            .tag("address", path.address())
            .tag("kind", path.kind().name().toLowerCase(Locale.ROOT))
            .strongReference(true)
            .register(registry);
    }

    private static int activeRank(final MountStatus status)
    {
        final List<EncoderStatus> encoders = status.encoderStatus();
        for (int rank = 0; rank < encoders.size(); rank++)
        {
            if (encoders.get(rank).id() == status.activeEncoder())
            {
                return rank;
            }
        }
        return -1;
    }

    private double mountValue(final String mount, final ToDoubleFunction<MountStatus> value)
    {
        for (final MountStatus status : snapshot.get())
        {
            if (status.mount().equals(mount))
            {
                return value.applyAsDouble(status);
            }
        }
        return Double.NaN;
    }

    private double encoderValue(final String mount, final int encoderId, final ToDoubleFunction<EncoderStatus> value)
    {
        for (final MountStatus status : snapshot.get())
        {
            if (status.mount().equals(mount))
            {
                for (final EncoderStatus encoder : status.encoderStatus())
                {
                    if (encoder.id() == encoderId)
                    {
                        return value.applyAsDouble(encoder);
                    }
                }
            }
        }
        return Double.NaN;
    }
}
