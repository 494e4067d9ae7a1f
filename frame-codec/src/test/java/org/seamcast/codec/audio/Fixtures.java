package org.seamcast.codec.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The committed fixtures made by {@code scripts/make-fixtures.sh}.
 */
final class Fixtures
{
    static final Path DIRECTORY = Path.of("src", "test", "resources", "fixtures");

    private Fixtures()
    {
    }

    static List<Path> all()
    {
        try (Stream<Path> files = Files.list(DIRECTORY))
        {
            final List<Path> paths = files
                .filter(path -> path.toString().matches(".*\\.(mp3|mp2|aac)$"))
                .sorted()
                .collect(Collectors.toList());
            if (paths.size() < 10)
            {
                throw new IllegalStateException("expected the fixtures in " + DIRECTORY.toAbsolutePath() +
                    ", found " + paths.size() + "; run scripts/make-fixtures.sh");
            }
            return paths;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static Path path(final String name)
    {
        return DIRECTORY.resolve(name);
    }

    static byte[] bytes(final String name)
    {
        return bytes(path(name));
    }

    static byte[] bytes(final Path path)
    {
        try
        {
            return Files.readAllBytes(path);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
