package org.seamcast.codec.audio;

/**
 * Receives ICY metadata from an {@link IcyDeinterleaver} each time a block differs from the previous one.
 */
@FunctionalInterface
public interface IcyMetadataHandler
{
    /**
     * @param streamTitle the {@code StreamTitle} value, or null when the block has none.
     * @param streamUrl   the {@code StreamUrl} value, or null when the block has none.
     */
    void onMetadata(String streamTitle, String streamUrl);
}
