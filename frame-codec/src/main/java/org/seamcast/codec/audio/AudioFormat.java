package org.seamcast.codec.audio;

/**
 * The elementary audio stream formats Seamcast carries: MPEG audio (Layers I/II/III) and AAC in ADTS.
 */
public enum AudioFormat
{
    /**
     * MPEG-1/2/2.5 audio, Layers I, II or III; named after the common case.
     */
    MP3("mp3"),

    /**
     * AAC in ADTS (Audio Data Transport Stream) framing.
     */
    ADTS("adts");

    private final String shortName;

    AudioFormat(final String shortName)
    {
        this.shortName = shortName;
    }

    /**
     * @return the lower-case name used in CLI output and JSON ({@code mp3} or {@code adts}).
     */
    public String shortName()
    {
        return shortName;
    }

    /**
     * Maps an HTTP Content-Type to a format hint for the splitter.
     *
     * @param contentType the header value, possibly with parameters; may be null.
     * @return the format it names, or null when it names neither (the splitter then detects from content).
     */
    public static AudioFormat fromContentType(final String contentType)
    {
        if (null == contentType)
        {
            return null;
        }

        final int semicolon = contentType.indexOf(';');
        final String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase();
        switch (type)
        {
            case "audio/mpeg":
            case "audio/mp3":
            case "audio/mpeg3":
            case "audio/x-mpeg":
                return MP3;

            case "audio/aac":
            case "audio/aacp":
            case "audio/x-aac":
            case "audio/x-hx-aac-adts":
                return ADTS;

            default:
                return null;
        }
    }
}
