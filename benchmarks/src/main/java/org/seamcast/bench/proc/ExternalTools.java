package org.seamcast.bench.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Programs from the system the benchmarks need (ffmpeg), found on the PATH or refused with how to install them.
 */
final class ExternalTools
{
    private static final long RUN_TIMEOUT_MS = 120_000;

    private ExternalTools()
    {
    }

    static void require(final String tool, final String install)
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
        {
            if (Files.isExecutable(Path.of(dir, tool)))
            {
                return;
            }
        }
        throw new IllegalStateException("no " + tool + " on the PATH: " + install);
    }

    /**
     * Runs a short command to its end, or throws with its output.
     */
    static void run(final List<String> command, final String purpose)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            final byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(RUN_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                throw new IllegalStateException(purpose + ": " + command.get(0) + " did not end in " + RUN_TIMEOUT_MS
                    + " ms");
            }
            if (process.exitValue() != 0)
            {
                throw new IllegalStateException(purpose + " failed (" + String.join(" ", command) + "): "
                    + new String(output, StandardCharsets.UTF_8));
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(purpose + ": cannot run " + command.get(0) + ": " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }
}
