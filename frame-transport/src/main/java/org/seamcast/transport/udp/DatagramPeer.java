package org.seamcast.transport.udp;

import org.agrona.DirectBuffer;
import org.seamcast.transport.DropReason;
import org.seamcast.transport.LinkMetrics;
import org.seamcast.transport.Peer;

/**
 * The sender of a datagram (UDP or Aeron), named by its address. Datagram receivers are one-way: answers go over
 * a TCP link, so {@link #send} drops and counts {@link DropReason#NOT_CONNECTED}.
 */
public final class DatagramPeer implements Peer
{
    private final String name;
    private final String path;
    private final LinkMetrics metrics;

    /**
     * @param name    the sender's address, e.g. {@code 10.0.0.5:40123}.
     * @param path    the receiving endpoint's URL.
     * @param metrics where refused answers are counted.
     */
    public DatagramPeer(final String name, final String path, final LinkMetrics metrics)
    {
        this.name = name;
        this.path = path;
        this.metrics = metrics;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public String path()
    {
        return path;
    }

    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        metrics.dropped(DropReason.NOT_CONNECTED);
        return false;
    }

    @Override
    public void flush()
    {
    }

    /**
     * Nothing to close: the sender is not connected to this node.
     */
    @Override
    public void close()
    {
    }

    @Override
    public String toString()
    {
        return name + " on " + path;
    }
}
