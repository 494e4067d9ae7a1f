package org.seamcast.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.protocol.AnnounceEncoder;
import org.seamcast.codec.protocol.CodecType;
import org.seamcast.codec.protocol.FrameEncoder;
import org.seamcast.codec.protocol.HeartbeatEncoder;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.codec.protocol.MessageAuthenticator;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.RetransmitRequestEncoder;
import org.seamcast.codec.protocol.SubscribeEncoder;
import org.seamcast.transport.ByteBufAccess;

/**
 * Encoded protocol messages for relay tests.
 */
final class TestFrames
{
    static final MountName LIVE = MountName.of("/live");
    static final long ENCODER_ID = 1;
    static final long EPOCH = 42;

    private TestFrames()
    {
    }

    static ByteBuf frame(final MountName mount, final long sequence, final int payloadLength,
        final MessageAuthenticator signer)
    {
        return frame(mount, EPOCH, sequence, nowUs(), payloadLength, signer);
    }

    /**
     * A FRAME of the test encoder with every field a hostile or restarted sender might choose.
     */
    static ByteBuf frame(final MountName mount, final long epoch, final long sequence, final long timestampUs,
        final int payloadLength, final MessageAuthenticator signer)
    {
        final byte[] payload = new byte[payloadLength];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)(sequence + i);
        }
        final ByteBuf buf = Unpooled.directBuffer(payloadLength + 512);
        final int length = new FrameEncoder()
            .wrap(view(buf), 0, mount)
            .encoderId(ENCODER_ID).priority(0).epoch(epoch).sequence(sequence)
            .timestampUs(timestampUs)
            .codec(CodecType.MP3).sampleRate(44_100).samplesInFrame(1152).cleanSwitch(true)
            .payload(payload, 0, payload.length)
            .finish(signer);
        buf.writerIndex(length);
        return buf;
    }

    /**
     * The wall clock in microseconds: frames are stamped as they are made, as a live ingest stamps them.
     */
    static long nowUs()
    {
        return System.currentTimeMillis() * 1000L;
    }

    static ByteBuf frame(final long sequence)
    {
        return frame(LIVE, sequence, 200, null);
    }

    static ByteBuf heartbeat(final String node, final MountName mount, final long lastSequence)
    {
        final ByteBuf buf = Unpooled.directBuffer(2048);
        final int length = new HeartbeatEncoder()
            .wrap(view(buf), 0, NodeName.of(node))
            .senderTimeUs(System.currentTimeMillis() * 1000L).heartbeatSequence(lastSequence)
            .addStream(mount, ENCODER_ID, EPOCH, lastSequence)
            .finish(null);
        buf.writerIndex(length);
        return buf;
    }

    static ByteBuf announce(final MountName mount, final MessageAuthenticator signer)
    {
        final ByteBuf buf = Unpooled.directBuffer(2048);
        final int length = new AnnounceEncoder()
            .wrap(view(buf), 0, mount)
            .encoderId(ENCODER_ID).epoch(EPOCH).priority(0).codec(CodecType.MP3).sampleRate(44_100).channels(2)
            .contentType("audio/mpeg").icyName("Test FM")
            .finish(signer);
        buf.writerIndex(length);
        return buf;
    }

    /**
     * A SUBSCRIBE for {@code mounts} (none = all), resuming {@code mount}'s test stream at {@code nextSequence}
     * when it is not negative.
     */
    static ByteBuf subscribe(final long nextSequence, final MessageAuthenticator signer, final MountName... mounts)
    {
        final ByteBuf buf = Unpooled.directBuffer(4096);
        final SubscribeEncoder encoder = new SubscribeEncoder().wrap(view(buf), 0);
        for (final MountName mount : mounts)
        {
            encoder.addMount(mount);
        }
        if (nextSequence >= 0)
        {
            encoder.addResumePoint(mounts.length > 0 ? mounts[0] : LIVE, ENCODER_ID, EPOCH, nextSequence);
        }
        buf.writerIndex(encoder.finish(signer));
        return buf;
    }

    static ByteBuf retransmit(final MountName mount, final long[] firstSequences, final int[] counts)
    {
        return retransmit(mount, EPOCH, firstSequences, counts);
    }

    static ByteBuf retransmit(final MountName mount, final long epoch, final long[] firstSequences,
        final int[] counts)
    {
        final ByteBuf buf = Unpooled.directBuffer(2048);
        final RetransmitRequestEncoder encoder = new RetransmitRequestEncoder().wrap(view(buf), 0, mount)
            .encoderId(ENCODER_ID).epoch(epoch);
        for (int i = 0; i < firstSequences.length; i++)
        {
            encoder.addRange(firstSequences[i], counts[i]);
        }
        buf.writerIndex(encoder.finish(null));
        return buf;
    }

    /**
     * A SUBSCRIBE for {@code mount} with one resume point per epoch: {@code epochsAndNext} holds pairs of
     * (epoch, next sequence wanted).
     */
    static ByteBuf subscribeResuming(final MountName mount, final long... epochsAndNext)
    {
        final ByteBuf buf = Unpooled.directBuffer(4096);
        final SubscribeEncoder encoder = new SubscribeEncoder().wrap(view(buf), 0).addMount(mount);
        for (int i = 0; i < epochsAndNext.length; i += 2)
        {
            encoder.addResumePoint(mount, ENCODER_ID, epochsAndNext[i], epochsAndNext[i + 1]);
        }
        buf.writerIndex(encoder.finish(null));
        return buf;
    }

    static UnsafeBuffer view(final ByteBuf buf)
    {
        return ByteBufAccess.wrap(new UnsafeBuffer(0, 0), buf, 0, buf.capacity());
    }
}
