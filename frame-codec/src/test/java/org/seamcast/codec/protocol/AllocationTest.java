package org.seamcast.codec.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-frame path (encode, sign, decode, verify, read fields) allocates nothing once warm.
 */
class AllocationTest
{
    private static final int ITERATIONS = 20_000;

    private final MountName mount = MountName.of("/live.mp3");
    private final MessageAuthenticator authenticator = Keyring.of(1, TestMessages.key(1)).newAuthenticator();
    private final FrameEncoder encoder = new FrameEncoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final NodeName node = NodeName.of("relay-1");
    private final MessageDecoder decoder = new MessageDecoder(authenticator);
    private final UnsafeBuffer heap = new UnsafeBuffer(new byte[Protocol.MAX_FRAME_MESSAGE_LENGTH]);
    private final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(Protocol.MAX_FRAME_MESSAGE_LENGTH));
    private final UnsafeBuffer audio = new UnsafeBuffer(new byte[417]);

    private long roundTrips(final UnsafeBuffer buffer, final int count)
    {
        long sink = 0;
        for (int i = 0; i < count; i++)
        {
            final int length = encoder.wrap(buffer, 0, mount).encoderId(1).priority(0).epoch(9).sequence(i)
                .timestampUs(i * 26_122L).codec(CodecType.MP3).sampleRate(44_100).samplesInFrame(1152)
                .cleanSwitch(true).payload(audio, 0, audio.capacity()).finish(authenticator);
            if (decoder.decode(buffer, 0, length) == DecodeResult.OK)
            {
                final FrameView frame = decoder.frame();
                sink += frame.sequence() + frame.mountHash() + frame.payloadLength() + frame.durationUs();
            }
            final int heartbeat = heartbeatEncoder.wrap(buffer, 0, node).senderTimeUs(i).heartbeatSequence(i)
                .addStream(mount, 1, 9, i).finish(authenticator);
            if (decoder.decode(buffer, 0, heartbeat) == DecodeResult.OK)
            {
                final StreamPositionCursor streams = decoder.heartbeat().streams();
                while (streams.next())
                {
                    sink += streams.sequence();
                }
            }
        }
        return sink;
    }

    @Test
    void shouldEncodeSignDecodeAndVerifyFramesWithoutAllocating()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        roundTrips(heap, ITERATIONS);
        roundTrips(direct, ITERATIONS);

        final long before = threads.getCurrentThreadAllocatedBytes();
        final long sink = roundTrips(heap, ITERATIONS) + roundTrips(direct, ITERATIONS);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sink).isNotZero();
        assertThat(allocated).as("bytes allocated over %d round trips", 4 * ITERATIONS).isLessThan(65_536); // one object per round trip would be over 1 MB
    }
}
