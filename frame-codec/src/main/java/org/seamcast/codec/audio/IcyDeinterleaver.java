package org.seamcast.codec.audio;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Removes the metadata blocks a server interleaves into a stream pulled with {@code Icy-MetaData: 1}.
 * <pre>
 *  | metaint audio bytes | L | L × 16 bytes of metadata, NUL padded | metaint audio bytes | L | ...
 *  metadata text: StreamTitle='Artist - Title';StreamUrl='http://...';
 * </pre>
 * Audio goes to an {@link IcyAudioHandler} (for example a splitter), metadata to an {@link IcyMetadataHandler} only
 * when a non-empty block differs from the previous one, so a server that repeats its metadata costs no allocation.
 * Bytes may arrive in chunks of any size. Not thread-safe.
 */
public final class IcyDeinterleaver
{
    /**
     * Longest metadata block: the length byte counts 16-byte units.
     */
    public static final int MAX_METADATA_LENGTH = 255 * 16;

    private static final String STREAM_TITLE = "StreamTitle='";
    private static final String STREAM_URL = "StreamUrl='";

    private final int metaIntBytes;
    private final IcyAudioHandler audioHandler;
    private final IcyMetadataHandler metadataHandler;
    private final UnsafeBuffer inputWrapper = new UnsafeBuffer(0, 0);
    private final byte[] metadata = new byte[MAX_METADATA_LENGTH];
    private final byte[] previousMetadata = new byte[MAX_METADATA_LENGTH];

    private int audioRemainingBytes;
    private boolean expectingLengthByte;
    private int metadataLength;
    private int metadataFilled;
    private int previousMetadataLength;
    private long audioBytes;
    private long metadataBlocks;

    /**
     * @param metaIntBytes    the {@code icy-metaint} response header value: audio bytes between metadata blocks.
     * @param audioHandler    receives the audio.
     * @param metadataHandler receives changed metadata.
     */
    public IcyDeinterleaver(
        final int metaIntBytes, final IcyAudioHandler audioHandler, final IcyMetadataHandler metadataHandler)
    {
        if (metaIntBytes <= 0)
        {
            throw new IllegalArgumentException("icy-metaint=" + metaIntBytes + " must be > 0");
        }
        this.metaIntBytes = metaIntBytes;
        this.audioHandler = Objects.requireNonNull(audioHandler, "audioHandler");
        this.metadataHandler = Objects.requireNonNull(metadataHandler, "metadataHandler");
        this.audioRemainingBytes = metaIntBytes;
    }

    /**
     * Feeds the next chunk of the interleaved stream.
     *
     * @param src    holding the bytes.
     * @param offset of the first byte.
     * @param length of the chunk.
     */
    public void onData(final DirectBuffer src, final int offset, final int length)
    {
        int position = offset;
        final int end = offset + length;
        while (position < end)
        {
            if (audioRemainingBytes > 0)
            {
                final int n = Math.min(audioRemainingBytes, end - position);
                audioRemainingBytes -= n;
                audioBytes += n;
                audioHandler.onAudio(src, position, n);
                position += n;
                if (audioRemainingBytes == 0)
                {
                    expectingLengthByte = true;
                }
            }
            else if (expectingLengthByte)
            {
                expectingLengthByte = false;
                metadataLength = (src.getByte(position++) & 0xFF) * 16;
                metadataFilled = 0;
                if (metadataLength == 0)
                {
                    endOfBlock();
                }
            }
            else
            {
                final int n = Math.min(metadataLength - metadataFilled, end - position);
                src.getBytes(position, metadata, metadataFilled, n);
                metadataFilled += n;
                position += n;
                if (metadataFilled == metadataLength)
                {
                    endOfBlock();
                }
            }
        }
    }

    /**
     * Feeds the next chunk from a byte array.
     *
     * @param src    holding the bytes.
     * @param offset of the first byte.
     * @param length of the chunk.
     */
    public void onData(final byte[] src, final int offset, final int length)
    {
        inputWrapper.wrap(src);
        try
        {
            onData(inputWrapper, offset, length);
        }
        finally
        {
            inputWrapper.wrap(0, 0);
        }
    }

    /**
     * @return audio bytes passed on.
     */
    public long audioBytes()
    {
        return audioBytes;
    }

    /**
     * @return metadata blocks removed, empty ones included.
     */
    public long metadataBlocks()
    {
        return metadataBlocks;
    }

    private void endOfBlock()
    {
        metadataBlocks++;
        audioRemainingBytes = metaIntBytes;
        if (metadataLength > 0 && !sameAsPrevious())
        {
            System.arraycopy(metadata, 0, previousMetadata, 0, metadataLength);
            previousMetadataLength = metadataLength;
            final String text = decode(metadata, metadataLength);
            metadataHandler.onMetadata(value(text, STREAM_TITLE), value(text, STREAM_URL));
        }
    }

    private boolean sameAsPrevious()
    {
        if (metadataLength != previousMetadataLength)
        {
            return false;
        }
        for (int i = 0; i < metadataLength; i++)
        {
            if (metadata[i] != previousMetadata[i])
            {
                return false;
            }
        }
        return true;
    }

    static String decode(final byte[] bytes, final int length)
    {
        int textLength = 0;
        while (textLength < length && bytes[textLength] != 0)
        {
            textLength++;
        }

        try
        {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, 0, textLength))
                .toString();
        }
        catch (final CharacterCodingException ex)
        {
            // Many older encoders send Latin-1.
            return new String(bytes, 0, textLength, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Extracts {@code Key='value'}: the value ends at the first {@code ';} after it (titles may contain quotes),
     * or at the last quote in the text.
     */
    static String value(final String text, final String keyWithQuote)
    {
        final int keyIndex = text.indexOf(keyWithQuote);
        if (keyIndex < 0)
        {
            return null;
        }

        final int start = keyIndex + keyWithQuote.length();
        int end = text.indexOf("';", start);
        if (end < 0)
        {
            end = text.lastIndexOf('\'');
            if (end < start)
            {
                end = text.length();
            }
        }
        return text.substring(start, end);
    }
}
