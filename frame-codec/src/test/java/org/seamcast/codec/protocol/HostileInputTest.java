package org.seamcast.codec.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever arrives, the decoder answers with a typed result; when it says OK, every accessor works.
 */
class HostileInputTest
{
    private static final Keyring KEYRING = Keyring.of(1, TestMessages.key(1)).withMacRequired(false);

    private final MessageAuthenticator authenticator = KEYRING.newAuthenticator();
    private final MessageDecoder decoder = new MessageDecoder(authenticator);
    private final MessageDecoder requiringDecoder = new MessageDecoder(Keyring.of(1, TestMessages.key(1))
        .newAuthenticator());
    private final MessageDecoder plainDecoder = new MessageDecoder();
    private final MessageDecoder validatedDecoder = MessageDecoder.ofValidated();

    /** One valid message of each type, unsigned or signed, as seeds for mutation. */
    @Provide
    Arbitrary<byte[]> validMessages()
    {
        return Combinators.combine(
            Arbitraries.integers().between(0, MessageType.values().length - 1),
            TestMessages.mounts(),
            Arbitraries.integers().between(0, 40),
            Arbitraries.of(true, false))
            .as(this::validMessage);
    }

    private byte[] validMessage(final int typeIndex, final MountName mount, final int listSize, final boolean signed)
    {
        final UnsafeBuffer buffer = TestMessages.newBuffer();
        final MessageAuthenticator signer = signed ? authenticator : null;
        final NodeName node = NodeName.of("relay-1");
        final int length;
        switch (MessageType.values()[typeIndex])
        {
            case FRAME:
                length = new FrameEncoder().wrap(buffer, 0, mount).encoderId(listSize).priority(1).epoch(7)
                    .sequence(listSize * 3L).timestampUs(123_456).codec(CodecType.MP3).sampleRate(44_100)
                    .samplesInFrame(1152).cleanSwitch(listSize % 2 == 0)
                    .payload(new byte[listSize + 1], 0, listSize + 1).finish(signer);
                break;
            case ANNOUNCE:
                length = new AnnounceEncoder().wrap(buffer, 0, mount).encoderId(1).epoch(2).priority(0)
                    .codec(CodecType.ADTS).sampleRate(48_000).channels(2).bitrateKbps(128).icyPublic(true)
                    .contentType("audio/aac").icyName("Radio \u00e9").icyGenre("x".repeat(listSize))
                    .icyUrl("http://example.org/").finish(signer);
                break;
            case METADATA:
                length = new MetadataEncoder().wrap(buffer, 0, mount).encoderId(1).epoch(2).timestampUs(3)
                    .streamTitle("Artist - Title " + listSize).streamUrl("http://e/").finish(signer);
                break;
            case HEARTBEAT:
            {
                final HeartbeatEncoder encoder = new HeartbeatEncoder().wrap(buffer, 0, node).senderTimeUs(5)
                    .heartbeatSequence(6);
                for (int i = 0; i < listSize % 8; i++)
                {
                    encoder.addStream(mount, i, i, i);
                }
                length = encoder.finish(signer);
                break;
            }
            case SUBSCRIBE:
            {
                final SubscribeEncoder encoder = new SubscribeEncoder().wrap(buffer, 0);
                for (int i = 0; i < listSize % 5; i++)
                {
                    encoder.addMount(mount);
                }
                for (int i = 0; i < listSize % 7; i++)
                {
                    encoder.addResumePoint(mount, i, i, i);
                }
                length = encoder.finish(signer);
                break;
            }
            case RETRANSMIT_REQUEST:
            {
                final RetransmitRequestEncoder encoder = new RetransmitRequestEncoder().wrap(buffer, 0, mount)
                    .encoderId(1).epoch(2);
                for (int i = 0; i <= listSize % 10; i++)
                {
                    encoder.addRange(i * 100L, i + 1);
                }
                length = encoder.finish(signer);
                break;
            }
            case HELLO:
                length = new Handshake(HandshakeRole.CONNECTOR, node, signer, new SecureRandom())
                    .encodeHello(buffer, 0);
                break;
            case HELLO_AUTH:
            {
                final Handshake handshake =
                    new Handshake(HandshakeRole.ACCEPTOR, node, authenticator, new SecureRandom());
                final UnsafeBuffer peer = TestMessages.newBuffer();
                final int helloLength = new Handshake(HandshakeRole.CONNECTOR, NodeName.of("edge-1"), null,
                    new SecureRandom()).encodeHello(peer, 0);
                assertThat(plainDecoder.decode(peer, 0, helloLength)).isEqualTo(DecodeResult.OK);
                handshake.onHello(plainDecoder.hello());
                length = handshake.encodeHelloAuth(buffer, 0);
                break;
            }
            default:
                throw new AssertionError();
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private void assertTypedResult(final byte[] bytes, final int length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (final MessageDecoder d : List.of(decoder, requiringDecoder, plainDecoder, validatedDecoder))
        {
            final DecodeResult result = d.decode(buffer, 0, length);
            assertThat(result).isNotNull();
            if (result == DecodeResult.OK)
            {
                assertThat(d.messageLength()).isBetween(Protocol.MIN_MESSAGE_LENGTH, length);
                TestMessages.readEverything(d);
            }
            else
            {
                assertThat(d.type()).isNull();
                assertThat(d.messageLength()).isZero();
            }
        }
    }

    @Property(tries = 300)
    void shouldReturnATypedResultForAnyRandomBytes(@ForAll @Size(max = 2_000) final byte[] bytes)
    {
        assertTypedResult(bytes, bytes.length);
    }

    @Property(tries = 500)
    void shouldReturnATypedResultForAnyBodyBehindAValidHeaderAndCrc(
        @ForAll @IntRange(min = 1, max = 8) final int type,
        @ForAll final boolean cleanSwitchOrAuthRequiredFlag,
        @ForAll @Size(max = 600) final byte[] body)
    {
        final int length = Protocol.HEADER_LENGTH + body.length + Protocol.CRC_LENGTH;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[length]);
        buffer.putByte(0, Protocol.MAGIC_0);
        buffer.putByte(1, Protocol.MAGIC_1);
        buffer.putByte(2, (byte)Protocol.VERSION);
        buffer.putByte(3, (byte)type);
        buffer.putShort(4, (short)(cleanSwitchOrAuthRequiredFlag ? 0x0100 : 0), ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(6, (short)length, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(8, body);
        TestMessages.reseal(buffer, 0, length);

        assertTypedResult(buffer.byteArray(), length);
    }

    @Property(tries = 600)
    void shouldRejectOrAcceptButNeverThrowOnBitFlipsOfAValidMessage(
        @ForAll("validMessages") final byte[] message,
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 8) final int flips,
        @ForAll final boolean fixCrc)
    {
        final Random random = new Random(seed);
        final byte[] mutated = message.clone();
        final Set<Integer> flipped = new HashSet<>();
        while (flipped.size() < Math.min(flips, mutated.length * 8))
        {
            flipped.add(random.nextInt(mutated.length * 8));
        }
        flipped.forEach(bit -> mutated[bit / 8] ^= (byte)(1 << (bit % 8)));
        if (fixCrc)
        {
            TestMessages.reseal(new UnsafeBuffer(mutated), 0, mutated.length);
        }

        assertTypedResult(mutated, mutated.length);
        if (!fixCrc && flips <= 3)
        {
            assertThat(plainDecoder.decode(new UnsafeBuffer(mutated), 0, mutated.length))
                .as("CRC32C has Hamming distance 4 or more: every 1 to 3 flipped bits are detected")
                .isNotEqualTo(DecodeResult.OK);
        }
    }

    @Property(tries = 600)
    void shouldRejectOrAcceptButNeverThrowWhenBytesAreOverwrittenAndTheCrcIsFixed(
        @ForAll("validMessages") final byte[] message,
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 4) final int overwrites)
    {
        final Random random = new Random(seed);
        final byte[] mutated = message.clone();
        for (int i = 0; i < overwrites; i++)
        {
            final int index = Protocol.HEADER_LENGTH + random.nextInt(mutated.length - Protocol.HEADER_LENGTH);
            mutated[index] = (byte)(random.nextBoolean() ? random.nextInt(256) : random.nextInt(3) - 1);
        }
        TestMessages.reseal(new UnsafeBuffer(mutated), 0, mutated.length);

        assertTypedResult(mutated, mutated.length);
    }

    @Property(tries = 300)
    void shouldRejectEveryTruncationOfAValidMessage(@ForAll("validMessages") final byte[] message)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        for (int length = 0; length < message.length; length++)
        {
            assertThat(plainDecoder.decode(buffer, 0, length)).isIn(DecodeResult.TOO_SHORT);
            assertThat(validatedDecoder.decode(buffer, 0, length)).isIn(DecodeResult.TOO_SHORT);
        }
        assertThat(plainDecoder.decode(buffer, 0, message.length)).isEqualTo(DecodeResult.OK);
        assertThat(validatedDecoder.decode(buffer, 0, message.length)).isEqualTo(DecodeResult.OK);
    }

