package org.seamcast.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short command (ffmpeg, ffprobe, ip) to completion within a minute and keeps what it printed.
 */
public record Command(int exitCode, String stdout, String stderr)
{
    public static Command run(final List<String> command)
    {
        ExternalProcess.requireTool(command.get(0));
        try
        {
            final Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
            final CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process, true));
            final byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IllegalStateException("timed out after 60 s: " + command);
            }
            return new Command(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err.join(), StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Runs the command and returns its standard output, failing with its error output if it exits non-zero.
     */
    public static String output(final List<String> command)
    {
        final Command result = run(command);
        if (result.exitCode != 0)
        {
            throw new IllegalStateException("exit " + result.exitCode + ": " + command + "\n" + result.stderr);
        }
        return result.stdout;
    }

    private static byte[] readAll(final Process process, final boolean errorStream)
    {
        try
        {
            return (errorStream ? process.getErrorStream() : process.getInputStream()).readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
