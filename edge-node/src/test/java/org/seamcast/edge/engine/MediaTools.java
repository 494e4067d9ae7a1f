package org.seamcast.edge.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs ffmpeg and espeak-ng to make test material at test time. Both are required: when one is missing the calling
 * test fails with a message saying how to install it.
 */
final class MediaTools
{
    private MediaTools()
    {
    }

    static void ffmpeg(final String... args)
    {
        final List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y"));
        command.addAll(List.of(args));
        run(command, "ffmpeg", "apt-get install ffmpeg");
    }

    static void espeak(final String wav, final String text)
    {
        run(List.of("espeak-ng", "-s", "160", "-w", wav, text), "espeak-ng", "apt-get install espeak-ng");
    }

    private static void run(final List<String> command, final String tool, final String install)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            final ByteArrayOutputStream errors = new ByteArrayOutputStream();
            final Thread errorReader = new Thread(() -> copy(process.getErrorStream(), errors));
            errorReader.start();
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
