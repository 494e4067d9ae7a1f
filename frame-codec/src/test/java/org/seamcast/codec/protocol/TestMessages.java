package org.seamcast.codec.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Shared generators and helpers for the protocol tests.
 */
final class TestMessages
{
    static final int[] MP3_RATES = { 8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000 };
    static final int[] ADTS_RATES =
        { 7_350, 8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000, 64_000, 88_200, 96_000 };
    static final int[] MP3_SAMPLES = { 384, 576, 1152 };
    static final int[] ADTS_SAMPLES = { 1024, 2048, 3072, 4096 };

    record Position(MountName mount, long encoderId, long epoch, long sequence)
    {
    }

    private TestMessages()
    {
    }

    static byte[] key(final int seed)
    {
        final byte[] key = new byte[32];
        Arrays.fill(key, (byte)seed);
        key[0] = (byte)(seed * 31 + 7);
        return key;
    }

    static Arbitrary<MountName> mounts()
    {
        final Arbitrary<Character> allowed = Arbitraries.chars().range('!', '~').filter(c -> c != '?' && c != '#');
        return allowed.list().ofMinSize(1).ofMaxSize(254)
            .map(chars ->
            {
                final StringBuilder sb = new StringBuilder("/");
                chars.forEach(sb::append);
                return MountName.of(sb.toString());
            })
            .edgeCases(config -> config.add(MountName.of("/a")));
    }

    static Arbitrary<NodeName> nodeNames()
    {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('.', '_', ':', '-')
            .ofMinLength(1).ofMaxLength(Protocol.MAX_NODE_NAME_LENGTH).map(NodeName::of);
    }

    /** Strings of at most maxBytes UTF-8 bytes with no control characters, some of them multi-byte. */
    static Arbitrary<String> texts(final int maxBytes)
    {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('\u00e9', '\u00fc', '\u65e5', '\u266a')
            .ofMaxLength(maxBytes / 3);
    }

    static Arbitrary<Long> u32()
    {
        return Arbitraries.longs().between(0, 0xFFFF_FFFFL);
    }

    static Arbitrary<Long> sequences()
    {
        return Arbitraries.longs().between(0, Long.MAX_VALUE);
    }

    static Arbitrary<Position> positions()
    {
        return Combinators.combine(mounts(), u32(), Arbitraries.longs(), sequences()).as(Position::new);
    }

    /** Recomputes the CRC32C trailer after a test has patched bytes, as a forger without a key could. */
    static void reseal(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length - Protocol.CRC_LENGTH];
        buffer.getBytes(offset, bytes);
        final CRC32C crc = new CRC32C();
        crc.update(bytes);
        buffer.putInt(offset + length - Protocol.CRC_LENGTH, (int)crc.getValue(), ByteOrder.LITTLE_ENDIAN);
    }

    static UnsafeBuffer newBuffer()
    {
        return new UnsafeBuffer(new byte[Protocol.MAX_MESSAGE_LENGTH + 64]);
    }

    static int rate(final CodecType codec, final int index)
    {
        final int[] rates = codec == CodecType.MP3 ? MP3_RATES : ADTS_RATES;
        return rates[Math.floorMod(index, rates.length)];
    }

    static int samples(final CodecType codec, final int index)
    {
        final int[] samples = codec == CodecType.MP3 ? MP3_SAMPLES : ADTS_SAMPLES;
        return samples[Math.floorMod(index, samples.length)];
    }

    /** Reads every accessor of whatever the decoder accepted, as a node would, to prove views never throw. */
    static long readEverything(final MessageDecoder decoder)
    {
        long sink = decoder.messageLength();
        switch (decoder.type())
        {
            case FRAME:
            {
                final FrameView v = decoder.frame();
                sink += v.encoderId() + v.priority() + v.epoch() + v.sequence() + v.timestampUs() + v.sampleRate() +
                    v.samplesInFrame() + v.durationUs() + v.codec().code() + (v.isCleanSwitch() ? 1 : 0) +
                    v.mountHash() + v.payloadOffset() + v.payloadLength() + v.mountString().length();
                MountName.copyOf(v.buffer(), v.mountOffset(), v.mountLength());
                break;
            }
            case ANNOUNCE:
            {
                final AnnounceView v = decoder.announce();
                sink += v.encoderId() + v.epoch() + v.priority() + v.codec().code() + v.sampleRate() + v.channels() +
                    v.bitrateKbps() + v.icyPublic() + v.mountHash() + v.contentType().length() +
                    v.icyName().length() + v.icyGenre().length() + v.icyDescription().length() +
                    v.icyUrl().length() + v.iceAudioInfo().length();
                MountName.copyOf(v.buffer(), v.mountOffset(), v.mountLength());
                break;
            }
            case METADATA:
            {
                final MetadataView v = decoder.metadata();
                sink += v.encoderId() + v.epoch() + v.timestampUs() + v.mountHash() + v.streamTitle().length() +
                    v.streamUrl().length();
                break;
            }
            case HEARTBEAT:
            {
                final HeartbeatView v = decoder.heartbeat();
                sink += v.senderTimeUs() + v.heartbeatSequence() + v.nodeNameLength();
                final StreamPositionCursor c = v.streams();
                while (c.next())
                {
                    sink += c.encoderId() + c.epoch() + c.sequence() + c.mountHash();
                    MountName.copyOf(v.buffer(), c.mountOffset(), c.mountLength());
                }
                break;
            }
            case SUBSCRIBE:
            {
                final SubscribeView v = decoder.subscribe();
                final MountCursor m = v.mounts();
                while (m.next())
                {
                    sink += m.mountHash();
                    MountName.copyOf(v.buffer(), m.mountOffset(), m.mountLength());
                }
                final StreamPositionCursor c = v.resumePoints();
                while (c.next())
                {
                    sink += c.encoderId() + c.epoch() + c.sequence() + c.mountHash();
                    MountName.copyOf(v.buffer(), c.mountOffset(), c.mountLength());
                }
                break;
            }
            case RETRANSMIT_REQUEST:
            {
                final RetransmitRequestView v = decoder.retransmitRequest();
                sink += v.encoderId() + v.epoch() + v.mountHash();
                for (int i = 0; i < v.rangeCount(); i++)
                {
                    sink += v.rangeFirstSequence(i) + v.rangeLength(i);
                }
                break;
            }
            case HELLO:
            {
                final HelloView v = decoder.hello();
                sink += v.role().code() + v.protocolVersion() + v.nonceOffset() + v.nodeName().length() +
                    (v.isAuthRequired() ? 1 : 0);
                break;
            }
            case HELLO_AUTH:
            {
                final HelloAuthView v = decoder.helloAuth();
                sink += v.keyId() + v.proofOffset();
                break;
            }
            default:
                throw new AssertionError(decoder.type());
        }
        return sink;
    }
}