    @Property(tries = 200)
    void shouldLeaveTheCrcToTheDecoderThatValidatedTheMessageFirst(@ForAll("validMessages") final byte[] message)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        final int crcOffset = message.length - Protocol.CRC_LENGTH;
        buffer.putInt(crcOffset, ~buffer.getInt(crcOffset));

        assertThat(plainDecoder.decode(buffer, 0, message.length)).isEqualTo(DecodeResult.CRC_MISMATCH);
        assertThat(validatedDecoder.decode(buffer, 0, message.length)).isEqualTo(DecodeResult.OK);
        assertThat(validatedDecoder.messageLength()).isEqualTo(message.length);
        TestMessages.readEverything(validatedDecoder);
    }

    @Property(tries = 300)
    void shouldRejectOrAcceptButNeverThrowWhenTheLengthFieldLiesAndTheCrcIsFixed(
        @ForAll("validMessages") final byte[] message,
        @ForAll @IntRange(max = 0xFFFF) final int claimedLength,
        @ForAll @IntRange(max = 64) final int extraBytes)
    {
        final byte[] bytes = new byte[message.length + extraBytes];
        System.arraycopy(message, 0, bytes, 0, message.length);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        buffer.putShort(Protocol.LENGTH_FIELD_OFFSET, (short)claimedLength, ByteOrder.LITTLE_ENDIAN);
        if (claimedLength >= Protocol.MIN_MESSAGE_LENGTH && claimedLength <= bytes.length)
        {
            TestMessages.reseal(buffer, 0, claimedLength);
        }

        assertTypedResult(bytes, bytes.length);
    }
}
