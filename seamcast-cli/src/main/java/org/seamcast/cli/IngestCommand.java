package org.seamcast.cli;

import org.seamcast.ingest.IngestContext;
import org.seamcast.ingest.IngestNode;
import org.seamcast.ingest.stamp.FrameStamper;
import org.seamcast.transport.ThreadingMode;
import org.seamcast.transport.link.LinkAddress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code seamcast ingest}: runs an ingest node. Fills an {@link IngestContext} from the options, refuses bad ones
 * at start naming them, runs until SIGTERM/SIGINT, then closes the node cleanly (sources and links closed, mounts
 * ended).
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    defaultValueProvider = IngestCommand.Defaults.class,
    description = {
        "Take audio from encoders (Icecast source protocol: SOURCE or PUT), HTTP/ICY streams (--pull) or files "
            + "(--file), stamp every frame and send it to every relay.",
        "Each --pull or --file is followed by its --mount (and a file by an optional --loop).",
        "Example: seamcast ingest --name ingest-a --encoder-id 1 --source-password PW "
            + "--relay tcp://10.0.0.2:9001 --relay udp://10.0.0.3:9001"})
final class IngestCommand implements Callable<Integer>
{
    /** Loopback only: metrics, health and status are for the host's monitoring unless the operator exposes them. */
    static final String DEFAULT_ADMIN = "127.0.0.1:8002";

    @Spec
    CommandSpec spec;

    @Option(names = NodeOptions.NAME, required = true, paramLabel = "NAME",
        description = "Node name in logs, metrics, handshakes and heartbeats, and edges name the encoder by it; "
            + "unique within the mesh.")
    String name;

    @CommandLine.Mixin
    NodeOptions node;

    @Option(names = "--encoder-id", paramLabel = "ID", defaultValue = "" + IngestContext.DEFAULT_ENCODER_ID,
        description = "Encoder id carried in every frame (0..4294967295). Default: ${DEFAULT-VALUE}.")
    long encoderId;

    @Option(names = "--priority", paramLabel = "N", defaultValue = "" + IngestContext.DEFAULT_PRIORITY,
        description = "Encoder priority, 0 highest (0..255); edges play the best one present. "
            + "Default: ${DEFAULT-VALUE}.")
    int priority;

    @Option(names = "--listen", paramLabel = "HOST:PORT|none", defaultValue = IngestContext.DEFAULT_SOURCE_LISTEN,
        converter = OptionalSocketAddressConverter.class,
        description = "Where encoders connect (Icecast source protocol; :PORT for every interface); 'none' runs no "
            + "source server. Default: ${DEFAULT-VALUE}.")
    InetSocketAddress listen;

    @Option(names = "--source-password", paramLabel = "PW",
        description = "Source password (user 'source') for every mount without its own.")
    String sourcePassword;

    @Option(names = "--mount-password", paramLabel = "/MOUNT=PW",
        description = "Password of one mount (repeatable); overrides --source-password for it.")
    List<String> mountPasswords = new ArrayList<>();

    @Option(names = "--admin-user", paramLabel = "USER", defaultValue = IngestContext.DEFAULT_ADMIN_USER,
        description = "Administrator's user name; with --admin-password may set the title of any mount "
            + "(/admin/metadata, /admin.cgi), not feed one. Default: ${DEFAULT-VALUE}.")
    String adminUser;

    @Option(names = "--admin-password", paramLabel = "PW",
        description = "Administrator's password; without it there is no administrator and only a mount's "
            + "source credentials set its title (as Icecast without <admin-password>).")
    String adminPassword;

    @Option(names = "--relay", required = true, paramLabel = "URL",
        description = "A relay to send every frame to (repeatable): tcp://host:port[?tls=true], udp://host:port, "
            + "aeron+udp://host:port[?term-length=BYTES], mcast://group:port.")
    List<String> relays = new ArrayList<>();

    @Option(names = "--pull", paramLabel = "URL", order = 100,
        description = "Pull an HTTP/Icecast stream (repeatable; follow with --mount).")
    List<String> pulls = new ArrayList<>();

    @Option(names = "--file", paramLabel = "FILE", order = 101,
        description = "Play an MP3 or ADTS file in real time (repeatable; follow with --mount, optionally --loop).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--mount", paramLabel = "/MOUNT", order = 102,
        description = "Mount of the --pull or --file just before it.")
    List<String> mounts = new ArrayList<>();

