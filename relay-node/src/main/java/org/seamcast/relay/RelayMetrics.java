package org.seamcast.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.transport.metrics.OwnedCounter;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's counters and gauges, registered once so counting on the hot path allocates nothing. Names are stable
 * (see {@code docs/relay.md}):
 *
 * <pre>
 *   seamcast.relay.frames.in         {path}             every FRAME copy that reached the relay core
 *   seamcast.relay.frames.duplicate  {path}             copies dropped because the frame was already relayed
 *   seamcast.relay.frames.accepted   {mount, encoder}   first copies: stored in the ring and fanned out
 *   seamcast.relay.frames.candidate                     frames of unproven candidates: held or counted, not sent
 *   seamcast.relay.candidates        {outcome}          candidates that replaced a stream (promoted) or gave up
 *   seamcast.relay.streams.evicted                      idle streams that gave way to a new one in a full table
 *   seamcast.relay.frames.out        {path}             copies sent: path=subscribers, or a forward link's URL
 *   seamcast.relay.frames.replayed   {reason}           frames sent from the ring: reason=resume|retransmit
 *   seamcast.relay.control.forwarded {type}             ANNOUNCE, METADATA, HEARTBEAT sent on
 *   seamcast.relay.control.suppressed {type}            repeats held back so they do not multiply across tiers
 *   seamcast.relay.drops             {reason}           see {@link RelayDropReason}
 *   seamcast.relay.subscribers                          gauge: subscribed connections
 *   seamcast.relay.streams                              gauge: (mount, encoder, epoch) streams held
 *   seamcast.relay.ring.depth.frames {mount, encoder}   gauge: frames held in the newest epoch's ring
 *   seamcast.relay.ring.log.bytes                       gauge: memory of the replay log that holds every ring
 *   seamcast.relay.ring.log.seconds                     gauge: how far back the replay log reaches
 *   seamcast.relay.queue.bytes       {queue}            gauge: bytes waiting for the core, queue=data|control
 * </pre>
 *
 * <p>Threading: counters may be incremented from any thread; per-stream meters are created by the agent.
 */
final class RelayMetrics
{
    static final String SUBSCRIBERS_PATH = "subscribers";

    private static final String CANDIDATES_HELP =
        "candidate streams that proved themselves and replaced a stream (promoted) or gave up (abandoned)";
    private static final String REPLAYED_HELP = "frames sent from the replay ring, reason=resume|retransmit";

    private final MeterRegistry registry;
    private final EnumMap<RelayDropReason, Counter> drops = new EnumMap<>(RelayDropReason.class);
    private OwnedCounter[] framesIn = new OwnedCounter[0];
    private OwnedCounter[] duplicates = new OwnedCounter[0];
    private List<String> inboundPaths = List.of();
    private final OwnedCounter framesOutToSubscribers;
    private final Counter candidateFrames;
    private final Counter candidatesPromoted;
    private final Counter candidatesAbandoned;
    private final Counter streamsEvicted;
    private final Counter replayedForResume;
    private final Counter replayedForRetransmit;
    private final Counter[] controlForwarded = new Counter[MessageType.HEARTBEAT.code() + 1];
    private final Counter[] controlSuppressed = new Counter[MessageType.HEARTBEAT.code() + 1];
    private final Map<String, StreamMeters> streamMeters = new HashMap<>();
    private volatile int subscribers;
    private volatile int streams;
    private volatile long replayLogBytes;
    private volatile double replayLogSeconds;

    RelayMetrics(final MeterRegistry registry)
    {
        this.registry = registry;
        for (final RelayDropReason reason : RelayDropReason.values())
        {
            drops.put(reason, Counter.builder("seamcast.relay.drops")
                .description("messages the relay core dropped, by reason (see docs/relay.md)")
                .tag("reason", reason.tag()).register(registry));
        }
        framesOutToSubscribers = framesOut(SUBSCRIBERS_PATH);
        candidateFrames = Counter.builder("seamcast.relay.frames.candidate")
            .description("frames of unproven candidate streams (a new epoch or a jump): held, not sent yet")
            .register(registry);
        candidatesPromoted = Counter.builder("seamcast.relay.candidates").tag("outcome", "promoted")
            .description(CANDIDATES_HELP).register(registry);
        candidatesAbandoned = Counter.builder("seamcast.relay.candidates").tag("outcome", "abandoned")
            .description(CANDIDATES_HELP).register(registry);
        streamsEvicted = Counter.builder("seamcast.relay.streams.evicted")
            .description("idle streams that gave their place to a new one in a full table").register(registry);
        replayedForResume = Counter.builder("seamcast.relay.frames.replayed").tag("reason", "resume")
            .description(REPLAYED_HELP).register(registry);
        replayedForRetransmit = Counter.builder("seamcast.relay.frames.replayed").tag("reason", "retransmit")
            .description(REPLAYED_HELP).register(registry);
        for (final MessageType type : new MessageType[] {MessageType.ANNOUNCE, MessageType.METADATA,
            MessageType.HEARTBEAT})
        {
            final String tag = type.name().toLowerCase(java.util.Locale.ROOT);
            controlForwarded[type.code()] = Counter.builder("seamcast.relay.control.forwarded").tag("type", tag)
                .description("ANNOUNCE, METADATA and HEARTBEAT messages sent on to subscribers and forwards")
                .register(registry);
            controlSuppressed[type.code()] = Counter.builder("seamcast.relay.control.suppressed").tag("type", tag)
                .description("control repeats held back so they do not multiply across tiers").register(registry);
        }
        Gauge.builder("seamcast.relay.subscribers", this, m -> m.subscribers)
            .description("subscribed connections (edges and downstream relays)").register(registry);
        Gauge.builder("seamcast.relay.streams", this, m -> m.streams)
            .description("(mount, encoder, epoch) streams held").register(registry);
        Gauge.builder("seamcast.relay.ring.log.bytes", this, m -> m.replayLogBytes)
            .description("memory of the replay log that holds every stream's ring").baseUnit("bytes")
            .register(registry);
        Gauge.builder("seamcast.relay.ring.log.seconds", this, m -> m.replayLogSeconds)
            .description("how far back the replay log reaches (every stream's ring at least this long)")
            .baseUnit("seconds").register(registry);
    }

