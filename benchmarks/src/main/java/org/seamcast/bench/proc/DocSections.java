package org.seamcast.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rewrites the generated parts of a Markdown document: the text between {@code <!-- NAME:begin -->} and
 * {@code <!-- NAME:end -->} is replaced, everything else is kept as written.
 */
final class DocSections
{
    private DocSections()
    {
    }

    static String begin(final String name)
    {
        return "<!-- " + name + ":begin -->";
    }

    static String end(final String name)
    {
        return "<!-- " + name + ":end -->";
    }

    /**
     * @throws IllegalStateException when the markers are missing or out of order, naming them.
     */
    static String replace(final String document, final String name, final String content)
    {
        final String begin = begin(name);
        final String end = end(name);
        final int from = document.indexOf(begin);
        final int to = document.indexOf(end);
        if (from < 0 || to < from)
        {
            throw new IllegalStateException("the document has no '" + begin + "' ... '" + end + "' section");
        }
        return document.substring(0, from + begin.length()) + "\n" + content.strip() + "\n"
            + document.substring(to);
    }

    static void rewrite(final Path file, final String name, final String content)
    {
        try
        {
            Files.writeString(file, replace(Files.readString(file), name, content));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot rewrite " + file + ": " + ex.getMessage(), ex);
        }
    }
}
