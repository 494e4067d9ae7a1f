package org.seamcast.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Checks a node's TLS PEM files once, at start, so a wrong file is refused with its name and what is wrong with it
 * rather than surfacing as a failed handshake later: each file is readable and holds what it should, the
 * certificate is valid now, and the private key belongs to the certificate (proven by signing with one and
 * verifying with the other).
 *
 * <h2>Pitfalls</h2>
 * Keys must be unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}), what {@code openssl req -nodes} and
 * {@code openssl genpkey} write; an older {@code BEGIN RSA PRIVATE KEY} or {@code BEGIN EC PRIVATE KEY} file is
 * refused with the {@code openssl pkcs8} command that converts it.
 */
final class PemTlsCheck
{
    private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PKCS8_END = "-----END PRIVATE KEY-----";
    private static final Map<String, String> SIGNATURE_BY_KEY_ALGORITHM = Map.of(
        "RSA", "SHA256withRSA",
        "EC", "SHA256withECDSA",
        "DSA", "SHA256withDSA",
        "EdDSA", "EdDSA",
        "Ed25519", "Ed25519",
        "Ed448", "Ed448");
    private static final int CHALLENGE_BYTES = 32;

    private PemTlsCheck()
    {
    }

    /**
     * @param chainName the name of the certificate chain setting in messages, and so on.
     * @throws IllegalArgumentException naming the setting, the file and what is wrong.
     */
    static void check(final TlsFiles files, final String chainName, final String keyName, final String trustName)
    {
        if ((files.certificateChain() == null) != (files.privateKey() == null))
        {
            throw new IllegalArgumentException(chainName + "=" + files.certificateChain() + " and " + keyName + "="
                + files.privateKey() + " go together; give both or neither");
        }
        if (files.certificateChain() != null)
        {
            final X509Certificate certificate = certificates(chainName, files.certificateChain()).get(0);
            requireValidNow(chainName, files.certificateChain(), certificate);
            final PrivateKey key = privateKey(keyName, files.privateKey(), certificate.getPublicKey().getAlgorithm());
            requireMatch(chainName + " " + files.certificateChain(), keyName + " " + files.privateKey(), certificate,
                key);
        }
        if (files.trustedCertificates() != null)
        {
            certificates(trustName, files.trustedCertificates());
        }
    }

    private static List<X509Certificate> certificates(final String setting, final Path file)
    {
        final Collection<? extends Certificate> parsed;
        try (InputStream in = Files.newInputStream(file))
        {
            parsed = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(setting + " " + file + " cannot be read: " + ex.getMessage(), ex);
        }
        catch (final CertificateException ex)
        {
            throw new IllegalArgumentException(setting + " " + file + " is not a PEM certificate file: "
                + ex.getMessage(), ex);
        }
        final List<X509Certificate> certificates = new ArrayList<>();
        for (final Certificate certificate : parsed)
        {
            certificates.add((X509Certificate)certificate);
        }
        if (certificates.isEmpty())
        {
            throw new IllegalArgumentException(setting + " " + file + " holds no PEM certificate "
                + "(-----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    private static void requireValidNow(final String setting, final Path file, final X509Certificate certificate)
    {
        try
        {
            certificate.checkValidity();
        }
        catch (final CertificateExpiredException ex)
        {
            throw new IllegalArgumentException(setting + " " + file + " (" + subject(certificate)
                + ") expired at " + certificate.getNotAfter().toInstant(), ex);
        }
        catch (final CertificateNotYetValidException ex)
        {
            throw new IllegalArgumentException(setting + " " + file + " (" + subject(certificate)
                + ") is not valid before " + certificate.getNotBefore().toInstant(), ex);
        }
    }

    private static PrivateKey privateKey(final String setting, final Path file, final String algorithm)
    {
        final String pem;
        try
        {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new IllegalArgumentException(setting + " " + file + " cannot be read: " + ex.getMessage(), ex);
        }
        final int begin = pem.indexOf(PKCS8_BEGIN);
        final int end = pem.indexOf(PKCS8_END);
        if (begin < 0 || end < begin)
        {
            final String found = pem.contains("ENCRYPTED PRIVATE KEY") ? "an encrypted key" :
                pem.contains("-----BEGIN ") ? "a " + label(pem) : "no PEM block";
            throw new IllegalArgumentException(setting + " " + file + " holds " + found + ", not an unencrypted "
                + "PKCS#8 key (" + PKCS8_BEGIN + "); convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file
                + " -out " + file + ".pk8");
        }
        try
        {
            final byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + PKCS8_BEGIN.length(), end));
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        }
        catch (final GeneralSecurityException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(setting + " " + file + " does not hold a key of the certificate's "
                + "algorithm " + algorithm + ": " + ex.getMessage(), ex);
        }
    }

    private static void requireMatch(
        final String chain, final String keyFile, final X509Certificate certificate, final PrivateKey key)
    {
        final PublicKey publicKey = certificate.getPublicKey();
        final String algorithm = SIGNATURE_BY_KEY_ALGORITHM.get(publicKey.getAlgorithm());
        if (algorithm == null)
        {
            return;
        }
        final byte[] challenge = new byte[CHALLENGE_BYTES];
        new SecureRandom().nextBytes(challenge);
        boolean matches;
        try
        {
            final Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            final byte[] signature = signer.sign();
            final Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            matches = verifier.verify(signature);
        }
        catch (final GeneralSecurityException ex)
        {
            matches = false;
        }
        if (!matches)
        {
            throw new IllegalArgumentException(keyFile + " does not belong to " + chain + " (" + subject(certificate)
                + ")");
        }
    }

    private static String subject(final X509Certificate certificate)
    {
        return certificate.getSubjectX500Principal().getName();
    }

    private static String label(final String pem)
    {
        final int start = pem.indexOf("-----BEGIN ") + "-----BEGIN ".length();
        final int end = pem.indexOf("-----", start);
        return end < 0 ? "PEM block" : pem.substring(start, end);
    }
}
