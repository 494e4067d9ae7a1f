package org.seamcast.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine a run was taken on, in one line for the report: CPUs and their model, memory, kernel, Debian release
 * and the JVM (the nodes run the same java: the launcher's {@code java} on the PATH or {@code JAVA_HOME}).
 */
final class Machine
{
    private Machine()
    {
    }

    static String describe()
    {
        return String.format(Locale.ROOT, "%d vCPU (`nproc`; %s), %.0f GiB RAM, Linux %s, Debian %s; %s %s (%s)",
            Runtime.getRuntime().availableProcessors(), cpuModel(), memTotalKib() / 1024.0 / 1024.0,
            read("/proc/sys/kernel/osrelease"), read("/etc/debian_version"), System.getProperty("java.vm.name"),
            System.getProperty("java.runtime.version"), System.getProperty("java.vm.vendor"));
    }

    private static String cpuModel()
    {
        for (final String line : read("/proc/cpuinfo").split("\n"))
        {
            if (line.startsWith("model name"))
            {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "model unknown";
    }

    private static long memTotalKib()
    {
        for (final String line : read("/proc/meminfo").split("\n"))
        {
            if (line.startsWith("MemTotal:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    private static String read(final String path)
    {
        try
        {
            return Files.readString(Path.of(path)).trim();
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }
}
