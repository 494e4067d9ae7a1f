package org.seamcast.edge.engine;

import org.agrona.MutableDirectBuffer;

/**
 * Supplies the frames played when no encoder has audio for a slot: silence in the stream's format, or a configured
 * file split into frames. Called on the engine's owner thread, once per slot, so it must not block.
 */
public interface FallbackFrameSource
{
    /**
     * Write the next fallback frame.
     *
     * @param buffer   to write into.
     * @param offset   in the buffer at which to write.
     * @param capacity bytes available from offset.
     * @return length written, or 0 when there is no frame (the slot stays empty).
     */
    int writeNextFrame(MutableDirectBuffer buffer, int offset, int capacity);

    /**
     * @return the longest frame {@link #writeNextFrame} may write: the engine's buffer for fallback frames is this
     * long (at most its maxFrameLength), rather than a maxFrameLength for every mount.
     */
    int maxFrameLength();

    /** @return duration in µs of the frame written by the last {@link #writeNextFrame} call. */
    int lastFrameDurationUs();

    /** Called when a run of fallback frames begins, e.g. to restart a file from its first frame. */
    default void onFallbackStart()
    {
    }
}
