package org.seamcast.ingest.source;

import java.nio.charset.Charset;

/**
 * A title update as an encoder or automation system sends it, read from the request's path and query, before any
 * credential or mount is checked: either an {@link Update} or the {@link Refusal} to answer with. Two forms:
 * <pre>
 *   Icecast     GET /admin/metadata?mode=updinfo&amp;mount=/m&amp;song=Artist%20-%20Title[&amp;charset=ISO-8859-1]
 *               GET /admin/metadata?mode=updinfo&amp;mount=/m&amp;artist=Artist&amp;title=Title      ("Artist - Title")
 *               (also /admin/metadata.xsl) with Basic auth: user source + the mount's password, or the admin
 *   SHOUTcast   GET /admin.cgi?mode=updinfo&amp;song=...&amp;pass=PW[&amp;mount=/m]   (no mount: the first live one)
 * </pre>
 * {@code song} wins over {@code artist}/{@code title}; an empty artist or title leaves just the other. See
 * {@link TitleCharset} for how the bytes become text.
 */
sealed interface MetadataRequest permits MetadataRequest.Update, MetadataRequest.Refusal
{
    /** What Icecast answers a {@code mode} other than {@code updinfo} with on {@code /admin/metadata}. */
    int NO_SUCH_ACTION_STATUS = 200;
    /** Icecast joins artist and title with this. */
    String ARTIST_TITLE_SEPARATOR = " - ";

    /**
     * The path an update arrived on.
     */
    enum Form
    {
        /** {@code /admin/metadata} or {@code /admin/metadata.xsl}. */
        ICECAST,
        /** {@code /admin.cgi}, SHOUTcast v1's. */
        SHOUTCAST;

        /**
         * @return the form served at {@code path}, or null for any other path.
         */
        static Form of(final String path)
        {
            return switch (path)
            {
                case "/admin/metadata", "/admin/metadata.xsl" -> ICECAST;
                case "/admin.cgi" -> SHOUTCAST;
                default -> null;
            };
        }
    }

    /**
     * A well-formed update.
     *
     * @param form     how it came.
     * @param mount    the mount named, or null (SHOUTCAST only: the first live mount).
     * @param title    the title to set, decoded; empty clears it.
     * @param url      the StreamUrl to set, or null.
     * @param password the SHOUTcast {@code pass=}, or null.
     */
    record Update(Form form, String mount, String title, String url, String password) implements MetadataRequest
    {
        @Override
        public String toString()
        {
            return "Update[form=" + form + ", mount=" + mount + ", title=" + title + ", url=" + url + "]";
        }
    }

    /**
     * A request to refuse, with the status Icecast uses for it and a message naming what is wrong.
     *
     * @param status  HTTP status.
     * @param message what is wrong, e.g. {@code "missing parameter mount"}.
     */
    record Refusal(int status, String message) implements MetadataRequest
    {
    }

    /**
     * Reads a request on {@code form}'s path with query string {@code query} (chars 0..255, one per byte).
     */
    static MetadataRequest parse(final Form form, final String query)
    {
        final QueryParameters parameters = QueryParameters.parse(query);
        if (parameters.problem() != null)
        {
            return new Refusal(400, parameters.problem());
        }
        final String mount = parameters.text("mount");
        if (form == Form.ICECAST && mount == null)
        {
            return new Refusal(400, "missing parameter mount");
        }
        final String mode = parameters.text("mode");
        if (mode == null)
        {
            return new Refusal(400, "missing parameter mode (mode=updinfo)");
        }
        if (!"updinfo".equals(mode))
        {
            return new Refusal(form == Form.ICECAST ? NO_SUCH_ACTION_STATUS : 400,
                "No such action: mode=" + mode + " (only updinfo)");
        }
        final String charsetName = parameters.text("charset");
        final Charset charset = TitleCharset.forName(charsetName);
        if (charset == null)
        {
            return new Refusal(400, "unknown charset=" + charsetName + " (e.g. UTF-8, ISO-8859-1, windows-1252)");
        }
        final String title;
        if (parameters.has("song"))
        {
            title = TitleCharset.decode(parameters.bytes("song"), charset);
        }
        else if (parameters.has("artist") && parameters.has("title"))
        {
            title = join(TitleCharset.decode(parameters.bytes("artist"), charset),
                TitleCharset.decode(parameters.bytes("title"), charset));
        }
        else
        {
            return new Refusal(400, "missing parameter song (or artist and title)");
        }
        final byte[] url = parameters.bytes("url");
        return new Update(form, mount, title, url == null ? null : TitleCharset.decode(url, charset),
            parameters.text("pass"));
    }

    private static String join(final String artist, final String title)
    {
        if (artist.isEmpty())
        {
            return title;
        }
        return title.isEmpty() ? artist : artist + ARTIST_TITLE_SEPARATOR + title;
    }
}
