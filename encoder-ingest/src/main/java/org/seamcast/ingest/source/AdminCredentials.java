package org.seamcast.ingest.source;

/**
 * The ingest's administrator, who may set the title of any mount (but not feed one), as Icecast's
 * {@code <admin-user>} and {@code <admin-password>}: the user defaults to {@value #DEFAULT_USER}, and without a
 * password nobody is the administrator (Icecast likewise refuses admin requests until both are set). Compared in
 * constant time. Immutable and thread-safe.
 */
public final class AdminCredentials
{
    /** Icecast's conventional administrator name (every shipped {@code icecast.xml} uses it). */
    public static final String DEFAULT_USER = "admin";

    /** No administrator: only source credentials set titles. */
    public static final AdminCredentials NONE = new AdminCredentials(DEFAULT_USER, null);

    private final String user;
    private final String password;

    /**
     * @param user     the administrator's user name.
     * @param password the password, or null for no administrator.
     */
    public AdminCredentials(final String user, final String password)
    {
        this.user = user;
        this.password = password;
    }

    /**
     * @param authorization the Authorization header, or null.
     * @return whether it carries the administrator's user and password.
     */
    public boolean allows(final String authorization)
    {
        final BasicAuthorization credentials = BasicAuthorization.parse(authorization);
        if (credentials == null || password == null)
        {
            return false;
        }
        final boolean userOk = user.equals(credentials.user());
        return userOk & BasicAuthorization.matches(credentials.password(), password);
    }

    /**
     * @param password a bare password, as SHOUTcast's {@code admin.cgi?pass=} carries it, or null.
     * @return whether it is the administrator's password.
     */
    public boolean allowsPassword(final String password)
    {
        return this.password != null && BasicAuthorization.matches(password, this.password);
    }

    @Override
    public String toString()
    {
        return "AdminCredentials[user=" + user + (password == null ? ", disabled]" : "]");
    }
}
