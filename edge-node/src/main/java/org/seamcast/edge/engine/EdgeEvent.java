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
    /** A first copy arrived after its slot was played; value = how late in µs of media. */
    LATE,
    /** A copy of a frame already held; pathId names the path that delivered it; value = sequence. */
    DUPLICATE,
    /** A retransmit request was sent; value = number of sequences asked for. */
    RETRANSMIT,
    /** An encoder started a new epoch (ingest restart); value = the new epoch. */
    EPOCH_CHANGE,
    /** Frame stamped further ahead of the clock than maxFutureNs; value = sequence. */
    DROPPED_FUTURE,
    /** Frame older than maxPastNs past its deadline, or from a superseded epoch or ring position; value = sequence. */
    DROPPED_PAST,
    /** Frame rejected as malformed: bad length or duration, or more encoders than maxEncoders; value = sequence. */
    DROPPED_INVALID,
    /** Consecutive sequences whose timestamps do not follow on by one frame; value = the jump in µs. */
    TIMESTAMP_JUMP,
    /** doWork was called so late that slots were skipped rather than burst; value = number of slots skipped. */
    SKIP,
    /** A slot had no audio and no fallback frame; value = slot media µs. */
    EMPTY_SLOT,
    /** A new encoder timestamp offset was learned from matching payloads; value = offset in µs. */
    OFFSET_LEARNED
}
