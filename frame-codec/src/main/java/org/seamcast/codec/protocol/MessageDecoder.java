package org.seamcast.codec.protocol;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static org.seamcast.codec.protocol.DecodeResult.*;
import static org.seamcast.codec.protocol.WireLayout.*;

/**
 * Validates one message in {@code (buffer, offset, length)} and, when it is valid, exposes it through a
 * reusable zero-copy view: {@code switch (decoder.type()) { case FRAME: FrameView f = decoder.frame(); ... }}.
 * <p>
 * Checks, in order: at least {@value Protocol#MIN_MESSAGE_LENGTH} bytes, magic, version, total length
 * (within bounds and within the bytes given), CRC32C, MAC policy (see below), type, flags, then every body
 * field against its bound; the body's length prefixes must add up exactly to the total length.
 * Hostile input yields a {@link DecodeResult}, never an exception, and the decoder allocates nothing.
 * <p>
 * MAC policy: with a {@link MessageAuthenticator} whose keyring requires MACs an unsigned message is
 * {@link DecodeResult#MAC_MISSING}; a signed message must use a key id the keyring holds, match its tag, and, once
 * the body is valid, use a key whose {@link KeyRole} permits the message ({@link DecodeResult#KEY_NOT_PERMITTED}).
 * Without an authenticator, tags are not checked ({@link #isMacVerified()} stays false).
 * <p>
 * Several messages may share one datagram: after {@code OK}, advance by {@link #messageLength()}.
 * <p>
 * Threading: NOT thread-safe (reused views, CRC state, the authenticator's MACs); one decoder per thread.
 */
public final class MessageDecoder
{
    private static final int COMMON_FLAGS = Protocol.FLAG_SIGNED;

    private final MessageAuthenticator authenticator;
    private final boolean checksCrc;
    private final Crc32c crc = new Crc32c();
    private final FrameView frame = new FrameView();
    private final AnnounceView announce = new AnnounceView();
    private final MetadataView metadata = new MetadataView();
    private final HeartbeatView heartbeat = new HeartbeatView();
    private final SubscribeView subscribe = new SubscribeView();
    private final RetransmitRequestView retransmitRequest = new RetransmitRequestView();
    private final HelloView hello = new HelloView();
    private final HelloAuthView helloAuth = new HelloAuthView();

    private MessageType type;
    private int messageLength;
    private boolean macVerified;
    private boolean acceptUnverifiedAudio;
    private MessageField errorField = MessageField.NONE;
    private DecodeResult failure;

    /**
     * A decoder that checks CRCs but not MACs.
     */
    public MessageDecoder()
    {
        this(null);
    }

    /**
     * @param authenticator verifies MACs and applies its keyring's policy, or null to skip MAC checks.
     */
    public MessageDecoder(final MessageAuthenticator authenticator)
    {
        this(authenticator, true);
    }

    private MessageDecoder(final MessageAuthenticator authenticator, final boolean checksCrc)
    {
        this.authenticator = authenticator;
        this.checksCrc = checksCrc;
    }

    /**
     * A decoder for messages this process has already decoded with a checking decoder and copied since (an I/O
     * thread's inbox to an agent): it parses and bounds-checks as any other but skips the CRC and MAC, which the
     * I/O thread verified. Validating once is what keeps a copy cheap on the agent's thread; never use it on bytes
     * from the network.
     */
    public static MessageDecoder ofValidated()
    {
        return new MessageDecoder(null, false);
    }

    /**
     * Reads only the 8-byte header, e.g. to reject garbage on a TCP stream before waiting for a whole message.
     *
     * @param buffer holding at least {@value Protocol#HEADER_LENGTH} bytes from offset.
     * @param offset of the header.
     * @return {@link DecodeResult#OK} when magic, version and total length are acceptable.
     */
    public static DecodeResult checkHeader(final DirectBuffer buffer, final int offset)
    {
        if (buffer.getByte(offset) != Protocol.MAGIC_0 || buffer.getByte(offset + 1) != Protocol.MAGIC_1)
        {
            return BAD_MAGIC;
        }
        if ((buffer.getByte(offset + Protocol.VERSION_OFFSET) & 0xFF) != Protocol.VERSION)
        {
            return UNSUPPORTED_VERSION;
        }
        final int totalLength = totalLength(buffer, offset);
        if (totalLength < Protocol.MIN_MESSAGE_LENGTH || totalLength > Protocol.MAX_MESSAGE_LENGTH)
        {
            return BAD_LENGTH;
        }
        return OK;
    }

