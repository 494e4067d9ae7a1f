package org.seamcast.ingest.source;

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
     * @param mount         the mount asked for; null checks the global password.
     * @param authorization the Authorization header, or null.
     * @return whether the credentials may feed (or update the metadata of) the mount.
     */
    public boolean allows(final String mount, final String authorization)
    {
        final BasicAuthorization credentials = BasicAuthorization.parse(authorization);
        if (credentials == null)
        {
            return false;
        }
        final boolean userOk = SOURCE_USER.equals(credentials.user());
        return userOk & allowsPassword(mount, credentials.password());
    }

    /**
     * @param mount    the mount asked for; null checks the global password.
     * @param password a bare password, as SHOUTcast's {@code admin.cgi?pass=} carries it, or null.
     * @return whether it is the mount's source password.
     */
    public boolean allowsPassword(final String mount, final String password)
    {
        final String expected = mount == null ? globalPassword : mountPasswords.getOrDefault(mount, globalPassword);
        return BasicAuthorization.matches(password, expected);
    }
}
