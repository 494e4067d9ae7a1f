package org.seamcast.bench.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The complete lines of a log another process is writing: a last line without its newline is still being written
 * and is left out.
 */
final class LogLines
{
    private LogLines()
    {
    }

    static List<String> complete(final Path log)
    {
        final String text;
        try
        {
            text = Files.readString(log, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read " + log + ": " + ex.getMessage(), ex);
        }
        final int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : new ArrayList<>(List.of(text.substring(0, end).split("\n", -1)));
    }
}
