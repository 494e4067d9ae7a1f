package org.seamcast.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One status line of the load generator process ({@code loadgen sent=N refused=N late_ns_total=N max_late_ns=N}),
 * read back from its log.
 *
 * @param maxLateNs the latest a frame left after its due time since the line before.
 */
record LoadgenStatus(long sent, long refused, long lateNsTotal, long maxLateNs)
{
    static final String CONNECTED = "loadgen connected";
    private static final String PREFIX = "loadgen sent=";

    /**
     * Every status line in the log so far, oldest first.
     */
    static List<LoadgenStatus> read(final Path log)
    {
        final List<LoadgenStatus> lines = new ArrayList<>();
        for (final String line : LogLines.complete(log))
        {
            if (line.startsWith(PREFIX))
            {
                lines.add(parse(line));
            }
        }
        return lines;
    }

    static boolean connected(final Path log)
    {
        try
        {
            return Files.readString(log).contains(CONNECTED);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    static LoadgenStatus parse(final String line)
    {
        long sent = 0;
        long refused = 0;
        long late = 0;
        long maxLate = 0;
        for (final String field : line.substring("loadgen ".length()).split(" "))
        {
            final int eq = field.indexOf('=');
            final long value = Long.parseLong(field.substring(eq + 1));
            switch (field.substring(0, eq))
            {
                case "sent" -> sent = value;
                case "refused" -> refused = value;
                case "late_ns_total" -> late = value;
                case "max_late_ns" -> maxLate = value;
                default -> { }
            }
        }
        return new LoadgenStatus(sent, refused, late, maxLate);
    }
}
