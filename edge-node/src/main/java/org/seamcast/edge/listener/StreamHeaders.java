package org.seamcast.edge.listener;

/**
 * What a listener is told about a stream in the response headers, as carried by the encoder's announce.
 *
 * @param contentType  {@code audio/mpeg} or {@code audio/aac}.
 * @param name         {@code icy-name}, or null.
 * @param genre        {@code icy-genre}, or null.
 * @param description  {@code icy-description}, or null.
 * @param url          {@code icy-url}, or null.
 * @param isPublic     {@code icy-pub}.
 * @param audioInfo    {@code ice-audio-info}, e.g. {@code samplerate=44100;channels=2;bitrate=128}, or null.
 * @param bitrateKbps  {@code icy-br}, or 0 when unknown.
 */
public record StreamHeaders(
    String contentType,
    String name,
    String genre,
    String description,
    String url,
    boolean isPublic,
    String audioInfo,
    int bitrateKbps)
{
    public StreamHeaders
    {
        if (contentType == null || contentType.isBlank())
        {
            throw new IllegalArgumentException("contentType is required");
        }
    }
}
