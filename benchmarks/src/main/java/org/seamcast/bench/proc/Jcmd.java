package org.seamcast.bench.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code jcmd} against a node's JVM: a full GC before a heap reading, and starting and stopping profilers inside it
 * for a measured window only. jcmd runs as a child of this JVM and is waited for.
 */
final class Jcmd
{
    private static final long TIMEOUT_MS = 60_000;

    private final Path jcmd;

    Jcmd(final String java)
    {
        final Path javaPath = Path.of(java);
        final Path sibling = javaPath.getParent() == null ? null : javaPath.getParent().resolve("jcmd");
        this.jcmd = sibling != null && sibling.toFile().canExecute() ? sibling : Path.of("jcmd");
    }

    /**
     * Runs {@code jcmd PID ARGS...}, returning its output, or throws with it when jcmd fails.
     */
    String run(final long pid, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(jcmd.toString());
        command.add(Long.toString(pid));
        command.addAll(List.of(args));
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end in " + TIMEOUT_MS + " ms");
            }
            final String text = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0)
            {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + text);
            }
            return text;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot run jcmd: " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    /**
     * The bytes of the objects live in the process: {@code GC.class_histogram} collects fully and counts what
     * survives, so unlike a heap-used reading after {@code GC.run} taken through the node's own metrics endpoint, it
     * holds none of the garbage the reading itself makes (rendering thousands of series is megabytes). The
     * histogram is kept in {@code histogram} for the breakdown by class.
     */
    long liveHeapBytes(final long pid, final Path histogram)
    {
        final String text = run(pid, "GC.class_histogram");
        try
        {
            Files.writeString(histogram, text);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot write " + histogram + ": " + ex.getMessage(), ex);
        }
        return histogramTotalBytes(text);
    }

    /**
     * The bytes on the {@code Total} line of a class histogram.
     */
    static long histogramTotalBytes(final String histogram)
    {
        for (final String line : histogram.split("\n"))
        {
            final String[] fields = line.trim().split("\\s+");
            if (fields.length == 3 && fields[0].equals("Total"))
            {
                return Long.parseLong(fields[2]);
            }
        }
        throw new IllegalStateException("no Total line in the class histogram: "
            + histogram.substring(0, Math.min(200, histogram.length())));
    }
}
