package org.seamcast.it.mesh;

import io.micrometer.core.instrument.FunctionCounter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.seamcast.codec.audio.ChannelMode;
import org.seamcast.codec.audio.MpegVersion;
import org.seamcast.codec.audio.SilenceFrames;
import org.seamcast.codec.protocol.CodecType;
import org.seamcast.codec.protocol.FrameEncoder;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.edge.listener.ListenerServerContext;
import org.seamcast.edge.listener.MountPoint;
import org.seamcast.edge.node.EdgeContext;
import org.seamcast.edge.node.EdgeNode;
import org.seamcast.relay.RelayContext;
import org.seamcast.relay.RelayNode;
import org.seamcast.transport.ByteBufAccess;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.ThreadingMode;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.link.LinkAddress;
import org.seamcast.transport.link.Links;
import org.seamcast.transport.tcp.ConnectionListener;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production relay and edge agents ({@code RelayAgent}, {@code PlayoutAgent}) run with
 * {@link ThreadingMode#INVOKER} on one manual clock and are stepped by this test, on its own thread, over real TCP
 * loopback links: the edge subscribes to relay A and dials relay B for repairs only; a stand-in ingest sends every
 * frame to B and to A all but one. The test proves, end to end and deterministically (the clock moves only when the
 * test moves it; waiting is only for bytes in flight on loopback):
 * <ul>
 *     <li>subscribe: A fans the frames out to the edge, which plays each at its stamp plus D;</li>
 *     <li>retransmit: the frame A never had is found as a gap, asked of both relays once its retransmit delay has
 *     passed on the clock, answered by B alone, and played in its slot;</li>
 *     <li>resume: A restarts on its port and receives frames while the edge is not yet stepped; when it is, its
 *     SUBSCRIBE names the next sequence it needs and A replays exactly those frames from its ring.</li>
 * </ul>
 * The listener hears every frame once, in order, and nothing else.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SteppedMeshTest
{
    private static final MountName MOUNT = MountName.of("/live");
    private static final int ENCODER = 1;
    private static final long FRAME_US = 26_122;
    private static final long PLAYOUT_DELAY_MS = 500;
    private static final long WAIT_FOR_IO_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int LOST_ON_A = 16;
    private static final int FRAMES = 25;

    private final ManualClock clock = new ManualClock(TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()));
    private final long epoch = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime());
    private final long firstStampUs = TimeUnit.NANOSECONDS.toMicros(clock.nanoTime());
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final TransportContext ingestTransport = new TransportContext().nodeName("ingest-stand-in")
        .reconnectInitialDelayNs(TimeUnit.MILLISECONDS.toNanos(10))
        .reconnectMaxDelayNs(TimeUnit.MILLISECONDS.toNanos(100))
        .conclude();
    private RelayNode relayA;
    private RelayNode relayB;
    private EdgeNode edge;
    private MessageLink toA;
    private MessageLink toB;

    @AfterEach
    void close() throws Exception
    {
        for (int i = opened.size() - 1; i >= 0; i--)
        {
            opened.get(i).close();
        }
        ingestTransport.close();
    }

    @Test
    void shouldSubscribeRetransmitAndResumeBetweenTheRealAgentsSteppedOnOneThread() throws Exception
    {
        relayA = open(relay("relay-a", 0));
        relayB = open(relay("relay-b", 0));
        final int portA = relayA.listenPort(0);
        final EdgeContext edgeCtx = new EdgeContext()
            .nodeName("edge-stepped")
            .relay(LinkAddress.parse("tcp://127.0.0.1:" + portA))
            .repair(LinkAddress.parse("tcp://127.0.0.1:" + relayB.listenPort(0)))
            .playoutDelayMs(PLAYOUT_DELAY_MS)
            // every read at once: what is stepped here is the agents, not the links' pace
            .linkPollMs(0)
            .adminAddress(null)
            .threadingMode(ThreadingMode.INVOKER)
            .clock(clock);
        edgeCtx.listeners().bindAddress(new InetSocketAddress("127.0.0.1", 0)).burstBytes(0);
        edgeCtx.transport().reconnectInitialDelayNs(TimeUnit.MILLISECONDS.toNanos(10))
            .reconnectMaxDelayNs(TimeUnit.MILLISECONDS.toNanos(100));
        edge = open(EdgeNode.start(edgeCtx));
        toA = open(dial(portA));
        toB = open(dial(relayB.listenPort(0)));

        stepUntil(() -> subscribers(relayA) == 1 && toA.isConnected() && toB.isConnected(), relayA, relayB, edge);

        send(0, 10, true);
        stepUntil(() -> copies(0) == 10, relayA, relayB, edge);
        final MountPoint mount = edge.listeners().mount(MOUNT.toString());
        try (Socket listener = listen())
        {
            stepUntil(() -> mount.listenerCount() == 1, edge);
            playThrough(9);
            final List<Integer> heard = read(listener.getInputStream(), 10);

            send(10, 20, false);
            stepUntil(() -> copies(0) == 19, relayA, relayB, edge);
            clock.advanceNs(TimeUnit.MILLISECONDS.toNanos(25));
            stepUntil(() -> copies(1) == 1, relayA, relayB, edge);
            assertThat(replayed(relayB, "retransmit")).as("B answers the request for the frame A lacks").isEqualTo(1);
            assertThat(replayed(relayA, "retransmit")).as("A holds nothing to answer with").isZero();
            playThrough(19);
            heard.addAll(read(listener.getInputStream(), 10));

            relayA.close();
            stepUntil(() -> !toA.isConnected() && !edge.links().get(0).isConnected(), relayB);
            relayA = open(relay("relay-a", portA));
            stepUntil(toA::isConnected, relayA, relayB);
            send(20, FRAMES, true);
            stepUntil(() -> accepted(relayA) == FRAMES - 20, relayA, relayB);
            assertThat(mount.framesPublished()).as("the edge was not stepped").isEqualTo(20);

            stepUntil(() -> copies(0) == 19 + FRAMES - 20, relayA, relayB, edge);
            assertThat(replayed(relayA, "resume")).as("A replays from the edge's resume point").isEqualTo(5);
            playThrough(FRAMES - 1);
            heard.addAll(read(listener.getInputStream(), FRAMES - 20));

            assertThat(heard).containsExactlyElementsOf(LongStream.range(0, FRAMES).mapToObj(i -> (int)i).toList());
            assertThat(mount.framesPublished()).isEqualTo(FRAMES);
        }
    }

    private RelayNode relay(final String name, final int port)
    {
        return RelayNode.launch(new RelayContext()
            .nodeName(name)
            .listen(LinkAddress.parse("tcp://127.0.0.1:" + port))
            .threadingMode(ThreadingMode.INVOKER)
            .clock(clock));
    }

    private MessageLink dial(final int port)
    {
        return Links.dial(ingestTransport, LinkAddress.parse("tcp://127.0.0.1:" + port),
            (message, buffer, offset, length, from) -> { }, ConnectionListener.NONE);
    }

    private <T extends AutoCloseable> T open(final T closeable)
    {
        opened.add(closeable);
        return closeable;
    }

    /**
     * Invokes each node's agents in turn until {@code done}; the clock stands still, so what moves is what the
     * loopback links deliver.
     */
    private void stepUntil(final BooleanSupplier done, final Object... nodes)
    {
        final long giveUpNs = System.nanoTime() + WAIT_FOR_IO_NS;
        while (!done.getAsBoolean())
        {
            // the state is read only for a failure's message: a metrics scrape waits up to a second for a status
            // snapshot from the edge's playout agent, which only this thread steps
            assertThat(System.nanoTime() - giveUpNs).as(() -> "still waiting after 10 s; " + state()).isNegative();
            for (final Object node : nodes)
            {
                invoker(node).invoke();
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
    }

    /**
     * What the nodes have done, for a failure's message.
     */
    private String state()
    {
        final StringBuilder state = new StringBuilder();
        for (final String line : edge.registry().scrape().split("\n"))
        {
            if (line.startsWith("seamcast_edge_path_headroom_seconds_count") || line.startsWith("seamcast_edge_events"))
            {
                state.append(line).append("; ");
            }
        }
        for (final RelayNode relay : new RelayNode[] {relayA, relayB})
        {
            state.append(relay.context().nodeName()).append(": subscribers=").append(subscribers(relay))
                .append(" accepted=").append(accepted(relay)).append(" problems=").append(relay.problems())
                .append("; ");
        }
        return state.toString();
    }

    private static AgentInvoker invoker(final Object node)
    {
        return node instanceof RelayNode relay ? relay.invoker() : ((EdgeNode)node).invoker();
    }

    /**
     * Moves the clock a millisecond at a time to the deadline of frame {@code last}, stepping the edge at each.
     */
    private void playThrough(final int last)
    {
        final long deadlineNs = TimeUnit.MICROSECONDS.toNanos(stampUs(last))
            + TimeUnit.MILLISECONDS.toNanos(PLAYOUT_DELAY_MS);
        while (clock.nanoTime() < deadlineNs)
        {
            clock.advanceNs(Math.min(TimeUnit.MILLISECONDS.toNanos(1), deadlineNs - clock.nanoTime()));
            edge.invoker().invoke();
        }
        stepUntil(() -> edge.listeners().mount(MOUNT.toString()).framesPublished() == last + 1, edge);
    }

    private long stampUs(final int sequence)
    {
        return firstStampUs + sequence * FRAME_US;
    }

    private void send(final int first, final int end, final boolean toBoth)
    {
        for (int sequence = first; sequence < end; sequence++)
        {
            if (toBoth || sequence != LOST_ON_A)
            {
                assertThat(toA.offer(frame(sequence))).isTrue();
            }
            assertThat(toB.offer(frame(sequence))).isTrue();
        }
        toA.flush();
        toB.flush();
    }

    private ByteBuf frame(final int sequence)
    {
        final byte[] payload = payload(sequence);
        final ByteBuf message = Unpooled.directBuffer(1024);
        final int length = new FrameEncoder()
            .wrap(ByteBufAccess.wrap(new UnsafeBuffer(0, 0), message, 0, message.capacity()), 0, MOUNT)
            .encoderId(ENCODER).priority(0).epoch(epoch).sequence(sequence).timestampUs(stampUs(sequence))
            .codec(CodecType.MP3).sampleRate(44_100).samplesInFrame(1152).cleanSwitch(true)
            .payload(payload, 0, payload.length)
            .finish(null);
        return message.writerIndex(length);
    }

    /**
     * A silent MP3 frame whose bytes past its side information tell the sequence apart.
     */
    private static byte[] payload(final int sequence)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final int length = SilenceFrames.writeMp3(MpegVersion.MPEG_1, 44_100, ChannelMode.STEREO, 128, buffer, 0);
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        Arrays.fill(frame, 40, frame.length, (byte)sequence);
        return frame;
    }

    private Socket listen() throws IOException
    {
        final Socket socket = new Socket("127.0.0.1", edge.listenerAddress().getPort());
        socket.setSoTimeout((int)TimeUnit.NANOSECONDS.toMillis(WAIT_FOR_IO_NS));
        socket.getOutputStream().write(("GET " + MOUNT + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        final InputStream in = socket.getInputStream();
        final StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n"))
        {
            head.append((char)in.read());
        }
        assertThat(head.toString()).startsWith("HTTP/1.0 200 OK");
        return socket;
    }

    /**
     * Reads {@code count} frames and names each by its sequence.
     */
    private static List<Integer> read(final InputStream in, final int count) throws IOException
    {
        final Map<String, Integer> known = new HashMap<>();
        for (int sequence = 0; sequence < FRAMES; sequence++)
        {
            known.put(Arrays.toString(payload(sequence)), sequence);
        }
        final int length = payload(0).length;
        final List<Integer> heard = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final Integer sequence = known.get(Arrays.toString(in.readNBytes(length)));
            assertThat(sequence).as("a test frame after %s", heard).isNotNull();
            heard.add(sequence);
        }
        return heard;
    }

    /**
     * Copies the edge has taken from path {@code pathId} (first copies, duplicates and late ones).
     */
    private long copies(final int pathId)
    {
        final String series = "seamcast_edge_path_headroom_seconds_count{";
        final String path = "path=\"" + pathId + "\"}";
        for (final String line : edge.registry().scrape().split("\n"))
        {
            if (line.startsWith(series) && line.contains(path))
            {
                return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static long subscribers(final RelayNode relay)
    {
        return (long)relay.context().registry().get("seamcast.relay.subscribers").gauge().value();
    }

    private static long accepted(final RelayNode relay)
    {
        final FunctionCounter accepted =
            relay.context().registry().find("seamcast.relay.frames.accepted").functionCounter();
        return accepted == null ? 0 : (long)accepted.count();
    }

    private static long replayed(final RelayNode relay, final String reason)
    {
        return (long)relay.context().registry().get("seamcast.relay.frames.replayed").tag("reason", reason)
            .counter().count();
    }

    /**
     * Wall-clock time in ns since the Unix epoch that moves only when the test moves it; read from any thread.
     */
    private static final class ManualClock implements EpochNanoClock
    {
        private volatile long nowNs;

        ManualClock(final long startNs)
        {
            nowNs = startNs;
        }

        @Override
        public long nanoTime()
        {
            return nowNs;
        }

        void advanceNs(final long ns)
        {
            nowNs += ns;
        }
    }
}
