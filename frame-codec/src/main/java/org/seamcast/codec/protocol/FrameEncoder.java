package org.seamcast.codec.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static org.seamcast.codec.protocol.WireLayout.*;

/**
 * Flyweight encoder of FRAME messages, one audio frame of one encoder of one mount.
 * <pre>
 *  offset  size  field
 *   0       8    common header, type 1, flags bit 8 = CLEAN_SWITCH
 *   8       4    encoder id (u32)
 *  12       4    sample rate in Hz (u32)
 *  16       8    encoder epoch (u64, new value whenever the ingest restarts)
 *  24       8    sequence (u64, below 2^63)
 *  32       8    media timestamp in microseconds since the Unix epoch (i64)
 *  40       2    samples in this frame, per channel (u16)
 *  42       1    encoder priority (u8, 0 = highest)
 *  43       1    codec (1 = MP3, 2 = ADTS)
 *  44       1    mount length m
 *  45       m    mount name
 *  45+m     2    payload length p (u16, 1..8191)
 *  47+m     p    the audio frame, header included
 *  47+m+p        trailer
 * </pre>
 * Usage, allocation-free:
 * <pre>{@code
 * int length = encoder.wrap(buffer, 0, mount)
 *     .encoderId(7).priority(0).epoch(epoch).sequence(seq).timestampUs(tsUs)
 *     .codec(CodecType.MP3).sampleRate(44_100).samplesInFrame(1152).cleanSwitch(mainDataBegin == 0)
 *     .payload(frameBuffer, frameOffset, frameLength)
 *     .finish(authenticatorOrNull);
 * }</pre>
 * Every field but cleanSwitch must be set after each {@code wrap}; the buffer needs
 * {@link Protocol#MAX_FRAME_MESSAGE_LENGTH} bytes from the offset. A message longer than
 * {@link Protocol#MAX_DATAGRAM_LENGTH} goes over TCP only. Not thread-safe: one per thread.
 */
public final class FrameEncoder
{
    private static final int ENCODER_ID = 1;
    private static final int PRIORITY = 2;
    private static final int EPOCH = 4;
    private static final int SEQUENCE = 8;
    private static final int TIMESTAMP = 16;
    private static final int SAMPLE_RATE = 32;
    private static final int SAMPLES = 64;
    private static final int CODEC = 128;
    private static final int PAYLOAD = 256;
    private static final int ALL = 511;
    private static final String[] NAMES =
        { "encoderId", "priority", "epoch", "sequence", "timestampUs", "sampleRate", "samplesInFrame", "codec",
          "payload" };

    private final Crc32c crc = new Crc32c();
    private MutableDirectBuffer buffer;
    private int offset;
    private int payloadLengthOffset;
    private int bodyEnd;
    private int flags;
    private int set;
    private CodecType codec;
    private int sampleRate;
    private int samples;

    /**
     * Starts a FRAME at {@code offset} for {@code mount}.
     *
     * @param buffer to write into.
     * @param offset of the message's first byte.
     * @param mount the stream.
     * @return this.
     */
    public FrameEncoder wrap(final MutableDirectBuffer buffer, final int offset, final MountName mount)
    {
        this.buffer = buffer;
        this.offset = offset;
        flags = 0;
        set = 0;
        buffer.putByte(offset + FRAME_MOUNT, (byte)mount.length());
        buffer.putBytes(offset + FRAME_MOUNT + 1, mount.buffer(), 0, mount.length());
        payloadLengthOffset = offset + FRAME_MOUNT + 1 + mount.length();
        return this;
    }

    /**
     * @param encoderId 0..2^32-1.
     * @return this.
     */
    public FrameEncoder encoderId(final long encoderId)
    {
        if (encoderId < 0 || encoderId > 0xFFFF_FFFFL)
        {
            throw new IllegalArgumentException("encoderId=" + encoderId + " outside 0..4294967295");
        }
        buffer.putInt(offset + FRAME_ENCODER_ID, (int)encoderId, ByteOrder.LITTLE_ENDIAN);
        set |= ENCODER_ID;
        return this;
    }

    /**
     * @param priority 0 (highest) .. 255.
     * @return this.
     */
    public FrameEncoder priority(final int priority)
    {
        if (priority < 0 || priority > 255)
        {
            throw new IllegalArgumentException("priority=" + priority + " outside 0..255");
        }
        buffer.putByte(offset + FRAME_PRIORITY, (byte)priority);
        set |= PRIORITY;
        return this;
    }

    /**
     * @param epoch any value, changed whenever the ingest restarts.
     * @return this.
     */
    public FrameEncoder epoch(final long epoch)
    {
        buffer.putLong(offset + FRAME_EPOCH, epoch, ByteOrder.LITTLE_ENDIAN);
        set |= EPOCH;
        return this;
    }

    /**
     * @param sequence 0..2^63-1.
     * @return this.
     */
    public FrameEncoder sequence(final long sequence)
    {
        if (sequence < 0)
        {
            throw new IllegalArgumentException("sequence=" + sequence + " < 0");
        }
        buffer.putLong(offset + FRAME_SEQUENCE, sequence, ByteOrder.LITTLE_ENDIAN);
        set |= SEQUENCE;
        return this;
    }

    /**
     * @param timestampUs media time of the frame's first sample, microseconds since the Unix epoch.
     * @return this.
     */
    public FrameEncoder timestampUs(final long timestampUs)
    {
        buffer.putLong(offset + FRAME_TIMESTAMP_US, timestampUs, ByteOrder.LITTLE_ENDIAN);
        set |= TIMESTAMP;
        return this;
    }

