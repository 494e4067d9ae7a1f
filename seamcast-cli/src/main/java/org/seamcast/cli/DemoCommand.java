package org.seamcast.cli;

import org.seamcast.edge.node.MountStatus;
import org.seamcast.transport.MessageLink;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code seamcast demo}: the whole mesh in one process with bundled audio, a URL to listen to, and a live status
 * line per mount; with {@code --chaos} relays and encoders are killed and restarted on a schedule so a listener can
 * hear that nothing breaks.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Run two encoders, two ingests, two relays and an edge in one process, and print where to listen.")
final class DemoCommand implements java.util.concurrent.Callable<Integer>
{
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", defaultValue = "127.0.0.1:8000", converter = SocketAddressConverter.class,
        description = "Where listeners connect (default: ${DEFAULT-VALUE}).")
    InetSocketAddress listen;

    @Option(names = "--admin", defaultValue = "127.0.0.1:8101", converter = SocketAddressConverter.class,
        description = "Edge status, metrics and health (default: ${DEFAULT-VALUE}).")
    InetSocketAddress admin;

    @Option(names = "--chaos", description = "Kill and restart relays and encoders on a schedule.")
    boolean chaos;

    @Option(names = "--chaos-period-seconds", defaultValue = "15",
        description = "Seconds between chaos steps (default: ${DEFAULT-VALUE}).")
    int chaosPeriodSeconds;

    @Option(names = "--kill-relay-after-seconds", defaultValue = "0",
        description = "Kill relay-1 once, this long after start, and leave it down (for watching the status page); "
            + "0 never; use without --chaos (default: ${DEFAULT-VALUE}).")
    int killRelayAfterSeconds;

    @Option(names = "--kill-encoder-after-seconds", defaultValue = "0",
        description = "Kill studio-a, the primary encoder, once, this long after start, and leave it off (the backup "
            + "takes over); 0 never; use without --chaos (default: ${DEFAULT-VALUE}).")
    int killEncoderAfterSeconds;

    @Option(names = "--duration-seconds", defaultValue = "0",
        description = "Stop by itself after this long; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
    int durationSeconds;

    @Option(names = "--playout-delay-ms", defaultValue = "1000",
        description = "The edge's playout delay (default: ${DEFAULT-VALUE}).")
    long playoutDelayMs;

    @Option(names = "--hold-time-ms", defaultValue = "5000",
        description = "How long the recovered primary must be continuous before it plays again (default: ${DEFAULT-VALUE}).")
    long holdTimeMs;

    @Option(names = "--status-interval-ms", defaultValue = "2000",
        description = "How often the status line is printed (default: ${DEFAULT-VALUE}).")
    long statusIntervalMs;

    @Override
    public Integer call() throws InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (chaos && (killRelayAfterSeconds > 0 || killEncoderAfterSeconds > 0))
        {
            spec.commandLine().getErr().println("seamcast demo: --kill-relay-after-seconds="
                + killRelayAfterSeconds + " and --kill-encoder-after-seconds=" + killEncoderAfterSeconds
                + " cannot be used with --chaos");
            return 2;
        }
        final DemoMesh mesh = new DemoMesh(listen, admin, playoutDelayMs, holdTimeMs);
        final NodeLifetime lifetime = new NodeLifetime();
        try
        {
            mesh.start();
        }
        catch (final RuntimeException ex)
        {
            lifetime.close(mesh);
            spec.commandLine().getErr().println("seamcast demo: cannot start: " + ex.getMessage());
            return 2;
        }
        awaitFirstAudio(mesh);
        final String url = "http://" + listen.getHostString() + ":" + mesh.edge().listenerAddress().getPort()
            + DemoMesh.MOUNT;
        out.println("Seamcast demo: 2 encoders -> 2 ingests -> relay-1 (TCP) + relay-2 (UDP) -> edge");
        out.println("  listen:  " + url + "   (e.g. mpv " + url + ")");
        out.println("  status:  http://" + admin.getHostString() + ":" + mesh.edge().adminAddress().getPort()
            + "/   json: /status.json   metrics: /metrics   health: /health");
        out.println("  relays:  relay-1 " + mesh.relayAddress(0) + " (edge path 0), relay-2 " + mesh.relayAddress(1)
            + " (edge path 1)");
        final StringBuilder metrics = new StringBuilder();
        mesh.adminAddresses().forEach((node, address) -> metrics.append(metrics.length() == 0 ? "" : ", ")
            .append(node).append(' ').append(address.getHostString()).append(':').append(address.getPort()));
        out.println("  metrics: " + metrics + "   (/metrics, /health)");
        out.println(chaos ? "  chaos:   on, a step every " + chaosPeriodSeconds + " s" : "  chaos:   off (--chaos)");
        if (killRelayAfterSeconds > 0)
        {
            out.println("  kill:    relay-1 in " + killRelayAfterSeconds + " s, left down");
        }
        if (killEncoderAfterSeconds > 0)
        {
            out.println("  kill:    studio-a in " + killEncoderAfterSeconds + " s, left off");
        }
        out.flush();

        final ChaosSchedule schedule = chaos ? new ChaosSchedule(mesh, out) : null;
        final long startNs = System.nanoTime();
        long nextStatusNs = startNs;
        long nextChaosNs = startNs + TimeUnit.SECONDS.toNanos(chaosPeriodSeconds);
        final long endNs = durationSeconds > 0 ? startNs + TimeUnit.SECONDS.toNanos(durationSeconds) : Long.MAX_VALUE;
        long killRelayNs = killRelayAfterSeconds > 0 ?
            startNs + TimeUnit.SECONDS.toNanos(killRelayAfterSeconds) : Long.MAX_VALUE;
        long killEncoderNs = killEncoderAfterSeconds > 0 ?
            startNs + TimeUnit.SECONDS.toNanos(killEncoderAfterSeconds) : Long.MAX_VALUE;
        try
        {
            while (System.nanoTime() < endNs)
            {
                final long now = System.nanoTime();
                if (now >= nextStatusNs)
                {
                    printStatus(out, mesh);
                    nextStatusNs = now + TimeUnit.MILLISECONDS.toNanos(statusIntervalMs);
                }
                if (schedule != null && now >= nextChaosNs)
                {
                    schedule.step();
                    nextChaosNs = now + TimeUnit.SECONDS.toNanos(chaosPeriodSeconds);
                }
                if (now >= killRelayNs)
                {
                    if (mesh.relayAlive(0))
                    {
                        mesh.killRelay(0);
                    }
                    out.printf("[%s] killed relay-1 as asked (--kill-relay-after-seconds)%n",
                        LocalTime.now().format(TIME));
                    out.flush();
                    killRelayNs = Long.MAX_VALUE;
                }
                if (now >= killEncoderNs)
                {
                    if (mesh.encoderAlive(0))
                    {
                        mesh.killEncoder(0);
                    }
                    out.printf("[%s] killed studio-a as asked (--kill-encoder-after-seconds)%n",
                        LocalTime.now().format(TIME));
                    out.flush();
                    killEncoderNs = Long.MAX_VALUE;
                }
                final long waitNs = Math.min(Math.min(Math.min(Math.min(nextStatusNs, nextChaosNs), endNs),
                    killRelayNs), killEncoderNs) - System.nanoTime();
                if (lifetime.awaitStop(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNs))))
                {
                    break;
                }
            }
        }
        finally
        {
            out.println("Seamcast demo: stopping");
            out.flush();
            lifetime.close(mesh);
        }
        return 0;
    }

    /**
     * Waits (a few seconds at most) until the edge plays the mount, so the URL printed answers at once.
     */
    private static void awaitFirstAudio(final DemoMesh mesh)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while ((mesh.edge().listeners().mount(DemoMesh.MOUNT) == null || mesh.edge().mountStatus().isEmpty())
            && System.nanoTime() < deadlineNs)
        {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static void printStatus(final PrintWriter out, final DemoMesh mesh)
    {
        final StringBuilder relays = new StringBuilder();
        final List<MessageLink> links = mesh.edgeLinks();
        for (int i = 0; i < links.size(); i++)
        {
            relays.append(i == 0 ? "" : ", ").append("relay-").append(i + 1)
                .append(links.get(i).isConnected() ? " up" : " DOWN");
        }
        final StringBuilder encoders = new StringBuilder();
        for (int i = 0; i < 2; i++)
        {
            encoders.append(i == 0 ? "" : ", ").append(i == 0 ? "studio-a" : "studio-b")
                .append(mesh.encoderAlive(i) ? " on" : " OFF");
        }
        final List<MountStatus> mounts = mesh.edge().mountStatus();
        if (mounts.isEmpty())
        {
            out.printf("[%s] waiting for audio ... relays: %s; encoders: %s%n", LocalTime.now().format(TIME),
                relays, encoders);
        }
        for (final MountStatus mount : mounts)
        {
            final String playing = mount.fallback() ? "FALLBACK (silence)" :
                mount.activeEncoder() < 0 ? "nothing yet" :
                "encoder " + mount.activeEncoder() + (mount.activeEncoder() == 1 ? " (primary)" : " (backup)");
            out.printf("[%s] %s playing %s | buffer %d frames | listeners %d | relays: %s | encoders: %s | last: %s%n",
                LocalTime.now().format(TIME), mount.mount(), playing, mount.pendingFrames(), mount.listeners(),
                relays, encoders, mount.lastEvent().isEmpty() ? "-" : mount.lastEvent());
        }
        out.flush();
    }

    /**
     * Kills and restarts one part of the mesh per step, in a fixed cycle: a relay, the primary encoder, the other
     * relay, the backup encoder, each brought back at the next step.
     */
    static final class ChaosSchedule
    {
        private final DemoMesh mesh;
        private final PrintWriter out;
        private int step;

        ChaosSchedule(final DemoMesh mesh, final PrintWriter out)
        {
            this.mesh = mesh;
            this.out = out;
        }

        void step()
        {
            final String action;
            switch (step % 8)
            {
                case 0 -> { mesh.killRelay(0); action = "killed relay-1 (the edge still has relay-2)"; }
                case 1 -> { mesh.restartRelay(0); action = "restarted relay-1"; }
                case 2 -> { mesh.killEncoder(0); action = "killed studio-a, the primary encoder (backup takes over)"; }
                case 3 -> { mesh.restartEncoder(0); action = "restarted studio-a (primary returns after the hold time)"; }
                case 4 -> { mesh.killRelay(1); action = "killed relay-2 (the edge still has relay-1)"; }
                case 5 -> { mesh.restartRelay(1); action = "restarted relay-2"; }
                case 6 -> { mesh.killEncoder(1); action = "killed studio-b, the backup encoder"; }
                default -> { mesh.restartEncoder(1); action = "restarted studio-b"; }
            }
            step++;
            out.printf("[%s] chaos: %s%n", LocalTime.now().format(TIME), action);
            out.flush();
        }
    }
}
