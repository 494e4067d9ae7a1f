package org.seamcast.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The {@code seamcast} launcher: one command whose subcommands run each kind of node.
 */
@Command(
    name = "seamcast",
    mixinStandardHelpOptions = true,
    versionProvider = SeamcastCommand.Version.class,
    description = "Redundant, frame-multiplexing relay mesh for internet radio.",
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

    public static void main(final String[] args)
    {
        System.exit(newCommandLine().execute(args));
    }

    /**
     * Builds the command line with the settings every entry point (main and tests) shares.
     */
    public static CommandLine newCommandLine()
    {
        return new CommandLine(new SeamcastCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /**
     * The release version built into the jar.
     */
    static String version()
    {
        final Properties properties = new Properties();
        try (InputStream in = SeamcastCommand.class.getResourceAsStream("/seamcast-version.properties"))
        {
            if (in != null)
            {
                properties.load(in);
            }
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
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
