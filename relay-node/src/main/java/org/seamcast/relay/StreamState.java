package org.seamcast.relay;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.relay.ring.ReplayRing;
import org.seamcast.relay.ring.SequenceWindow;
import org.seamcast.transport.metrics.OwnedCounter;

/**
 * What the relay holds for one stream (mount, encoder, epoch): the dedup window, the replay ring, and the latest
 * ANNOUNCE and METADATA so a new subscriber learns the stream before its first frame; which source opened it (for
 * that source's share of the table) and whether it has ever been its {@link EncoderLine}'s current stream (only
 * proven streams are announced, resumed and retransmitted). Owned by the relay agent.
 */
final class StreamState
{
    final long key;
    final MountName mount;
    final long mountHash;
    final long encoderId;
    final long epoch;
    final EncoderLine line;
    final int sourceId;
    final boolean countedForSource;
    final SequenceWindow window = new SequenceWindow();
    final ReplayRing ring;
    final RelayMetrics.StreamMeters meters;
    /** The line's count of first copies, held here so a frame's increment does not go through {@link #meters}. */
    final OwnedCounter accepted;
    final LatestMessage announce = new LatestMessage();
    final LatestMessage metadata = new LatestMessage();
    long metadataTimestampUs = Long.MIN_VALUE;
    long lastMessageNs;
    long lastFrameNs;
    boolean proven;

    StreamState(
        final long key,
        final EncoderLine line,
        final long epoch,
        final ReplayRing ring,
        final int sourceId,
        final boolean countedForSource)
    {
        this.key = key;
        this.line = line;
        this.mount = line.mount;
        this.mountHash = line.mountHash;
        this.encoderId = line.encoderId;
        this.epoch = epoch;
        this.ring = ring;
        this.meters = line.meters;
        this.accepted = line.meters.accepted();
        this.sourceId = sourceId;
        this.countedForSource = countedForSource;
    }

    boolean is(final long mountHash, final long encoderId, final long epoch)
    {
        return this.mountHash == mountHash && this.encoderId == encoderId && this.epoch == epoch;
    }

    /**
     * The key of a stream in the relay's primitive map: its mount hash, encoder id and epoch mixed into 64 bits.
     * Equal keys are confirmed with {@link #is}.
     */
    static long key(final long mountHash, final long encoderId, final long epoch)
    {
        long h = mountHash ^ Long.rotateLeft(encoderId * 0x9E3779B97F4A7C15L, 17);
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L;
        h ^= epoch * 0x94D049BB133111EBL;
        h = (h ^ (h >>> 29)) * 0xC2B2AE3D27D4EB4FL;
        return h ^ (h >>> 32);
    }

    /**
     * A copy of the latest control message of one kind, and when it was last forwarded, so an unchanged repeat is
     * forwarded at most once per interval however many paths and tiers it arrives over.
     */
    static final class LatestMessage
    {
        private final UnsafeBuffer bytes = new UnsafeBuffer(new byte[0]);
        private int length;
        long forwardedNs;

        boolean isEmpty()
        {
            return length == 0;
        }

        boolean equalsMessage(final DirectBuffer buffer, final int offset, final int length)
        {
            if (this.length != length)
            {
                return false;
            }
            for (int i = 0; i < length; i++)
            {
                if (bytes.getByte(i) != buffer.getByte(offset + i))
                {
                    return false;
                }
            }
            return true;
        }

        void store(final DirectBuffer buffer, final int offset, final int length)
        {
            if (bytes.capacity() < length)
            {
                bytes.wrap(new byte[Math.max(length, 256)]);
            }
            bytes.putBytes(0, buffer, offset, length);
            this.length = length;
        }

        DirectBuffer buffer()
        {
            return bytes;
        }

        int length()
        {
            return length;
        }
    }
}
