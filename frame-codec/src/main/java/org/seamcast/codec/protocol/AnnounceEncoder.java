package org.seamcast.codec.protocol;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static org.seamcast.codec.protocol.WireLayout.*;

/**
 * Encoder of ANNOUNCE messages: what a stream is, so relays and edges can serve it before the first frame.
 * <pre>
 *  offset  size  field
 *   0       8    common header, type 2
 *   8       4    encoder id (u32)
 *  12       4    sample rate in Hz (u32)
 *  16       8    encoder epoch (u64)
 *  24       2    nominal bitrate in kbit/s (u16, 0 = unknown)
 *  26       1    encoder priority (u8, 0 = highest)
 *  27       1    codec (1 = MP3, 2 = ADTS)
 *  28       1    channels (1..8)
 *  29       1    icy-public (0, 1, or 255 = not set)
 *  30       1+m  mount: length m (u8), bytes
 *  ..       1+n  content type      (u8 length, at most 64 bytes; empty = derive from codec)
 *  ..       1+n  icy-name          (at most 255)
 *  ..       1+n  icy-genre         (at most 128)
 *  ..       1+n  icy-description   (at most 255)
 *  ..       1+n  icy-url           (at most 255)
 *  ..       1+n  ice-audio-info    (at most 128)
 *  ..       1+n  ingest name       (a {@link NodeName}, at most 64; empty = not told; absent from older ingests)
 *  ..            trailer
 * </pre>
 * Strings are UTF-8 without control bytes; unset strings are empty. The header strings' bounds make the largest
 * ANNOUNCE 1,399 bytes signed with an empty ingest name, so it always fits one {@link Protocol#MAX_DATAGRAM_LENGTH}
 * datagram: the ingest name is written only when it fits too, and left empty otherwise (only when the header
 * strings are near their limits). Strings must be set in the order above. Converts Strings to bytes, so it
 * allocates (ANNOUNCE is rare). Not thread-safe.
 */
public final class AnnounceEncoder
{
    public static final int CONTENT_TYPE = 0;
    public static final int ICY_NAME = 1;
    public static final int ICY_GENRE = 2;
    public static final int ICY_DESCRIPTION = 3;
    public static final int ICY_URL = 4;
    public static final int ICE_AUDIO_INFO = 5;
    static final int TEXT_COUNT = 6;
    static final int[] TEXT_LIMITS =
        {
            Protocol.MAX_CONTENT_TYPE_LENGTH, Protocol.MAX_ICY_NAME_LENGTH, Protocol.MAX_ICY_GENRE_LENGTH,
            Protocol.MAX_ICY_DESCRIPTION_LENGTH, Protocol.MAX_ICY_URL_LENGTH, Protocol.MAX_ICE_AUDIO_INFO_LENGTH
        };
    static final MessageField[] TEXT_FIELDS =
        {
            MessageField.CONTENT_TYPE, MessageField.ICY_NAME, MessageField.ICY_GENRE, MessageField.ICY_DESCRIPTION,
            MessageField.ICY_URL, MessageField.ICE_AUDIO_INFO
        };
    private static final String[] TEXT_NAMES =
        { "contentType", "icyName", "icyGenre", "icyDescription", "icyUrl", "iceAudioInfo" };

    private static final int ENCODER_ID = 1;
    private static final int EPOCH = 2;
    private static final int PRIORITY = 4;
    private static final int CODEC = 8;
    private static final int SAMPLE_RATE = 16;
    private static final int CHANNELS = 32;
    private static final int ALL = 63;
    private static final String[] NAMES = { "encoderId", "epoch", "priority", "codec", "sampleRate", "channels" };

    private final Crc32c crc = new Crc32c();
    private MutableDirectBuffer buffer;
    private int offset;
    private int position;
    private int nextText;
    private int set;
    private CodecType codec;
    private int sampleRate;
    private NodeName ingestName;

    /**
     * Starts an ANNOUNCE; bitrate defaults to 0 (unknown) and icy-public to not set.
     *
     * @param buffer to write into, with {@link Protocol#MAX_DATAGRAM_LENGTH} bytes from offset.
     * @param offset of the message's first byte.
     * @param mount the stream.
     * @return this.
     */
    public AnnounceEncoder wrap(final MutableDirectBuffer buffer, final int offset, final MountName mount)
    {
        this.buffer = buffer;
        this.offset = offset;
        set = 0;
        nextText = 0;
        buffer.putShort(offset + ANNOUNCE_BITRATE_KBPS, (short)0, ByteOrder.LITTLE_ENDIAN);
        buffer.putByte(offset + ANNOUNCE_ICY_PUBLIC, (byte)Protocol.ICY_PUBLIC_UNSET);
        ingestName = null;
        buffer.putByte(offset + ANNOUNCE_MOUNT, (byte)mount.length());
        buffer.putBytes(offset + ANNOUNCE_MOUNT + 1, mount.buffer(), 0, mount.length());
        position = offset + ANNOUNCE_MOUNT + 1 + mount.length();
        return this;
    }

    public AnnounceEncoder encoderId(final long encoderId)
    {
        Checks.u32("encoderId", encoderId);
        buffer.putInt(offset + ANNOUNCE_ENCODER_ID, (int)encoderId, ByteOrder.LITTLE_ENDIAN);
        set |= ENCODER_ID;
        return this;
    }

