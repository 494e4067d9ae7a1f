package org.seamcast.relay;

import org.seamcast.codec.protocol.MountName;

/**
 * What the relay holds for one (mount, encoder): which of its streams (epochs) is current, the one candidate that may
 * be proving itself to replace it, and how many streams (current, retired epochs still resumable, candidate) exist.
 * Frames of the current stream are relayed; a candidate's are not until it is promoted.
 *
 * <p>Threading: owned by the relay agent.
 */
final class EncoderLine
{
    final long key;
    final MountName mount;
    final long mountHash;
    final long encoderId;
    final RelayMetrics.StreamMeters meters;
    final StreamCandidate candidate = new StreamCandidate();
    StreamState current;
    int streams;

    EncoderLine(final MountName mount, final long encoderId, final RelayMetrics.StreamMeters meters)
    {
        this.key = key(mount.hash(), encoderId);
        this.mount = mount;
        this.mountHash = mount.hash();
        this.encoderId = encoderId;
        this.meters = meters;
    }

    boolean is(final long mountHash, final long encoderId)
    {
        return this.mountHash == mountHash && this.encoderId == encoderId;
    }

    /**
     * The key of a line in the relay's primitive map; equal keys are confirmed with {@link #is}.
     */
    static long key(final long mountHash, final long encoderId)
    {
        long h = mountHash ^ Long.rotateLeft(encoderId * 0x9E3779B97F4A7C15L, 29);
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }
}
