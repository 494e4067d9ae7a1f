package org.seamcast.codec.audio;

/**
 * Why {@link Mp3Bridge} wrote no frame. {@link Mp3Bridge#refusalValue()} and {@link Mp3Bridge#refusalLimit()} give
 * the offending value and the bound it broke where the reason has them.
 */
public enum Mp3BridgeRefusal
{
    /**
     * Not refused.
     */
    NONE,
    /**
     * No sync, or a reserved version, layer, bitrate or sample rate (value: the header).
     */
    INVALID_HEADER,
    /**
     * Bitrate index 0: the frame length cannot be known, so neither can the reservoir.
     */
    FREE_FORMAT,
    /**
     * Layer I or II (value: the layer): these frames carry all their own data, there is nothing to bridge.
     */
    NOT_LAYER_III,
    /**
     * Fewer bytes than the header's frame length (value: bytes given, limit: frame length).
     */
    TRUNCATED,
    /**
     * More bytes than the header's frame length (value: bytes given, limit: frame length).
     */
    BAD_FRAME_LENGTH,
    /**
     * An earlier, next or chained frame differs from the bridged frame in version, layer, sample rate or mono-ness
     * (value: its header, limit: the bridged frame's header).
     */
    INCONSISTENT_HEADER,
    /**
     * The frame passed to {@link Mp3Bridge#continueChain} is not the one passed before as the next frame: its header
     * or {@code main_data_begin} (value) differ from what was announced (limit).
     */
    CHAIN_MISMATCH,
    /**
     * The side information asks for more main data (value: bytes) than its reservoir and its own main-data area
     * hold (limit).
     */
    MAIN_DATA_PAST_FRAME,
    /**
     * {@code main_data_begin} (value) reaches before the first byte of the earlier frames given (limit: bytes of
     * main-data area given before the frame).
     */
    RESERVOIR_NOT_COVERED,
    /**
     * The next frame's main data starts inside this frame's main data: it borrows {@code main_data_begin} (value)
     * bytes but only the bytes after this frame's main data (limit) are free for it.
     */
    OVERLAPPING_MAIN_DATA,
    /**
     * The frame's main data (value: bytes, less what the previous frame of a chain carried) does not fit in the
     * main-data area of the largest slot (limit).
     */
    MAIN_DATA_TOO_LONG
}
