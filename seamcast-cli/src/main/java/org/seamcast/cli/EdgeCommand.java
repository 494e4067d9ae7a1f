package org.seamcast.cli;

import org.seamcast.codec.protocol.MountName;
import org.seamcast.edge.node.EdgeContext;
import org.seamcast.edge.node.EdgeNode;
import org.seamcast.transport.link.LinkAddress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code seamcast edge}: subscribes to relays, merges every copy of every frame through a fixed playout delay,
 * fails over between encoders, and serves listeners (or an Icecast in front) over Icecast-compatible HTTP.
 */
@Command(
    name = "edge",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    defaultValueProvider = EdgeCommand.Defaults.class,
    description = "Run an edge node: merge frames from relays, play out at a fixed delay, serve listeners.")
final class EdgeCommand implements Callable<Integer>
{
    /** Exit status when the configuration is refused at start; nothing was left half-started. */
    static final int EXIT_BAD_CONFIGURATION = ExitStatus.CONFIG_REFUSED;

    static final String DEFAULT_LISTEN = "0.0.0.0:8100";

    /** Loopback only: metrics, health and status are for the host's monitoring unless the operator exposes them. */
    static final String DEFAULT_ADMIN = "127.0.0.1:8101";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    NodeOptions.Name name;

    @CommandLine.Mixin
    NodeOptions node;

    @Option(names = "--relay", required = true, converter = LinkAddressConverter.class,
        description = "Relay to subscribe to, tcp://host:port; or where to listen for a relay's --forward: "
            + "udp://0.0.0.0:PORT, aeron+udp://0.0.0.0:PORT, mcast://GROUP:PORT?interface=ADDR. Repeat for redundancy.")
    List<LinkAddress> relays = new ArrayList<>();

    @Option(names = "--repair", converter = LinkAddressConverter.class, paramLabel = "tcp://HOST:PORT",
        description = "Relay to dial only to ask for frames the other paths lost (no subscription), e.g. the relay"
            + " that forwards to a lossy udp:// or mcast:// source; repeat.")
    List<LinkAddress> repairs = new ArrayList<>();

    @Option(names = "--mount", description = "Mount to play, e.g. /live; repeat; default: every mount the relays carry.")
    List<String> mounts = new ArrayList<>();

    @Option(names = "--listen", defaultValue = DEFAULT_LISTEN, paramLabel = "HOST:PORT",
        converter = SocketAddressConverter.class,
        description = "Listener HTTP address; 8100, not Icecast's 8000, so an Icecast in front can run on the same "
            + "host (default: ${DEFAULT-VALUE}).")
    InetSocketAddress listen;

    @Option(names = "--playout-delay-ms", defaultValue = "500",
        description = "Fixed delay D between a frame's timestamp and its playout; cover network delay and encoder lag (default: ${DEFAULT-VALUE}).")
    long playoutDelayMs;

    @Option(names = "--playout-slack-ms", defaultValue = "" + EdgeContext.DEFAULT_PLAYOUT_SLACK_MS,
        description = "How late a slot may play so slots due close together share one wake-up of the playout thread;"
            + " listeners hear at most this much later, the same frames; 0 plays each slot at its deadline"
            + " (default: ${DEFAULT-VALUE}).")
    long playoutSlackMs;

    @Option(names = "--link-poll-ms", defaultValue = "" + EdgeContext.DEFAULT_LINK_POLL_MS,
        description = "While the relays' messages keep coming, read them at most once per this many ms, so one"
            + " wake-up of a link's thread reads them all; frames reach the playout thread at most this much later,"
            + " the replay after an outage too; at most half of --playout-delay-ms; 0 reads each as it arrives"
            + " (default: ${DEFAULT-VALUE}).")
    long linkPollMs;