    @Option(names = "--loop", order = 103, description = "Loop the --file just before it.")
    boolean[] loops = new boolean[0];

    @Option(names = "--announce-interval-ms", paramLabel = "MS", order = 110,
        defaultValue = "" + IngestContext.DEFAULT_ANNOUNCE_INTERVAL_MS,
        description = "Repeat ANNOUNCE and METADATA this often (10..1000). Default: ${DEFAULT-VALUE}.")
    long announceIntervalMs;

    @Option(names = "--queue-capacity", paramLabel = "MESSAGES", order = 111,
        defaultValue = "" + IngestContext.DEFAULT_QUEUE_CAPACITY_MESSAGES,
        description = "Bound of each relay's send queue; beyond it messages to that relay are dropped and counted. "
            + "Default: ${DEFAULT-VALUE}.")
    int queueCapacity;

    @CommandLine.Mixin
    TlsOptions.Trust tlsTrust;

    @Option(names = "--header-timeout-ms", paramLabel = "MS", order = 120,
        defaultValue = "" + IngestContext.DEFAULT_HEADER_TIMEOUT_MS,
        description = "A client must send its request head within this time. Default: ${DEFAULT-VALUE}.")
    long headerTimeoutMs;

    @Option(names = "--source-timeout-ms", paramLabel = "MS", order = 121,
        defaultValue = "" + IngestContext.DEFAULT_SOURCE_IDLE_TIMEOUT_MS,
        description = "A source silent this long is cut off and its mount freed. Default: ${DEFAULT-VALUE}.")
    long sourceTimeoutMs;

    @Option(names = "--pull-timeout-ms", paramLabel = "MS", order = 122,
        defaultValue = "" + IngestContext.DEFAULT_PULL_READ_TIMEOUT_MS,
        description = "A pulled server silent this long is dropped and dialled again. Default: ${DEFAULT-VALUE}.")
    long pullTimeoutMs;

    @Option(names = "--max-slew-ppm", paramLabel = "PPM", order = 123,
        defaultValue = "" + FrameStamper.DEFAULT_MAX_SLEW_PPM,
        description = "How far timestamps may run from the sample count to follow the encoder's clock (1..10000). "
            + "Default: ${DEFAULT-VALUE}.")
    int maxSlewPpm;

    @Option(names = "--sender-threads", paramLabel = "MODE", order = 124, defaultValue = "DEDICATED",
        description = "DEDICATED (a thread per relay's sender and one for announces and heartbeats) or SHARED (one "
            + "thread for all). Default: ${DEFAULT-VALUE}.")
    ThreadingMode threadingMode;

    @Override
    public Integer call() throws InterruptedException
    {
        final IngestContext ctx;
        final IngestNode ingest;
        final NodeLifetime lifetime = new NodeLifetime();
        try
        {
            ctx = context().conclude();
            ingest = IngestNode.launch(ctx);
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            spec.commandLine().getErr().println("seamcast ingest: " + ex.getMessage());
            spec.commandLine().getErr().flush();
            lifetime.close(() -> { });
            return ExitStatus.ofStartFailure(ex);
        }
        final java.io.PrintWriter out = spec.commandLine().getOut();
        out.printf("ingest %s: sources on %s, admin on %s, relays %s%n", ctx.nodeName(),
            ingest.sourceAddress() == null ? "(none)" : ingest.sourceAddress(),
            ingest.adminAddress() == null ? "(none)" : ingest.adminAddress(), ctx.relays());
        out.flush();
        return lifetime.runUntilStopped(() ->
        {
            ingest.close();
            out.printf("ingest %s stopped%n", ctx.nodeName());
            out.flush();
        });
    }