    /**
     * @param sampleRate in Hz, one the codec can express (checked at finish).
     * @return this.
     */
    public FrameEncoder sampleRate(final int sampleRate)
    {
        this.sampleRate = sampleRate;
        buffer.putInt(offset + FRAME_SAMPLE_RATE, sampleRate, ByteOrder.LITTLE_ENDIAN);
        set |= SAMPLE_RATE;
        return this;
    }

    /**
     * @param samples per channel in this frame (checked against the codec at finish).
     * @return this.
     */
    public FrameEncoder samplesInFrame(final int samples)
    {
        if (samples < 0 || samples > 0xFFFF)
        {
            throw new IllegalArgumentException("samplesInFrame=" + samples + " outside 0..65535");
        }
        this.samples = samples;
        buffer.putShort(offset + FRAME_SAMPLES, (short)samples, ByteOrder.LITTLE_ENDIAN);
        set |= SAMPLES;
        return this;
    }

    /**
     * @param codec of the payload.
     * @return this.
     */
    public FrameEncoder codec(final CodecType codec)
    {
        this.codec = codec;
        buffer.putByte(offset + FRAME_CODEC, (byte)codec.code());
        set |= CODEC;
        return this;
    }

    /**
     * @param cleanSwitch true for MP3 frames with main_data_begin == 0 and for every ADTS frame.
     * @return this.
     */
    public FrameEncoder cleanSwitch(final boolean cleanSwitch)
    {
        flags = cleanSwitch ? Protocol.FLAG_CLEAN_SWITCH : 0;
        return this;
    }

    /**
     * @param src holding the audio frame.
     * @param srcOffset of its first byte.
     * @param length 1..{@value Protocol#MAX_PAYLOAD_LENGTH}.
     * @return this.
     */
    public FrameEncoder payload(final DirectBuffer src, final int srcOffset, final int length)
    {
        checkPayloadLength(length);
        buffer.putShort(payloadLengthOffset, (short)length, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(payloadLengthOffset + 2, src, srcOffset, length);
        bodyEnd = payloadLengthOffset + 2 + length;
        set |= PAYLOAD;
        return this;
    }

    /**
     * @param src holding the audio frame.
     * @param srcOffset of its first byte.
     * @param length 1..{@value Protocol#MAX_PAYLOAD_LENGTH}.
     * @return this.
     */
    public FrameEncoder payload(final byte[] src, final int srcOffset, final int length)
    {
        checkPayloadLength(length);
        buffer.putShort(payloadLengthOffset, (short)length, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(payloadLengthOffset + 2, src, srcOffset, length);
        bodyEnd = payloadLengthOffset + 2 + length;
        set |= PAYLOAD;
        return this;
    }

    /**
     * Writes header and trailer.
     *
     * @param signer signs with the keyring's signing key, or null for an unsigned message.
     * @return the message length in bytes.
     */
    public int finish(final MessageAuthenticator signer)
    {
        if (set != ALL)
        {
            throw new IllegalStateException("FRAME field " + NAMES[Integer.numberOfTrailingZeros(~set)] + " not set");
        }
        if (!codec.isValidSampleRate(sampleRate))
        {
            throw new IllegalArgumentException("sampleRate=" + sampleRate + " is not a " + codec + " sample rate");
        }
        if (!codec.isValidSamplesPerFrame(samples))
        {
            throw new IllegalArgumentException("samplesInFrame=" + samples + " is not a " + codec + " frame size");
        }
        return Sealer.seal(buffer, offset, bodyEnd, MessageType.FRAME, flags, signer, crc);
    }

    /**
     * Sets the timestamp of a FRAME already encoded at {@code offset} and seals it again, so a frame can be encoded
     * as soon as it arrives and stamped later: an ingest holds a burst until it knows where the burst ends. The
     * message may have been sealed with or without a signer; it is sealed again with {@code signer}, so the buffer
     * needs room for that trailer ({@link Protocol#MAX_FRAME_MESSAGE_LENGTH} from the offset always suffices).
     *
     * @param buffer      holding the message.
     * @param offset      of the message's first byte.
     * @param timestampUs media time of the frame's first sample, microseconds since the Unix epoch.
     * @param signer      signs with the keyring's signing key, or null for an unsigned message.
     * @return the message length in bytes.
     */
    public int restamp(
        final MutableDirectBuffer buffer, final int offset, final long timestampUs, final MessageAuthenticator signer)
    {
        final int type = buffer.getByte(offset + Protocol.TYPE_OFFSET);
        if (type != MessageType.FRAME.code())
        {
            throw new IllegalArgumentException("message type=" + type + " is not FRAME=" + MessageType.FRAME.code());
        }
        final int flags = buffer.getShort(offset + Protocol.FLAGS_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int length = buffer.getShort(offset + Protocol.LENGTH_FIELD_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int trailerLength = Protocol.CRC_LENGTH + ((flags & Protocol.FLAG_SIGNED) != 0 ?
            Protocol.MAC_TRAILER_LENGTH : 0);
        buffer.putLong(offset + FRAME_TIMESTAMP_US, timestampUs, ByteOrder.LITTLE_ENDIAN);
        return Sealer.seal(buffer, offset, offset + length - trailerLength, MessageType.FRAME,
            flags & ~Protocol.FLAG_SIGNED, signer, crc);
    }

    private static void checkPayloadLength(final int length)
    {
        if (length > Protocol.MAX_PAYLOAD_LENGTH)
        {
            throw new IllegalArgumentException(
                "payload length=" + length + " > MAX_PAYLOAD_LENGTH=" + Protocol.MAX_PAYLOAD_LENGTH);
        }
        if (length < 1)
        {
            throw new IllegalArgumentException("payload length=" + length + " < 1");
        }
    }
}
