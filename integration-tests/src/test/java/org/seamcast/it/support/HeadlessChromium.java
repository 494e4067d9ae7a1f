package org.seamcast.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's {@code /usr/bin/chromium}, headless, one bounded run per page load: each run has a fresh profile, no
 * network of its own beyond the page, and is killed if it has not finished in {@link #RUN_TIMEOUT_SECONDS}.
 * Scripts on the page get {@link #VIRTUAL_TIME_BUDGET_MS} of virtual time (a few polls) before the DOM is taken.
 */
public final class HeadlessChromium
{
    public static final String BINARY = "/usr/bin/chromium";
    public static final int RUN_TIMEOUT_SECONDS = 30;
    public static final int VIRTUAL_TIME_BUDGET_MS = 3000;

    private final Path workDir;
    private final AtomicInteger runs = new AtomicInteger();

    private HeadlessChromium(final Path workDir)
    {
        this.workDir = workDir;
    }

    /**
     * Fails (never skips) with a clear message if Chromium is not installed.
     */
    public static HeadlessChromium require(final Path workDir)
    {
        ExternalProcess.requireTool(BINARY);
        return new HeadlessChromium(workDir);
    }

    /**
     * Loads {@code url}, lets its scripts run, and returns the serialised DOM.
     */
    public String dumpDom(final String url)
    {
        final String output = run(List.of("--dump-dom", url));
        final int start = output.indexOf("<html");
        final int end = output.lastIndexOf("</html>");
        if (start < 0 || end < start)
        {
            throw new IllegalStateException("chromium printed no DOM for " + url + ":\n" + output);
        }
        return output.substring(start, end + "</html>".length());
    }

    /**
     * Loads {@code url} in a 1280x900 window, lets its scripts run, and saves a PNG of it to {@code file}.
     */
    public void screenshot(final String url, final Path file)
    {
        try
        {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final String output = run(List.of("--window-size=1280,900", "--screenshot=" + file.toAbsolutePath(), url));
        if (!Files.isRegularFile(file))
        {
            throw new IllegalStateException("chromium wrote no screenshot of " + url + " to " + file + ":\n" + output);
        }
    }

    private String run(final List<String> action)
    {
        final int run = runs.incrementAndGet();
        final List<String> command = new ArrayList<>(List.of(BINARY,
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + workDir.resolve("chromium-profile-" + run).toAbsolutePath(),
            "--virtual-time-budget=" + VIRTUAL_TIME_BUDGET_MS));
        command.addAll(action);
        final Path log = workDir.resolve("chromium-" + run + ".log");
        final ExternalProcess chromium = ExternalProcess.start("chromium", command, log);
        try
        {
            if (!chromium.process().waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                chromium.kill();
                throw new IllegalStateException("chromium did not finish within " + RUN_TIMEOUT_SECONDS + " s: "
                    + command + "\n" + Files.readString(log));
            }
            return Files.readString(log);
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
        finally
        {
            chromium.close();
        }
    }
}
