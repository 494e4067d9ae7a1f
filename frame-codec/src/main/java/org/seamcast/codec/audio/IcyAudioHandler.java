package org.seamcast.codec.audio;

import org.agrona.DirectBuffer;

/**
 * Receives the audio bytes an {@link IcyDeinterleaver} leaves after removing metadata blocks.
 * {@link AudioFrameSplitter#onData(DirectBuffer, int, int)} fits as a method reference.
 */
@FunctionalInterface
public interface IcyAudioHandler
{
    /**
     * @param buffer holding the audio bytes; valid only during the call.
     * @param offset of the first byte.
     * @param length of the run, at least 1.
     */
    void onAudio(DirectBuffer buffer, int offset, int length);
}
