package org.seamcast.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A reference recording made by a real encoder (ffmpeg) from material that never repeats (seeded pink noise
 * under a sweep), and its frames as ffprobe splits them: an oracle that owes nothing to Seamcast's own codec.
 * Frames can then be told apart by content, so a recording is compared with the reference frame by frame.
 */
public final class ReferenceAudio
{
    /** Bytes that identify a frame: header and side information plus the start of the (noise) main data. */
    private static final int PREFIX_BYTES = 48;

    /** How a reference is encoded: the codec, and how an encoder pushing it names it to ffmpeg and to an ingest. */
    public enum Codec
    {
        MP3("mp3", "mp3", "audio/mpeg", 1152),
        ADTS("aac", "adts", "audio/aac", 1024);

        private final String ffmpegDemuxer;
        private final String ffmpegMuxer;
        private final String contentType;
        private final int samplesPerFrame;

        Codec(final String ffmpegDemuxer, final String ffmpegMuxer, final String contentType, final int samplesPerFrame)
        {
            this.ffmpegDemuxer = ffmpegDemuxer;
            this.ffmpegMuxer = ffmpegMuxer;
            this.contentType = contentType;
            this.samplesPerFrame = samplesPerFrame;
        }

        /** @return ffmpeg's name for reading this format ({@code -f} before {@code -i}). */
        public String ffmpegDemuxer()
        {
            return ffmpegDemuxer;
        }

        /** @return ffmpeg's name for writing this format ({@code -f} before the output). */
        public String ffmpegMuxer()
        {
            return ffmpegMuxer;
        }

        public String contentType()
        {
            return contentType;
        }
    }

    /** What a reference carries. Both never repeat within hours; only the programme's loudness varies. */
    public enum Source
    {
        /** Seeded pink noise under a beeping tone: steady loudness. */
        NOISE_AND_TONE("anoisesrc=color=pink:seed=4242:amplitude=0.3:duration=%d",
            "sine=frequency=220:beep_factor=4:duration=%d"),
        /**
         * Seeded pink noise gated on and off by three incommensurate periods under the tone: a loudness envelope
         * like speech or music, so encoders that share no bytes can be aligned by it.
         */
        PROGRAMME("anoisesrc=color=pink:seed=4243:amplitude=0.5:duration=%d,volume=eval=frame:volume="
            + "'0.03+0.9*gt(sin(2*PI*t/1.7)+sin(2*PI*t/2.9)+sin(2*PI*t/4.3)\\,0.4)'",
            "sine=frequency=330:beep_factor=3:duration=%d,volume=0.05");

        private final String noise;
        private final String tone;

        Source(final String noise, final String tone)
        {
            this.noise = noise;
            this.tone = tone;
        }
    }

    private final Path file;
    private final Codec codec;
    private final List<byte[]> frames;
    private final Map<Long, Integer> indexByPrefix = new HashMap<>();
    private final double frameDurationSeconds;

    private ReferenceAudio(final Path file, final Codec codec, final List<byte[]> frames,
        final double frameDurationSeconds)
    {
        this.file = file;
        this.codec = codec;
        this.frames = frames;
        this.frameDurationSeconds = frameDurationSeconds;
        for (int i = 0; i < frames.size(); i++)
        {
            indexByPrefix.putIfAbsent(prefix(frames.get(i), 0), i);
        }
    }

    /**
     * Encodes {@code seconds} of reference audio as constant-bitrate MPEG-1 Layer III, 44.1 kHz stereo, 128 kbit/s.
     */
    public static ReferenceAudio mp3(final Path dir, final int seconds)
    {
        return encode(dir, seconds, Source.NOISE_AND_TONE, Codec.MP3, 128);
    }

    /**
     * Encodes {@code seconds} of the same reference material as AAC-LC in ADTS, 44.1 kHz stereo, 128 kbit/s.
     */
    public static ReferenceAudio adts(final Path dir, final int seconds)
    {
        return encode(dir, seconds, Source.NOISE_AND_TONE, Codec.ADTS, 128);
    }

