package org.seamcast.bench.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
     * A full GC ({@code System.gc()}) in the process, so the heap used that follows is what is live.
     */
    void gc(final long pid)
    {
        run(pid, "GC.run");
    }
}
