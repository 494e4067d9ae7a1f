package org.seamcast.relay;

import java.util.Locale;

/**
 * Why the relay core did not relay something, as the {@code reason} tag of {@code seamcast.relay.drops}. Link-level
 * drops (bad CRC, bad MAC, oversized, a peer's back-pressure seen by the link) are counted by the transport under
 * {@code seamcast.link.drops}.
 */
public enum RelayDropReason
{
    /** The queue from the I/O threads to the relay core was full: the core is behind. */
    INBOUND_QUEUE_FULL,
    /** A frame of a mount that already had more than its share of the half-full inbound queue waiting. */
    STREAM_FLOOD,
    /** The SUBSCRIBE/RETRANSMIT_REQUEST queue was full. */
    CONTROL_QUEUE_FULL,
    /** A message opened a new stream while {@code maxStreams} were held and none was idle enough to give way. */
    TOO_MANY_STREAMS,
    /**
     * A message opened a new stream while its source (a TCP connection, or a datagram sender address) held its
     * share, {@code maxStreamsPerSource}, and none of its own was idle enough to give way.
     */
    TOO_MANY_STREAMS_FOR_SOURCE,
    /** An epoch (an ingest's start time in ms) further ahead of the relay's clock than {@code maxEpochLeadMs}. */
    EPOCH_IN_FUTURE,
    /**
     * A FRAME or HEARTBEAT over a datagram transport stamped further from the relay's clock than
     * {@code datagramMaxAgeMs} behind or {@code datagramMaxLeadMs} ahead: a possible replay.
     */
    TIMESTAMP_OUT_OF_RANGE,
    /**
     * A frame or control message of a new epoch or a sequence jump while another candidate of the same (mount,
     * encoder) was still proving itself.
     */
    CANDIDATE_BUSY,
    /** A frame of a candidate too far from its run of sequences to count towards its proof. */
    NOT_CONTINUOUS,
    /** A METADATA stamped before the one the stream already holds (a replayed old title). */
    STALE_METADATA,
    /** A SUBSCRIBE arrived while {@code maxSubscribers} were served. */
    TOO_MANY_SUBSCRIBERS,
    /** A message for a mount this relay is configured not to carry. */
    MOUNT_NOT_CARRIED,
    /** A subscriber could not take a message (its link was back-pressured or gone). */
    SUBSCRIBER_BACKPRESSURE,
    /** A forward link could not take a message (not connected, back-pressured, too large). */
    FORWARD_NOT_SENT,
    /** A SUBSCRIBE or RETRANSMIT_REQUEST over a transport that cannot answer (UDP, multicast). */
    NO_REPLY_PATH,
    /**
     * A RETRANSMIT_REQUEST for a stream the relay does not hold, or a stream HEARTBEAT none of whose entries names a
     * stream the relay relays (current or retired; never a candidate).
     */
    UNKNOWN_STREAM,
    /**
     * A stream HEARTBEAT naming a sequence of a current stream further beyond the highest seen than
     * {@code heartbeatMaxLeadSequences}: frames this relay never got, or a forged position.
     */
    HEARTBEAT_AHEAD,
    /** A frame larger than a replay log record holds (64 KiB less its header); relayed but not kept. */
    TOO_LARGE_FOR_RING,
    /** Two different streams whose 64-bit keys collided; the later is refused. */
    KEY_COLLISION,
    /** The relay core failed on a message; counted and logged, and the core carries on. */
    CORE_ERROR;

    /**
     * The lower-case tag value, e.g. {@code inbound_queue_full}.
     */
    public String tag()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
