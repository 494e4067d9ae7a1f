package org.seamcast.codec.protocol;

/**
 * Byte offsets of the fixed fields of each message type, from the start of the message.
 * Variable-length fields (names, strings, lists, payload) follow the fixed fields in the order
 * documented on each encoder and in {@code docs/protocol.md}.
 */
final class WireLayout
{
    // FRAME
    static final int FRAME_ENCODER_ID = 8;
    static final int FRAME_SAMPLE_RATE = 12;
    static final int FRAME_EPOCH = 16;
    static final int FRAME_SEQUENCE = 24;
    static final int FRAME_TIMESTAMP_US = 32;
    static final int FRAME_SAMPLES = 40;
    static final int FRAME_PRIORITY = 42;
    static final int FRAME_CODEC = 43;
    static final int FRAME_MOUNT = 44;

    // ANNOUNCE
    static final int ANNOUNCE_ENCODER_ID = 8;
    static final int ANNOUNCE_SAMPLE_RATE = 12;
    static final int ANNOUNCE_EPOCH = 16;
    static final int ANNOUNCE_BITRATE_KBPS = 24;
    static final int ANNOUNCE_PRIORITY = 26;
    static final int ANNOUNCE_CODEC = 27;
    static final int ANNOUNCE_CHANNELS = 28;
    static final int ANNOUNCE_ICY_PUBLIC = 29;
    static final int ANNOUNCE_MOUNT = 30;

    // METADATA
    static final int METADATA_EPOCH = 8;
    static final int METADATA_TIMESTAMP_US = 16;
    static final int METADATA_ENCODER_ID = 24;
    static final int METADATA_MOUNT = 28;

    // HEARTBEAT
    static final int HEARTBEAT_SENDER_TIME_US = 8;
    static final int HEARTBEAT_SEQUENCE = 16;
    static final int HEARTBEAT_STREAM_COUNT = 24;
    static final int HEARTBEAT_NODE_NAME = 26;

    // SUBSCRIBE
    static final int SUBSCRIBE_MOUNT_COUNT = 8;
    static final int SUBSCRIBE_RESUME_COUNT = 10;
    static final int SUBSCRIBE_LISTS = 12;

    // RETRANSMIT_REQUEST
    static final int RETRANSMIT_EPOCH = 8;
    static final int RETRANSMIT_ENCODER_ID = 16;
    static final int RETRANSMIT_RANGE_COUNT = 20;
    static final int RETRANSMIT_MOUNT = 22;
    static final int RETRANSMIT_RANGE_LENGTH = 10;

    // HELLO
    static final int HELLO_NONCE = 8;
    static final int HELLO_ROLE = 24;
    static final int HELLO_NODE_NAME = 25;

    // HELLO_AUTH
    static final int HELLO_AUTH_KEY_ID = 8;
    static final int HELLO_AUTH_PROOF = 9;
    static final int HELLO_AUTH_END = HELLO_AUTH_PROOF + Protocol.PROOF_LENGTH;

    // Stream position entry (HEARTBEAT streams, SUBSCRIBE resume points): fixed part then mount.
    static final int POSITION_ENCODER_ID = 0;
    static final int POSITION_EPOCH = 4;
    static final int POSITION_SEQUENCE = 12;
    static final int POSITION_MOUNT = 20;

    private WireLayout()
    {
    }
}
