package org.seamcast.ingest;

import org.seamcast.codec.protocol.Keyring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads a mesh keyring from a text file: one key a line as {@code KEY_ID:HEX}, {@code #} comments and blank lines
 * ignored; the first key signs, all verify.
 * <pre>
 *   # seamcast mesh keys
 *   1:00112233445566778899aabbccddeeff
 * </pre>
 */
final class KeyFile
{
    private KeyFile()
    {
    }

    static Keyring read(final Path file)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read key file " + file + ": " + ex.getMessage(), ex);
        }
        Keyring keyring = null;
        int lineNumber = 0;
        for (final String raw : lines)
        {
            lineNumber++;
            final String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final int colon = line.indexOf(':');
            try
            {
                if (colon <= 0)
                {
                    throw new IllegalArgumentException("expected KEY_ID:HEX");
                }
                final int keyId = Integer.parseInt(line.substring(0, colon).trim());
                final byte[] key = HexFormat.of().parseHex(line.substring(colon + 1).trim());
                keyring = keyring == null ? Keyring.of(keyId, key) : keyring.withKey(keyId, key);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(
                    "key file " + file + " line " + lineNumber + ": " + ex.getMessage(), ex);
            }
        }
        if (keyring == null)
        {
            throw new IllegalArgumentException("key file " + file + " holds no key (expected KEY_ID:HEX lines)");
        }
        return keyring;
    }
}
