package org.seamcast.edge.engine;

/**
 * How an encoder's timestamp offset onto the mount timeline was found, for status and metrics.
 */
public enum OffsetSource
{
    /** No offset: the encoder is the reference, or nothing has been learned or set yet. */
    NONE,
    /** Learned from byte-identical frames (matching payload hashes): exact. */
    HASH,
    /** Learned by cross-correlating the loudness envelopes of encoders that share no bytes: within one frame. */
    ENVELOPE,
    /** Set by the operator ({@code --encoder-offset}). */
    OPERATOR
}
