package org.seamcast.codec.protocol;

/**
 * Names the field a {@link DecodeResult#FIELD_OUT_OF_RANGE} or {@link DecodeResult#BAD_LENGTH} is about.
 */
public enum MessageField
{
    NONE,
    TOTAL_LENGTH,
    FLAGS,
    MOUNT,
    SEQUENCE,
    SAMPLE_RATE,
    SAMPLES_IN_FRAME,
    CODEC,
    PAYLOAD,
    CHANNELS,
    ICY_PUBLIC,
    CONTENT_TYPE,
    ICY_NAME,
    ICY_GENRE,
    ICY_DESCRIPTION,
    ICY_URL,
    ICE_AUDIO_INFO,
    STREAM_TITLE,
    STREAM_URL,
    NODE_NAME,
    STREAM_COUNT,
    MOUNT_COUNT,
    RESUME_COUNT,
    RANGE_COUNT,
    RANGE,
    ROLE,
    BODY
}
