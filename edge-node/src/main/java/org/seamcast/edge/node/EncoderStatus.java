package org.seamcast.edge.node;

/**
 * A snapshot of one encoder of a mount at the edge, for status and metrics.
 *
 * @param id                     the encoder id.
 * @param ingest                 the node name of the ingest it comes through, from its ANNOUNCE, or null.
 * @param epoch                  its current epoch (the ingest's start time in ms), or {@link Long#MIN_VALUE}.
 * @param framesPlayed           its frames played.
 * @param offsetUs               the offset in use on the mount timeline (negative: the encoder lags).
 * @param rawOffsetUs            the offset learned or set, before any cap.
 * @param offsetSource           how the offset was found: none, hash, envelope or operator.
 * @param offsetCapped           whether the playout delay is too short for its lag, so a smaller offset is used.
 * @param requiredPlayoutDelayMs the playout delay its lag needs (0 when unknown).
 * @param offsetConfidence       0..1: 1 for operator and hash offsets, the alignment's for envelope ones.
 * @param deadAir                whether it is silent for the dead-air time now.
 * @param silentForMs            how long its frames have been below the dead-air threshold.
 * @param title                  the latest title its ingest sent, or null; listeners get the newest of all.
 */
public record EncoderStatus(
    int id,
    String ingest,
    long epoch,
    long framesPlayed,
    long offsetUs,
    long rawOffsetUs,
    String offsetSource,
    boolean offsetCapped,
    long requiredPlayoutDelayMs,
    double offsetConfidence,
    boolean deadAir,
    long silentForMs,
    String title)
{
}
