package org.seamcast.transport;

import org.seamcast.codec.protocol.KeyRole;
import org.seamcast.codec.protocol.Keyring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a key file into a {@link Keyring}. One key a line, as {@code ID:HEX [ROLE]}: id 0..255, at least
 * {@value Keyring#MIN_KEY_LENGTH} bytes of hex, and optionally the {@link KeyRole} of the key ({@code ingest},
 * {@code relay}, {@code edge} or {@code any}) after white space. A line of bare hex is key id 0. Blank lines and
 * lines starting with {@code #} are ignored. Every node reads its {@code --key-file} with this one class, so the
 * format is the same across the mesh.
 *
 * <p>A line without a role is a key of role {@code any}: it signs and verifies every message, which is what every
 * key meant before roles existed, so old key files keep working unchanged. Of the keys whose role permits a message,
 * the least privileged signs it (edge, then ingest, then relay, then any) and, among equals, the one written first;
 * every key verifies the messages its role permits (so keys can be rotated: add the new one after the old, then move
 * it first, then remove the old).
 *
 * <pre>
 *   # a relay: verifies the ingests' audio, and the edges' subscriptions
 *   1:00112233445566778899aabbccddeeff ingest
 *   2:ffeeddccbbaa99887766554433221100 edge
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
            final String[] fields = line.substring(colon + 1).strip().split("\\s+");
            if (fields.length > 2)
            {
                throw new IllegalArgumentException("keyFile " + file + " line " + lineNumber +
                    ": expected ID:HEX [ROLE], found " + fields.length + " fields after the id");
            }
            final byte[] key = hex(file, lineNumber, fields[0]);
            try
            {
                final KeyRole role = fields.length == 2 ? KeyRole.fromLabel(fields[1]) : KeyRole.ANY;
                keyring = keyring == null ? Keyring.of(keyId, key, role) : keyring.withKey(keyId, key, role);
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