    /**
     * Encodes {@code seconds} of {@code source} with ffmpeg (libmp3lame CBR, or ffmpeg's AAC-LC in ADTS), 44.1 kHz
     * stereo at {@code kbps}. Two references of one source at different bitrates are two different encoders of the
     * same studio: frame n of each carries the same stretch of audio and no byte in common.
     */
    public static ReferenceAudio encode(
        final Path dir, final int seconds, final Source source, final Codec codec, final int kbps)
    {
        return encode(dir, seconds, source, codec, kbps, 0, 0);
    }

    /**
     * As {@link #encode(Path, int, Source, Codec, int)}, with the studio feed gone (digital silence, the encoder
     * still encoding) from {@code silentFromS} to {@code silentToS} seconds: dead air.
     */
    public static ReferenceAudio encode(
        final Path dir, final int seconds, final Source source, final Codec codec, final int kbps,
        final int silentFromS, final int silentToS)
    {
        final Path file = dir.resolve("reference-" + source.name().toLowerCase(java.util.Locale.ROOT) + "-" + seconds
            + "s-" + kbps + "k" + (silentToS > 0 ? "-silent-" + silentFromS + "-" + silentToS : "") + "."
            + (codec == Codec.MP3 ? "mp3" : "aac"));
        final String deadAir = silentToS > 0
            ? ",volume=eval=frame:volume='if(between(t\\," + silentFromS + "\\," + silentToS + ")\\,0\\,1)'" : "";
        final List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y",
            "-f", "lavfi", "-i", String.format(source.noise, seconds),
            "-f", "lavfi", "-i", String.format(source.tone, seconds),
            "-filter_complex", "[0:a][1:a]amix=inputs=2:duration=shortest,aformat=channel_layouts=stereo" + deadAir,
            "-ar", "44100"));
        if (codec == Codec.MP3)
        {
            command.addAll(List.of("-c:a", "libmp3lame", "-b:a", kbps + "k", "-write_xing", "0", "-id3v2_version", "0"));
        }
        else
        {
            command.addAll(List.of("-c:a", "aac", "-b:a", kbps + "k", "-f", "adts"));
        }
        command.add(file.toString());
        Command.output(command);
        return new ReferenceAudio(file, codec, split(file), codec.samplesPerFrame / 44100.0);
    }

    /**
     * A recording that already exists (e.g. the demo's bundled audio), split by ffprobe.
     */
    public static ReferenceAudio of(final Path file, final double frameDurationSeconds)
    {
        return new ReferenceAudio(file, file.toString().endsWith(".aac") ? Codec.ADTS : Codec.MP3, split(file),
            frameDurationSeconds);
    }

    private static List<byte[]> split(final Path file)
    {
        final String csv = Command.output(List.of("ffprobe", "-v", "error", "-select_streams", "a:0",
            "-show_entries", "packet=pos,size", "-of", "csv=p=0", file.toString()));
        try
        {
            final byte[] bytes = Files.readAllBytes(file);
            final List<byte[]> frames = new ArrayList<>();
            for (final String line : csv.split("\n"))
            {
                if (line.isBlank())
                {
                    continue;
                }
                final String[] fields = line.trim().split(",");
                final int size = Integer.parseInt(fields[0]);
                final int pos = Integer.parseInt(fields[1]);
                frames.add(Arrays.copyOfRange(bytes, pos, pos + size));
            }
            if (frames.isEmpty())
            {
                throw new IllegalStateException("ffprobe found no packets in " + file);
            }
            return List.copyOf(frames);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public Path file()
    {
        return file;
    }

    public Codec codec()
    {
        return codec;
    }

    public List<byte[]> frames()
    {
        return frames;
    }

    public double frameDurationSeconds()
    {
        return frameDurationSeconds;
    }

    /**
     * Finds the reference frames in a recording that may start and end mid-frame.
     *
     * @return the reference index of every whole frame in the recording, in order; a byte that belongs to no
     * reference frame ends the match with an {@link AssertionError}.
     */
    public List<Integer> matchFrames(final byte[] recording)
    {
        int offset = -1;
        int index = -1;
        for (int i = 0; i + PREFIX_BYTES <= recording.length && offset < 0; i++)
        {
            final Integer candidate = indexByPrefix.get(prefix(recording, i));
            if (candidate != null && matchesAt(recording, i, frames.get(candidate)))
            {
                offset = i;
                index = candidate;
            }
        }
        if (offset < 0)
        {
            throw new AssertionError("no reference frame found in " + recording.length + " recorded bytes");
        }

        final List<Integer> matched = new ArrayList<>();
        while (offset < recording.length)
        {
            final byte[] frame = frames.get(index);
            if (offset + frame.length > recording.length)
            {
                final byte[] tail = Arrays.copyOfRange(recording, offset, recording.length);
                if (!Arrays.equals(tail, Arrays.copyOf(frame, tail.length)))
                {
                    throw new AssertionError("recording tail at " + offset + " is not the start of frame " + index);
                }
                break;
            }
            if (!matchesAt(recording, offset, frame))
            {
                final Integer actual = indexByPrefix.get(prefix(recording, offset));
                throw new AssertionError("at byte " + offset + " expected reference frame " + index + " but found "
                    + (actual == null ? "a foreign frame" : "frame " + actual) + " after " + matched.size()
                    + " matching frames");
            }
            matched.add(index);
            offset += frame.length;
            index = (index + 1) % frames.size();
        }
        return matched;
    }

    /**
     * Compares a recording with the reference frame by frame, allowing for discontinuities: how many whole
     * frames were heard, how many reference frames were skipped or played twice between consecutive heard frames,
     * and how many bytes belong to no reference frame (silence, or another stream).
     */
    public Analysis analyse(final byte[] recording)
    {
        int offset = 0;
        int previous = -1;
        int heard = 0;
        int missing = 0;
        int repeated = 0;
        int foreignBytes = 0;
        final java.util.List<String> discontinuities = new java.util.ArrayList<>();
        while (offset + PREFIX_BYTES <= recording.length)
        {
            final Integer index = indexByPrefix.get(prefix(recording, offset));
            if (index == null || !matchesAt(recording, offset, frames.get(index)))
            {
                if (previous >= 0 && isCutShort(recording, offset, frames.get((previous + 1) % frames.size())))
                {
                    break;
                }
                offset++;
                if (previous >= 0)
                {
                    foreignBytes++;
                }
                continue;
            }
            if (previous >= 0)
            {
                final int step = Math.floorMod(index - previous, frames.size());
                if (step == 0)
                {
                    repeated++;
                    discontinuities.add("frame " + index + " repeated at byte " + offset);
                }
                else if (step > 1 && step < frames.size() / 2)
                {
                    missing += step - 1;
                    discontinuities.add((step - 1) + " frame(s) missing before frame " + index + " at byte " + offset);
                }
                else if (step != 1)
                {
                    repeated += frames.size() - step + 1;
                    discontinuities.add("jumped back from frame " + previous + " to " + index + " at byte " + offset);
                }
            }
            heard++;
            previous = index;
            offset += frames.get(index).length;
        }
        return new Analysis(heard, missing, repeated, foreignBytes, discontinuities);
    }

    private static boolean isCutShort(final byte[] recording, final int offset, final byte[] next)
    {
        final int tail = recording.length - offset;
        return tail < next.length && Arrays.equals(recording, offset, recording.length, next, 0, tail);
    }

    /**
     * The result of {@link #analyse}.
     */
    public record Analysis(int heardFrames, int missingFrames, int repeatedFrames, int foreignBytes,
        java.util.List<String> discontinuities)
    {
    }

    private static boolean matchesAt(final byte[] recording, final int offset, final byte[] frame)
    {
        return offset + frame.length <= recording.length
            && Arrays.equals(recording, offset, offset + frame.length, frame, 0, frame.length);
    }

    private static long prefix(final byte[] bytes, final int offset)
    {
        if (offset + PREFIX_BYTES > bytes.length)
        {
            return 0;
        }
        long value = 1125899906842597L;
        for (int i = 0; i < PREFIX_BYTES; i++)
        {
            value = 31 * value + (bytes[offset + i] & 0xFF);
        }
        return value;
    }
}
