package org.seamcast.cli;

import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * The level of Seamcast's own loggers ({@code org.seamcast}), set by {@code --log-level} at start and again on
 * SIGHUP; other libraries stay at the root level of {@code logback.xml} (WARN).
 */
enum LogLevel
{
    ERROR, WARN, INFO, DEBUG, TRACE;

    /** The logger every Seamcast class logs under. */
    static final String SEAMCAST_LOGGER = "org.seamcast";

    /**
     * Makes this the level of {@value #SEAMCAST_LOGGER}; does nothing when another SLF4J provider than Logback is
     * in use (as in some tests).
     */
    void apply()
    {
        if (LoggerFactory.getLogger(SEAMCAST_LOGGER) instanceof Logger logger)
        {
            logger.setLevel(ch.qos.logback.classic.Level.toLevel(name()));
        }
    }

    /**
     * The level a config-file or command-line value names, ignoring case.
     *
     * @throws IllegalArgumentException naming the value and the levels there are.
     */
    static LogLevel of(final String value)
    {
        for (final LogLevel level : values())
        {
            if (level.name().equalsIgnoreCase(value.strip()))
            {
                return level;
            }
        }
        throw new IllegalArgumentException("log-level '" + value + "' is not one of error, warn, info, debug, trace");
    }
}
