package org.seamcast.ingest.source;

import org.seamcast.codec.protocol.MountName;
import org.seamcast.ingest.stream.SourceSession;
import org.seamcast.ingest.stream.StreamHub;

/**
 * Answers a title update on the source port ({@code /admin/metadata}, {@code /admin/metadata.xsl},
 * {@code /admin.cgi}) and sets the title when the request may: the request is read first (400 for what is
 * malformed, see {@link MetadataRequest}), then the credentials (401: the mount's source credentials or the
 * administrator's), then the mount (400 "Source does not exist"). A client without credentials learns nothing about
 * which mounts are live. Stateless and thread-safe: one per server, called on any connection's I/O thread.
 */
final class MetadataEndpoint
{
    private final StreamHub hub;
    private final SourcePasswords passwords;
    private final AdminCredentials admin;
    private final SourceServerMetrics metrics;

    MetadataEndpoint(
        final StreamHub hub, final SourcePasswords passwords, final AdminCredentials admin,
        final SourceServerMetrics metrics)
    {
        this.hub = hub;
        this.passwords = passwords;
        this.admin = admin;
        this.metrics = metrics;
    }

    /**
     * What to answer, with Icecast's XML body (see {@link IceResponse}).
     *
     * @param status            HTTP status.
     * @param message           the body's {@code <message>}.
     * @param success           the body's {@code <return>}: 1 when true.
     * @param askForCredentials whether to add {@code WWW-Authenticate}.
     */
    record Answer(int status, String message, boolean success, boolean askForCredentials)
    {
    }

    /**
     * @param form    the path the request came on.
     * @param request its head.
     * @return the answer; the title is set (and a METADATA sent) when it is a success.
     */
    Answer answer(final MetadataRequest.Form form, final SourceRequest request)
    {
        final MetadataRequest parsed = MetadataRequest.parse(form, request.query());
        if (parsed instanceof MetadataRequest.Refusal refusal)
        {
            metrics.badRequest.increment();
            return new Answer(refusal.status(), refusal.message(), false, false);
        }
        final MetadataRequest.Update update = (MetadataRequest.Update)parsed;
        final String authorization = request.header("authorization");
        final SourceSession live = update.mount() != null ? live(update.mount()) : hub.firstLive();
        final String mount = update.mount() != null ? update.mount() : live == null ? null : live.mount().toString();
        if (form == MetadataRequest.Form.SHOUTCAST && update.password() == null && authorization == null)
        {
            metrics.badRequest.increment();
            return new Answer(400, "missing parameter pass", false, false);
        }
        if (!mayUpdate(mount, authorization, update.password()))
        {
            metrics.unauthorized.increment();
            return new Answer(401, "authentication required for " + (mount == null ? "a mount" : mount), false, true);
        }
        if (live == null)
        {
            metrics.badRequest.increment();
            return new Answer(400, "Source does not exist: " + (mount == null ? "no mount is live" : mount), false,
                false);
        }
        live.updateMetadata(update.title(), update.url());
        metrics.metadataUpdates.increment();
        return new Answer(200, IceResponse.UPDATED, true, false);
    }

    private SourceSession live(final String mount)
    {
        try
        {
            return hub.live(MountName.of(mount));
        }
        catch (final IllegalArgumentException notAMountName)
        {
            return null;
        }
    }

    /**
     * The mount's source credentials or the administrator's, as a Basic header or a SHOUTcast {@code pass=}; with
     * no mount (nothing is live), the global source password.
     */
    private boolean mayUpdate(final String mount, final String authorization, final String password)
    {
        if (passwords.allows(mount, authorization) || admin.allows(authorization))
        {
            return true;
        }
        return password != null && (passwords.allowsPassword(mount, password) || admin.allowsPassword(password));
    }
}
