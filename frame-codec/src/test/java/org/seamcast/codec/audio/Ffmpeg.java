package org.seamcast.codec.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Decodes a file with the real ffmpeg, for tests that must prove a decoder accepts what we write. ffmpeg is required:
 * when it is missing the calling test fails with a message saying how to install it.
 */
record Ffmpeg(int exitCode, byte[] pcm, String errors)
{
    static Ffmpeg decodeToPcm(final Path file, final String inputFormat)
    {
        final ProcessBuilder builder = new ProcessBuilder(
            "ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-f", inputFormat, "-i", file.toString(),
            "-f", "s16le", "-");
        try
        {
            final Process process = builder.start();
            final ByteArrayOutputStream errors = new ByteArrayOutputStream();
            final Thread errorReader = new Thread(() -> copy(process.getErrorStream(), errors));
            errorReader.start();
            final byte[] pcm = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new AssertionError("ffmpeg did not finish decoding " + file);
            }
            errorReader.join();
            return new Ffmpeg(process.exitValue(), pcm, errors.toString(StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            throw new AssertionError(
                "ffmpeg is required by this test and was not found on PATH (install ffmpeg: apt-get install ffmpeg)", ex);
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
