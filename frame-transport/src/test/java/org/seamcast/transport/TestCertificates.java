package org.seamcast.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed PEM certificates made at test time with openssl (and keytool, for one that has expired), valid for
 * 127.0.0.1 and localhost.
 */
public final class TestCertificates
{
    private TestCertificates()
    {
    }

    /**
     * A certificate and its unencrypted PKCS#8 key, {@code name.crt} and {@code name.key} in {@code dir}.
     *
     * @param keyAlgorithm {@code rsa:2048} or {@code ec} (P-256).
     */
    public static Path[] selfSigned(final Path dir, final String name, final String keyAlgorithm)
    {
        return selfSigned(dir, name, keyAlgorithm, "IP:127.0.0.1,DNS:localhost");
    }

    /**
     * As {@link #selfSigned(Path, String, String)}, for the names in {@code subjectAltName}, e.g.
     * {@code DNS:relay-1.example.net}.
     */
    public static Path[] selfSigned(final Path dir, final String name, final String keyAlgorithm,
        final String subjectAltName)
    {
        final Path certificate = dir.resolve(name + ".crt");
        final Path key = dir.resolve(name + ".key");
        final List<String> command = new ArrayList<>(List.of("openssl", "req", "-x509", "-nodes", "-days", "2",
            "-keyout", key.toString(), "-out", certificate.toString(), "-subj", "/CN=" + name,
            "-addext", "subjectAltName=" + subjectAltName));
        if ("ec".equals(keyAlgorithm))
        {
            command.addAll(List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"));
        }
        else
        {
            command.addAll(List.of("-newkey", keyAlgorithm));
        }
        run(command);
        return new Path[] {certificate, key};
    }

    /**
     * The same key in the older PKCS#1 / SEC1 form ({@code BEGIN RSA PRIVATE KEY}).
     */
    public static Path traditional(final Path key)
    {
        final Path out = key.resolveSibling(key.getFileName() + ".traditional");
        run(List.of("openssl", "pkey", "-in", key.toString(), "-traditional", "-out", out.toString()));
        return out;
    }

    /**
     * A PEM certificate that expired days ago.
     */
    public static Path expired(final Path dir)
    {
        final Path store = dir.resolve("expired.p12");
        final Path certificate = dir.resolve("expired.crt");
        final String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-keystore", store.toString(), "-storepass", "changeit",
            "-alias", "expired", "-keyalg", "EC", "-dname", "CN=expired", "-startdate", "-10d", "-validity", "2"));
        run(List.of(keytool, "-exportcert", "-rfc", "-keystore", store.toString(), "-storepass", "changeit",
            "-alias", "expired", "-file", certificate.toString()));
        return certificate;
    }

    private static void run(final List<String> command)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                process.destroyForcibly();
                throw new IllegalStateException(command + " failed: " + output);
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(command.get(0) + " is not installed; .ci/run installs openssl", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
