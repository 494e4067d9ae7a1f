package org.seamcast.edge.listener;

import java.nio.charset.StandardCharsets;

/**
 * Encodes the ICY in-band metadata block a listener who sent {@code Icy-MetaData: 1} receives every
 * {@code icy-metaint} bytes: one length byte {@code N}, then {@code 16 * N} bytes of
 * {@code StreamTitle='...';} padded with NULs.
 *
 * <pre>
 *   +-----+--------------------------------------------+---------+
 *   |  N  | StreamTitle='Artist - Song';StreamUrl='';   | 0 ... 0 |
 *   +-----+--------------------------------------------+---------+
 *    1 byte            16 * N bytes in all (N &lt;= 255)
 * </pre>
 *
 * An empty block (a single zero byte) means "no change".
 */
final class IcyMetadataBlock
{
    /** Longest metadata text that fits the 255 * 16 byte block. */
    public static final int MAX_TEXT_BYTES = 255 * 16;

    /** The one-byte block that says "no change". */
    public static final byte[] EMPTY = {0};

    private IcyMetadataBlock()
    {
    }

    /**
     * The block carrying {@code title} (a single quote in the title is kept; over-long titles are cut at a
     * character boundary so the block stays within {@link #MAX_TEXT_BYTES}).
     */
    public static byte[] encode(final String title)
    {
        String shown = title == null ? "" : title;
        byte[] bytes = text(shown);
        while (bytes.length > MAX_TEXT_BYTES)
        {
            shown = shown.substring(0, shown.offsetByCodePoints(shown.length(), -1));
            bytes = text(shown);
        }
        final int blocks = (bytes.length + 15) / 16;
        final byte[] block = new byte[1 + blocks * 16];
        block[0] = (byte)blocks;
        System.arraycopy(bytes, 0, block, 1, bytes.length);
        return block;
    }

    private static byte[] text(final String title)
    {
        return ("StreamTitle='" + title + "';").getBytes(StandardCharsets.UTF_8);
    }
}