    /**
     * Registers the per-path counters once the listeners are bound, so a port-0 listener is tagged with its port.
     * Called before the agent starts.
     */
    void inboundPaths(final List<String> inboundPaths)
    {
        final OwnedCounter[] in = new OwnedCounter[inboundPaths.size()];
        final OwnedCounter[] duplicate = new OwnedCounter[inboundPaths.size()];
        for (int i = 0; i < inboundPaths.size(); i++)
        {
            final Tags path = Tags.of("path", inboundPaths.get(i));
            in[i] = OwnedCounter.register(registry, "seamcast.relay.frames.in",
                "FRAME copies that reached the relay core, per inbound path", path);
            duplicate[i] = OwnedCounter.register(registry, "seamcast.relay.frames.duplicate",
                "copies dropped because the frame was already relayed, per inbound path", path);
        }
        framesIn = in;
        duplicates = duplicate;
        this.inboundPaths = List.copyOf(inboundPaths);
    }

    /**
     * The name of an inbound path, for logs.
     */
    String inboundPath(final int pathIndex)
    {
        return inboundPaths.get(pathIndex);
    }

    OwnedCounter framesOut(final String path)
    {
        return OwnedCounter.register(registry, "seamcast.relay.frames.out",
            "frame copies sent: path=subscribers, or a forward link's URL", Tags.of("path", path));
    }

    void queueGauge(final String queue, final RingBuffer ringBuffer)
    {
        Gauge.builder("seamcast.relay.queue.bytes", ringBuffer, RingBuffer::size).tag("queue", queue)
            .baseUnit("bytes").description("bytes waiting for the relay core, queue=data|control").register(registry);
    }

    /**
     * The meters of one (mount, encoder), shared by its epochs; created on the agent thread (cold path).
     */
    StreamMeters streamMeters(final String mount, final long encoderId)
    {
        return streamMeters.computeIfAbsent(mount + ' ' + encoderId, key ->
        {
            final String encoder = Long.toString(encoderId);
            final AtomicLong depth = new AtomicLong();
            final Gauge gauge = Gauge.builder("seamcast.relay.ring.depth.frames", depth, AtomicLong::get)
                .description("frames held in the replay ring of the stream's newest epoch").tag("mount", mount).tag("encoder", encoder).register(registry);
            return new StreamMeters(key,
                OwnedCounter.register(registry, "seamcast.relay.frames.accepted",
                    "first copies: stored in the ring and fanned out", Tags.of("mount", mount, "encoder", encoder)),
                depth, gauge);
        });
    }

    /**
     * Unregisters the meters of a (mount, encoder) the relay no longer holds, so junk mounts do not accumulate
     * meters; cold path.
     */
    void releaseStreamMeters(final StreamMeters meters)
    {
        if (streamMeters.remove(meters.key()) != null)
        {
            registry.remove(meters.accepted().meter());
            registry.remove(meters.ringDepthGauge());
        }
    }

    void candidateFrame()
    {
        candidateFrames.increment();
    }

    void candidate(final boolean promoted)
    {
        (promoted ? candidatesPromoted : candidatesAbandoned).increment();
    }

    void streamEvicted()
    {
        streamsEvicted.increment();
    }

    void dropped(final RelayDropReason reason)
    {
        drops.get(reason).increment();
    }

    double drops(final RelayDropReason reason)
    {
        return drops.get(reason).count();
    }

    void frameIn(final int pathIndex)
    {
        framesIn[pathIndex].increment();
    }

    void duplicate(final int pathIndex)
    {
        duplicates[pathIndex].increment();
    }

    void frameOutToSubscriber()
    {
        framesOutToSubscribers.increment();
    }

    void replayed(final boolean resume, final int frames)
    {
        (resume ? replayedForResume : replayedForRetransmit).increment(frames);
    }

    void controlForwarded(final int typeCode)
    {
        controlForwarded[typeCode].increment();
    }

    void controlSuppressed(final int typeCode)
    {
        controlSuppressed[typeCode].increment();
    }

    void subscribers(final int count)
    {
        subscribers = count;
    }

    void streams(final int count)
    {
        streams = count;
    }

    /**
     * The replay log's size and reach, published by the agent once a second.
     */
    void replayLog(final long bytes, final long heldNs)
    {
        replayLogBytes = bytes;
        replayLogSeconds = heldNs / 1e9;
    }

    /**
     * Per-(mount, encoder) meters.
     */
    record StreamMeters(String key, OwnedCounter accepted, AtomicLong ringDepthFrames, Gauge ringDepthGauge)
    {
    }
}
