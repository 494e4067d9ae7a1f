package org.seamcast.codec.audio;

import org.agrona.DirectBuffer;

/**
 * Receives each complete audio frame from an {@link AudioFrameSplitter}.
 * <p>
 * The buffer and the header view are reused: they are valid only for the duration of the call. Copy what must
 * outlive it.
 */
@FunctionalInterface
public interface AudioFrameHandler
{
    /**
     * @param buffer holding the frame.
     * @param offset of the frame's first header byte.
     * @param length of the whole frame in bytes.
     * @param header a reused view of the frame's header.
     */
    void onFrame(DirectBuffer buffer, int offset, int length, AudioFrameHeader header);
}
