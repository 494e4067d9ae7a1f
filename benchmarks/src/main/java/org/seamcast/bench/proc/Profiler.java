package org.seamcast.bench.proc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Profiles running nodes over a measured window only, from outside, with {@code jcmd}: CPU with async-profiler
 * (loaded into the JVM as an agent, {@code event=cpu}, 1 ms interval, stacks per thread, kernel frames included)
 * when its library can be found, else JFR's execution samples; allocation with JFR's {@code profile} settings
 * (allocation samples weighted by bytes).
 *
 * <p>async-profiler's library is taken from {@code ASYNC_PROFILER_LIB}, or from the
 * {@code tools.profiler:async-profiler} jar in the local Maven repository ({@code scripts/benchmarks.sh} fetches
 * it), unpacked into the run's directory.
 */
final class Profiler
{
    static final String CPU_INTERVAL = "1ms";
    private static final String JFR_NAME = "seamcast-bench";
    private static final String LIBRARY_ENTRY = "linux-x64/libasyncProfiler.so";

    private final Jcmd jcmd;
    private final Path out;
    private final Path asyncProfiler;
    private final Map<String, Long> started = new LinkedHashMap<>();

    Profiler(final Jcmd jcmd, final Path out)
    {
        this.jcmd = jcmd;
        this.out = out;
        this.asyncProfiler = findAsyncProfiler(out);
    }

    boolean usesAsyncProfiler()
    {
        return asyncProfiler != null;
    }

    void start(final String name, final long pid)
    {
        jcmd.run(pid, "JFR.start", "name=" + JFR_NAME, "settings=profile");
        if (asyncProfiler != null)
        {
            agent(pid, "start,event=cpu,interval=" + CPU_INTERVAL + ",threads");
        }
        started.put(name, pid);
    }

    /**
     * Stops every profile and writes it: {@code NAME.jfr} always, {@code NAME-cpu.collapsed} with async-profiler.
     *
     * @return each node's output files by {@code NAME} and {@code NAME-cpu}.
     */
    Map<String, Path> stopAll()
    {
        final Map<String, Path> files = new LinkedHashMap<>();
        for (final Map.Entry<String, Long> entry : started.entrySet())
        {
            final Path jfr = out.resolve(entry.getKey() + ".jfr").toAbsolutePath();
            jcmd.run(entry.getValue(), "JFR.stop", "name=" + JFR_NAME, "filename=" + jfr);
            files.put(entry.getKey(), jfr);
            if (asyncProfiler != null)
            {
                final Path collapsed = out.resolve(entry.getKey() + "-cpu.collapsed").toAbsolutePath();
                agent(entry.getValue(), "stop,file=" + collapsed + ",collapsed");
                files.put(entry.getKey() + "-cpu", collapsed);
            }
        }
        started.clear();
        return files;
    }

    private void agent(final long pid, final String options)
    {
        // in quotes, or jcmd's parser reads "start,event" as an option name
        jcmd.run(pid, "JVMTI.agent_load", asyncProfiler.toString(), "\"" + options + "\"");
    }

    private static Path findAsyncProfiler(final Path out)
    {
        final String explicit = System.getenv("ASYNC_PROFILER_LIB");
        if (explicit != null && !explicit.isBlank())
        {
            return Path.of(explicit).toAbsolutePath();
        }
        final Path repository = Path.of(System.getProperty("user.home"), ".m2/repository/tools/profiler/async-profiler");
        if (!Files.isDirectory(repository))
        {
            return null;
        }
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(repository))
        {
            for (final Path version : versions)
            {
                final Path jar = version.resolve("async-profiler-" + version.getFileName() + ".jar");
                if (Files.isRegularFile(jar))
                {
                    return unpack(jar, out.resolve("libasyncProfiler.so").toAbsolutePath());
                }
            }
        }
        catch (final IOException ex)
        {
            System.err.println("async-profiler not usable (" + ex.getMessage() + "); CPU from JFR samples");
        }
        return null;
    }

    private static Path unpack(final Path jar, final Path target) throws IOException
    {
        try (ZipFile zip = new ZipFile(jar.toFile()))
        {
            final ZipEntry entry = zip.getEntry(LIBRARY_ENTRY);
            if (entry == null)
            {
                return null;
            }
            try (InputStream in = zip.getInputStream(entry))
            {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target;
    }
}
