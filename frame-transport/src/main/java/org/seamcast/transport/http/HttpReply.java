package org.seamcast.transport.http;

import java.nio.charset.StandardCharsets;

/**
 * A complete answer from an admin route: status, content type and body.
 */
public record HttpReply(int status, String contentType, byte[] body)
{
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String JSON = "application/json; charset=utf-8";

    public static HttpReply text(final int status, final String body)
    {
        return new HttpReply(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }

    public static HttpReply json(final String body)
    {
        return new HttpReply(200, JSON, body.getBytes(StandardCharsets.UTF_8));
    }
}
