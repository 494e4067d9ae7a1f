package org.seamcast.edge.listener;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.seamcast.edge.listener.TestStream.FRAME_BYTES;
import static org.seamcast.edge.listener.TestStream.MP3;

/**
 * What real listeners of a {@link ListenerServer} receive through the mount's queue: the burst and live frames
 * joined without a gap or a repeat, whenever they attach, and live frames of any size intact.
 */
class MountPointListenersTest
{
    private static final int BURST_FRAMES = 20;

    private final List<Socket> sockets = new ArrayList<>();
    private ListenerServer server;

    @AfterEach
    void stop() throws IOException
    {
        for (final Socket socket : sockets)
        {
            socket.close();
        }
        if (server != null)
        {
            server.close();
        }
    }

    @Test
    void shouldGiveAListenerAttachingWhileFramesArePublishedTheBurstThenLiveFramesWithoutGapOrRepeat()
        throws Exception
    {
        start(new ListenerServerContext().burstBytes(BURST_FRAMES * FRAME_BYTES));
        for (int attempt = 0; attempt < 6; attempt++)
        {
            final String name = "/race" + attempt;
            final MountPoint mount = server.openMount(name, MP3);
            final Publisher publisher = new Publisher(mount, 30);
            publisher.start();
            final int publishedBeforeConnecting = attempt * 8;
            await().atMost(Duration.ofSeconds(10)).until(() -> mount.framesPublished() >= publishedBeforeConnecting);

            final long publishedBefore = mount.framesPublished();
            final InputStream listener = connect("GET " + name + " HTTP/1.0\r\n\r\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> mount.listenerCount() == 1);
            final long publishedAfterAttach = mount.framesPublished();
            publisher.join(10_000);
            assertThat(publisher.isAlive()).isFalse();

            final byte[] firstFrame = listener.readNBytes(FRAME_BYTES);
            final int first = indexOf(firstFrame);
            assertThat(firstFrame).as("attempt %d: frame %d", attempt, first).isEqualTo(frame(first));
            assertThat((long)first).as("attempt %d: the burst is the %d frames before the attach", attempt,
                BURST_FRAMES).isBetween(
                    Math.max(0, publishedBefore - 1 - BURST_FRAMES), Math.max(0, publishedAfterAttach - BURST_FRAMES));
            for (int i = first + 1; i < publisher.published; i++)
            {
                final byte[] next = listener.readNBytes(FRAME_BYTES);
                assertThat(next).as("attempt %d: after frame %d, got frame %d", attempt, i - 1, indexOf(next))
                    .isEqualTo(frame(i));
            }
            assertThat(mount.framesDroppedBehind()).isZero();
        }
    }

    @Test
    void shouldDeliverLiveFramesOfEverySizeInOrderAndByteIdentical() throws Exception
    {
        start(new ListenerServerContext().burstBytes(0).maxQueuedBytes(4 << 20));
        final MountPoint mount = server.openMount("/live", MP3);
        final InputStream listener = connect("GET /live HTTP/1.0\r\n\r\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> mount.listenerCount() == 1);
        final int[] sizes = {1, 100, FRAME_BYTES, 1044, MountPoint.FLUSH_BYTES - 1, MountPoint.FLUSH_BYTES, 5000, 7};
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();

        for (int i = 0; i < 120; i++)
        {
            final byte[] frame = new byte[sizes[i % sizes.length]];
            for (int j = 0; j < frame.length; j++)
            {
                frame[j] = (byte)(i * 131 + j * 7);
            }
            final byte[] padded = new byte[frame.length + 5];
            System.arraycopy(frame, 0, padded, 3, frame.length);
            mount.publish(new UnsafeBuffer(padded), 3, frame.length);
            expected.writeBytes(frame);
        }

        assertThat(listener.readNBytes(expected.size())).isEqualTo(expected.toByteArray());
        assertThat(mount.framesDroppedBehind()).isZero();
        assertThat(mount.bytesPublished()).isEqualTo(expected.size());
    }

    /** Publishes numbered frames, paced like a fast playout thread, until a listener is attached and a few more. */
    private static final class Publisher extends Thread
    {
        private final MountPoint mount;
        private final int framesAfterAttach;
        volatile int published;

        Publisher(final MountPoint mount, final int framesAfterAttach)
        {
            super("test-playout");
            this.mount = mount;
            this.framesAfterAttach = framesAfterAttach;
        }

        @Override
        public void run()
        {
            int remainingAfterAttach = framesAfterAttach;
            int index = 0;
            while (remainingAfterAttach > 0)
            {
                mount.publish(new UnsafeBuffer(frame(index)), 0, FRAME_BYTES);
                published = ++index;
                if (mount.listenerCount() > 0)
                {
                    remainingAfterAttach--;
                }
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500));
            }
        }
    }

    private void start(final ListenerServerContext ctx)
    {
        server = ListenerServer.start(ctx.bindAddress(new InetSocketAddress("127.0.0.1", 0)).conclude());
    }

    /** Frame {@code index}: its number, then a pattern of it. */
    private static int indexOf(final byte[] frame)
    {
        return ByteBuffer.wrap(frame).getInt(0);
    }

    /** Sends the request and returns the body, past the status line and headers. */
    private InputStream connect(final String request) throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(server.localAddress(), 5_000);
        socket.setSoTimeout(10_000);
        sockets.add(socket);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        final InputStream in = socket.getInputStream();
        int lineLength = 0;
        int b;
        while ((b = in.read()) != -1)
        {
            if (b == '\n')
            {
                if (lineLength == 0)
                {
                    return in;
                }
                lineLength = 0;
            }
            else if (b != '\r')
            {
                lineLength++;
            }
        }
        throw new IOException("closed before the end of the response header");
    }

    /**
     * A frame whose first four bytes are its number, so a listener's bytes can be cut back into numbered frames.
     */
    private static byte[] frame(final int index)
    {
        final byte[] frame = new byte[FRAME_BYTES];
        for (int i = 0; i < FRAME_BYTES; i++)
        {
            frame[i] = (byte)(index * 31 + i);
        }
        ByteBuffer.wrap(frame).putInt(0, index);
        return frame;
    }
}