    @Option(names = "--playout-threads", defaultValue = "" + EdgeContext.DEFAULT_PLAYOUT_THREADS,
        description = "Playout threads, each owning the mounts whose name hashes to it and running on an I/O event loop"
            + " of its own; one holds ~1,000 mounts in half a core, more spread a larger edge over cores, 1.."
            + EdgeContext.MAX_PLAYOUT_THREADS + " (default: ${DEFAULT-VALUE}).")
    int playoutThreads;

    @Option(names = "--max-mounts", defaultValue = "" + EdgeContext.DEFAULT_MAX_MOUNTS,
        description = "Most mounts the edge plays; announces of more are refused and counted, so a hostile or"
            + " misconfigured ingest cannot exhaust memory, 1..100000 (default: ${DEFAULT-VALUE}).")
    int maxMounts;

    @Option(names = "--encoder-offset", paramLabel = "/MOUNT:ENCODER=MS",
        description = "Known lag of an encoder behind the mount's reference encoder in ms (negative: ahead), instead of"
            + " learning it, e.g. /live:2=300; repeat.")
    List<String> encoderOffsets = new ArrayList<>();

    @Option(names = "--hold-time-ms", defaultValue = "10000",
        description = "How long a recovered higher-priority encoder must be continuous before it plays again (default: ${DEFAULT-VALUE}).")
    long holdTimeMs;

    @Option(names = "--dead-air-seconds", defaultValue = "10",
        description = "An encoder silent this long while another carries audio is dead air and the other takes over;"
            + " 0 disables (default: ${DEFAULT-VALUE}).")
    long deadAirSeconds;

    @Option(names = "--dead-air-threshold-db", defaultValue = "-60",
        description = "Loudness in dBFS (estimated from each frame's bitstream, without decoding) below which audio"
            + " counts as silent (default: ${DEFAULT-VALUE}).")
    double deadAirThresholdDb;

    @Option(names = "--burst-bytes", defaultValue = "65536",
        description = "Audio sent at once to a new listener so players start at once (default: ${DEFAULT-VALUE}).")
    int burstBytes;

    @Option(names = "--icy-metaint", defaultValue = "16000",
        description = "ICY metadata interval for listeners that ask with Icy-MetaData: 1 (default: ${DEFAULT-VALUE}).")
    int icyMetaint;

    @Option(names = "--max-listeners", defaultValue = "0",
        description = "Listener limit, 0 for none; when full, listeners are redirected to --redirect (default: ${DEFAULT-VALUE}).")
    int maxListeners;

    @Option(names = "--redirect", description = "Sibling edge to send listeners to when full (302), e.g. http://edge2:8000; repeat.")
    List<URI> redirects = new ArrayList<>();

    @Option(names = "--max-queued-bytes", defaultValue = "524288",
        description = "Unsent audio after which a listener that stopped reading is dropped (default: ${DEFAULT-VALUE}).")
    int maxQueuedBytes;

    @CommandLine.Mixin
    TlsOptions.Trust tlsTrust;

    @Option(names = "--fallback-file", paramLabel = "/MOUNT=FILE",
        description = "Loop FILE (MP3 or ADTS) from its start instead of silence while every encoder of the mount is"
            + " gone, e.g. /live=/etc/seamcast/ident.mp3; repeat for other mounts. Read at start (exit 2 if it cannot"
            + " be); checked against the mount's codec, sample rate and channels when the mount's audio arrives"
            + " (silence and an error logged if they differ).")
    List<String> fallbackFiles = new ArrayList<>();

    @Option(names = "--push", description = "Push a mount into an Icecast as its source: /mount=icecast://source:PASSWORD@host:port/mount; repeat.")
    List<String> pushes = new ArrayList<>();

