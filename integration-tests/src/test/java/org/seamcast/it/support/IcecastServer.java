package org.seamcast.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A real Icecast 2 (Debian's {@code icecast2}) on a free loopback port, configured by the test: plain, with
 * {@code <relay>}s pulling from given servers, or as a slave of a {@code <master-server>}. Runs as {@code nobody}
 * when the test runs as root, as Icecast refuses to run as root.
 */
public final class IcecastServer implements AutoCloseable
{
    public static final String SOURCE_PASSWORD = "test-source-pw";
    public static final String ADMIN_PASSWORD = "test-admin-pw";

    private final int port;
    private final Path dir;
    private final ExternalProcess process;

    private IcecastServer(final int port, final Path dir, final ExternalProcess process)
    {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    public int port()
    {
        return port;
    }

    public String url(final String mount)
    {
        return "http://127.0.0.1:" + port + mount;
    }

    /**
     * Whether Icecast lists {@code mount} as a live source in {@code /status-json.xsl}, i.e. listeners can have it.
     */
    public boolean serves(final String mount)
    {
        try
        {
            final java.net.http.HttpResponse<String> status = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("/status-json.xsl")))
                    .timeout(java.time.Duration.ofSeconds(5)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
            return status.statusCode() == 200 && status.body().contains(mount + "\"");
        }
        catch (final IOException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Path errorLog()
    {
        return dir.resolve("log/error.log");
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    @Override
    public void close()
    {
        process.close();
    }

    /**
     * What the server's configuration holds.
     */
    public static final class Builder
    {
        private static final int START_ATTEMPTS = 3;
        private final List<String> relays = new ArrayList<>();
        private String master = "";

        /**
         * Pulls {@code mount} from {@code host:port} and serves it as the same mount, always on.
         */
        public Builder relay(final String host, final int port, final String mount)
        {
            relays.add("<relay><server>" + host + "</server><port>" + port + "</port><mount>" + mount
                + "</mount><local-mount>" + mount + "</local-mount><on-demand>0</on-demand>"
                + "<relay-shoutcast-metadata>1</relay-shoutcast-metadata></relay>");
            return this;
        }

        /**
         * Mirrors every mount the master lists in {@code /admin/streamlist.txt}.
         */
        public Builder masterServer(final String host, final int port, final int updateIntervalSeconds)
        {
            master = "<master-server>" + host + "</master-server><master-server-port>" + port
                + "</master-server-port><master-update-interval>" + updateIntervalSeconds
                + "</master-update-interval><master-username>relay</master-username>"
                + "<master-password>" + SOURCE_PASSWORD + "</master-password><relays-on-demand>0</relays-on-demand>";
            return this;
        }

        /**
         * Starts icecast2 and waits until its admin page answers and, with relays, has started them. icecast2 2.4.4
         * now and then dies of a segmentation fault while starting its threads, before it has started a relay or
         * connected anywhere (two clean-clone runs here: its log ends at "stats thread started"); such a start is
         * reported and made again, at most {@value #START_ATTEMPTS} times. Any other exit fails the start.
         */
        public IcecastServer start(final Path workDir)
        {
            ExternalProcess.requireTool("icecast2");
            for (int attempt = 1; ; attempt++)
            {
                final IcecastServer server = startOnce(workDir);
                if (null != server)
                {
                    return server;
                }
                if (attempt == START_ATTEMPTS)
                {
                    throw new IllegalStateException("icecast2 crashed while starting " + START_ATTEMPTS + " times");
                }
            }
        }

        /**
         * @return the running server, or null when icecast2 crashed while starting.
         */
        private IcecastServer startOnce(final Path workDir)
        {
            final int port = FreePort.pick();
            try
            {
                final Path dir = Files.createDirectories(workDir.resolve("icecast-" + port));
                final Path logDir = Files.createDirectories(dir.resolve("log"));
                openUp(workDir);
                openUp(dir);
                openUp(logDir);
                final Path config = dir.resolve("icecast.xml");
                Files.writeString(config, config(port, logDir, dir));
                openUp(config);

                final List<String> command = new ArrayList<>();
                if ("root".equals(System.getProperty("user.name")))
                {
                    command.addAll(List.of("runuser", "-u", "nobody", "--"));
                }
                command.addAll(List.of("icecast2", "-c", config.toString()));
                final ExternalProcess process = ExternalProcess.start(
                    "icecast2:" + port, command, dir.resolve("stdout.log"));
                final IcecastServer server = new IcecastServer(port, dir, process);
                final Path errorLog = logDir.resolve("error.log");
                try
                {
                    await("icecast2 answering on " + port + (relays.isEmpty() ? "" : " with its relays started"))
                        .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                        .until(() -> !process.isAlive() || answersAdmin(port) && (relays.isEmpty() ||
                            readIfExists(errorLog).split("Starting relayed source", -1).length > relays.size()));
                    if (!process.isAlive())
                    {
                        process.close();
                        final String output = Files.readString(dir.resolve("stdout.log"));
                        if (output.contains("Segmentation fault"))
                        {
                            System.err.println("icecast2 on " + port + " crashed while starting (segmentation fault;"
                                + " its log: " + readIfExists(errorLog).replace('\n', ' ') + "); starting it again");
                            return null;
                        }
                        throw new IllegalStateException("icecast2 exited at start: " + output + readIfExists(errorLog));
                    }
                }
                catch (final RuntimeException ex)
                {
                    server.close();
                    throw ex;
                }
                return server;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        private String config(final int port, final Path logDir, final Path dir)
        {
            return "<icecast>\n"
                + "<location>seamcast-test</location><admin>test@localhost</admin><hostname>127.0.0.1</hostname>\n"
                + "<limits><clients>200</clients><sources>20</sources><queue-size>524288</queue-size>"
                + "<client-timeout>30</client-timeout><header-timeout>15</header-timeout>"
                + "<source-timeout>10</source-timeout><burst-on-connect>1</burst-on-connect>"
                + "<burst-size>65535</burst-size></limits>\n"
                + "<authentication><source-password>" + SOURCE_PASSWORD + "</source-password>"
                + "<relay-password>" + SOURCE_PASSWORD + "</relay-password><admin-user>admin</admin-user>"
                + "<admin-password>" + ADMIN_PASSWORD + "</admin-password></authentication>\n"
                + "<listen-socket><port>" + port + "</port><bind-address>127.0.0.1</bind-address></listen-socket>\n"
                + master + "\n"
                + String.join("\n", relays) + "\n"
                + "<fileserve>1</fileserve>\n"
                + "<paths><basedir>/usr/share/icecast2</basedir><logdir>" + logDir + "</logdir>"
                + "<webroot>/usr/share/icecast2/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot>"
                + "<pidfile>" + dir.resolve("icecast.pid") + "</pidfile></paths>\n"
                + "<logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog>"
                + "<loglevel>3</loglevel></logging>\n"
                + "<security><chroot>0</chroot></security>\n"
                + "</icecast>\n";
        }

        private static String readIfExists(final Path path) throws IOException
        {
            return Files.exists(path) ? Files.readString(path) : "";
        }

        private static void openUp(final Path path) throws IOException
        {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                Files.isDirectory(path) ? "rwxrwxrwx" : "rw-rw-rw-"));
        }

        /**
         * Whether an authenticated {@code /admin/stats} answers 200: icecast2 accepts connections before it has
         * finished starting, and a source that came then was refused with 401 and found it gone a moment later (one
         * clean-clone run here: two 401s, then nothing listening); once the admin page answers, it has started.
         */
        private static boolean answersAdmin(final int port)
        {
            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                socket.setSoTimeout(1_000);
                final String credentials = Base64.getEncoder().encodeToString(
                    ("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(("GET /admin/stats HTTP/1.0\r\nAuthorization: Basic " + credentials
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                final byte[] status = socket.getInputStream().readNBytes(12);
                return new String(status, StandardCharsets.US_ASCII).matches("HTTP/1\\.[01] 200");
            }
            catch (final IOException ex)
            {
                return false;
            }
        }
    }
}
