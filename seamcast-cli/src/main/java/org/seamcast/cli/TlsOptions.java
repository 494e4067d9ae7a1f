package org.seamcast.cli;

import org.seamcast.transport.TlsFiles;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.LinkScheme;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * The PEM files of a node's {@code tcp://...?tls=true} links. A node that only dials (ingest, edge) mixes in
 * {@link Trust}; a relay, which also listens, mixes in {@link Server} too. The files are checked at start, and an
 * unreadable, expired or mismatched one is refused naming its option.
 */
final class TlsOptions
{
    static final String CERT = "--tls-cert";
    static final String KEY = "--tls-key";
    static final String TRUST = "--tls-trust";

    private TlsOptions()
    {
    }

    /**
     * What a dialling node trusts.
     */
    static final class Trust
    {
        @Option(names = TRUST, paramLabel = "PEM",
            description = "Certificates (PEM) that a tcp://...?tls=true peer this node dials must present, or their "
                + "issuer's. Default: none (the system's certificate authorities).")
        Path trust;
    }

    /**
     * What a listening node presents.
     */
    static final class Server
    {
        @Option(names = CERT, paramLabel = "PEM",
            description = "This node's certificate chain (PEM, its own certificate first), presented on "
                + "tcp://...?tls=true listen addresses. Default: none.")
        Path certificate;

        @Option(names = KEY, paramLabel = "PEM",
            description = "The private key of " + CERT + " (unencrypted PKCS#8 PEM, 'BEGIN PRIVATE KEY'). "
                + "Default: none.")
        Path key;
    }

    /**
     * The files as the transport takes them, checked.
     *
     * @param server null for a node that does not listen with TLS.
     * @throws IllegalArgumentException naming the option and file at fault.
     */
    static TlsFiles files(final Server server, final Trust trust)
    {
        final TlsFiles files = new TlsFiles(server == null ? null : server.certificate,
            server == null ? null : server.key, trust.trust);
        files.check(CERT, KEY, TRUST);
        return files;
    }

    /**
     * Refuses a {@code tcp://...?tls=true} listen address when no certificate is given.
     *
     * @throws IllegalArgumentException naming the address and the options it needs.
     */
    static void requireCertificateFor(final String option, final List<LinkAddress> listen, final TlsFiles files)
    {
        for (final LinkAddress address : listen)
        {
            if (address.scheme() == LinkScheme.TCP && address.tls() && files.certificateChain() == null)
            {
                throw new IllegalArgumentException(option + " " + address + " asks for TLS: give " + CERT + " and "
                    + KEY);
            }
        }
    }
}
