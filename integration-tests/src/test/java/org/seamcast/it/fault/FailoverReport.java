package org.seamcast.it.fault;

import org.seamcast.it.support.RecordingScore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends one row per scenario run to {@code target/failover-report.md}, from which {@code docs/failover-report.md}
 * is made ({@code scripts/failover-report.sh}): what the listener heard, how long a switch took, the delay.
 */
final class FailoverReport
{
    static final Path FILE = Path.of("target", "failover-report.md");

    private FailoverReport()
    {
    }

    static synchronized void row(
        final String scenario,
        final FaultMesh mesh,
        final RecordingScore.Score score,
        final String switchTime,
        final long endToEndMs,
        final String decodeErrors)
    {
        final String line = "| " + scenario + " | " + mesh.settings().codec() + " | " + score.heardFrames() + " | "
            + score.missingFrames() + " | " + score.repeatedFrames() + " | " + score.foreignFrames() + " | "
            + score.switches() + " | " + score.acrossFallback() + " | " + switchTime + " | " + endToEndMs + " | "
            + (decodeErrors.isBlank() ? "none" : decodeErrors.lines().count() + " line(s)") + " |\n";
        try
        {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
