package org.seamcast.edge.engine;

import org.agrona.DirectBuffer;

/**
 * Receives each played-out frame at its slot time, on the engine's owner thread. The buffer and the descriptor are
 * reused: copy what must outlive the call.
 */
@FunctionalInterface
public interface PlayoutSink
{
    /**
     * @param buffer holding the frame bytes, valid only during the call.
     * @param offset of the frame in the buffer.
     * @param length of the frame in bytes.
     * @param frame  reused descriptor of the frame.
     */
    void onFrame(DirectBuffer buffer, int offset, int length, OutputFrame frame);
}