    public AnnounceEncoder epoch(final long epoch)
    {
        buffer.putLong(offset + ANNOUNCE_EPOCH, epoch, ByteOrder.LITTLE_ENDIAN);
        set |= EPOCH;
        return this;
    }

    public AnnounceEncoder priority(final int priority)
    {
        Checks.range("priority", priority, 0, 255);
        buffer.putByte(offset + ANNOUNCE_PRIORITY, (byte)priority);
        set |= PRIORITY;
        return this;
    }

    public AnnounceEncoder codec(final CodecType codec)
    {
        this.codec = codec;
        buffer.putByte(offset + ANNOUNCE_CODEC, (byte)codec.code());
        set |= CODEC;
        return this;
    }

    public AnnounceEncoder sampleRate(final int sampleRate)
    {
        this.sampleRate = sampleRate;
        buffer.putInt(offset + ANNOUNCE_SAMPLE_RATE, sampleRate, ByteOrder.LITTLE_ENDIAN);
        set |= SAMPLE_RATE;
        return this;
    }

    public AnnounceEncoder channels(final int channels)
    {
        Checks.range("channels", channels, 1, Protocol.MAX_CHANNELS);
        buffer.putByte(offset + ANNOUNCE_CHANNELS, (byte)channels);
        set |= CHANNELS;
        return this;
    }

    /**
     * @param bitrateKbps nominal bitrate, 0 when unknown.
     * @return this.
     */
    public AnnounceEncoder bitrateKbps(final int bitrateKbps)
    {
        Checks.range("bitrateKbps", bitrateKbps, 0, 0xFFFF);
        buffer.putShort(offset + ANNOUNCE_BITRATE_KBPS, (short)bitrateKbps, ByteOrder.LITTLE_ENDIAN);
        return this;
    }

    /**
     * @param icyPublic whether the source asked to be listed in directories.
     * @return this.
     */
    public AnnounceEncoder icyPublic(final boolean icyPublic)
    {
        buffer.putByte(offset + ANNOUNCE_ICY_PUBLIC, (byte)(icyPublic ? 1 : 0));
        return this;
    }

    public AnnounceEncoder contentType(final String value)
    {
        return text(CONTENT_TYPE, value);
    }

    public AnnounceEncoder icyName(final String value)
    {
        return text(ICY_NAME, value);
    }

    public AnnounceEncoder icyGenre(final String value)
    {
        return text(ICY_GENRE, value);
    }

    public AnnounceEncoder icyDescription(final String value)
    {
        return text(ICY_DESCRIPTION, value);
    }

    public AnnounceEncoder icyUrl(final String value)
    {
        return text(ICY_URL, value);
    }

    public AnnounceEncoder iceAudioInfo(final String value)
    {
        return text(ICE_AUDIO_INFO, value);
    }

    /**
     * @param name the sending ingest's node name, so edges can show which ingest an encoder comes through; written
     *             when the message is finished, if it still fits one datagram.
     * @return this.
     */
    public AnnounceEncoder ingestName(final NodeName name)
    {
        ingestName = name;
        return this;
    }

    private AnnounceEncoder text(final int index, final String value)
    {
        if (index < nextText)
        {
            throw new IllegalStateException(TEXT_NAMES[index] + " set after " + TEXT_NAMES[nextText - 1] +
                "; ANNOUNCE strings go in the order contentType, icyName, icyGenre, icyDescription, icyUrl, iceAudioInfo");
        }
        final byte[] bytes = TextField.encode(value, TEXT_LIMITS[index], TEXT_NAMES[index]);
        skipTextsBefore(index);
        buffer.putByte(position, (byte)bytes.length);
        buffer.putBytes(position + 1, bytes);
        position += 1 + bytes.length;
        nextText = index + 1;
        return this;
    }

    private void skipTextsBefore(final int index)
    {
        while (nextText < index)
        {
            buffer.putByte(position++, (byte)0);
            nextText++;
        }
    }

    /**
     * @param signer signs with the keyring's signing key, or null for unsigned.
     * @return the message length in bytes.
     */
    public int finish(final MessageAuthenticator signer)
    {
        if (set != ALL)
        {
            throw new IllegalStateException("ANNOUNCE field " + NAMES[Integer.numberOfTrailingZeros(~set)] + " not set");
        }
        if (!codec.isValidSampleRate(sampleRate))
        {
            throw new IllegalArgumentException("sampleRate=" + sampleRate + " is not a " + codec + " sample rate");
        }
        skipTextsBefore(TEXT_COUNT);
        final int nameLength = ingestName == null ? 0 : ingestName.length();
        final int signedLength = position - offset + 1 + nameLength + Protocol.MAC_TRAILER_LENGTH + Protocol.CRC_LENGTH;
        if (nameLength > 0 && signedLength <= Protocol.MAX_DATAGRAM_LENGTH)
        {
            buffer.putByte(position, (byte)nameLength);
            buffer.putBytes(position + 1, ingestName.buffer(), 0, nameLength);
            position += 1 + nameLength;
        }
        else
        {
            buffer.putByte(position++, (byte)0);
        }
        return Sealer.seal(buffer, offset, position, MessageType.ANNOUNCE, 0, signer, crc);
    }
}
