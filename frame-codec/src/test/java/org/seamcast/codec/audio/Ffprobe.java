package org.seamcast.codec.audio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What ffprobe reports for a file: its audio packet count and the sum of packet durations. ffprobe is required:
 * when it is missing the calling test fails with a message saying how to install it.
 */
public record Ffprobe(long packets, double durationSeconds)
{
    public static Ffprobe of(final Path file)
    {
        final ProcessBuilder builder = new ProcessBuilder(
            "ffprobe", "-v", "error", "-select_streams", "a:0",
            "-show_entries", "stream=time_base:packet=duration", "-of", "default=noprint_wrappers=1",
            file.toString());
        builder.redirectErrorStream(true);

        final String output;
        try
        {
            final Process process = builder.start();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                throw new AssertionError("ffprobe failed on " + file + ": " + output);
            }
        }
        catch (final IOException ex)
        {
            throw new AssertionError(
                "ffprobe is required by this test and was not found on PATH (install ffmpeg: apt-get install ffmpeg)", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }

        long packets = 0;
        long durationSum = 0;
        long timeBaseNumerator = 0;
        long timeBaseDenominator = 0;
        for (final String line : output.split("\n"))
        {
            if (line.startsWith("duration="))
            {
                packets++;
                durationSum += Long.parseLong(line.substring("duration=".length()).trim());
            }
            else if (line.startsWith("time_base="))
            {
                final String[] parts = line.substring("time_base=".length()).trim().split("/");
                timeBaseNumerator = Long.parseLong(parts[0]);
                timeBaseDenominator = Long.parseLong(parts[1]);
            }
        }
        if (timeBaseDenominator == 0)
        {
            throw new AssertionError("ffprobe printed no time base for " + file + ": " + output);
        }
        return new Ffprobe(packets, (double)durationSum * timeBaseNumerator / timeBaseDenominator);
    }
}
