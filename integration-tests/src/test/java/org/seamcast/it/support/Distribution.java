package org.seamcast.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * The release tarball ({@code seamcast-cli/target/seamcast-VERSION.tar.gz}) as an operator gets it: unpacked into an
 * empty directory, its nodes started with its own launcher.
 */
public final class Distribution
{
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path home;

    private Distribution(final Path home)
    {
        this.home = home;
    }

    /**
     * Unpacks the tarball into {@code dir}, which must not exist or be empty.
     */
    public static Distribution unpack(final Path dir)
    {
        final String tarball = System.getProperty("seamcast.dist");
        if (tarball == null || !Files.isRegularFile(Path.of(tarball)))
        {
            throw new IllegalStateException("the release tarball is not at " + tarball
                + "; the integration tests run after `mvn package` has built seamcast-cli");
        }
        try
        {
            Files.createDirectories(dir);
            try (Stream<Path> entries = Files.list(dir))
            {
                if (entries.findAny().isPresent())
                {
                    throw new IllegalStateException(dir + " is not empty");
                }
            }
            Command.output(List.of("tar", "-xzf", tarball, "-C", dir.toString()));
            try (Stream<Path> entries = Files.list(dir))
            {
                final List<Path> top = entries.toList();
                if (top.size() != 1 || !top.get(0).getFileName().toString().startsWith("seamcast-"))
                {
                    throw new IllegalStateException("the tarball should hold one seamcast-VERSION directory: " + top);
                }
                return new Distribution(top.get(0));
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The unpacked {@code seamcast-VERSION} directory.
     */
    public Path home()
    {
        return home;
    }

    public Path resolve(final String relative)
    {
        return home.resolve(relative);
    }

    /**
     * Starts {@code command} with {@code environment} added to (or, with {@code clean}, instead of) this JVM's,
     * logging to {@code log}, and waits until the log shows {@code readyLine}.
     *
     * @throws IllegalStateException with the log when the process exits or does not get ready in time.
     */
    public static ExternalProcess start(
        final String name,
        final List<String> command,
        final Map<String, String> environment,
        final boolean clean,
        final Path log,
        final String readyLine)
    {
        final List<String> withEnvironment = new ArrayList<>();
        withEnvironment.add("env");
        // signals at their defaults, as systemd starts a unit, whatever the build was started with (nohup ignores
        // SIGHUP, and an ignored signal is inherited)
        withEnvironment.add("--default-signal=HUP");
        if (clean)
        {
            withEnvironment.add("-i");
        }
        environment.forEach((key, value) -> withEnvironment.add(key + "=" + value));
        withEnvironment.addAll(command);
        final ExternalProcess process = ExternalProcess.start(name, withEnvironment, log);
        try
        {
            await(name + " ready (" + readyLine + ")").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> !process.isAlive() || text(log).contains(readyLine));
        }
        catch (final RuntimeException ex)
        {
            process.close();
            throw new IllegalStateException(name + " did not start: " + text(log), ex);
        }
        if (!process.isAlive())
        {
            throw new IllegalStateException(name + " exited at start: " + text(log));
        }
        return process;
    }

    /**
     * What {@code log} holds so far, or "" before it exists.
     */
    public static String text(final Path log)
    {
        try
        {
            return Files.exists(log) ? Files.readString(log) : "";
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    /**
     * Sends {@code signal} (e.g. {@code HUP}) to the process.
     */
    public static void signal(final ExternalProcess process, final String signal)
    {
        Command.output(List.of("kill", "-" + signal, Long.toString(process.process().pid())));
    }
}
