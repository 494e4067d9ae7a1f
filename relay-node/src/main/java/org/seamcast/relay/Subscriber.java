package org.seamcast.relay;

import org.agrona.DirectBuffer;
import org.agrona.collections.LongHashSet;
import org.seamcast.transport.Peer;

/**
 * A connection that sent SUBSCRIBE: which mounts it wants (all, or a set of mount hashes) and whether it has
 * unflushed messages. Owned by the relay agent; {@link Peer#send} copies the bytes into what the connection's I/O thread writes at the next flush.
 */
final class Subscriber
{
    final int peerId;
    final Peer peer;
    final LongHashSet mountHashes = new LongHashSet();
    boolean allMounts;
    boolean dirty;

    Subscriber(final int peerId, final Peer peer)
    {
        this.peerId = peerId;
        this.peer = peer;
    }

    boolean wants(final long mountHash)
    {
        return allMounts || mountHashes.contains(mountHash);
    }

    /**
     * Sends a copy of one message.
     *
     * @return false when the connection dropped it (back-pressure or gone; counted by the link too).
     */
    boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        dirty = true;
        return peer.send(buffer, offset, length);
    }

    void flushIfDirty()
    {
        if (dirty)
        {
            dirty = false;
            peer.flush();
        }
    }

    @Override
    public String toString()
    {
        return peer.toString();
    }
}
