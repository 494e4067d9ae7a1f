package org.seamcast.cli;

/**
 * The exit statuses of every node command, so a supervisor can tell a node that must not be restarted (systemd's
 * {@code RestartPreventExitStatus=2}) from one that may start once its port is free again.
 */
final class ExitStatus
{
    /** Stopped cleanly: SIGTERM, Ctrl-C, or the end of a bounded run. */
    static final int STOPPED = 0;

    /** Could not start or failed while running, e.g. an address already in use: trying again may help. */
    static final int FAILED = 1;

    /** The configuration was refused before anything started (picocli's usage error status too). */
    static final int CONFIG_REFUSED = 2;

    private ExitStatus()
    {
    }

    /**
     * The status for a node that failed to start with {@code cause}: a bad setting is refused, anything else (an
     * address that cannot be bound, by convention an {@link IllegalStateException}) may pass on a restart.
     */
    static int ofStartFailure(final RuntimeException cause)
    {
        return cause instanceof IllegalArgumentException ? CONFIG_REFUSED : FAILED;
    }
}
