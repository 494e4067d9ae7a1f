package org.seamcast.codec.protocol;

/**
 * Constants of the Seamcast mesh wire protocol: header layout, flags and every size bound.
 * <p>
 * All integers are little-endian (as in Aeron and SBE). Every message is laid out as:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |  magic 'S'    |  magic 'C'    |   version     |     type      |
 *  +---------------+---------------+---------------+---------------+
 *  |          flags (u16)          |      total length (u16)       |
 *  +---------------+---------------+---------------+---------------+
 *  |                  body (depends on type) ...                   |
 *  +---------------+-----------------------------------------------+
 *  | key id (u8)   |  HMAC-SHA256 tag, first 16 bytes   (only when |
 *  +---------------+   flags has SIGNED)                           |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |          CRC32C of every preceding byte of the message        |
 *  +---------------------------------------------------------------+
 * </pre>
 * The HMAC covers header, body and key id; the CRC32C covers everything before it, tag included.
 * The total length counts header, body and trailer, so a TCP stream can be framed by the header alone
 * (Netty: {@code LengthFieldBasedFrameDecoder(LITTLE_ENDIAN, MAX_MESSAGE_LENGTH, 6, 2, -8, 0, true)}).
 * The full byte-for-byte specification is {@code docs/protocol.md}.
 */
public final class Protocol
{
    /** First magic byte, ASCII 'S'. */
    public static final byte MAGIC_0 = 0x53;
    /** Second magic byte, ASCII 'C'. */
    public static final byte MAGIC_1 = 0x43;
    /** The one version this codec speaks. */
    public static final int VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 2;
    public static final int TYPE_OFFSET = 3;
    public static final int FLAGS_OFFSET = 4;
    public static final int LENGTH_FIELD_OFFSET = 6;
    public static final int LENGTH_FIELD_LENGTH = 2;
    public static final int HEADER_LENGTH = 8;

    public static final int CRC_LENGTH = 4;
    public static final int MAC_TAG_LENGTH = 16;
    /** Key id byte plus truncated tag. */
    public static final int MAC_TRAILER_LENGTH = 1 + MAC_TAG_LENGTH;
    public static final int MIN_MESSAGE_LENGTH = HEADER_LENGTH + CRC_LENGTH;

    /** Flag bit: the message carries a key id and an HMAC tag before the CRC. */
    public static final int FLAG_SIGNED = 0x0001;
    /** FRAME flag bit: a receiver may switch to this encoder at this frame without bit-reservoir damage. */
    public static final int FLAG_CLEAN_SWITCH = 0x0100;
    /** HELLO flag bit: the sender refuses a peer that does not prove the shared key with HELLO_AUTH. */
    public static final int FLAG_AUTH_REQUIRED = 0x0100;

    /** Largest message of any type, header and trailer included. */
    public static final int MAX_MESSAGE_LENGTH = 32_768;
    /** Largest UDP datagram the transport sends or accepts; larger messages go over TCP only. */
    public static final int MAX_DATAGRAM_LENGTH = 1_400;

    public static final int MIN_MOUNT_NAME_LENGTH = 2;
    public static final int MAX_MOUNT_NAME_LENGTH = 255;
    public static final int MAX_NODE_NAME_LENGTH = 64;
    /** Largest audio frame: the ADTS 13-bit frame length maximum. */
    public static final int MAX_PAYLOAD_LENGTH = 8_191;

    public static final int MAX_CHANNELS = 8;
    public static final int MAX_CONTENT_TYPE_LENGTH = 64;
    public static final int MAX_ICY_NAME_LENGTH = 255;
    public static final int MAX_ICY_GENRE_LENGTH = 128;
    public static final int MAX_ICY_DESCRIPTION_LENGTH = 255;
    public static final int MAX_ICY_URL_LENGTH = 255;
    public static final int MAX_ICE_AUDIO_INFO_LENGTH = 128;
    public static final int MAX_STREAM_TITLE_LENGTH = 768;
    public static final int MAX_STREAM_URL_LENGTH = 255;

    public static final int MAX_HEARTBEAT_STREAMS = 1_024;
    public static final int MAX_SUBSCRIBE_MOUNTS = 1_024;
    public static final int MAX_RESUME_POINTS = 1_024;
    public static final int MAX_RETRANSMIT_RANGES = 64;
    public static final int MAX_RETRANSMIT_RANGE_LENGTH = 65_535;

    public static final int NONCE_LENGTH = 16;
    public static final int PROOF_LENGTH = 32;

    /** icy-public value in ANNOUNCE when the encoder did not send the header. */
    public static final int ICY_PUBLIC_UNSET = 0xFF;

    /** Largest FRAME message: header, fixed fields, longest mount, largest payload, signed trailer. */
    public static final int MAX_FRAME_MESSAGE_LENGTH =
        WireLayout.FRAME_MOUNT + 1 + MAX_MOUNT_NAME_LENGTH + 2 + MAX_PAYLOAD_LENGTH + MAC_TRAILER_LENGTH + CRC_LENGTH;

    private Protocol()
    {
    }
}
