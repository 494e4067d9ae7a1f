package org.seamcast.edge.engine;

/**
 * What the engine reports to its {@link EdgeEventListener} and counts; each constant documents the meaning of the
 * event's {@code value}.
 */
public enum EdgeEvent
{
    /** Unplanned failover to another encoder because the playing one had no frame; value = previous encoder id. */
    SWITCH,
    /** Planned return to a higher-priority encoder after its hold time, at a clean frame; value = previous encoder. */
    SWITCH_BACK,
    /** No encoder had audio for a slot; fallback starts. encoderId = last playing encoder, value = slot media µs. */
    FALLBACK_START,
    /** An encoder plays again after fallback; value = number of slots that were not encoder audio. */
    FALLBACK_END,
    /** A hole in an encoder's sequence was seen; value = number of missing sequences. */
    GAP,
    /** A first copy arrived after its slot was played. Counted by path, never reported to the listener. */
    LATE,
    /** A copy of a frame already held. Counted by path, never reported to the listener. */
    DUPLICATE,
    /** A retransmit request was sent; value = number of sequences asked for. */
    RETRANSMIT,
    /** A new epoch of an encoder (ingest restart) proved itself and displaced the old one; value = the new epoch. */
    EPOCH_CHANGE,
    /** A run of sequences far beyond the highest held proved itself and displaced the old run; value = sequence. */
    SEQUENCE_JUMP,
    /**
     * A frame that does not continue what plays (another epoch, a sequence far ahead) is held until its run proves
     * itself; value = sequence.
     */
    CANDIDATE_HELD,
    /** Held candidate frames dropped: their run broke off or overtook them before proving itself; value = count. */
    CANDIDATE_DISCARDED,
    /** Frame stamped further ahead of the clock than maxFutureNs; value = sequence. */
    DROPPED_FUTURE,
    /** Frame older than maxPastNs past its deadline, or from a superseded epoch or ring position; value = sequence. */
    DROPPED_PAST,
    /**
     * Frame rejected as malformed: bad length or duration, more encoders than maxEncoders, or an epoch further ahead
     * of the clock than maxEpochAheadNs; value = sequence.
     */
    DROPPED_INVALID,
    /** Consecutive sequences whose timestamps do not follow on by one frame; value = the jump in µs. */
    TIMESTAMP_JUMP,
    /** doWork was called so late that slots were skipped rather than burst; value = number of slots skipped. */
    SKIP,
    /** A slot had no audio and no fallback frame; value = slot media µs. */
    EMPTY_SLOT,
    /** A new encoder timestamp offset was learned from matching payloads; value = offset in µs. */
    OFFSET_LEARNED,
    /**
     * An encoder's place on the timeline (its learned or operator-set offset, plus the shift that keeps what plays
     * from jumping) would make its frames late for the playout delay, or hold them further ahead than maxFuture, so
     * a nearer one is used (a lag until the delay allows it); value = the place it needs in µs (negative: the
     * encoder lags what plays, positive: it runs ahead).
     */
    OFFSET_CAPPED,
    /**
     * A new offset was found for an encoder that shares no bytes with the reference by cross-correlating their
     * loudness envelopes; value = offset in µs.
     */
    OFFSET_ALIGNED,
    /**
     * The playing encoder has been silent for the dead-air time while another carries audio: the other takes over;
     * value = how long it had been silent, ms.
     */
    DEAD_AIR,
    /**
     * An MP3 frame was re-packed as a bridge at a switch, so the listener's decoder reads none of the old encoder's
     * bit reservoir; value = its place in the chain (0 for the first frame of the switch).
     */
    BRIDGE,
    /**
     * A switch's frame could not be bridged and one frame of silence carrying the new encoder's reservoir played
     * instead (its main data is longer than any slot); value = the refusal's ordinal.
     */
    BRIDGE_SILENT,
    /**
     * A switch's MP3 frame could not be bridged (free format, a reservoir reaching into frames not held) and played
     * as it is; value = the refusal's ordinal ({@code Mp3BridgeRefusal}).
     */
    BRIDGE_REFUSED,
    /**
     * A heartbeat says frames were sent beyond the highest held of the playing epoch (the tail before a silence was
     * lost on every path): they are asked for like a gap; value = number of sequences.
     */
    TAIL_GAP
}
