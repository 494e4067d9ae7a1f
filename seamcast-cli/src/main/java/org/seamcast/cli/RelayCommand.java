package org.seamcast.cli;

import org.seamcast.codec.protocol.MountName;
import org.seamcast.relay.RelayContext;
import org.seamcast.relay.RelayNode;
import org.seamcast.transport.TlsFiles;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code seamcast relay}: runs a relay node until SIGTERM. Every option fills one setting of a
 * {@link RelayContext}; a bad value is refused at start with a message naming the option.
 */
@Command(
    name = "relay",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    showDefaultValues = true,
    defaultValueProvider = RelayCommand.Defaults.class,
    description = {
        "Run a relay: receive frames from ingests and upstream relays, drop duplicates, keep a short replay ring "
            + "per stream, and fan out to subscribed edges and downstream relays.",
        "Link URLs: tcp://host:port[?tls=true], udp://host:port, aeron+udp://host:port[?term-length=BYTES], "
            + "mcast://group:port[?interface=ADDR&ttl=N&term-length=BYTES]. Runs until SIGTERM or Ctrl-C."})
final class RelayCommand implements Callable<Integer>
{
    static final int EXIT_BAD_CONFIG = ExitStatus.CONFIG_REFUSED;

    /** Loopback only: metrics and health are for the host's monitoring unless the operator exposes them. */
    static final String DEFAULT_ADMIN = "127.0.0.1:9101";

    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    NodeOptions.Name name;

    @CommandLine.Mixin
    NodeOptions node;

    @Option(names = "--listen", showDefaultValue = CommandLine.Help.Visibility.NEVER, paramLabel = "URL", converter = LinkAddressConverter.class,
        description = "Where ingests, upstream relays and subscribers reach this relay; repeat for several "
            + "(subscribers need a tcp:// one). Default: none.")
    List<LinkAddress> listen = new ArrayList<>();

    @Option(names = "--upstream", showDefaultValue = CommandLine.Help.Visibility.NEVER, paramLabel = "URL", converter = LinkAddressConverter.class,
        description = "A relay to subscribe to (tcp://); what it sends is relayed like ingress. Repeatable. "
            + "Default: none.")
    List<LinkAddress> upstream = new ArrayList<>();

    @Option(names = "--forward", showDefaultValue = CommandLine.Help.Visibility.NEVER, paramLabel = "URL", converter = LinkAddressConverter.class,
        description = "A link every accepted message is also sent to, e.g. a site's mcast:// group or another "
            + "relay. Repeatable. Default: none.")
    List<LinkAddress> forward = new ArrayList<>();

    @Option(names = "--mount", showDefaultValue = CommandLine.Help.Visibility.NEVER, paramLabel = "MOUNT", converter = MountNameConverter.class,
        description = "Carry only this mount (e.g. /live.mp3); repeatable. Default: every mount.")
    List<MountName> mounts = new ArrayList<>();

    @Option(names = "--ring-seconds", paramLabel = "SECONDS",
        description = "Seconds of each stream kept for resumes and retransmit requests.")
    int ringSeconds = RelayContext.DEFAULT_REPLAY_RING_SECONDS;

    @Option(names = "--ring-log-bytes", paramLabel = "BYTES",
        description = "Bytes the replay log that holds every stream's ring may take; it takes what --ring-seconds of "
            + "the streams carried needs, and at this bound keeps less of each. Default: "
            + RelayContext.DEFAULT_REPLAY_LOG_BYTES + ".")
    long ringLogBytes = RelayContext.DEFAULT_REPLAY_LOG_BYTES;

    @Option(names = "--max-streams", paramLabel = "N",
        description = "Streams (mount, encoder, epoch) held at once; more are refused and counted.")
    int maxStreams = RelayContext.DEFAULT_MAX_STREAMS;

    @Option(names = "--max-streams-per-source", paramLabel = "N",
        description = "Streams one source (a TCP connection, or a datagram sender) may hold, at most --max-streams; "
            + "an ingest carrying more mounts needs more. Upstream relays are not limited by it.")
    int maxStreamsPerSource = RelayContext.DEFAULT_MAX_STREAMS_PER_SOURCE;

    @Option(names = "--batch-us", paramLabel = "MICROSECONDS",
        description = "How long the relay gathers copies, so they are forwarded together with one write per "
            + "subscriber: its I/O thread looks for input at most this often while it keeps coming, and the core "
            + "forwards what each look read; the most a copy waits in the relay.")
    long batchUs = RelayContext.DEFAULT_BATCH_US;

    @Option(names = "--max-subscribers", paramLabel = "N",
        description = "Subscribed connections served at once; more are refused and counted.")
    int maxSubscribers = RelayContext.DEFAULT_MAX_SUBSCRIBERS;

    @CommandLine.Mixin
    TlsOptions.Server tlsServer;

    @CommandLine.Mixin
    TlsOptions.Trust tlsTrust;

    @Option(names = "--heartbeat-interval-ms", paramLabel = "MS",
        description = "How often each link sends a heartbeat.")
    long heartbeatIntervalMs = TransportContext.DEFAULT_HEARTBEAT_INTERVAL_MS;

    @Option(names = "--idle-timeout-ms", paramLabel = "MS",
        description = "A TCP peer silent this long is closed (and reconnected, if dialled).")
    long idleTimeoutMs = TransportContext.DEFAULT_IDLE_TIMEOUT_MS;

