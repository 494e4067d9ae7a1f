package org.seamcast.codec.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs ffmpeg and espeak-ng to make test signals and encodings at test time. Both are required: when one is
 * missing the calling test fails with a message saying how to install it.
 */
final class MediaTools
{
    private MediaTools()
    {
    }

    /**
     * Runs ffmpeg with {@code -nostdin -hide_banner -v error -y} and the given arguments.
     */
    static void ffmpeg(final String... args)
    {
        final List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y"));
        command.addAll(List.of(args));
        run(command, "ffmpeg", "apt-get install ffmpeg");
    }

    /**
     * Speaks {@code text} into a WAV file with espeak-ng's default voice.
     */
    static void espeak(final Path wav, final String text)
    {
        run(List.of("espeak-ng", "-s", "160", "-w", wav.toString(), text), "espeak-ng", "apt-get install espeak-ng");
    }

    /**
     * Decodes any file ffmpeg reads to interleaved 32-bit float samples at its own rate and channel count.
     */
    static float[] decodeFloat(final Path file)
    {
        final byte[] pcm = run(
            List.of("ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-i", file.toString(), "-f", "f32le", "-"),
            "ffmpeg", "apt-get install ffmpeg");
        final float[] samples = new float[pcm.length / 4];
        ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(samples);
        return samples;
    }

    private static byte[] run(final List<String> command, final String tool, final String install)
    {
        try
        {
            final Process process = new ProcessBuilder(command).start();
            final ByteArrayOutputStream errors = new ByteArrayOutputStream();
            final Thread errorReader = new Thread(() -> copy(process.getErrorStream(), errors));
            errorReader.start();
            final byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new AssertionError(tool + " did not finish: " + command);
            }
            errorReader.join();
            if (process.exitValue() != 0)
            {
                throw new AssertionError(tool + " failed (" + process.exitValue() + "): " + command + "\n" +
                    errors.toString(StandardCharsets.UTF_8));
            }
            return output;
        }
        catch (final IOException ex)
        {
            throw new AssertionError(
                tool + " is required by this test and was not found on PATH (install it: " + install + ")", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    private static void copy(final InputStream in, final ByteArrayOutputStream out)
    {
        try
        {
            in.transferTo(out);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
