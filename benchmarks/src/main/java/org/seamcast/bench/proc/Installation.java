package org.seamcast.bench.proc;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the programs of a run are: the packaged {@code bin/seamcast} launcher and its jar (a source tree's
 * {@code seamcast-cli/target/seamcast.jar} or a release's {@code lib/seamcast.jar}), this benchmarks jar for the
 * load processes, and the java that runs them. Missing pieces are refused with the command that builds them.
 */
final class Installation
{
    static final String BUILD_COMMAND = "mvn -q -B package -pl seamcast-cli,benchmarks -am -DskipTests";
    static final List<String> JVM_OPENS = List.of(
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED");

    private final Path launcher;
    private final Path seamcastJar;
    private final Path benchmarksJar;
    private final String java;

    private Installation(final Path launcher, final Path seamcastJar, final Path benchmarksJar, final String java)
    {
        this.launcher = launcher;
        this.seamcastJar = seamcastJar;
        this.benchmarksJar = benchmarksJar;
        this.java = java;
    }

    /**
     * @param home a source tree or an unpacked release, holding {@code bin/seamcast}.
     */
    static Installation at(final Path home)
    {
        final Path launcher = home.resolve("bin/seamcast").toAbsolutePath().normalize();
        if (!Files.isExecutable(launcher))
        {
            throw new IllegalStateException("no executable launcher at " + launcher
                + "; run from the source tree's root or pass --home DIR");
        }
        Path jar = null;
        for (final Path candidate : List.of(home.resolve("lib/seamcast.jar"),
            home.resolve("seamcast-cli/target/seamcast.jar")))
        {
            if (Files.isRegularFile(candidate))
            {
                jar = candidate.toAbsolutePath().normalize();
                break;
            }
        }
        if (jar == null)
        {
            throw new IllegalStateException("no seamcast.jar in " + home.resolve("lib") + " or "
                + home.resolve("seamcast-cli/target") + "; build it with: " + BUILD_COMMAND);
        }
        return new Installation(launcher, jar, benchmarksJar(),
            ProcessHandle.current().info().command().orElse("java"));
    }

    private static Path benchmarksJar()
    {
        try
        {
            final Path self = Path.of(Installation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(self))
            {
                throw new IllegalStateException("the load processes run from the benchmarks jar, but this runs from "
                    + self + "; build it with: " + BUILD_COMMAND + " and run benchmarks/target/seamcast-benchmarks.jar");
            }
            return self;
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    Path seamcastJar()
    {
        return seamcastJar;
    }

    /**
     * {@code bin/seamcast ROLE ARGS...}, with the launcher's own JVM settings.
     */
    List<String> seamcast(final String role, final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.add(role);
        command.addAll(args);
        return command;
    }

    /**
     * A java process running {@code mainClass} of this benchmarks jar with a small heap.
     */
    List<String> benchmarkMain(final Class<?> mainClass, final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Xms64m");
        command.add("-Xmx256m");
        command.addAll(JVM_OPENS);
        command.add("-cp");
        command.add(benchmarksJar.toString());
        command.add(mainClass.getName());
        command.addAll(args);
        return command;
    }

    String java()
    {
        return java;
    }
}
