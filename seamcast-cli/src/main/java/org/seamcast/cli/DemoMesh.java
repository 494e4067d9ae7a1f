package org.seamcast.cli;

import org.seamcast.edge.node.EdgeContext;
import org.seamcast.edge.node.EdgeNode;
import org.seamcast.ingest.IngestContext;
import org.seamcast.ingest.IngestNode;
import org.seamcast.relay.RelayContext;
import org.seamcast.relay.RelayNode;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.link.LinkAddress;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole Seamcast mesh in one process, for the demo: two encoders playing the bundled recording, two ingests
 * (primary and backup), two relays fed over different transports (TCP to one, UDP to the other), one edge
 * subscribed to both and serving listeners. Every node is the real one; any can be killed and restarted.
 */
final class DemoMesh implements AutoCloseable
{
    static final String MOUNT = "/live";
    static final String SOURCE_PASSWORD = "demo-source";
    static final long FRAME_NS = 1152L * 1_000_000_000L / 44_100L;

    private final List<byte[]> frames;
    private final InetSocketAddress listenAddress;
    private final InetSocketAddress adminAddress;
    private final long playoutDelayMs;
    private final long holdTimeMs;
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress("127.0.0.1", 0);

    private final RelayNode[] relays = new RelayNode[2];
    private final LinkAddress[] relayTcp = new LinkAddress[2];
    private final LinkAddress[] relayUdp = new LinkAddress[2];
    private final IngestNode[] ingests = new IngestNode[2];
    private final LiveFileEncoder[] encoders = new LiveFileEncoder[2];
    private EdgeNode edge;

    DemoMesh(final InetSocketAddress listenAddress, final InetSocketAddress adminAddress, final long playoutDelayMs,
        final long holdTimeMs)
    {
        this.frames = LiveFileEncoder.framesOf(bundledRecording());
        this.listenAddress = listenAddress;
        this.adminAddress = adminAddress;
        this.playoutDelayMs = playoutDelayMs;
        this.holdTimeMs = holdTimeMs;
    }

    static byte[] bundledRecording()
    {
        try (InputStream in = DemoMesh.class.getResourceAsStream("/demo/seamcast-demo.mp3"))
        {
            if (in == null)
            {
                throw new IllegalStateException("the bundled demo recording is missing from the jar");
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    List<byte[]> frames()
    {
        return frames;
    }

    /**
     * Starts relays, ingests, encoders and the edge, in the order data flows backwards from the listener.
     */
    void start()
    {
        for (int i = 0; i < 2; i++)
        {
            startRelay(i, "tcp://127.0.0.1:0", "udp://127.0.0.1:0");
        }
        for (int i = 0; i < 2; i++)
        {
            startIngest(i);
            startEncoder(i);
        }
        final EdgeContext ctx = new EdgeContext()
            .nodeName("edge")
            .playoutDelayMs(playoutDelayMs)
            .holdTimeMs(holdTimeMs)
            .adminAddress(adminAddress)
            .relay(relayTcp[0])
            .relay(relayTcp[1]);
        ctx.listeners().bindAddress(listenAddress).serverName("Seamcast/" + SeamcastCommand.version());
        edge = EdgeNode.start(ctx);
    }

    private void startRelay(final int i, final String tcp, final String udp)
    {
        final RelayContext ctx = new RelayContext()
            .nodeName("relay-" + (i + 1))
            .adminAddress(ANY_LOOPBACK_PORT)
            .listen(LinkAddress.parse(tcp))
            .listen(LinkAddress.parse(udp));
        relays[i] = RelayNode.launch(ctx);
        relayTcp[i] = LinkAddress.parse("tcp://127.0.0.1:" + relays[i].listenPort(0));
        relayUdp[i] = LinkAddress.parse("udp://127.0.0.1:" + relays[i].listenPort(1));
    }

    private void startIngest(final int i)
    {
        ingests[i] = IngestNode.launch(new IngestContext()
            .nodeName(i == 0 ? "ingest-a" : "ingest-b")
            .encoderId(i + 1)
            .priority(i)
            .sourcePassword(SOURCE_PASSWORD)
            .sourceListenAddress(ANY_LOOPBACK_PORT)
            .adminAddress(ANY_LOOPBACK_PORT)
            .relay(relayTcp[0])
            .relay(relayUdp[1]));
    }

    private void startEncoder(final int i)
    {
        encoders[i] = new LiveFileEncoder(i == 0 ? "studio-a" : "studio-b", frames, FRAME_NS,
            ingests[i].sourceAddress(), MOUNT, SOURCE_PASSWORD);
        encoders[i].start();
    }

    void killRelay(final int i)
    {
        relays[i].close();
        relays[i] = null;
    }

    /**
     * Starts a killed relay again on the ports it had, so the links that knew it reconnect by themselves.
     */
    void restartRelay(final int i)
    {
        startRelay(i, relayTcp[i].toString(), relayUdp[i].toString());
    }

    void killEncoder(final int i)
    {
        encoders[i].close();
    }

    void restartEncoder(final int i)
    {
        startEncoder(i);
    }

    boolean relayAlive(final int i)
    {
        return relays[i] != null;
    }

    boolean encoderAlive(final int i)
    {
        return encoders[i] != null && encoders[i].isRunning();
    }

    /**
     * The address the edge subscribes to relay {@code i} on: the edge's path {@code i}.
     */
    LinkAddress relayAddress(final int i)
    {
        return relayTcp[i];
    }

    /**
     * @return each running node's name and admin address ({@code /metrics}, {@code /health}), relays and ingests
     * first, the edge last.
     */
    java.util.Map<String, InetSocketAddress> adminAddresses()
    {
        final java.util.Map<String, InetSocketAddress> addresses = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 2; i++)
        {
            if (relays[i] != null)
            {
                addresses.put("relay-" + (i + 1), relays[i].adminAddress());
            }
        }
        for (int i = 0; i < 2; i++)
        {
            if (ingests[i] != null)
            {
                addresses.put(i == 0 ? "ingest-a" : "ingest-b", ingests[i].adminAddress());
            }
        }
        if (edge != null && edge.adminAddress() != null)
        {
            addresses.put("edge", edge.adminAddress());
        }
        return addresses;
    }

    EdgeNode edge()
    {
        return edge;
    }

    List<MessageLink> edgeLinks()
    {
        return edge.links();
    }

    @Override
    public void close()
    {
        final List<AutoCloseable> all = new ArrayList<>();
        all.add(edge);
        for (int i = 0; i < 2; i++)
        {
            all.add(encoders[i]);
            all.add(ingests[i]);
        }
        for (int i = 0; i < 2; i++)
        {
            all.add(relays[i]);
        }
        for (final AutoCloseable closeable : all)
        {
            if (closeable != null)
            {
                try
                {
                    closeable.close();
                }
                catch (final Exception ex)
                {
                    System.err.println("demo: error closing " + closeable + ": " + ex);
                }
            }
        }
    }
}
