package org.seamcast.transport;

import org.seamcast.codec.protocol.Keyring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a shared-key file into a {@link Keyring}. One key a line, as {@code ID:HEX} (id 0..255, at least
 * {@value Keyring#MIN_KEY_LENGTH} bytes of hex); a line of bare hex is key id 0. Blank lines and lines starting
 * with {@code #} are ignored. The first key signs; every key verifies (so keys can be rotated). Every node reads
 * its {@code --key-file} with this one class, so the format is the same across the mesh.
 *
 * <pre>
 *   # seamcast mesh keys
 *   1:00112233445566778899aabbccddeeff
 * </pre>
 */
public final class KeyFile
{
    private KeyFile()
    {
    }

    /**
     * Reads the file.
     *
     * @throws IllegalArgumentException naming the file and line at fault.
     */
    public static Keyring load(final Path file)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new IllegalArgumentException("keyFile " + file + " cannot be read: " + ex.getMessage(), ex);
        }
        Keyring keyring = null;
        int lineNumber = 0;
        for (final String raw : lines)
        {
            lineNumber++;
            final String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final int colon = line.indexOf(':');
            final int keyId;
            try
            {
                keyId = colon < 0 ? 0 : Integer.parseInt(line.substring(0, colon).strip());
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException(
                    "keyFile " + file + " line " + lineNumber + ": key id is not a number", ex);
            }
            final byte[] key = hex(file, lineNumber, line.substring(colon + 1).strip());
            try
            {
                keyring = keyring == null ? Keyring.of(keyId, key) : keyring.withKey(keyId, key);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(
                    "keyFile " + file + " line " + lineNumber + ": " + ex.getMessage(), ex);
            }
        }
        if (keyring == null)
        {
            throw new IllegalArgumentException("keyFile " + file + " holds no key");
        }
        return keyring;
    }

    private static byte[] hex(final Path file, final int lineNumber, final String text)
    {
        if ((text.length() & 1) != 0)
        {
            throw new IllegalArgumentException(
                "keyFile " + file + " line " + lineNumber + ": hex key has an odd number of digits");
        }
        final byte[] key = new byte[text.length() / 2];
        for (int i = 0; i < key.length; i++)
        {
            final int hi = Character.digit(text.charAt(2 * i), 16);
            final int lo = Character.digit(text.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0)
            {
                throw new IllegalArgumentException(
                    "keyFile " + file + " line " + lineNumber + ": key is not hex");
            }
            key[i] = (byte)((hi << 4) | lo);
        }
        return key;
    }
}
