package org.seamcast.codec.protocol;

import java.nio.ByteOrder;

import static org.seamcast.codec.protocol.WireLayout.*;

/**
 * View of a decoded ANNOUNCE (layout on {@link AnnounceEncoder}). The string accessors allocate; ANNOUNCE
 * is rare. Offsets and lengths of each string are available by index ({@link AnnounceEncoder#CONTENT_TYPE}
 * .. {@link AnnounceEncoder#ICE_AUDIO_INFO}) for zero-copy use.
 */
public final class AnnounceView extends MountMessageView
{
    private final int[] textOffsets = new int[AnnounceEncoder.TEXT_COUNT];
    private final int[] textLengths = new int[AnnounceEncoder.TEXT_COUNT];
    private int ingestNameOffset;
    private int ingestNameLength;

    AnnounceView()
    {
    }

    void wrapText(final int index, final int textOffset, final int textLength)
    {
        textOffsets[index] = textOffset;
        textLengths[index] = textLength;
    }

    void wrapIngestName(final int nameOffset, final int nameLength)
    {
        ingestNameOffset = nameOffset;
        ingestNameLength = nameLength;
    }

    public long encoderId()
    {
        return buffer.getInt(offset + ANNOUNCE_ENCODER_ID, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    }

    public long epoch()
    {
        return buffer.getLong(offset + ANNOUNCE_EPOCH, ByteOrder.LITTLE_ENDIAN);
    }

    public int priority()
    {
        return buffer.getByte(offset + ANNOUNCE_PRIORITY) & 0xFF;
    }

    public CodecType codec()
    {
        return CodecType.fromCode(buffer.getByte(offset + ANNOUNCE_CODEC));
    }

    public int sampleRate()
    {
        return buffer.getInt(offset + ANNOUNCE_SAMPLE_RATE, ByteOrder.LITTLE_ENDIAN);
    }

    public int channels()
    {
        return buffer.getByte(offset + ANNOUNCE_CHANNELS) & 0xFF;
    }

    /**
     * @return nominal bitrate in kbit/s, 0 when unknown (e.g. VBR).
     */
    public int bitrateKbps()
    {
        return buffer.getShort(offset + ANNOUNCE_BITRATE_KBPS, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    /**
     * @return 0 or 1, or {@link Protocol#ICY_PUBLIC_UNSET}.
     */
    public int icyPublic()
    {
        return buffer.getByte(offset + ANNOUNCE_ICY_PUBLIC) & 0xFF;
    }

    public int textOffset(final int index)
    {
        return textOffsets[index];
    }

    public int textLength(final int index)
    {
        return textLengths[index];
    }

    /**
     * @return the Content-Type of the source, empty when the receiver should derive it from the codec.
     */
    public String contentType()
    {
        return text(AnnounceEncoder.CONTENT_TYPE);
    }

    public String icyName()
    {
        return text(AnnounceEncoder.ICY_NAME);
    }

    public String icyGenre()
    {
        return text(AnnounceEncoder.ICY_GENRE);
    }

    public String icyDescription()
    {
        return text(AnnounceEncoder.ICY_DESCRIPTION);
    }

    public String icyUrl()
    {
        return text(AnnounceEncoder.ICY_URL);
    }

    public String iceAudioInfo()
    {
        return text(AnnounceEncoder.ICE_AUDIO_INFO);
    }

    /**
     * @return the sending ingest's node name (validated as a {@link NodeName}), or an empty string when the ingest
     * did not tell it (an older ingest, or header strings too long to leave room).
     */
    public String ingestName()
    {
        return TextField.get(buffer, ingestNameOffset, ingestNameLength);
    }

    /**
     * @return length of the ingest name in bytes, 0 when not told.
     */
    public int ingestNameLength()
    {
        return ingestNameLength;
    }

    private String text(final int index)
    {
        return TextField.get(buffer, textOffsets[index], textLengths[index]);
    }
}
