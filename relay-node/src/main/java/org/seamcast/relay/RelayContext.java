package org.seamcast.relay;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.relay.ring.SequenceWindow;
import org.seamcast.transport.KeyFile;
import org.seamcast.transport.ThreadingMode;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.LinkScheme;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of one relay node: where it listens, which relays it subscribes to upstream, where it forwards,
 * which mounts it carries, and how much it remembers. Every tunable has a named default; {@link #conclude()} checks
 * them all once and names the value and its limit when one is wrong.
 *
 * <p>The link-level settings (heartbeats, idle timeout, write water marks, reconnect backoff) live in the
 * {@link #transport()} context; the relay fills in its node name, keyring and registry and concludes it.
 */
public final class RelayContext
{
    /** Seconds of each stream kept in its replay ring for resumes and retransmit requests. */
    public static final int DEFAULT_REPLAY_RING_SECONDS = 10;

    /** Longest replay ring accepted: a ring is memory per stream, so keep it short. */
    public static final int MAX_REPLAY_RING_SECONDS = 300;

    /**
     * Frames per second a ring is sized for: MP3 at 48 kHz with 576-sample frames is 83; ADTS at 96 kHz is 94.
     */
    public static final int MAX_FRAMES_PER_SECOND = 100;

    /**
     * Bytes the relay's replay log (the bytes of every stream's ring) may take: at a 10 s span about 1,600 streams
     * of 128 kbit/s, or 600 of 320 kbit/s. It takes only what the span of the streams carried needs.
     */
    public static final long DEFAULT_REPLAY_LOG_BYTES = 256L * 1024 * 1024;

    /** Smallest and largest bound of the replay log. */
    public static final long MIN_REPLAY_LOG_BYTES = 1024 * 1024;
    public static final long MAX_REPLAY_LOG_BYTES = 64L * 1024 * 1024 * 1024;

    /** Streams (mount, encoder, epoch) held at once; a new stream beyond this is refused and counted. */
    public static final int DEFAULT_MAX_STREAMS = 1024;
    public static final int MAX_MAX_STREAMS = 65_536;

    /**
     * Streams one source may open: a TCP connection, or one sender address on a datagram listener. Upstream relays
     * are not limited by this (they carry the whole mesh), only by {@link #DEFAULT_MAX_STREAMS}. Never more than
     * {@code maxStreams}.
     */
    public static final int DEFAULT_MAX_STREAMS_PER_SOURCE = 256;

    /**
     * When the stream table or a source's share of it is full, a stream silent for this long gives way to the new
     * one (before {@link #DEFAULT_STREAM_IDLE_TIMEOUT_MS} would forget it), so junk cannot hold the table.
     */
    public static final long DEFAULT_STREAM_EVICTABLE_IDLE_MS = 2_000;

    /**
     * A frame more than this much media (at the stream's own rate) ahead of the highest sequence seen, plus however
     * long the stream has been silent here, does not join the stream: it starts a candidate.
     */
    public static final long DEFAULT_SEQUENCE_JUMP_MS = 10_000;

    /** Continuous frames a candidate (a new epoch or a sequence jump) must deliver before it replaces the stream. */
    public static final int DEFAULT_CANDIDATE_PROOF_FRAMES = 8;

    /** How long a candidate's frames must keep arriving, continuously, before it replaces the stream. */
    public static final long DEFAULT_CANDIDATE_PROOF_MS = 500;

    /**
     * A candidate that makes no progress for this long starts its proof again, and another candidate may take its
     * place.
     */
    public static final long DEFAULT_CANDIDATE_STALL_MS = 250;

    /**
     * Epochs are an ingest's wall-clock start time in ms: a message whose epoch is further than this ahead of the
     * relay's clock is refused and counted.
     */
    public static final long DEFAULT_MAX_EPOCH_LEAD_MS = 86_400_000;

    /**
     * A FRAME or HEARTBEAT arriving over a datagram transport (UDP, Aeron, multicast) stamped more than this before
     * the relay's clock is refused as a possible replay. TCP is exempt: its peers are authenticated per connection
     * and an upstream relay's resume answers are old on purpose.
     */
    public static final long DEFAULT_DATAGRAM_MAX_AGE_MS = 30_000;

    /** As {@link #DEFAULT_DATAGRAM_MAX_AGE_MS}, for stamps ahead of the relay's clock (stamps never lead arrival). */
    public static final long DEFAULT_DATAGRAM_MAX_LEAD_MS = 5_000;

    /** Subscribed connections served at once; a SUBSCRIBE beyond this is refused and counted. */
    public static final int DEFAULT_MAX_SUBSCRIBERS = 4096;

    /** Bytes of the queue that carries audio from the I/O threads to the relay agent (a power of two). */
    public static final int DEFAULT_INBOUND_QUEUE_BYTES = 8 * 1024 * 1024;

    /** Bytes of the queue that carries SUBSCRIBE and RETRANSMIT_REQUEST, so a flood of audio cannot starve them. */
    public static final int DEFAULT_CONTROL_QUEUE_BYTES = 1024 * 1024;

    /** Smallest queue: a ring buffer record is at most 1/8 of it, and must hold the largest message. */
    public static final int MIN_QUEUE_BYTES = 512 * 1024;

    /** Inbound messages the agent handles per duty cycle before it flushes what it sent. */
    public static final int DEFAULT_MESSAGES_PER_CYCLE = 256;

    /**
     * How long the relay core gathers copies after it woke for one, so they are forwarded together with one flush
     * per subscriber and the I/O threads leave it parked meanwhile; the most a copy waits in a relay. A relay with
     * nothing arriving sleeps until its next timer.
     */
    public static final long DEFAULT_BATCH_US = 4_000;

    /** Control messages (subscribes, retransmit requests) the agent handles per duty cycle. */
    public static final int DEFAULT_CONTROL_MESSAGES_PER_CYCLE = 16;

    /** Frames sent at most in answer to one RETRANSMIT_REQUEST. */
    public static final int DEFAULT_MAX_RETRANSMIT_FRAMES = 256;

    /** An unchanged ANNOUNCE or METADATA is forwarded again at most this often per stream. */
    public static final long DEFAULT_CONTROL_REPEAT_INTERVAL_MS = 1_000;

    /**
     * A stream HEARTBEAT entry of a current stream may name a sequence at most this far beyond the highest the relay
     * has seen: a heartbeat follows its frames on every link, so further means frames this relay never got (it could
     * not answer for them) or a forged position; the heartbeat is dropped ({@code heartbeat_ahead}).
     */
    public static final long DEFAULT_HEARTBEAT_MAX_LEAD_SEQUENCES = 64;

    /** A stream with no message for this long is forgotten (its ring freed), e.g. the old epoch of a restart. */
    public static final long DEFAULT_STREAM_IDLE_TIMEOUT_MS = 60_000;

    public static final String DEFAULT_NODE_NAME = "relay";

    private String nodeName = DEFAULT_NODE_NAME;
    private final List<LinkAddress> listenAddresses = new ArrayList<>();
    private final List<LinkAddress> upstreamAddresses = new ArrayList<>();
    private final List<LinkAddress> forwardAddresses = new ArrayList<>();
    private final List<MountName> mounts = new ArrayList<>();
    private int replayRingSeconds = DEFAULT_REPLAY_RING_SECONDS;
    private long replayLogBytes = DEFAULT_REPLAY_LOG_BYTES;
    private int maxStreams = DEFAULT_MAX_STREAMS;
    private int maxStreamsPerSource = DEFAULT_MAX_STREAMS_PER_SOURCE;
    private long streamEvictableIdleMs = DEFAULT_STREAM_EVICTABLE_IDLE_MS;
    private long sequenceJumpMs = DEFAULT_SEQUENCE_JUMP_MS;
    private int candidateProofFrames = DEFAULT_CANDIDATE_PROOF_FRAMES;
    private long candidateProofMs = DEFAULT_CANDIDATE_PROOF_MS;
    private long candidateStallMs = DEFAULT_CANDIDATE_STALL_MS;
    private long maxEpochLeadMs = DEFAULT_MAX_EPOCH_LEAD_MS;
    private long datagramMaxAgeMs = DEFAULT_DATAGRAM_MAX_AGE_MS;
    private long datagramMaxLeadMs = DEFAULT_DATAGRAM_MAX_LEAD_MS;
    private EpochNanoClock clock;
    private ThreadingMode threadingMode = ThreadingMode.IO_LOOP;
    private int maxSubscribers = DEFAULT_MAX_SUBSCRIBERS;
    private int inboundQueueBytes = DEFAULT_INBOUND_QUEUE_BYTES;
    private int controlQueueBytes = DEFAULT_CONTROL_QUEUE_BYTES;
    private int messagesPerCycle = DEFAULT_MESSAGES_PER_CYCLE;
    private int controlMessagesPerCycle = DEFAULT_CONTROL_MESSAGES_PER_CYCLE;
    private long batchUs = DEFAULT_BATCH_US;
    private int maxRetransmitFrames = DEFAULT_MAX_RETRANSMIT_FRAMES;
    private long controlRepeatIntervalMs = DEFAULT_CONTROL_REPEAT_INTERVAL_MS;
    private long heartbeatMaxLeadSequences = DEFAULT_HEARTBEAT_MAX_LEAD_SEQUENCES;
    private long streamIdleTimeoutMs = DEFAULT_STREAM_IDLE_TIMEOUT_MS;
    private InetSocketAddress adminAddress;
    private Path keyFile;
    private PrometheusMeterRegistry registry;
    private TransportContext transport = new TransportContext();
    private boolean concluded;

    /**
     * Checks every setting, loads the key file and concludes the transport context (which starts its I/O threads).
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting, its value and its limit.
     */
    public RelayContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("RelayContext already concluded");
        }
        if (listenAddresses.isEmpty() && upstreamAddresses.isEmpty())
        {
            throw new IllegalArgumentException(
                "a relay needs at least one listen address or upstream; got listen=[] upstream=[]");
        }
        for (final LinkAddress address : upstreamAddresses)
        {
            if (address.scheme() != LinkScheme.TCP)
            {
                throw new IllegalArgumentException(
                    "upstream " + address + " must be tcp:// (subscriptions need a two-way link)");
            }
            address.requireDestination();
        }
        for (final LinkAddress address : forwardAddresses)
        {
            address.requireDestination();
        }
        requireRange("replayRingSeconds", replayRingSeconds, 1, MAX_REPLAY_RING_SECONDS);
        requireRange("replayLogBytes", replayLogBytes, MIN_REPLAY_LOG_BYTES, MAX_REPLAY_LOG_BYTES);
        requireRange("maxStreams", maxStreams, 1, MAX_MAX_STREAMS);
        requireRange("maxStreamsPerSource", maxStreamsPerSource, 1, MAX_MAX_STREAMS);
        maxStreamsPerSource = Math.min(maxStreamsPerSource, maxStreams);
        requireRange("maxSubscribers", maxSubscribers, 1, 1 << 20);
        requirePowerOfTwo("inboundQueueBytes", inboundQueueBytes, MIN_QUEUE_BYTES, 1 << 30);
        requirePowerOfTwo("controlQueueBytes", controlQueueBytes, MIN_QUEUE_BYTES, 1 << 28);
        requireRange("messagesPerCycle", messagesPerCycle, 1, 1 << 16);
        requireRange("controlMessagesPerCycle", controlMessagesPerCycle, 1, 1 << 16);
        requireRange("batchUs", batchUs, 1, 100_000);
        requireRange("maxRetransmitFrames", maxRetransmitFrames, 1, 1 << 16);
        requireRange("controlRepeatIntervalMs", controlRepeatIntervalMs, 0, 3_600_000);
        requireRange("heartbeatMaxLeadSequences", heartbeatMaxLeadSequences, 0, SequenceWindow.WINDOW);
        requireRange("streamIdleTimeoutMs", streamIdleTimeoutMs, 1_000, 86_400_000);
        requireRange("streamEvictableIdleMs", streamEvictableIdleMs, 100, 86_400_000);
        streamEvictableIdleMs = Math.min(streamEvictableIdleMs, streamIdleTimeoutMs);
        requireRange("sequenceJumpMs", sequenceJumpMs, 1_000, 3_600_000);
        requireRange("candidateProofFrames", candidateProofFrames, 1, 1024);
        requireRange("candidateProofMs", candidateProofMs, 0, 60_000);
        requireRange("candidateStallMs", candidateStallMs, 10, 60_000);
        requireRange("maxEpochLeadMs", maxEpochLeadMs, 0, 365L * 86_400_000);
        requireRange("datagramMaxAgeMs", datagramMaxAgeMs, 1_000, 3_600_000);
        requireRange("datagramMaxLeadMs", datagramMaxLeadMs, 0, 3_600_000);
        if (threadingMode == null)
        {
            throw new IllegalArgumentException("threadingMode=null: IO_LOOP, DEDICATED, SHARED or INVOKER");
        }
        if (clock == null)
        {
            clock = new OffsetEpochNanoClock();
        }
        if (mounts.size() > org.seamcast.codec.protocol.Protocol.MAX_SUBSCRIBE_MOUNTS)
        {
            throw new IllegalArgumentException("mounts count=" + mounts.size() + " > MAX_SUBSCRIBE_MOUNTS="
                + org.seamcast.codec.protocol.Protocol.MAX_SUBSCRIBE_MOUNTS);
        }
        if (registry == null)
        {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        }
        transport.nodeName(nodeName).registry(registry);
        if (keyFile != null)
        {
            transport.keyring(KeyFile.load(keyFile));
        }
        if (transport.keyring() != null && !transport.keyring().verifiesAudio())
        {
            throw new IllegalArgumentException("keyFile " + keyFile + " holds " + transport.keyring() +
                ": a relay needs an ingest, relay or role-less key to verify the audio it relays");
        }
        if (threadingMode == ThreadingMode.IO_LOOP && transport.ioPollPeriodUs() == 0)
        {
            transport.ioPollPeriodUs(batchUs);
        }
        transport.conclude();
        concluded = true;
        return this;
    }

    private static void requireRange(final String name, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + "=" + value + " is not in " + min + ".." + max);
        }
    }

    private static void requirePowerOfTwo(final String name, final int value, final int min, final int max)
    {
        requireRange(name, value, min, max);
        if (Integer.bitCount(value) != 1)
        {
            throw new IllegalArgumentException(name + "=" + value + " is not a power of two");
        }
    }

    /**
     * Index slots of each replay ring: {@link #replayRingSeconds()} of frames at {@link #MAX_FRAMES_PER_SECOND},
     * rounded up to a power of two.
     */
    int replayRingSlots()
    {
        final int frames = Math.max(64, replayRingSeconds * MAX_FRAMES_PER_SECOND);
        return Integer.highestOneBit(frames - 1) << 1;
    }

    boolean isConcluded()
    {
        return concluded;
    }

    public String nodeName()
    {
        return nodeName;
    }

    /**
     * The name in this relay's handshakes and heartbeats; unique within the mesh.
     */
    public RelayContext nodeName(final String nodeName)
    {
        this.nodeName = nodeName;
        return this;
    }

    public List<LinkAddress> listenAddresses()
    {
        return listenAddresses;
    }

    /**
     * Adds an address ingests, upstream relays and subscribers reach this relay on ({@code tcp://0.0.0.0:9001},
     * {@code udp://...}, {@code mcast://...}); subscribers need a {@code tcp://} one.
     */
    public RelayContext listen(final LinkAddress address)
    {
        listenAddresses.add(address);
        return this;
    }

    public List<LinkAddress> upstreamAddresses()
    {
        return upstreamAddresses;
    }

    /**
     * Adds a relay this one subscribes to (tiering): what arrives from it is treated like ingress.
     */
    public RelayContext upstream(final LinkAddress address)
    {
        upstreamAddresses.add(address);
        return this;
    }

    public List<LinkAddress> forwardAddresses()
    {
        return forwardAddresses;
    }

    /**
     * Adds a link every accepted message is also sent to, e.g. a site's {@code mcast://} group or another relay.
     */
    public RelayContext forward(final LinkAddress address)
    {
        forwardAddresses.add(address);
        return this;
    }

    public List<MountName> mounts()
    {
        return mounts;
    }

    /**
     * Restricts the relay to these mounts (and its upstream subscriptions to them); none means every mount.
     */
    public RelayContext mount(final MountName mount)
    {
        mounts.add(mount);
        return this;
    }

    public int replayRingSeconds()
    {
        return replayRingSeconds;
    }

    public RelayContext replayRingSeconds(final int replayRingSeconds)
    {
        this.replayRingSeconds = replayRingSeconds;
        return this;
    }

    /**
     * Bytes the replay log that holds every stream's ring may take (default {@link #DEFAULT_REPLAY_LOG_BYTES}): it
     * grows and shrinks with what {@link #replayRingSeconds()} of the streams carried needs, and at this bound keeps
     * less than that of every stream rather than refuse one.
     */
    public long replayLogBytes()
    {
        return replayLogBytes;
    }

    public RelayContext replayLogBytes(final long replayLogBytes)
    {
        this.replayLogBytes = replayLogBytes;
        return this;
    }

    public int maxStreams()
    {
        return maxStreams;
    }

    public RelayContext maxStreams(final int maxStreams)
    {
        this.maxStreams = maxStreams;
        return this;
    }

    public int maxStreamsPerSource()
    {
        return maxStreamsPerSource;
    }

    /**
     * Streams one source (a TCP connection, or one sender address on a datagram listener) may hold; at most
     * {@link #maxStreams()}. Upstream relays are limited only by {@code maxStreams}.
     */
    public RelayContext maxStreamsPerSource(final int maxStreamsPerSource)
    {
        this.maxStreamsPerSource = maxStreamsPerSource;
        return this;
    }

    public long streamEvictableIdleMs()
    {
        return streamEvictableIdleMs;
    }

    /**
     * How long a stream must have been silent to give way to a new one when the table, or its source's share, is
     * full; 100 ms..1 day, and at most {@link #streamIdleTimeoutMs()}.
     */
    public RelayContext streamEvictableIdleMs(final long streamEvictableIdleMs)
    {
        this.streamEvictableIdleMs = streamEvictableIdleMs;
        return this;
    }

    public long sequenceJumpMs()
    {
        return sequenceJumpMs;
    }

    /**
     * Media time a frame may lie ahead of its stream (plus the stream's silence here) and still join it directly.
     */
    public RelayContext sequenceJumpMs(final long sequenceJumpMs)
    {
        this.sequenceJumpMs = sequenceJumpMs;
        return this;
    }

    public int candidateProofFrames()
    {
        return candidateProofFrames;
    }

    /**
     * Continuous frames a candidate must deliver before it replaces what plays.
     */
    public RelayContext candidateProofFrames(final int candidateProofFrames)
    {
        this.candidateProofFrames = candidateProofFrames;
        return this;
    }

    public long candidateProofMs()
    {
        return candidateProofMs;
    }

    /**
     * How long a candidate's frames must keep arriving before it replaces what plays.
     */
    public RelayContext candidateProofMs(final long candidateProofMs)
    {
        this.candidateProofMs = candidateProofMs;
        return this;
    }

    public long candidateStallMs()
    {
        return candidateStallMs;
    }

    /**
     * A candidate without progress for this long restarts its proof and may be replaced by another.
     */
    public RelayContext candidateStallMs(final long candidateStallMs)
    {
        this.candidateStallMs = candidateStallMs;
        return this;
    }

    public long maxEpochLeadMs()
    {
        return maxEpochLeadMs;
    }

    /**
     * How far ahead of the relay's wall clock an epoch (an ingest's start time in ms) may be.
     */
    public RelayContext maxEpochLeadMs(final long maxEpochLeadMs)
    {
        this.maxEpochLeadMs = maxEpochLeadMs;
        return this;
    }

    public long datagramMaxAgeMs()
    {
        return datagramMaxAgeMs;
    }

    /**
     * How old a FRAME or HEARTBEAT stamp may be when it arrives over UDP, Aeron or multicast.
     */
    public RelayContext datagramMaxAgeMs(final long datagramMaxAgeMs)
    {
        this.datagramMaxAgeMs = datagramMaxAgeMs;
        return this;
    }

    public long datagramMaxLeadMs()
    {
        return datagramMaxLeadMs;
    }

    /**
     * How far ahead of the relay's clock a FRAME or HEARTBEAT stamp may be when it arrives over a datagram transport.
     */
    public RelayContext datagramMaxLeadMs(final long datagramMaxLeadMs)
    {
        this.datagramMaxLeadMs = datagramMaxLeadMs;
        return this;
    }

    public EpochNanoClock clock()
    {
        return clock;
    }

    /**
     * The relay core's clock, in ns since the Unix epoch: epochs and stamps are checked against it, and its
     * intervals (candidate proofs, idle streams, link heartbeats) are measured on it. Default: Agrona's
     * {@code OffsetEpochNanoClock}; a test may step one of its own.
     */
    public RelayContext clock(final EpochNanoClock clock)
    {
        this.clock = clock;
        return this;
    }

    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    /**
     * How the relay core runs: on an event loop of the relay's I/O ({@code IO_LOOP}, the default: a copy read, its
     * fan-out and the flush to each subscriber on that loop share one thread's wake-ups and caches), on its own
     * thread ({@code DEDICATED} and {@code SHARED}: the relay has one agent), or driven by the caller through
     * {@link RelayNode#invoker()} ({@code INVOKER}).
     */
    public RelayContext threadingMode(final ThreadingMode threadingMode)
    {
        this.threadingMode = threadingMode;
        return this;
    }

    public int maxSubscribers()
    {
        return maxSubscribers;
    }

    public RelayContext maxSubscribers(final int maxSubscribers)
    {
        this.maxSubscribers = maxSubscribers;
        return this;
    }

    public int inboundQueueBytes()
    {
        return inboundQueueBytes;
    }

    public RelayContext inboundQueueBytes(final int inboundQueueBytes)
    {
        this.inboundQueueBytes = inboundQueueBytes;
        return this;
    }

    public int controlQueueBytes()
    {
        return controlQueueBytes;
    }

    public RelayContext controlQueueBytes(final int controlQueueBytes)
    {
        this.controlQueueBytes = controlQueueBytes;
        return this;
    }

    public int messagesPerCycle()
    {
        return messagesPerCycle;
    }

    public RelayContext messagesPerCycle(final int messagesPerCycle)
    {
        this.messagesPerCycle = messagesPerCycle;
        return this;
    }

    public long batchUs()
    {
        return batchUs;
    }

    /**
     * @param batchUs how long the core gathers copies after waking for one, 1..100000 µs; see
     *                {@link #DEFAULT_BATCH_US}. With {@code IO_LOOP} the relay's I/O loops also look for input at most
     *                this often while it keeps coming (the transport's {@code ioPollPeriodUs}, unless set), so the
     *                core runs once per look with what it read: a busy relay's I/O thread woke about 1,400 times a
     *                second to read a few copies each.
     */
    public RelayContext batchUs(final long batchUs)
    {
        this.batchUs = batchUs;
        return this;
    }

    public int controlMessagesPerCycle()
    {
        return controlMessagesPerCycle;
    }

    public RelayContext controlMessagesPerCycle(final int controlMessagesPerCycle)
    {
        this.controlMessagesPerCycle = controlMessagesPerCycle;
        return this;
    }

    public int maxRetransmitFrames()
    {
        return maxRetransmitFrames;
    }

    public RelayContext maxRetransmitFrames(final int maxRetransmitFrames)
    {
        this.maxRetransmitFrames = maxRetransmitFrames;
        return this;
    }

    public long controlRepeatIntervalMs()
    {
        return controlRepeatIntervalMs;
    }

    public RelayContext controlRepeatIntervalMs(final long controlRepeatIntervalMs)
    {
        this.controlRepeatIntervalMs = controlRepeatIntervalMs;
        return this;
    }

    public long heartbeatMaxLeadSequences()
    {
        return heartbeatMaxLeadSequences;
    }

    /**
     * @param heartbeatMaxLeadSequences how far beyond the highest sequence seen a stream heartbeat may say the ingest
     *                                  has sent (0..1024).
     */
    public RelayContext heartbeatMaxLeadSequences(final long heartbeatMaxLeadSequences)
    {
        this.heartbeatMaxLeadSequences = heartbeatMaxLeadSequences;
        return this;
    }

    public long streamIdleTimeoutMs()
    {
        return streamIdleTimeoutMs;
    }

    public RelayContext streamIdleTimeoutMs(final long streamIdleTimeoutMs)
    {
        this.streamIdleTimeoutMs = streamIdleTimeoutMs;
        return this;
    }

    public InetSocketAddress adminAddress()
    {
        return adminAddress;
    }

    /**
     * Where {@code /metrics} and {@code /health} are served; null (the default) serves none.
     */
    public RelayContext adminAddress(final InetSocketAddress adminAddress)
    {
        this.adminAddress = adminAddress;
        return this;
    }

    public Path keyFile()
    {
        return keyFile;
    }

    /**
     * The keys (see {@code docs/relay.md}); with them, unsigned and forged messages, and messages signed with a key
     * whose role may not sign them, are dropped and counted. At least one key must be allowed to sign audio
     * ({@code ingest}, {@code relay} or no role), or {@link #conclude()} refuses the file.
     */
    public RelayContext keyFile(final Path keyFile)
    {
        this.keyFile = keyFile;
        return this;
    }

    public PrometheusMeterRegistry registry()
    {
        return registry;
    }

    public RelayContext registry(final PrometheusMeterRegistry registry)
    {
        this.registry = registry;
        return this;
    }

    /**
     * The link settings; tune them before {@link #conclude()}.
     */
    public TransportContext transport()
    {
        return transport;
    }

    public RelayContext transport(final TransportContext transport)
    {
        this.transport = transport;
        return this;
    }
}
