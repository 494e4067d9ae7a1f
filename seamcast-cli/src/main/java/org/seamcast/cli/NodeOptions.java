package org.seamcast.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The options every node command (ingest, relay, edge) declares alike: where its admin endpoint is served and its
 * key file. Each command gives its own defaults through a {@link Defaults} provider, so the one declaration serves
 * three defaults; the relay and edge add {@link Name}, the ingest declares its name itself (it has no default).
 */
final class NodeOptions
{
    static final String NAME = "--name";
    static final String ADMIN = "--admin";

    @Option(names = ADMIN, paramLabel = "HOST:PORT|none", converter = OptionalSocketAddressConverter.class,
        description = "Serve /metrics, /health and the node's status here (:PORT for every interface); 'none' serves "
            + "none. Default: ${DEFAULT-VALUE}.")
    InetSocketAddress admin;

    @Option(names = "--key-file", paramLabel = "FILE",
        description = "Keys, one 'ID:HEX [ROLE]' a line (ROLE: ingest, relay or edge; none: any message): an ingest "
            + "holds the 'ingest' key, with which it signs the audio; a relay the ingests' key (to verify audio) and "
            + "the edges' (to verify their subscriptions); an edge the 'edge' key, with which it authenticates to "
            + "relays and subscribes. Unsigned, forged or wrongly signed messages are dropped. Default: none (CRC "
            + "only).")
    Path keyFile;

    /**
     * The node name of a node that has a default one.
     */
    static final class Name
    {
        @Option(names = NAME, paramLabel = "NAME",
            description = "Node name in logs, metrics, handshakes and heartbeats; unique within the mesh. "
                + "Default: ${DEFAULT-VALUE}.")
        String name;
    }

    /**
     * A node command's defaults of the shared options; a command names a subclass in its
     * {@code @Command(defaultValueProvider = ...)}.
     */
    abstract static class Defaults implements CommandLine.IDefaultValueProvider
    {
        private final String name;
        private final String admin;

        Defaults(final String name, final String admin)
        {
            this.name = name;
            this.admin = admin;
        }

        @Override
        public String defaultValue(final ArgSpec argSpec)
        {
            if (argSpec instanceof OptionSpec option)
            {
                return switch (option.longestName())
                {
                    case NAME -> name;
                    case ADMIN -> admin;
                    default -> null;
                };
            }
            return null;
        }
    }
}