    /**
     * @param buffer holding a header at offset.
     * @param offset of the header.
     * @return the total length field, unchecked.
     */
    public static int totalLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + Protocol.LENGTH_FIELD_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    /**
     * Validates the message starting at {@code offset}.
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length bytes available from offset (a datagram, or a framed TCP message).
     * @return OK, or why the message must be dropped.
     * @throws IllegalArgumentException when offset and length do not lie within the buffer (caller error).
     */
    public DecodeResult decode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            throw new IllegalArgumentException("offset=" + offset + " length=" + length + " outside buffer capacity=" +
                buffer.capacity());
        }
        type = null;
        messageLength = 0;
        macVerified = false;
        errorField = MessageField.NONE;

        if (length < Protocol.MIN_MESSAGE_LENGTH)
        {
            return TOO_SHORT;
        }
        final DecodeResult headerResult = checkHeader(buffer, offset);
        if (headerResult != OK)
        {
            return fail(headerResult, headerResult == BAD_LENGTH ? MessageField.TOTAL_LENGTH : MessageField.NONE);
        }
        final int totalLength = totalLength(buffer, offset);
        if (totalLength > length)
        {
            return fail(TOO_SHORT, MessageField.TOTAL_LENGTH);
        }
        final int flags = buffer.getShort(offset + Protocol.FLAGS_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final boolean signed = (flags & Protocol.FLAG_SIGNED) != 0;
        final int trailerLength = Protocol.CRC_LENGTH + (signed ? Protocol.MAC_TRAILER_LENGTH : 0);
        if (totalLength < Protocol.HEADER_LENGTH + trailerLength)
        {
            return fail(BAD_LENGTH, MessageField.TOTAL_LENGTH);
        }
        final int crcOffset = offset + totalLength - Protocol.CRC_LENGTH;
        if (checksCrc && crc.compute(buffer, offset, totalLength - Protocol.CRC_LENGTH) !=
            buffer.getInt(crcOffset, ByteOrder.LITTLE_ENDIAN))
        {
            return CRC_MISMATCH;
        }
        final int bodyEnd = offset + totalLength - trailerLength;
        final int keyId = signed ? buffer.getByte(bodyEnd) & 0xFF : -1;
        boolean unheldKey = false;
        if (authenticator != null)
        {
            if (signed)
            {
                if (!authenticator.hasKey(keyId))
                {
                    if (!acceptUnverifiedAudio)
                    {
                        return UNKNOWN_KEY_ID;
                    }
                    unheldKey = true;
                }
                else if (!authenticator.verify(keyId, buffer, offset, bodyEnd + 1 - offset, bodyEnd + 1))
                {
                    return MAC_MISMATCH;
                }
                else
                {
                    macVerified = true;
                }
            }
            else if (authenticator.keyring().isMacRequired())
            {
                return MAC_MISSING;
            }
        }
        final MessageType messageType = MessageType.fromCode(buffer.getByte(offset + Protocol.TYPE_OFFSET) & 0xFF);
        if (messageType == null)
        {
            return UNKNOWN_TYPE;
        }
        final int allowedFlags = COMMON_FLAGS |
            (messageType == MessageType.FRAME ? Protocol.FLAG_CLEAN_SWITCH : 0) |
            (messageType == MessageType.HELLO ? Protocol.FLAG_AUTH_REQUIRED : 0);
        if ((flags & ~allowedFlags) != 0)
        {
            return fail(FIELD_OUT_OF_RANGE, MessageField.FLAGS);
        }

        final DecodeResult bodyResult;
        switch (messageType)
        {
            case FRAME:
                frame.wrapMessage(buffer, offset, totalLength, flags);
                bodyResult = decodeFrame(buffer, offset, bodyEnd);
                break;
            case ANNOUNCE:
                announce.wrapMessage(buffer, offset, totalLength, flags);
                bodyResult = decodeAnnounce(buffer, offset, bodyEnd);
                break;
            case METADATA:
                metadata.wrapMessage(buffer, offset, totalLength, flags);
                bodyResult = decodeMetadata(buffer, offset, bodyEnd);
                break;
            case HEARTBEAT:
                heartbeat.wrapMessage(buffer, offset, totalLength, flags);
                bodyResult = decodeHeartbeat(buffer, offset, bodyEnd);
                break;
            case SUBSCRIBE:
                subscribe.wrapMessage(buffer, offset, totalLength, flags);
                bodyResult = decodeSubscribe(buffer, offset, bodyEnd);
                break;
            case RETRANSMIT_REQUEST:
                retransmitRequest.wrapMessage(buffer, offset, totalLength, flags);
                bodyResult = decodeRetransmitRequest(buffer, offset, bodyEnd);
                break;
            case HELLO:
                hello.wrapMessage(buffer, offset, totalLength, flags);
                bodyResult = decodeHello(buffer, offset, bodyEnd);
                break;
            case HELLO_AUTH:
                helloAuth.wrapMessage(buffer, offset, totalLength, flags);
                bodyResult = bodyEnd - offset == HELLO_AUTH_END ? OK : fail(BAD_LENGTH, MessageField.BODY);
                break;
            default:
                bodyResult = UNKNOWN_TYPE;
                break;
        }
        if (bodyResult != OK)
        {
            return bodyResult;
        }
        if (signed && authenticator != null)
        {
            final boolean streams = messageType == MessageType.HEARTBEAT && heartbeat.streamCount() > 0;
            if (unheldKey)
            {
                if (KeyRole.Permission.of(messageType, streams) != KeyRole.Permission.AUDIO)
                {
                    return UNKNOWN_KEY_ID;
                }
            }
            else if (!authenticator.keyring().permits(keyId, messageType, streams))
            {
                return KEY_NOT_PERMITTED;
            }
        }
        type = messageType;
        messageLength = totalLength;
        return OK;
    }

    /**
     * Lets this decoder accept audio (FRAME, ANNOUNCE, METADATA, HEARTBEAT with stream entries) signed with a key id
     * its keyring does not hold, without checking the tag ({@link #isMacVerified()} stays false). Meant only for an
     * edge's TCP connection to a relay it has authenticated in the handshake, when the edge holds no audio key
     * ({@link Keyring#verifiesAudio()} is false): HMAC keys are symmetric, so an edge that could verify audio could
     * also forge it, and the relay has verified the audio already. Every other message must still verify.
     *
     * @param accept true to accept such audio.
     */
    public void acceptUnverifiedAudio(final boolean accept)
    {
        acceptUnverifiedAudio = accept;
    }

    private DecodeResult decodeFrame(final DirectBuffer buffer, final int offset, final int bodyEnd)
    {
        int position = offset + FRAME_MOUNT;
        if (position >= bodyEnd)
        {
            return fail(BAD_LENGTH, MessageField.BODY);
        }
        final CodecType codec = CodecType.fromCode(buffer.getByte(offset + FRAME_CODEC) & 0xFF);
        if (codec == null)
        {
            return fail(FIELD_OUT_OF_RANGE, MessageField.CODEC);
        }
        if (!codec.isValidSampleRate(buffer.getInt(offset + FRAME_SAMPLE_RATE, ByteOrder.LITTLE_ENDIAN)))
        {
            return fail(FIELD_OUT_OF_RANGE, MessageField.SAMPLE_RATE);
        }
        if (!codec.isValidSamplesPerFrame(buffer.getShort(offset + FRAME_SAMPLES, ByteOrder.LITTLE_ENDIAN) & 0xFFFF))
        {
            return fail(FIELD_OUT_OF_RANGE, MessageField.SAMPLES_IN_FRAME);
        }
        if (buffer.getLong(offset + FRAME_SEQUENCE, ByteOrder.LITTLE_ENDIAN) < 0)
        {
            return fail(FIELD_OUT_OF_RANGE, MessageField.SEQUENCE);
        }
        final int mountLength = buffer.getByte(position) & 0xFF;
        position = checkMount(buffer, position, bodyEnd);
        if (position < 0)
        {
            return failure;
        }
        frame.wrapMount(position - mountLength, mountLength);
        if (position + 2 > bodyEnd)
        {
            return fail(BAD_LENGTH, MessageField.PAYLOAD);
        }
        final int payloadLength = buffer.getShort(position, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (payloadLength < 1 || payloadLength > Protocol.MAX_PAYLOAD_LENGTH)
        {
            return fail(FIELD_OUT_OF_RANGE, MessageField.PAYLOAD);
        }
        if (position + 2 + payloadLength != bodyEnd)
        {
            return fail(BAD_LENGTH, MessageField.PAYLOAD);
        }
        frame.wrapPayload(position + 2, payloadLength);
        return OK;
    }

    private DecodeResult decodeAnnounce(final DirectBuffer buffer, final int offset, final int bodyEnd)
    {
        int position = offset + ANNOUNCE_MOUNT;
        if (position >= bodyEnd)
        {
            return fail(BAD_LENGTH, MessageField.BODY);
        }
        final CodecType codec = CodecType.fromCode(buffer.getByte(offset + ANNOUNCE_CODEC) & 0xFF);
        if (codec == null)
        {
            return fail(FIELD_OUT_OF_RANGE, MessageField.CODEC);
        }
        if (!codec.isValidSampleRate(buffer.getInt(offset + ANNOUNCE_SAMPLE_RATE, ByteOrder.LITTLE_ENDIAN)))
        {
            return fail(FIELD_OUT_OF_RANGE, MessageField.SAMPLE_RATE);
        }
        final int channels = buffer.getByte(offset + ANNOUNCE_CHANNELS) & 0xFF;
        if (channels < 1 || channels > Protocol.MAX_CHANNELS)
        {
            return fail(FIELD_OUT_OF_RANGE, MessageField.CHANNELS);
        }
        final int icyPublic = buffer.getByte(offset + ANNOUNCE_ICY_PUBLIC) & 0xFF;
        if (icyPublic > 1 && icyPublic != Protocol.ICY_PUBLIC_UNSET)
        {
            return fail(FIELD_OUT_OF_RANGE, MessageField.ICY_PUBLIC);
        }
        final int mountLength = buffer.getByte(position) & 0xFF;
        position = checkMount(buffer, position, bodyEnd);
        if (position < 0)
        {
            return failure;
        }
        announce.wrapMount(position - mountLength, mountLength);
        for (int i = 0; i < AnnounceEncoder.TEXT_COUNT; i++)
        {
            final int textStart = position + 1;
            position = checkText(buffer, position, bodyEnd, 1, AnnounceEncoder.TEXT_LIMITS[i],
                AnnounceEncoder.TEXT_FIELDS[i]);
            if (position < 0)
            {
                return failure;
            }
            announce.wrapText(i, textStart, position - textStart);
        }
        announce.wrapIngestName(position, 0);
        if (position == bodyEnd)
        {
            return OK;
        }
        final int nameLength = buffer.getByte(position) & 0xFF;
        if (nameLength > Protocol.MAX_NODE_NAME_LENGTH)
        {
            return fail(FIELD_OUT_OF_RANGE, MessageField.NODE_NAME);
        }
        if (position + 1 + nameLength != bodyEnd)
        {
            return fail(BAD_LENGTH, MessageField.NODE_NAME);
        }
        if (nameLength > 0 && !NodeName.isValid(buffer, position + 1, nameLength))
        {
            return fail(FIELD_OUT_OF_RANGE, MessageField.NODE_NAME);
        }
        announce.wrapIngestName(position + 1, nameLength);
        return OK;
    }

    private DecodeResult decodeMetadata(final DirectBuffer buffer, final int offset, final int bodyEnd)
    {
        int position = offset + METADATA_MOUNT;
        if (position >= bodyEnd)
        {
            return fail(BAD_LENGTH, MessageField.BODY);
        }
        final int mountLength = buffer.getByte(position) & 0xFF;
        position = checkMount(buffer, position, bodyEnd);
        if (position < 0)
        {
            return failure;
        }
        metadata.wrapMount(position - mountLength, mountLength);
        final int titleStart = position + 2;
        position = checkText(buffer, position, bodyEnd, 2, Protocol.MAX_STREAM_TITLE_LENGTH, MessageField.STREAM_TITLE);
        if (position < 0)
        {
            return failure;
        }
        final int titleLength = position - titleStart;
        final int urlStart = position + 1;
        position = checkText(buffer, position, bodyEnd, 1, Protocol.MAX_STREAM_URL_LENGTH, MessageField.STREAM_URL);
        if (position < 0)
        {
            return failure;
        }
        metadata.wrapText(titleStart, titleLength, urlStart, position - urlStart);
        return position == bodyEnd ? OK : fail(BAD_LENGTH, MessageField.BODY);
    }

    private DecodeResult decodeHeartbeat(final DirectBuffer buffer, final int offset, final int bodyEnd)
    {
        int position = offset + HEARTBEAT_NODE_NAME;
        if (position >= bodyEnd)
        {
            return fail(BAD_LENGTH, MessageField.BODY);
        }
        final int streamCount = buffer.getShort(offset + HEARTBEAT_STREAM_COUNT, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (streamCount > Protocol.MAX_HEARTBEAT_STREAMS)
        {
            return fail(FIELD_OUT_OF_RANGE, MessageField.STREAM_COUNT);
        }
        final int nameLength = buffer.getByte(position) & 0xFF;
        position = checkNodeName(buffer, position, bodyEnd);
        if (position < 0)
        {
            return failure;
        }
        final int streamsStart = position;
        position = checkPositions(buffer, position, bodyEnd, streamCount);
        if (position < 0)
        {
            return failure;
        }
        heartbeat.wrapBody(nameLength, streamsStart, streamCount);
        return position == bodyEnd ? OK : fail(BAD_LENGTH, MessageField.BODY);
    }

    private DecodeResult decodeSubscribe(final DirectBuffer buffer, final int offset, final int bodyEnd)
    {
        int position = offset + SUBSCRIBE_LISTS;
        if (position > bodyEnd)
        {
            return fail(BAD_LENGTH, MessageField.BODY);
        }
        final int mountCount = buffer.getShort(offset + SUBSCRIBE_MOUNT_COUNT, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (mountCount > Protocol.MAX_SUBSCRIBE_MOUNTS)
        {
            return fail(FIELD_OUT_OF_RANGE, MessageField.MOUNT_COUNT);
        }
        final int resumeCount = buffer.getShort(offset + SUBSCRIBE_RESUME_COUNT, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (resumeCount > Protocol.MAX_RESUME_POINTS)
        {
            return fail(FIELD_OUT_OF_RANGE, MessageField.RESUME_COUNT);
        }
        final int mountsStart = position;
        for (int i = 0; i < mountCount; i++)
        {
            position = checkMount(buffer, position, bodyEnd);
            if (position < 0)
            {
                return failure;
            }
        }
        final int resumeStart = position;
        position = checkPositions(buffer, position, bodyEnd, resumeCount);
        if (position < 0)
        {
            return failure;
        }
        subscribe.wrapLists(mountsStart, mountCount, resumeStart, resumeCount);
        return position == bodyEnd ? OK : fail(BAD_LENGTH, MessageField.BODY);
    }

    private DecodeResult decodeRetransmitRequest(final DirectBuffer buffer, final int offset, final int bodyEnd)
    {
        int position = offset + RETRANSMIT_MOUNT;
        if (position >= bodyEnd)
        {
            return fail(BAD_LENGTH, MessageField.BODY);
        }
        final int rangeCount = buffer.getShort(offset + RETRANSMIT_RANGE_COUNT, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (rangeCount < 1 || rangeCount > Protocol.MAX_RETRANSMIT_RANGES)
        {
            return fail(FIELD_OUT_OF_RANGE, MessageField.RANGE_COUNT);
        }
        final int mountLength = buffer.getByte(position) & 0xFF;
        position = checkMount(buffer, position, bodyEnd);
        if (position < 0)
        {
            return failure;
        }
        retransmitRequest.wrapMount(position - mountLength, mountLength);
        if (position + rangeCount * RETRANSMIT_RANGE_LENGTH != bodyEnd)
        {
            return fail(BAD_LENGTH, MessageField.RANGE_COUNT);
        }
        for (int i = 0; i < rangeCount; i++)
        {
            final int rangeOffset = position + i * RETRANSMIT_RANGE_LENGTH;
            final long first = buffer.getLong(rangeOffset, ByteOrder.LITTLE_ENDIAN);
            final int count = buffer.getShort(rangeOffset + 8, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            if (first < 0 || count < 1 || first > Long.MAX_VALUE - count + 1)
            {
                return fail(FIELD_OUT_OF_RANGE, MessageField.RANGE);
            }
        }
        retransmitRequest.wrapRanges(position);
        return OK;
    }

    private DecodeResult decodeHello(final DirectBuffer buffer, final int offset, final int bodyEnd)
    {
        int position = offset + HELLO_NODE_NAME;
        if (position >= bodyEnd)
        {
            return fail(BAD_LENGTH, MessageField.BODY);
        }
        if (HandshakeRole.fromCode(buffer.getByte(offset + HELLO_ROLE)) == null)
        {
            return fail(FIELD_OUT_OF_RANGE, MessageField.ROLE);
        }
        final int nameLength = buffer.getByte(position) & 0xFF;
        position = checkNodeName(buffer, position, bodyEnd);
        if (position < 0)
        {
            return failure;
        }
        hello.wrapBody(nameLength);
        return position == bodyEnd ? OK : fail(BAD_LENGTH, MessageField.BODY);
    }

    /**
     * @return position after the mount, or -1 with {@link #failure} set.
     */
    private int checkMount(final DirectBuffer buffer, final int position, final int bodyEnd)
    {
        if (position >= bodyEnd)
        {
            return failAt(BAD_LENGTH, MessageField.MOUNT);
        }
        final int length = buffer.getByte(position) & 0xFF;
        if (position + 1 + length > bodyEnd)
        {
            return failAt(BAD_LENGTH, MessageField.MOUNT);
        }
        if (!MountName.isValid(buffer, position + 1, length))
        {
            return failAt(FIELD_OUT_OF_RANGE, MessageField.MOUNT);
        }
        return position + 1 + length;
    }

    private int checkNodeName(final DirectBuffer buffer, final int position, final int bodyEnd)
    {
        final int length = buffer.getByte(position) & 0xFF;
        if (position + 1 + length > bodyEnd)
        {
            return failAt(BAD_LENGTH, MessageField.NODE_NAME);
        }
        if (!NodeName.isValid(buffer, position + 1, length))
        {
            return failAt(FIELD_OUT_OF_RANGE, MessageField.NODE_NAME);
        }
        return position + 1 + length;
    }

    private int checkText(
        final DirectBuffer buffer,
        final int position,
        final int bodyEnd,
        final int prefixLength,
        final int maxLength,
        final MessageField field)
    {
        if (position + prefixLength > bodyEnd)
        {
            return failAt(BAD_LENGTH, field);
        }
        final int length = prefixLength == 1 ?
            buffer.getByte(position) & 0xFF : buffer.getShort(position, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (length > maxLength)
        {
            return failAt(FIELD_OUT_OF_RANGE, field);
        }
        if (position + prefixLength + length > bodyEnd)
        {
            return failAt(BAD_LENGTH, field);
        }
        if (!TextField.isValid(buffer, position + prefixLength, length))
        {
            return failAt(FIELD_OUT_OF_RANGE, field);
        }
        return position + prefixLength + length;
    }

    private int checkPositions(final DirectBuffer buffer, final int start, final int bodyEnd, final int count)
    {
        int position = start;
        for (int i = 0; i < count; i++)
        {
            if (position + POSITION_MOUNT > bodyEnd)
            {
                return failAt(BAD_LENGTH, MessageField.BODY);
            }
            if (buffer.getLong(position + POSITION_SEQUENCE, ByteOrder.LITTLE_ENDIAN) < 0)
            {
                return failAt(FIELD_OUT_OF_RANGE, MessageField.SEQUENCE);
            }
            position = checkMount(buffer, position + POSITION_MOUNT, bodyEnd);
            if (position < 0)
            {
                return -1;
            }
        }
        return position;
    }

    private DecodeResult fail(final DecodeResult result, final MessageField field)
    {
        errorField = field;
        failure = result;
        return result;
    }

    private int failAt(final DecodeResult result, final MessageField field)
    {
        fail(result, field);
        return -1;
    }

    /**
     * @return the type of the last message decoded OK, or null after a failure.
     */
    public MessageType type()
    {
        return type;
    }

    /**
     * @return length of the last message decoded OK (advance by this within a datagram), 0 after a failure.
     */
    public int messageLength()
    {
        return messageLength;
    }

    /**
     * @return true when the last message was signed and its tag verified with a held key.
     */
    public boolean isMacVerified()
    {
        return macVerified;
    }

    /**
     * @return for FIELD_OUT_OF_RANGE, BAD_LENGTH and TOO_SHORT: the field at fault when known, else NONE.
     */
    public MessageField errorField()
    {
        return errorField;
    }

    public FrameView frame()
    {
        return view(MessageType.FRAME, frame);
    }

    public AnnounceView announce()
    {
        return view(MessageType.ANNOUNCE, announce);
    }

    public MetadataView metadata()
    {
        return view(MessageType.METADATA, metadata);
    }

    public HeartbeatView heartbeat()
    {
        return view(MessageType.HEARTBEAT, heartbeat);
    }

    public SubscribeView subscribe()
    {
        return view(MessageType.SUBSCRIBE, subscribe);
    }

    public RetransmitRequestView retransmitRequest()
    {
        return view(MessageType.RETRANSMIT_REQUEST, retransmitRequest);
    }

    public HelloView hello()
    {
        return view(MessageType.HELLO, hello);
    }

    public HelloAuthView helloAuth()
    {
        return view(MessageType.HELLO_AUTH, helloAuth);
    }

    private <V extends MessageView> V view(final MessageType wanted, final V view)
    {
        if (type != wanted)
        {
            throw new IllegalStateException("last decode gave " + type + ", not " + wanted);
        }
        return view;
    }
}
