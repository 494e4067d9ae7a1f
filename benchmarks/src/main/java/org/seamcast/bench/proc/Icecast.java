package org.seamcast.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Icecast 2 (Debian's {@code icecast2}) for the listener benchmark: on a given loopback port, no chroot,
 * burst-on-connect as the edge does, enough client slots for the listeners, run as {@code nobody} when this runs
 * as root (Icecast refuses root). Its directory is made writable for that user.
 */
final class Icecast
{
    static final String SOURCE_PASSWORD = "bench-source-pw";
    static final int BURST_BYTES = 65_535;
    static final int QUEUE_BYTES = 524_288;
    private static final String BINARY = "/usr/bin/icecast2";

    private Icecast()
    {
    }

    static void requireInstalled()
    {
        if (!Files.isExecutable(Path.of(BINARY)))
        {
            throw new IllegalStateException("no " + BINARY + ": install it with apt-get install icecast2");
        }
    }

    /**
     * Starts it; the process to measure is {@link NodeProcess#workerPid()} (runuser's child when run as root).
     */
    static NodeProcess start(final ProcessSet processes, final Path dir, final int port, final int maxClients)
    {
        requireInstalled();
        try
        {
            final Path logDir = Files.createDirectories(dir.resolve("log"));
            openUp(dir);
            openUp(logDir);
            final Path config = dir.resolve("icecast.xml");
            Files.writeString(config, config(port, maxClients, logDir, dir));
            openUp(config);
            final List<String> command = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name")))
            {
                command.addAll(List.of("runuser", "-u", "nobody", "--"));
            }
            command.addAll(List.of(BINARY, "-c", config.toString()));
            return processes.start("icecast2", command);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot prepare Icecast in " + dir + ": " + ex.getMessage(), ex);
        }
    }

    private static String config(final int port, final int maxClients, final Path logDir, final Path dir)
    {
        return "<icecast>\n"
            + "<location>seamcast-bench</location><admin>bench@localhost</admin><hostname>127.0.0.1</hostname>\n"
            + "<limits><clients>" + maxClients + "</clients><sources>4</sources><queue-size>" + QUEUE_BYTES
            + "</queue-size><client-timeout>30</client-timeout><header-timeout>15</header-timeout>"
            + "<source-timeout>10</source-timeout><burst-on-connect>1</burst-on-connect>"
            + "<burst-size>" + BURST_BYTES + "</burst-size></limits>\n"
            + "<authentication><source-password>" + SOURCE_PASSWORD + "</source-password>"
            + "<admin-user>admin</admin-user><admin-password>" + SOURCE_PASSWORD + "</admin-password>"
            + "</authentication>\n"
            + "<listen-socket><port>" + port + "</port><bind-address>127.0.0.1</bind-address></listen-socket>\n"
            + "<fileserve>1</fileserve>\n"
            + "<paths><basedir>/usr/share/icecast2</basedir><logdir>" + logDir + "</logdir>"
            + "<webroot>/usr/share/icecast2/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot>"
            + "<pidfile>" + dir.resolve("icecast.pid") + "</pidfile></paths>\n"
            + "<logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog>"
            + "<loglevel>2</loglevel></logging>\n"
            + "<security><chroot>0</chroot></security>\n"
            + "</icecast>\n";
    }

    /**
     * Whether Icecast lists {@code mount} as a live source.
     */
    static boolean serves(final int port, final String mount)
    {
        try
        {
            return Metrics.get(port, "/status-json.xsl").contains(mount + "\"");
        }
        catch (final IllegalStateException ex)
        {
            return false;
        }
    }

    private static void openUp(final Path path) throws IOException
    {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
            Files.isDirectory(path) ? "rwxrwxrwx" : "rw-rw-rw-"));
    }
}
