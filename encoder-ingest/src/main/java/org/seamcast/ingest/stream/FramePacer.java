package org.seamcast.ingest.stream;

/**
 * Called by a {@link SourceSession} before it stamps each frame, on the session's thread. A file source paces
 * itself here (waits until the frame is due); live sources use {@link #NONE}.
 */
@FunctionalInterface
public interface FramePacer
{
    FramePacer NONE = durationNs -> {};

    /**
     * @param frameDurationNs duration of the frame about to be stamped.
     */
    void beforeFrame(long frameDurationNs);
}
