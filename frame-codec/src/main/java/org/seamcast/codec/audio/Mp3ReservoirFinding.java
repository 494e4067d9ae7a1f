package org.seamcast.codec.audio;

/**
 * What {@link Mp3ReservoirAuditor#audit} found about one frame, the most serious first. A frame with several
 * problems reports the first that applies in this order.
 */
public enum Mp3ReservoirFinding
{
    /**
     * Not one whole Layer III frame: a bad or free-format header, another layer, or a length that differs from the
     * header's. The auditor forgets its reservoir, as a decoder resyncing would.
     */
    INVALID_FRAME,
    /**
     * Version, layer, sample rate or mono-ness differ from the previous frame's. The reservoir is forgotten.
     */
    INCONSISTENT_HEADER,
    /**
     * {@code main_data_begin} reaches before the first main-data byte received (since the start, or since the
     * reservoir was forgotten): a decoder has nothing to read there.
     */
    UNSATISFIED,
    /**
     * The main data runs past the end of the frame's own main-data area.
     */
    OVERRUNS_FRAME,
    /**
     * The main data starts before the end of the last non-empty main data: bytes would be decoded twice.
     */
    OVERLAPS_PREVIOUS,
    /**
     * The main data contains a byte from a frame of another origin (another encoder).
     */
    FOREIGN_BYTES,
    /**
     * Every main-data byte comes from frames of the frame's own origin.
     */
    OK
}
