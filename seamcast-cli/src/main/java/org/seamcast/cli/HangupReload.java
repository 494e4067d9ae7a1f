package org.seamcast.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a node does on SIGHUP: re-reads its {@code --config} file, applies what can change while it runs (the log
 * level) and logs every other changed key as needing a restart. It never stops the node, which the JVM's default
 * handling of SIGHUP (run the shutdown hooks, exit) would. Keys are read once at start: a changed key file is
 * logged, not loaded, so rotating keys needs a restart of each node in turn.
 *
 * <p>Threading: {@link #reload()} runs on the JVM's signal dispatch thread; it is synchronized so two quick
 * signals reload one after the other.
 */
final class HangupReload
{
    /** The signal's name as {@code sun.misc.Signal} knows it. */
    static final String SIGNAL = "HUP";

    /** Commands that run a node until stopped; the others keep the default (a terminal's hang-up ends them). */
    static final Set<String> NODE_COMMANDS = Set.of("ingest", "relay", "edge");

    static final String LOG_LEVEL_KEY = "log-level";
    static final String KEY_FILE_KEY = "key-file";
    static final String KEYS_LINE = "SIGHUP: keys are read at start; restart to rotate";
    static final String IGNORED_LINE = "SIGHUP is ignored by this process (it was started ignoring it, e.g. under "
        + "nohup): a hang-up will not re-read --config; start the node without nohup to reload it";

    private static final Logger LOG = LoggerFactory.getLogger(HangupReload.class);

    private final CommandLine command;
    private final Path configFile;
    private final Set<String> commandLineKeys;
    private final Map<String, List<String>> started;
    private LogLevel logLevel;

    HangupReload(final CommandLine root, final String[] args)
    {
        command = root.getSubcommands().get(args[0]);
        configFile = ConfigFileArguments.configFile(args);
        commandLineKeys = commandLineKeys(args);
        started = configFile == null ? Map.of() : options(ConfigFileArguments.read(command, configFile));
        logLevel = level(started.getOrDefault(LOG_LEVEL_KEY, List.of()));
    }

    /**
     * Handles SIGHUP for the node that {@code args} start, if they start one; call before the node starts.
     */
    static void install(final CommandLine root, final String[] args)
    {
        if (args.length == 0 || !NODE_COMMANDS.contains(args[0]))
        {
            return;
        }
        final HangupReload reload;
        try
        {
            reload = new HangupReload(root, args);
        }
        catch (final IllegalArgumentException refused)
        {
            return;
        }
        try
        {
            final sun.misc.SignalHandler before =
                sun.misc.Signal.handle(new sun.misc.Signal(SIGNAL), signal -> reload.reload());
            if (before == sun.misc.SignalHandler.SIG_IGN)
            {
                // the JVM leaves a signal alone that the process was started ignoring
                LOG.warn(IGNORED_LINE);
            }
        }
        catch (final IllegalArgumentException unsupported)
        {
            LOG.warn("SIGHUP cannot be handled here ({}); it will stop the node", unsupported.getMessage());
        }
    }

    /**
     * Re-reads the config file and applies or reports what changed; never throws.
     */
    synchronized void reload()
    {
        try
        {
            if (configFile == null)
            {
                LOG.info("SIGHUP: no --config file to re-read; nothing changed");
            }
            else
            {
                LOG.info("SIGHUP: re-reading {}", configFile);
                apply(options(ConfigFileArguments.read(command, configFile)));
            }
            if (started.containsKey(KEY_FILE_KEY) || commandLineKeys.contains(KEY_FILE_KEY))
            {
                LOG.info(KEYS_LINE);
            }
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("SIGHUP: {} refused, the node keeps its running settings: {}", configFile, ex.getMessage());
        }
    }

    private void apply(final Map<String, List<String>> now)
    {
        final Set<String> keys = new LinkedHashSet<>(started.keySet());
        keys.addAll(now.keySet());
        int changes = 0;
        for (final String key : keys)
        {
            final List<String> before = started.getOrDefault(key, List.of());
            final List<String> after = now.getOrDefault(key, List.of());
            if (LOG_LEVEL_KEY.equals(key))
            {
                changes += applyLogLevel(after);
            }
            else if (!before.equals(after))
            {
                changes++;
                LOG.warn("SIGHUP: {} changed from {} to {}; restart to apply", key, text(before), text(after));
            }
        }
        if (changes == 0)
        {
            LOG.info("SIGHUP: nothing changed");
        }
    }

    private int applyLogLevel(final List<String> values)
    {
        final LogLevel level = level(values);
        if (level == logLevel)
        {
            return 0;
        }
        if (commandLineKeys.contains(LOG_LEVEL_KEY))
        {
            LOG.info("SIGHUP: log-level is given on the command line, which overrides the file's");
            return 1;
        }
        LOG.info("SIGHUP: log level {}", level.name().toLowerCase(Locale.ROOT));
        level.apply();
        logLevel = level;
        return 1;
    }

    private static LogLevel level(final List<String> values)
    {
        return values.isEmpty() ? LogLevel.INFO : LogLevel.of(values.get(values.size() - 1));
    }

    private static String text(final List<String> values)
    {
        return values.isEmpty() ? "(unset)" : String.join(", ", values);
    }

    private static Map<String, List<String>> options(final List<String> options)
    {
        final Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (final String option : options)
        {
            final int eq = option.indexOf('=');
            final String key = option.substring(2, eq < 0 ? option.length() : eq);
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(eq < 0 ? "true" : option.substring(eq + 1));
        }
        return byKey;
    }

    private static Set<String> commandLineKeys(final String[] args)
    {
        final Set<String> keys = new LinkedHashSet<>();
        for (final String arg : Arrays.asList(args).subList(1, args.length))
        {
            if (arg.startsWith("--") && !arg.startsWith(ConfigFileArguments.OPTION))
            {
                final int eq = arg.indexOf('=');
                keys.add(arg.substring(2, eq < 0 ? arg.length() : eq));
            }
        }
        return keys;
    }
}
