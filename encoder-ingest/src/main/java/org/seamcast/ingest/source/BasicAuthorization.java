package org.seamcast.ingest.source;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The user and password of an HTTP {@code Authorization: Basic ...} header, and the constant-time comparison every
 * credential check here uses.
 *
 * @param user     the user name.
 * @param password the password.
 */
record BasicAuthorization(String user, String password)
{
    private static final String SCHEME = "Basic ";

    /**
     * @param header the Authorization header, or null.
     * @return its credentials, or null when it is absent, not Basic, or not base64 of {@code user:password}.
     */
    static BasicAuthorization parse(final String header)
    {
        if (header == null)
        {
            return null;
        }
        final String trimmed = header.trim();
        if (trimmed.length() < SCHEME.length() || !trimmed.regionMatches(true, 0, SCHEME, 0, SCHEME.length()))
        {
            return null;
        }
        final String decoded;
        try
        {
            decoded = new String(Base64.getDecoder().decode(trimmed.substring(SCHEME.length()).trim()),
                StandardCharsets.UTF_8);
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
        final int colon = decoded.indexOf(':');
        return colon < 0 ? null : new BasicAuthorization(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    /**
     * @return whether {@code given} equals {@code expected}, in time independent of where they differ; false when
     * either is null.
     */
    static boolean matches(final String given, final String expected)
    {
        if (given == null || expected == null)
        {
            return false;
        }
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString()
    {
        return "BasicAuthorization[user=" + user + "]";
    }
}
