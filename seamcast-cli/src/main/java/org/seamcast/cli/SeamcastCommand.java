package org.seamcast.cli;

import io.netty.util.ResourceLeakDetector;
import org.seamcast.transport.metrics.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code seamcast} launcher: one command whose subcommands run each kind of node.
 */
@Command(
    name = "seamcast",
    mixinStandardHelpOptions = true,
    versionProvider = SeamcastCommand.Version.class,
    description = "Redundant, frame-multiplexing relay mesh for internet radio.",
    footer = {"", "Every command also takes --config FILE: one 'key = value' a line, keys being its long options "
        + "without the dashes (e.g. 'relay = tcp://relay-1:9001'); options given on the command line override the file.",
        "Exit status: 0 stopped cleanly (SIGTERM, Ctrl-C), 1 failed while running or could not start, "
            + "2 configuration refused (restarting will not help)."},
    subcommands = {CommandLine.HelpCommand.class, ProbeCommand.class, IngestCommand.class, RelayCommand.class,
        EdgeCommand.class, DemoCommand.class})
public final class SeamcastCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }

    /** The system property that turns Netty's leak detector back on ({@code simple}, {@code paranoid}). */
    static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";

    public static void main(final String[] args)
    {
        disableLeakDetectionUnlessAsked();
        final CommandLine commandLine = newCommandLine();
        HangupReload.install(commandLine, args);
        System.exit(execute(commandLine, args));
    }

    /**
     * Netty's leak detector, on by default, records the stack of one pooled buffer in 128 a node allocates: at 250
     * mounts that was three quarters of what a relay allocated (docs/benchmarks.md). Nodes run without it unless
     * {@value #LEAK_DETECTION_PROPERTY} is set, as tests and a suspected leak do.
     */
    static void disableLeakDetectionUnlessAsked()
    {
        if (null == System.getProperty(LEAK_DETECTION_PROPERTY)
            && null == System.getProperty("io.netty.leakDetectionLevel"))
        {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /**
     * Runs the command line, first expanding a {@code --config FILE} into options.
     *
     * @return the exit status: 2 when the configuration is refused before anything starts.
     */
    static int execute(final CommandLine commandLine, final String... args)
    {
        final String[] expanded;
        try
        {
            expanded = ConfigFileArguments.expand(commandLine, args);
        }
        catch (final IllegalArgumentException ex)
        {
            commandLine.getErr().println("seamcast: " + ex.getMessage());
            commandLine.getErr().flush();
            return 2;
        }
        return commandLine.execute(expanded);
    }

    /**
     * Builds the command line with the settings every entry point (main and tests) shares.
     */
    public static CommandLine newCommandLine()
    {
        final CommandLine root = new CommandLine(new SeamcastCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        for (final CommandLine subcommand : root.getSubcommands().values())
        {
            if (!(subcommand.getCommand() instanceof CommandLine.HelpCommand))
            {
                subcommand.addMixin("common", new CommonOptions());
                subcommand.getCommandSpec().versionProvider(new Version());
            }
        }
        return root;
    }

    /**
     * The release version built into the jar.
     */
    static String version()
    {
        return BuildInfo.version();
    }

    static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            return new String[] {"seamcast " + version()};
        }
    }
}
