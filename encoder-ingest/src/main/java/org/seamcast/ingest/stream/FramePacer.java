package org.seamcast.ingest.stream;

/**
 * Called by a {@link SourceSession} before it takes each frame, on the session's thread. A file source paces itself
 * here (waits until the frame is due), so each frame arrives on its own; live sources use {@link #NONE} and end
 * their reads with {@link SourceSession#endOfRead()}.
 */
@FunctionalInterface
public interface FramePacer
{
    /** {@link #beforeFrame} result: the frame is part of the current read, stamped when the read ends. */
    int LIVE = 0;

    /** {@link #beforeFrame} result: the frame was paced and arrives now on its own: it is stamped at once. */
    int PACED = 1;

    /**
     * {@link #beforeFrame} result: the source is stopping and the frame is not due yet: it is dropped, since
     * sending it now would stamp it ahead of real time.
     */
    int STOPPED = 2;

    FramePacer NONE = durationNs -> LIVE;

    /**
     * @param frameDurationNs duration of the frame about to be taken.
     * @return {@link #LIVE}, {@link #PACED} or {@link #STOPPED}.
     */
    int beforeFrame(long frameDurationNs);
}
