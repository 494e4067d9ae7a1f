package org.seamcast.transport;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * {@link TransportContext#conclude()} refuses TLS files that cannot work, naming the file and what is wrong, so a
 * node stops at start instead of failing every handshake later.
 */
class TlsFilesCheckTest
{
    @TempDir
    static Path dir;

    private static Path[] rsa;
    private static Path[] ec;

    @BeforeAll
    static void makeCertificates()
    {
        rsa = TestCertificates.selfSigned(dir, "relay-rsa", "rsa:2048");
        ec = TestCertificates.selfSigned(dir, "relay-ec", "ec");
    }

    @Test
    void shouldAcceptAMatchingCertificateAndKeyOfEitherAlgorithmAndATrustFile()
    {
        assertThatCode(() -> conclude(new TlsFiles(rsa[0], rsa[1], ec[0]))).doesNotThrowAnyException();
        assertThatCode(() -> conclude(new TlsFiles(ec[0], ec[1], null))).doesNotThrowAnyException();
        assertThatCode(() -> conclude(TlsFiles.NONE)).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseAKeyThatBelongsToAnotherCertificateNamingBothFiles()
    {
        final Path[] other = TestCertificates.selfSigned(dir, "other-rsa", "rsa:2048");

        assertThatThrownBy(() -> conclude(new TlsFiles(rsa[0], other[1], null)))
            .hasMessageContaining("tlsPrivateKey " + other[1] + " does not belong to tlsCertificateChain " + rsa[0])
            .hasMessageContaining("CN=relay-rsa");
        assertThatThrownBy(() -> conclude(new TlsFiles(rsa[0], ec[1], null)))
            .hasMessageContaining("tlsPrivateKey " + ec[1] + " does not hold a key of the certificate's algorithm RSA");
    }

    @Test
    void shouldRefuseAnUnreadableOrMissingFileNamingIt()
    {
        final Path missing = dir.resolve("missing.pem");

        assertThatThrownBy(() -> conclude(new TlsFiles(missing, rsa[1], null)))
            .hasMessageContaining("tlsCertificateChain " + missing + " cannot be read");
        assertThatThrownBy(() -> conclude(new TlsFiles(rsa[0], missing, null)))
            .hasMessageContaining("tlsPrivateKey " + missing + " cannot be read");
        assertThatThrownBy(() -> conclude(new TlsFiles(null, null, missing)))
            .hasMessageContaining("tlsTrustedCertificates " + missing + " cannot be read");
        assertThatThrownBy(() -> conclude(new TlsFiles(rsa[0], null, null)))
            .hasMessageContaining("go together");
    }

    @Test
    void shouldRefuseFilesThatHoldTheWrongThing() throws IOException
    {
        final Path text = Files.writeString(dir.resolve("not-pem.txt"), "hello\n");

        assertThatThrownBy(() -> conclude(new TlsFiles(rsa[1], rsa[1], null)))
            .hasMessageContaining("tlsCertificateChain " + rsa[1]);
        assertThatThrownBy(() -> conclude(new TlsFiles(rsa[0], rsa[0], null)))
            .hasMessageContaining("tlsPrivateKey " + rsa[0] + " holds a CERTIFICATE");
        assertThatThrownBy(() -> conclude(new TlsFiles(null, null, text)))
            .hasMessageContaining("tlsTrustedCertificates " + text);
    }

    @Test
    void shouldRefuseATraditionalKeyWithTheCommandThatConvertsIt()
    {
        final Path pkcs1 = TestCertificates.traditional(rsa[1]);

        assertThatThrownBy(() -> conclude(new TlsFiles(rsa[0], pkcs1, null)))
            .hasMessageContaining("holds a RSA PRIVATE KEY")
            .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + pkcs1);
    }

    @Test
    void shouldRefuseAnExpiredCertificateSayingWhenItExpired()
    {
        final Path expired = TestCertificates.expired(dir);

        assertThatThrownBy(() -> conclude(new TlsFiles(expired, ec[1], null)))
            .hasMessageContaining("tlsCertificateChain " + expired + " (CN=expired) expired at ");
    }

    @Test
    void shouldHandTheFilesToTheContextAsOneValue()
    {
        final TlsFiles files = new TlsFiles(rsa[0], rsa[1], ec[0]);

        try (TransportContext ctx = new TransportContext().nodeName("relay-1").tls(files).conclude())
        {
            assertThat(ctx.tls()).isEqualTo(files);
            assertThat(ctx.tlsCertificateChain()).isEqualTo(rsa[0]);
            assertThat(ctx.tlsTrustedCertificates()).isEqualTo(ec[0]);
        }
    }

    private static void conclude(final TlsFiles files)
    {
        new TransportContext().nodeName("relay-1").tls(files).conclude().close();
    }
}