    /**
     * Builds the (not yet concluded) context the options describe.
     *
     * @throws IllegalArgumentException naming the option and value that are wrong.
     */
    IngestContext context()
    {
        if (threadingMode == ThreadingMode.INVOKER)
        {
            throw new IllegalArgumentException("--sender-threads=INVOKER: nothing would run the senders; give "
                + "DEDICATED or SHARED");
        }
        final IngestContext ctx = new IngestContext()
            .nodeName(name)
            .encoderId(encoderId)
            .priority(priority)
            .sourcePassword(sourcePassword)
            .adminUser(adminUser)
            .adminPassword(adminPassword)
            .announceIntervalMs(announceIntervalMs)
            .queueCapacityMessages(queueCapacity)
            .keyFile(node.keyFile)
            .headerTimeoutMs(headerTimeoutMs)
            .sourceIdleTimeoutMs(sourceTimeoutMs)
            .pullReadTimeoutMs(pullTimeoutMs)
            .maxSlewPpm(maxSlewPpm)
            .threadingMode(threadingMode);
        ctx.transport().tls(TlsOptions.files(null, tlsTrust));
        ctx.sourceListenAddress(listen);
        ctx.adminAddress(node.admin);
        for (final String mountPassword : mountPasswords)
        {
            final int eq = mountPassword.indexOf('=');
            if (eq <= 0 || eq == mountPassword.length() - 1)
            {
                throw new IllegalArgumentException("--mount-password '" + mountPassword + "' is not /MOUNT=PW");
            }
            ctx.mountPassword(mountPassword.substring(0, eq), mountPassword.substring(eq + 1));
        }
        for (final String relay : relays)
        {
            try
            {
                ctx.relay(LinkAddress.parse(relay));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("--relay: " + ex.getMessage(), ex);
            }
        }
        for (final PendingInput input : inputs())
        {
            final String option = input.file != null ? "--file " + input.file : "--pull " + input.url;
            if (input.mount == null)
            {
                throw new IllegalArgumentException(option + " has no --mount after it");
            }
            if (input.file != null)
            {
                ctx.file(input.file, input.mount, input.loop);
            }
            else
            {
                try
                {
                    ctx.pull(new URI(input.url), input.mount);
                }
                catch (final URISyntaxException ex)
                {
                    throw new IllegalArgumentException(option + " is not a URL: " + ex.getMessage(), ex);
                }
            }
        }
        return ctx;
    }

    /**
     * The ingest's defaults of the options every node shares (its name has none).
     */
    static final class Defaults extends NodeOptions.Defaults
    {
        Defaults()
        {
            super(null, DEFAULT_ADMIN);
        }
    }

    /**
     * Pairs each --mount and --loop with the --pull or --file before it, in command-line order (picocli gathers
     * repeated options into lists and forgets their order, so the original arguments are read again).
     */
    private List<PendingInput> inputs()
    {
        final List<PendingInput> inputs = new ArrayList<>();
        final List<String> args = spec.commandLine().getParseResult().originalArgs();
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            final int eq = arg.indexOf('=');
            final String option = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            final boolean inline = arg.startsWith("--") && eq > 0;
            switch (option)
            {
                case "--pull", "--file", "--mount" ->
                {
                    final String value = inline ? arg.substring(eq + 1) : (i + 1 < args.size() ? args.get(++i) : null);
                    if ("--pull".equals(option))
                    {
                        inputs.add(new PendingInput(value, null));
                    }
                    else if ("--file".equals(option))
                    {
                        inputs.add(new PendingInput(null, Path.of(value)));
                    }
                    else
                    {
                        final PendingInput input = last(inputs, "--mount");
                        if (input.mount != null)
                        {
                            throw new IllegalArgumentException("--mount given twice for " + input);
                        }
                        input.mount = value;
                    }
                }
                case "--loop" ->
                {
                    final PendingInput input = last(inputs, "--loop");
                    if (input.file == null)
                    {
                        throw new IllegalArgumentException("--loop applies to a --file, not to " + input);
                    }
                    input.loop = true;
                }
                default ->
                {
                }
            }
        }
        return inputs;
    }

    private static PendingInput last(final List<PendingInput> inputs, final String option)
    {
        if (inputs.isEmpty())
        {
            throw new IllegalArgumentException(option + " must follow a --pull or --file");
        }
        return inputs.get(inputs.size() - 1);
    }

    private static final class PendingInput
    {
        final String url;
        final Path file;
        String mount;
        boolean loop;

        PendingInput(final String url, final Path file)
        {
            this.url = url;
            this.file = file;
        }

        @Override
        public String toString()
        {
            return file != null ? "--file " + file : "--pull " + url;
        }
    }
}
