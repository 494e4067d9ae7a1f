package org.seamcast.edge.node;

import org.agrona.DirectBuffer;
import org.seamcast.codec.audio.AdtsHeader;
import org.seamcast.codec.audio.AudioFormat;
import org.seamcast.codec.audio.AudioFrameHeader;
import org.seamcast.codec.audio.AudioFrameSplitter;
import org.seamcast.codec.audio.MpegAudioHeader;
import org.seamcast.codec.protocol.MountName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A file a station plays instead of silence while every encoder of a mount is gone (an ident, a loop of music),
 * read and split into frames once, at start, with the codec's {@link AudioFrameSplitter}. Its format (codec, sample
 * rate, channels) is checked against the mount's when the mount's first frame arrives ({@link MountFallback}); a
 * file of another format is refused then, since a listener's decoder would not follow the change.
 *
 * <p>Immutable once loaded.
 */
final class FallbackFile
{
    /** Largest file accepted: ten minutes of 192 kbit/s MP3 and then some; it is held in memory. */
    static final long MAX_FILE_BYTES = 16L << 20;

    private final Path file;
    private final List<byte[]> frames;
    private final long formatKey;
    private final String format;
    private final int frameDurationUs;

    private FallbackFile(
        final Path file,
        final List<byte[]> frames,
        final long formatKey,
        final String format,
        final int frameDurationUs)
    {
        this.file = file;
        this.frames = frames;
        this.formatKey = formatKey;
        this.format = format;
        this.frameDurationUs = frameDurationUs;
    }

    /**
     * Reads and splits {@code file}, the fallback of {@code mount}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong: unreadable, too large, no audio frames,
     *                                  or frames of more than one format.
     */
    static FallbackFile load(final MountName mount, final Path file)
    {
        final String name = "fallback file " + mount + "=" + file;
        final byte[] bytes;
        try
        {
            final long size = Files.size(file);
            if (size > MAX_FILE_BYTES)
            {
                throw new IllegalArgumentException(name + ": size=" + size + " bytes > limit=" + MAX_FILE_BYTES);
            }
            bytes = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(name + " cannot be read: " + ex, ex);
        }
        final List<byte[]> frames = new ArrayList<>();
        final long[] key = {0};
        final String[] format = {null};
        final int[] durationUs = {0};
        final String[] problem = {null};
        final AudioFrameSplitter splitter = new AudioFrameSplitter(
            (DirectBuffer buffer, int offset, int length, AudioFrameHeader header) ->
            {
                final long frameKey = formatKey(header);
                if (frames.isEmpty())
                {
                    key[0] = frameKey;
                    format[0] = describe(header);
                    durationUs[0] = (int)(header.durationNs() / 1000);
                }
                else if (frameKey != key[0] && problem[0] == null)
                {
                    problem[0] = name + " changes format at frame " + frames.size() + " from "
                        + format[0] + " to " + describe(header);
                }
                final byte[] frame = new byte[length];
                buffer.getBytes(offset, frame);
                frames.add(frame);
            });
        splitter.onData(bytes, 0, bytes.length);
        splitter.finish();
        if (problem[0] != null)
        {
            throw new IllegalArgumentException(problem[0]);
        }
        if (frames.isEmpty())
        {
            throw new IllegalArgumentException(
                name + " holds no MP3 or ADTS (AAC) frames (" + bytes.length + " bytes)");
        }
        return new FallbackFile(file, List.copyOf(frames), key[0], format[0], durationUs[0]);
    }

    /**
     * @return what a listener's decoder must not see change: codec (MPEG version and layer, or AAC profile), sample
     * rate and channels, as one number; the bitrate may differ.
     */
    static long formatKey(final AudioFrameHeader header)
    {
        final long variant = header.format() == AudioFormat.MP3 ?
            (MpegAudioHeader.version(header.mpegHeader()).ordinal() << 4) | MpegAudioHeader.layer(header.mpegHeader()) :
            AdtsHeader.profile(header.adtsHeader());
        return ((long)header.format().ordinal() << 56) | (variant << 40) | ((long)header.sampleRateHz() << 8)
            | header.channels();
    }

    /**
     * @return e.g. {@code MPEG-1 Layer III 44100 Hz 2 ch}.
     */
    static String describe(final AudioFrameHeader header)
    {
        return header.describe() + " " + header.sampleRateHz() + " Hz " + header.channels() + " ch";
    }

    Path file()
    {
        return file;
    }

    List<byte[]> frames()
    {
        return frames;
    }

    long formatKey()
    {
        return formatKey;
    }

    /**
     * @return e.g. {@code MPEG-1 Layer III 44100 Hz 2 ch}.
     */
    String format()
    {
        return format;
    }

    int frameDurationUs()
    {
        return frameDurationUs;
    }
}
