package org.seamcast.codec.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decodes many MP3 files in one ffmpeg process (one output per input), as 16-bit PCM, interleaved, with CRC checking
 * on. Frames written without tags decode to exactly frames x samples per frame, so sample i of two files of the
 * same frame count belongs to the same frame.
 */
final class Mp3Decoder
{
    record Decoded(List<short[]> pcm, String errors)
    {
    }

    private Mp3Decoder()
    {
    }

    static Decoded decode(final Path directory, final List<Path> inputs)
    {
        final List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y"));
        for (final Path input : inputs)
        {
            command.addAll(List.of("-err_detect", "crccheck", "-f", "mp3", "-i", input.toString()));
        }
        final List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++)
        {
            final Path output = directory.resolve(inputs.get(i).getFileName() + ".pcm");
            outputs.add(output);
            command.addAll(List.of("-map", i + ":a", "-f", "s16le", output.toString()));
        }
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String errors = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                process.destroyForcibly();
                throw new AssertionError("ffmpeg failed decoding " + inputs + ": " + errors);
            }
            final List<short[]> pcm = new ArrayList<>();
            for (final Path output : outputs)
            {
                final byte[] bytes = Files.readAllBytes(output);
                final short[] samples = new short[bytes.length / 2];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
                pcm.add(samples);
            }
            return new Decoded(pcm, errors);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("this test needs ffmpeg on PATH (apt-get install ffmpeg)", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /**
     * @return energy of {@code actual - reference} over samples {@code [from, to)}.
     */
    static double errorEnergy(final short[] actual, final short[] reference, final int from, final int to)
    {
        double sum = 0;
        for (int i = from; i < to; i++)
        {
            final double difference = actual[i] - reference[i];
            sum += difference * difference;
        }
        return sum;
    }

    /**
     * @return signal-to-noise ratio in dB of {@code actual} against {@code reference} over {@code [from, to)};
     * infinite when they are equal.
     */
    static double snrDb(final short[] actual, final short[] reference, final int from, final int to)
    {
        double signal = 0;
        for (int i = from; i < to; i++)
        {
            signal += (double)reference[i] * reference[i];
        }
        final double noise = errorEnergy(actual, reference, from, to);
        return noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
    }

    /**
     * @return the first index in {@code [from, to)} where the arrays differ, or -1.
     */
    static int firstDifference(final short[] actual, final short[] reference, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            if (actual[i] != reference[i])
            {
                return i;
            }
        }
        return -1;
    }
}
