package org.seamcast.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options every subcommand takes besides its own, added to each by {@link SeamcastCommand#newCommandLine()}.
 * {@code --config} is listed so {@code --help} shows it; {@link ConfigFileArguments} replaces it by the file's
 * options before parsing, so it never reaches here.
 */
final class CommonOptions
{
    @Option(names = ConfigFileArguments.OPTION, paramLabel = "FILE",
        description = "Read options from FILE: one 'key = value' a line, the keys being this command's long options "
            + "without the dashes (repeat a key for a repeatable option); options on the command line override it.")
    Path config;

    @Option(names = "--log-level", paramLabel = "LEVEL", converter = LogLevelConverter.class,
        description = "Level of Seamcast's log lines: error, warn, info, debug or trace; without it, info "
            + "(or -Dseamcast.log.level). A node re-reads it from its --config file on SIGHUP.")
    void logLevel(final LogLevel level)
    {
        level.apply();
    }

    static final class LogLevelConverter implements picocli.CommandLine.ITypeConverter<LogLevel>
    {
        @Override
        public LogLevel convert(final String value)
        {
            try
            {
                return LogLevel.of(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new picocli.CommandLine.TypeConversionException(ex.getMessage());
            }
        }
    }
}
