package org.seamcast.edge.node;

/**
 * A snapshot of one mount at the edge, for a status line or a page: what plays, how deep the buffer is, who listens,
 * what happened last.
 *
 * @param mount          the mount name.
 * @param activeEncoder  the encoder playing, or -1 for none.
 * @param fallback       whether fallback frames are playing.
 * @param pendingFrames  frames of the playing encoder waiting for their slot (the playout buffer's depth).
 * @param framesPlayed   frames released since start.
 * @param listeners      listeners connected now.
 * @param encoders       encoders known for the mount.
 * @param lastEvent      the latest switch, fallback or epoch change, or an empty string.
 * @param encoderStatus  each encoder, in priority order.
 */
public record MountStatus(
    String mount,
    int activeEncoder,
    boolean fallback,
    int pendingFrames,
    long framesPlayed,
    int listeners,
    int encoders,
    String lastEvent,
    java.util.List<EncoderStatus> encoderStatus)
{
}
