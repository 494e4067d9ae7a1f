package org.seamcast.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns {@code seamcast <command> --config FILE [options]} into the command's own options, so a site deploys a
 * node by copying one file. The file holds one {@code key = value} a line, the keys being the command's long
 * option names without the dashes; a repeatable option is repeated; {@code #} starts a comment line:
 *
 * <pre>
 *   # /etc/seamcast/edge-1.conf
 *   name = edge-1
 *   relay = tcp://relay-1.example:9001
 *   relay = tcp://relay-2.example:9001
 *   playout-delay-ms = 1500
 * </pre>
 *
 * Options on the command line come after the file's, so they override it. A key that is not an option of the
 * command is refused before anything starts, naming the file, the line and the key.
 */
final class ConfigFileArguments
{
    static final String OPTION = "--config";

    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private ConfigFileArguments()
    {
    }

    /**
     * The arguments with any {@code --config FILE} replaced by the file's options.
     *
     * @throws IllegalArgumentException naming the file, line and key or value at fault.
     */
    static String[] expand(final CommandLine root, final String[] args)
    {
        final int configIndex = configIndex(args);
        if (configIndex < 0)
        {
            return args;
        }
        final String configPath = configPath(args, configIndex);
        if (configIndex == 0 || !root.getSubcommands().containsKey(args[0]))
        {
            throw new IllegalArgumentException(OPTION + " goes after a command, e.g. seamcast edge --config FILE");
        }
        final CommandLine command = root.getSubcommands().get(args[0]);
        final List<String> expanded = new ArrayList<>();
        expanded.add(args[0]);
        expanded.addAll(read(command, Path.of(configPath)));
        for (int i = 1; i < args.length; i++)
        {
            if (i == configIndex)
            {
                if (OPTION.equals(args[i]))
                {
                    i++;
                }
                continue;
            }
            expanded.add(args[i]);
        }
        command.setOverwrittenOptionsAllowed(true);
        return expanded.toArray(new String[0]);
    }

    /**
     * The file given with {@code --config}, or null.
     *
     * @throws IllegalArgumentException when {@code --config} has no file after it.
     */
    static Path configFile(final String[] args)
    {
        final int index = configIndex(args);
        return index < 0 ? null : Path.of(configPath(args, index));
    }

    private static int configIndex(final String[] args)
    {
        for (int i = 0; i < args.length; i++)
        {
            if (OPTION.equals(args[i]) || args[i].startsWith(OPTION + "="))
            {
                return i;
            }
        }
        return -1;
    }

    private static String configPath(final String[] args, final int index)
    {
        if (!OPTION.equals(args[index]))
        {
            return args[index].substring(OPTION.length() + 1);
        }
        if (index + 1 >= args.length)
        {
            throw new IllegalArgumentException(OPTION + " needs a file");
        }
        return args[index + 1];
    }

    /**
     * The file's lines as the command's options, {@code --key=value} or a bare {@code --flag}, in file order.
     *
     * @throws IllegalArgumentException naming the file, line and key or value at fault.
     */
    static List<String> read(final CommandLine command, final Path file)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + ex.getMessage(), ex);
        }
        final String commandName = "seamcast " + command.getCommandName();
        final List<String> options = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++)
        {
            final String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final String where = "config file " + file + " line " + (n + 1);
            final int eq = line.indexOf('=');
            final String key = (eq < 0 ? line : line.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            final String value = eq < 0 ? null : line.substring(eq + 1).strip();
            if (!KEY.matcher(key).matches())
            {
                throw new IllegalArgumentException(where + ": '" + line + "' is not 'key = value'");
            }
            final OptionSpec option = command.getCommandSpec().findOption("--" + key);
            if (option == null || "config".equals(key) || option.usageHelp() || option.versionHelp())
            {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (not an option of "
                    + commandName + "; see " + commandName + " --help)");
            }
            if (option.arity().max() == 0)
            {
                final String flag = value == null ? "true" : value.toLowerCase(Locale.ROOT);
                switch (flag)
                {
                    case "true", "yes", "on" -> options.add("--" + key);
                    case "false", "no", "off" ->
                    {
                    }
                    default -> throw new IllegalArgumentException(
                        where + ": " + key + " = " + value + " is not true or false");
                }
            }
            else
            {
                if (value == null || value.isEmpty())
                {
                    throw new IllegalArgumentException(where + ": " + key + " has no value");
                }
                options.add("--" + key + "=" + value);
            }
        }
        return options;
    }
}
