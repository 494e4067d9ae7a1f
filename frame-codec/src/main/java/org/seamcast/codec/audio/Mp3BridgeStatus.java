package org.seamcast.codec.audio;

/**
 * What {@link Mp3Bridge#write} did. An expected outcome, never an exception.
 */
public enum Mp3BridgeStatus
{
    /**
     * A frame was written and the new encoder's next frame plays exactly as the encoder sent it: the written frame
     * ends with every byte that frame (and any later one) borrows.
     */
    COMPLETE,
    /**
     * A frame was written, but it could not also carry all the bytes the next frame borrows: the next frame must go
     * through {@link Mp3Bridge#continueChain} too, and so on until a write returns {@link #COMPLETE}.
     */
    CHAIN_CONTINUES,
    /**
     * Nothing was written: the bridge cannot prove the frame correct. {@link Mp3Bridge#refusal()} says why.
     */
    REFUSED
}
