package org.seamcast.relay;

import io.netty.buffer.ByteBuf;
import org.agrona.collections.LongHashSet;
import org.seamcast.transport.Peer;

/**
 * A connection that sent SUBSCRIBE: which mounts it wants (all, or a set of mount hashes) and whether it has
 * unflushed messages. Owned by the relay agent; {@link Peer#send} hands the bytes to the connection's I/O thread.
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
     * Sends one message, taking one reference of it.
     *
     * @return false when the connection dropped it (back-pressure or gone; counted by the link too).
     */
    boolean send(final ByteBuf message)
    {
        dirty = true;
        return peer.send(message);
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
