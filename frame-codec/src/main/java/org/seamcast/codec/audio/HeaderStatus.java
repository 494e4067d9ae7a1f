package org.seamcast.codec.audio;

/**
 * Result of checking a frame header: valid, or the first reason it is not. An expected outcome, not an exception.
 */
public enum HeaderStatus
{
    VALID,
    /**
     * The sync word is missing (11 bits for MPEG audio, 12 bits for ADTS).
     */
    NO_SYNC,
    /**
     * MPEG version bits 01, which no version uses.
     */
    RESERVED_VERSION,
    /**
     * MPEG layer bits 00, or ADTS layer bits other than 00.
     */
    RESERVED_LAYER,
    /**
     * MPEG bitrate index 0: a free-format stream, whose frame length cannot be known from the header. Not supported.
     */
    FREE_FORMAT_UNSUPPORTED,
    /**
     * MPEG bitrate index 15.
     */
    BAD_BITRATE,
    /**
     * MPEG sample rate index 3, or ADTS sampling_frequency_index 13..15.
     */
    RESERVED_SAMPLE_RATE,
    /**
     * ADTS aac_frame_length shorter than its own header.
     */
    BAD_FRAME_LENGTH,
    /**
     * Fewer bytes available than the header needs.
     */
    TRUNCATED
}
