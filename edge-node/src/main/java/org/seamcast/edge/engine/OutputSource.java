package org.seamcast.edge.engine;

/**
 * Where a played-out frame came from.
 */
public enum OutputSource
{
    /** A frame received from an encoder. */
    ENCODER,
    /** A frame from the {@link FallbackFrameSource} because no encoder had audio for the slot. */
    FALLBACK
}