    @Option(names = "--slow-peer-cutoff-ms", paramLabel = "MS",
        description = "A subscriber that stays behind this long is cut off.")
    long slowPeerCutoffMs = TransportContext.DEFAULT_SLOW_PEER_CUTOFF_MS;

    private volatile NodeLifetime lifetime;
    private volatile RelayNode relay;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final RelayContext ctx = context();
        final NodeLifetime lifetime = new NodeLifetime();
        this.lifetime = lifetime;
        try
        {
            relay = RelayNode.launch(ctx);
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            err.println("seamcast relay: " + ex.getMessage());
            err.flush();
            lifetime.close(() -> { });
            return ExitStatus.ofStartFailure(ex);
        }

        out.println("seamcast relay " + name.name + " listening on " + String.join(", ", boundListeners(relay))
            + (upstream.isEmpty() ? "" : ", upstream " + upstream)
            + (forward.isEmpty() ? "" : ", forwarding to " + forward)
            + (relay.adminAddress() == null ? "" : ", admin on http://" + HostPort.format(relay.adminAddress())));
        out.flush();
        return lifetime.runUntilStopped(relay);
    }

    RelayContext context()
    {
        requireRange("--ring-seconds", ringSeconds, 1, RelayContext.MAX_REPLAY_RING_SECONDS);
        requireRange("--ring-log-bytes", ringLogBytes, RelayContext.MIN_REPLAY_LOG_BYTES,
            RelayContext.MAX_REPLAY_LOG_BYTES);
        requireRange("--max-streams", maxStreams, 1, RelayContext.MAX_MAX_STREAMS);
        requireRange("--max-streams-per-source", maxStreamsPerSource, 1, RelayContext.MAX_MAX_STREAMS);
        requireRange("--max-subscribers", maxSubscribers, 1, 1 << 20);
        requireRange("--heartbeat-interval-ms", heartbeatIntervalMs, 10, 60_000);
        requireRange("--idle-timeout-ms", idleTimeoutMs, 2 * heartbeatIntervalMs, 600_000);
        requireRange("--slow-peer-cutoff-ms", slowPeerCutoffMs, 0, 600_000);
        if (listen.isEmpty() && upstream.isEmpty())
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "a relay needs at least one --listen or --upstream");
        }
        try
        {
            org.seamcast.codec.protocol.NodeName.of(name.name);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--name: " + ex.getMessage());
        }
        for (final LinkAddress address : upstream)
        {
            if (address.scheme() != org.seamcast.transport.link.LinkScheme.TCP || address.port() == 0)
            {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "--upstream " + address + ": an upstream must be tcp://host:port with a port above 0");
            }
        }
        for (final LinkAddress address : forward)
        {
            if (address.port() == 0)
            {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "--forward " + address + ": port=0 can be listened on, not sent to");
            }
        }
        if (node.keyFile != null && !node.keyFile.toFile().canRead())
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--key-file " + node.keyFile + " is not a readable file");
        }

        final TlsFiles tls;
        try
        {
            tls = TlsOptions.files(tlsServer, tlsTrust);
            TlsOptions.requireCertificateFor("--listen", listen, tls);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }

        final RelayContext ctx = new RelayContext()
            .nodeName(name.name)
            .replayRingSeconds(ringSeconds)
            .replayLogBytes(ringLogBytes)
            .maxStreams(maxStreams)
            .maxStreamsPerSource(maxStreamsPerSource)
            .maxSubscribers(maxSubscribers)
            .batchUs(batchUs)
            .adminAddress(node.admin)
            .keyFile(node.keyFile);
        listen.forEach(ctx::listen);
        upstream.forEach(ctx::upstream);
        forward.forEach(ctx::forward);
        mounts.forEach(ctx::mount);
        ctx.transport()
            .tls(tls)
            .heartbeatIntervalMs(heartbeatIntervalMs)
            .idleTimeoutMs(idleTimeoutMs)
            .slowPeerCutoffMs(slowPeerCutoffMs);
        return ctx;
    }

    private void requireRange(final String option, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                option + "=" + value + " is not in " + min + ".." + max);
        }
    }

    /**
     * Asks the running relay to close and waits until it has (bounded); {@link #call()} then returns 0.
     */
    void stop()
    {
        final NodeLifetime current = lifetime;
        if (current != null)
        {
            current.stop();
        }
    }

    /**
     * The relay once started, else null (for tests running the command in-process).
     */
    RelayNode node()
    {
        return relay;
    }

    private static List<String> boundListeners(final RelayNode node)
    {
        final List<String> bound = new ArrayList<>();
        for (int i = 0; i < node.listeners().size(); i++)
        {
            final LinkAddress address = node.context().listenAddresses().get(i);
            bound.add(address.port() == 0 ?
                address.scheme().scheme() + "://" + address.host() + ":" + node.listenPort(i) : address.toString());
        }
        return bound;
    }

    /**
     * The relay's defaults of the options every node shares.
     */
    static final class Defaults extends NodeOptions.Defaults
    {
        Defaults()
        {
            super(RelayContext.DEFAULT_NODE_NAME, DEFAULT_ADMIN);
        }
    }

    static final class MountNameConverter implements CommandLine.ITypeConverter<MountName>
    {
        @Override
        public MountName convert(final String value)
        {
            try
            {
                return MountName.of(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.TypeConversionException(ex.getMessage());
            }
        }
    }
}
