package org.seamcast.it.fault;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.seamcast.codec.protocol.CodecType;
import org.seamcast.codec.protocol.FrameEncoder;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.it.support.RecordingScore;
import org.seamcast.it.support.ReferenceAudio;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault suite, scenario 7: a hostile sender on the relays' ports while the mesh plays. Unsigned datagrams that
 * forge the live stream (an epoch of 2^62, a sequence of 2^60, a plausible new epoch of the live encoder), a
 * thousand junk streams, garbage, a header claiming more than the protocol allows, truncated messages, and TCP
 * peers that connect and stall. None of it may reach the listener, stall the stream or take the live encoder off
 * the air; every node stays up and counts what it dropped.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class HostileSenderTest
{
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern EPOCH = Pattern.compile("\\{\"id\":1,[^}]*?\"epoch\":(\\d+)");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;

    private FaultMesh mesh;
    private final List<Socket> stalled = new ArrayList<>();

    @AfterEach
    void stop() throws IOException
    {
        for (final Socket socket : stalled)
        {
            socket.close();
        }
        if (mesh != null)
        {
            mesh.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ReferenceAudio.Codec.class)
    void shouldKeepEveryForgedOrBrokenMessageAwayFromTheListener(final ReferenceAudio.Codec codec) throws Exception
    {
        mesh = FaultMesh.start(workDir, FaultMesh.Settings.of(codec), 120);
        mesh.awaitListened(3);
        final Matcher epoch = EPOCH.matcher(mesh.edgeStatus());
        assertThat(epoch.find()).as(mesh.edgeStatus()).isTrue();
        final long liveEpoch = Long.parseLong(epoch.group(1));

        for (int r = 0; r < 2; r++)
        {
            final int port = mesh.relayPort(r);
            stalled.add(connect(port));
            final Socket partial = connect(port);
            partial.getOutputStream().write(new byte[]{ 'S', 'C', 1 });
            stalled.add(partial);
            sendTcp(port, garbage(4096));
            sendTcp(port, new byte[]{ 'S', 'C', 1, 1, 0, 0, (byte)0xFF, (byte)0xFF });
            try (DatagramSocket udp = new DatagramSocket())
            {
                final InetAddress relay = InetAddress.getLoopbackAddress();
                for (int n = 0; n < 50; n++)
                {
                    datagram(udp, relay, port, frame(1, 0, 1L << 62, n, codec));
                    datagram(udp, relay, port, frame(1, 0, liveEpoch, (1L << 60) + n, codec));
                    datagram(udp, relay, port, frame(1, 0, liveEpoch + 1, n, codec));
                    datagram(udp, relay, port, garbage(1 + RANDOM.nextInt(1400)));
                }
                for (int s = 0; s < 1024; s++)
                {
                    datagram(udp, relay, port, frame(100 + s, 5, RANDOM.nextLong() & Long.MAX_VALUE, 0, codec));
                }
                final byte[] truncated = frame(1, 0, liveEpoch, 5, codec);
                datagram(udp, relay, port, java.util.Arrays.copyOf(truncated, truncated.length / 2));
            }
            mesh.awaitListened(2);
        }
        mesh.awaitListened(6);

        final RecordingScore.Score score = mesh.finish();
        final String decodeErrors = mesh.decodeErrors(score);
        FailoverReport.row("hostile sender on both relays' ports", mesh, score, "-", mesh.endToEndDelayMs(score),
            decodeErrors);
        assertThat(mesh.listener().droppedBecause()).as("the Icecast listener's connection").isNull();
        assertThat(score.missingFrames()).as(score.toString()).isZero();
        assertThat(score.repeatedFrames()).as(score.toString()).isZero();
        assertThat(score.foreignFrames()).as(score.toString()).isZero();
        assertThat(mesh.edgeEventCount("SWITCH")).isZero();
        assertThat(mesh.edgeEventCount("EPOCH_CHANGE")).isZero();
        assertThat(mesh.edgeStatus()).contains("\"activeEncoder\":1,").contains("\"epoch\":" + liveEpoch);
        assertThat(decodeErrors).isEmpty();
        for (int r = 0; r < 2; r++)
        {
            assertThat(mesh.relay(r).isAlive()).isTrue();
            assertThat(mesh.relayMetrics(r)).containsPattern("seamcast_link_drops_total\\{[^}]*\\} [1-9]");
        }
    }

    private static byte[] frame(final long encoderId, final int priority, final long epoch, final long sequence,
        final ReferenceAudio.Codec codec)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1400]);
        final byte[] payload = garbage(300);
        final int length = new FrameEncoder().wrap(buffer, 0, MountName.of(FaultMesh.MOUNT))
            .encoderId(encoderId).priority(priority).epoch(epoch).sequence(sequence)
            .timestampUs(System.currentTimeMillis() * 1000)
            .codec(codec == ReferenceAudio.Codec.MP3 ? CodecType.MP3 : CodecType.ADTS).sampleRate(44_100)
            .samplesInFrame(codec == ReferenceAudio.Codec.MP3 ? 1152 : 1024).cleanSwitch(true)
            .payload(payload, 0, payload.length)
            .finish(null);
        return java.util.Arrays.copyOf(buffer.byteArray(), length);
    }

    private static byte[] garbage(final int length)
    {
        final byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static void datagram(final DatagramSocket socket, final InetAddress host, final int port, final byte[] bytes)
        throws IOException
    {
        socket.send(new DatagramPacket(bytes, bytes.length, host, port));
    }

    private static Socket connect(final int port) throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setReceiveBufferSize(1024);
        return socket;
    }

    private static void sendTcp(final int port, final byte[] bytes)
    {
        try (Socket socket = connect(port))
        {
            final OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        }
        catch (final IOException ex)
        {
            // the relay closing a hostile connection mid-write is what it should do
        }
    }
}
