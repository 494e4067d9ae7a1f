package org.seamcast.ingest.source;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

/**
 * Who may feed a mount, as Icecast decides it: HTTP Basic credentials with user {@code source} and the mount's own
 * password, or the global source password when the mount has none. A mount with neither is closed to sources.
 * Passwords are compared in constant time. Immutable and thread-safe.
 */
public final class SourcePasswords
{
    /** The user name Icecast sources authenticate as. */
    public static final String SOURCE_USER = "source";

    private final String globalPassword;
    private final Map<String, String> mountPasswords;

    /**
     * @param globalPassword for any mount without its own, or null.
     * @param mountPasswords by mount name ("/live.mp3").
     */
    public SourcePasswords(final String globalPassword, final Map<String, String> mountPasswords)
    {
        this.globalPassword = globalPassword;
        this.mountPasswords = Map.copyOf(mountPasswords);
    }

    /**
     * @param mount         the mount asked for.
     * @param authorization the Authorization header, or null.
     * @return whether the credentials may feed (or update the metadata of) the mount.
     */
    public boolean allows(final String mount, final String authorization)
    {
        final String expected = mountPasswords.getOrDefault(mount, globalPassword);
        if (expected == null || authorization == null)
        {
            return false;
        }
        final String trimmed = authorization.trim();
        if (trimmed.length() < 6 || !trimmed.regionMatches(true, 0, "Basic ", 0, 6))
        {
            return false;
        }
        final String decoded;
        try
        {
            decoded = new String(Base64.getDecoder().decode(trimmed.substring(6).trim()), StandardCharsets.UTF_8);
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
        final int colon = decoded.indexOf(':');
        if (colon < 0)
        {
            return false;
        }
        final boolean userOk = SOURCE_USER.equals(decoded.substring(0, colon));
        final boolean passwordOk = MessageDigest.isEqual(
            decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
        return userOk & passwordOk;
    }
}