    @Override
    public Integer call()
    {
        final EdgeContext ctx = new EdgeContext()
            .nodeName(name.name)
            .playoutDelayMs(playoutDelayMs)
            .playoutSlackMs(playoutSlackMs)
            .linkPollMs(linkPollMs)
            .playoutThreads(playoutThreads)
            .maxMounts(maxMounts)
            .holdTimeMs(holdTimeMs)
            .deadAirMs(TimeUnit.SECONDS.toMillis(deadAirSeconds))
            .deadAirThresholdDb(deadAirThresholdDb)
            .adminAddress(node.admin)
            .keyFile(node.keyFile);
        ctx.listeners()
            .bindAddress(listen)
            .burstBytes(burstBytes)
            .icyMetaintBytes(icyMetaint)
            .maxListeners(maxListeners)
            .redirectTargets(redirects)
            .maxQueuedBytes(maxQueuedBytes)
            .serverName("Seamcast/" + SeamcastCommand.version());
        relays.forEach(ctx::relay);
        final NodeLifetime lifetime = new NodeLifetime();
        final EdgeNode edge;
        try
        {
            repairs.forEach(ctx::repair);
            for (final String mount : mounts)
            {
                ctx.mount(MountName.of(mount));
            }
            ctx.transport().tls(TlsOptions.files(null, tlsTrust));
            for (final String offset : encoderOffsets)
            {
                parseEncoderOffset(ctx, offset);
            }
            for (final String fallback : fallbackFiles)
            {
                final int eq = fallback.indexOf('=');
                if (eq < 2 || eq == fallback.length() - 1)
                {
                    throw new IllegalArgumentException("--fallback-file '" + fallback + "' is not /MOUNT=FILE, e.g."
                        + " /live=/etc/seamcast/ident.mp3");
                }
                ctx.fallbackFile(MountName.of(fallback.substring(0, eq)), Path.of(fallback.substring(eq + 1)));
            }
            for (final String push : pushes)
            {
                final int eq = push.indexOf('=');
                if (eq < 2)
                {
                    throw new IllegalArgumentException("--push '" + push + "' is not /mount=icecast://...");
                }
                ctx.push(MountName.of(push.substring(0, eq)), URI.create(push.substring(eq + 1)));
            }
            edge = EdgeNode.start(ctx);
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            spec.commandLine().getErr().println("seamcast edge: " + ex.getMessage());
            spec.commandLine().getErr().flush();
            lifetime.close(() -> { });
            return ExitStatus.ofStartFailure(ex);
        }
        spec.commandLine().getOut().printf("edge %s: listeners on http://%s/, admin %s%n", name.name,
            HostPort.format(new InetSocketAddress(listen.getHostString(), edge.listenerAddress().getPort())),
            edge.adminAddress() == null ? "none" : "on http://" + HostPort.format(
                new InetSocketAddress(node.admin.getHostString(), edge.adminAddress().getPort())) + "/status.json");
        spec.commandLine().getOut().flush();
        return lifetime.runUntilStopped(edge);
    }

    /**
     * The edge's defaults of the options every node shares.
     */
    static final class Defaults extends NodeOptions.Defaults
    {
        Defaults()
        {
            super(EdgeContext.DEFAULT_NODE_NAME, DEFAULT_ADMIN);
        }
    }

    /**
     * Reads {@code /MOUNT:ENCODER=MS} into the context.
     */
    static void parseEncoderOffset(final EdgeContext ctx, final String value)
    {
        final int colon = value.lastIndexOf(':');
        final int eq = value.indexOf('=', Math.max(colon, 0));
        if (colon < 2 || eq < colon + 2 || eq == value.length() - 1)
        {
            throw new IllegalArgumentException("--encoder-offset '" + value + "' is not /MOUNT:ENCODER=MS, e.g. /live:2=300");
        }
        try
        {
            ctx.encoderLagMs(MountName.of(value.substring(0, colon)), Integer.parseInt(value.substring(colon + 1, eq)),
                Long.parseLong(value.substring(eq + 1)));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--encoder-offset '" + value + "': encoder id and ms must be integers, e.g."
                + " /live:2=300");
        }
    }
}
