package org.seamcast.codec.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real MP3 encodings of one non-repeating source (seeded pink noise, two sweeps and a slow swell, so the bit
 * reservoir fills and drains), made at test time with ffmpeg's libmp3lame and libshine, and with the {@code lame}
 * command for CRC-protected frames (ffmpeg's libmp3lame has no CRC option).
 */
final class Mp3Encodings
{
    static final double SECONDS = 2.5;

    private static final String SOURCE =
        "anoisesrc=seed=%d:color=pink:amplitude=0.35:duration=%s:sample_rate=%d[n];" +
        "aevalsrc='0.3*sin(2*PI*(120+900*t)*t)*(0.55+0.45*sin(2*PI*1.7*t))|" +
        "0.3*sin(2*PI*(700-200*t)*t)*(0.55+0.45*cos(2*PI*2.3*t))':s=%d:d=%s[s];" +
        "[n][s]amix=inputs=2:normalize=0,volume='0.2+0.8*abs(sin(2*PI*0.6*t))':eval=frame";

    /**
     * One encoding: a name, the source's rate and channels, and the encoder's command line after the input.
     *
     * @param lame true for the {@code lame} command, else ffmpeg.
     */
    record Encoding(String name, int sampleRateHz, int channels, boolean lame, String... args)
    {
        static Encoding ffmpeg(final String name, final int sampleRateHz, final int channels, final String... args)
        {
            return new Encoding(name, sampleRateHz, channels, false, args);
        }

        static Encoding lame(final String name, final int sampleRateHz, final int channels, final String... args)
        {
            return new Encoding(name, sampleRateHz, channels, true, args);
        }

        @Override
        public String toString()
        {
            return name;
        }
    }

    private Mp3Encodings()
    {
    }

    /**
     * Encodes and splits into frames (tags and the Info frame dropped).
     */
    static List<byte[]> frames(final Path directory, final Encoding encoding)
    {
        return frames(directory, encoding, SECONDS);
    }

    static List<byte[]> frames(final Path directory, final Encoding encoding, final double seconds)
    {
        return FrameCollector.split(bytes(encode(directory, encoding, seconds))).frames;
    }

    static Path encode(final Path directory, final Encoding encoding, final double seconds)
    {
        final Path source = source(directory, encoding.sampleRateHz(), encoding.channels(), seconds);
        final Path output = directory.resolve(encoding.name() + "-" + seconds + "s.mp3");
        if (Files.exists(output))
        {
            return output;
        }
        final List<String> command = new ArrayList<>();
        if (encoding.lame())
        {
            command.addAll(List.of("lame", "--quiet", "--nohist"));
            command.addAll(List.of(encoding.args()));
            command.addAll(List.of(source.toString(), output.toString()));
        }
        else
        {
            command.addAll(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", source.toString()));
            command.addAll(List.of(encoding.args()));
            command.add(output.toString());
        }
        run(command, encoding.lame() ? "lame (apt-get install lame)" : "ffmpeg (apt-get install ffmpeg)");
        return output;
    }

    /**
     * Writes frames one after another, no tags: what an edge sends.
     */
    static Path write(final Path file, final List<byte[]> frames)
    {
        try
        {
            Files.write(file, concat(frames));
            return file;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static byte[] concat(final List<byte[]> frames)
    {
        final int total = frames.stream().mapToInt(frame -> frame.length).sum();
        final byte[] stream = new byte[total];
        int offset = 0;
        for (final byte[] frame : frames)
        {
            System.arraycopy(frame, 0, stream, offset, frame.length);
            offset += frame.length;
        }
        return stream;
    }

    private static Path source(final Path directory, final int sampleRateHz, final int channels, final double length)
    {
        final Path wav = directory.resolve("source-" + sampleRateHz + "-" + channels + "-" + length + "s.wav");
        if (!Files.exists(wav))
        {
            final String seconds = Double.toString(length);
            final String graph = String.format(SOURCE, 11, seconds, sampleRateHz, sampleRateHz, seconds);
            run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-filter_complex", graph,
                "-ac", Integer.toString(channels), "-ar", Integer.toString(sampleRateHz), "-c:a", "pcm_s16le",
                wav.toString()), "ffmpeg (apt-get install ffmpeg)");
        }
        return wav;
    }

    private static byte[] bytes(final Path file)
    {
        try
        {
            return Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void run(final List<String> command, final String tool)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " failed: " +
                    new String(output, StandardCharsets.UTF_8));
            }
        }
        catch (final IOException ex)
        {
            throw new AssertionError("this test needs " + tool + " on PATH", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }
}
