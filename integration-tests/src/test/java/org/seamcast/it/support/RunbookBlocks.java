package org.seamcast.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fenced blocks of a Markdown runbook that carry a title, such as
 *
 * <pre>
 *   ```ini title="relay-1.conf"
 *   name = relay-1
 *   ```
 * </pre>
 *
 * read by title, with their text exactly as written (each line ending in a newline).
 */
public final class RunbookBlocks
{
    private static final Pattern OPENING = Pattern.compile("^```[a-z]*\\s+title=\"([^\"]+)\"\\s*$");
    private static final String FENCE = "```";

    private RunbookBlocks()
    {
    }

    /**
     * The titled blocks of {@code file} in document order.
     *
     * @throws IllegalStateException for a title used twice or a block never closed.
     */
    public static Map<String, String> read(final Path file)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final Map<String, String> blocks = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final Matcher opening = OPENING.matcher(lines.get(i));
            if (!opening.matches())
            {
                continue;
            }
            final StringBuilder text = new StringBuilder();
            int j = i + 1;
            while (j < lines.size() && !lines.get(j).equals(FENCE))
            {
                text.append(lines.get(j)).append('\n');
                j++;
            }
            if (j == lines.size())
            {
                throw new IllegalStateException(file + " line " + (i + 1) + ": block '" + opening.group(1)
                    + "' is never closed");
            }
            if (blocks.put(opening.group(1), text.toString()) != null)
            {
                throw new IllegalStateException(file + ": two blocks titled '" + opening.group(1) + "'");
            }
            i = j;
        }
        return blocks;
    }

    /**
     * The block titled {@code title}.
     *
     * @throws IllegalStateException naming the titles there are.
     */
    public static String get(final Map<String, String> blocks, final String title)
    {
        final String block = blocks.get(title);
        if (block == null)
        {
            throw new IllegalStateException("no block titled '" + title + "'; there are " + blocks.keySet());
        }
        return block;
    }
}
