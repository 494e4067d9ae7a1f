package org.seamcast.edge.node;

import org.seamcast.transport.http.HttpReply;
import org.seamcast.transport.http.NodeHttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The edge's live status page on the admin server: {@code /} (HTML), {@code /status.css} and {@code /status.js},
 * which polls {@code /status.json} once a second. The assets are resources of this module, read once when the
 * routes are registered and served from memory, so the page needs nothing from outside the edge.
 */
final class EdgeStatusPage
{
    static final String RESOURCE_DIR = "/org/seamcast/edge/status/";
    static final String HTML = "text/html; charset=utf-8";
    static final String CSS = "text/css; charset=utf-8";
    static final String JAVASCRIPT = "text/javascript; charset=utf-8";

    private EdgeStatusPage()
    {
    }

    /**
     * Adds the page's routes to {@code builder} and returns it.
     */
    static NodeHttpServer.Builder register(final NodeHttpServer.Builder builder)
    {
        final HttpReply page = asset("index.html", HTML);
        final HttpReply css = asset("status.css", CSS);
        final HttpReply js = asset("status.js", JAVASCRIPT);
        return builder
            .route("/", (path, query) -> page)
            .route("/status.css", (path, query) -> css)
            .route("/status.js", (path, query) -> js);
    }

    static HttpReply asset(final String name, final String contentType)
    {
        try (InputStream in = EdgeStatusPage.class.getResourceAsStream(RESOURCE_DIR + name))
        {
            if (in == null)
            {
                throw new IllegalStateException("status page resource " + RESOURCE_DIR + name + " is missing");
            }
            return new HttpReply(200, contentType, in.readAllBytes());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read status page resource " + RESOURCE_DIR + name, ex);
        }
    }
}
