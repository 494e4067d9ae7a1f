package org.seamcast.transport;

import java.nio.file.Path;

/**
 * The PEM files of a node's TLS links ({@code tcp://host:port?tls=true}), as an operator gives them: the
 * certificate chain and private key a listening node presents, and the certificates a dialling node trusts. Any may
 * be null: no certificate means the node cannot listen with TLS, no trusted certificates means it trusts the
 * system's certificate authorities. {@link TransportContext#conclude()} checks the files.
 *
 * @param certificateChain    PEM certificate chain, the node's own certificate first.
 * @param privateKey          PEM private key of that certificate, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}).
 * @param trustedCertificates PEM certificates (or their issuers) that peers this node dials must present.
 */
public record TlsFiles(Path certificateChain, Path privateKey, Path trustedCertificates)
{
    /** No TLS files: TLS links dial with the system's trust store and cannot be listened on. */
    public static final TlsFiles NONE = new TlsFiles(null, null, null);

    /**
     * Checks the files as {@link TransportContext#conclude()} does, naming them in errors as the caller's options
     * (e.g. {@code --tls-cert}) rather than as settings.
     *
     * @throws IllegalArgumentException naming the option, the file and what is wrong with it.
     */
    public void check(final String chainName, final String keyName, final String trustName)
    {
        PemTlsCheck.check(this, chainName, keyName, trustName);
    }
}
