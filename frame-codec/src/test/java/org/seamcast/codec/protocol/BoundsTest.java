package org.seamcast.codec.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Every bound is enforced at encode (IllegalArgumentException naming value and limit) and at decode (typed result
 * naming the field), using messages a forger could make: patched bytes with a recomputed CRC.
 */
class BoundsTest
{
    private static final MountName MOUNT = MountName.of("/live");
    private static final MessageAuthenticator SIGNER = Keyring.of(1, TestMessages.key(1)).newAuthenticator();

    private final UnsafeBuffer buffer = TestMessages.newBuffer();
    private final MessageDecoder decoder = new MessageDecoder();

    private int frame(final int payloadLength)
    {
        return new FrameEncoder().wrap(buffer, 0, MOUNT).encoderId(1).priority(0).epoch(1).sequence(1).timestampUs(1)
            .codec(CodecType.MP3).sampleRate(44_100).samplesInFrame(1152)
            .payload(new byte[payloadLength], 0, payloadLength).finish(null);
    }

    private void assertRejected(final int length, final DecodeResult result, final MessageField field)
    {
        TestMessages.reseal(buffer, 0, length);
        assertThat(decoder.decode(buffer, 0, length)).isEqualTo(result);
        assertThat(decoder.errorField()).isEqualTo(field);
    }

    @Test
    void shouldRefuseAMountNameOf256BytesNamingLengthAndLimit()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> MountName.of("/" + "a".repeat(255)))
            .withMessage("mountName length=256 > MAX_MOUNT_NAME_LENGTH=255");
        assertThat(MountName.of("/" + "a".repeat(254)).length()).isEqualTo(255);
    }

    @Test
    void shouldRefuseMountNamesThatAreNotAbsoluteUrlPaths()
    {
        for (final String bad : new String[] { "", "/", "live", "/a b", "/a?b", "/a#b", "/\u00e9t\u00e9", "/a\r\n" })
        {
            assertThatIllegalArgumentException().as(bad).isThrownBy(() -> MountName.of(bad))
                .withMessageContaining("mountName");
        }
    }

    @Test
    void shouldReportAMountLengthPrefixRunningPastTheBodyAsBadLength()
    {
        final int length = frame(10);
        buffer.putByte(WireLayout.FRAME_MOUNT, (byte)255);

        assertRejected(length, DecodeResult.BAD_LENGTH, MessageField.MOUNT);
    }

    @Test
    void shouldReportAMountWithoutLeadingSlashAsFieldOutOfRange()
    {
        final int length = frame(10);
        buffer.putByte(WireLayout.FRAME_MOUNT + 1, (byte)'x');

        assertRejected(length, DecodeResult.FIELD_OUT_OF_RANGE, MessageField.MOUNT);
    }

    @Test
    void shouldRefuseAPayloadOverTheAdtsMaximumAtEncode()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> frame(8_192))
            .withMessage("payload length=8192 > MAX_PAYLOAD_LENGTH=8191");
        assertThat(frame(8_191)).isLessThanOrEqualTo(Protocol.MAX_FRAME_MESSAGE_LENGTH);
    }

    @Test
    void shouldReportAPayloadOverTheAdtsMaximumAsFieldOutOfRange()
    {
        final int length = frame(8_191) + 1;
        final int payloadLengthOffset = WireLayout.FRAME_MOUNT + 1 + MOUNT.length();
        buffer.putShort(payloadLengthOffset, (short)8_192, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(Protocol.LENGTH_FIELD_OFFSET, (short)length, ByteOrder.LITTLE_ENDIAN);

        assertRejected(length, DecodeResult.FIELD_OUT_OF_RANGE, MessageField.PAYLOAD);
    }

    @Test
    void shouldReportATotalLengthOverTheMaximumAsBadLength()
    {
        final int length = frame(10);
        buffer.putShort(Protocol.LENGTH_FIELD_OFFSET, (short)(Protocol.MAX_MESSAGE_LENGTH + 1), ByteOrder.LITTLE_ENDIAN);

        assertThat(MessageDecoder.checkHeader(buffer, 0)).isEqualTo(DecodeResult.BAD_LENGTH);
        assertThat(decoder.decode(buffer, 0, buffer.capacity())).isEqualTo(DecodeResult.BAD_LENGTH);
        assertThat(decoder.errorField()).isEqualTo(MessageField.TOTAL_LENGTH);
        assertThat(decoder.decode(buffer, 0, length)).isEqualTo(DecodeResult.BAD_LENGTH);
    }

    @Test
    void shouldReportATotalLengthBelowTheTrailerAsBadLength()
    {
        frame(10);
        buffer.putShort(Protocol.LENGTH_FIELD_OFFSET, (short)(Protocol.MIN_MESSAGE_LENGTH - 1), ByteOrder.LITTLE_ENDIAN);

        assertThat(decoder.decode(buffer, 0, 100)).isEqualTo(DecodeResult.BAD_LENGTH);
    }

    @Test
    void shouldReportTrailingBytesInsideTheDeclaredLengthAsBadLength()
    {
        final int length = frame(10) + 3;
        buffer.putShort(Protocol.LENGTH_FIELD_OFFSET, (short)length, ByteOrder.LITTLE_ENDIAN);

        assertRejected(length, DecodeResult.BAD_LENGTH, MessageField.PAYLOAD);
    }

    @Test
    void shouldReportBadMagicVersionAndType()
    {
        int length = frame(10);
        buffer.putByte(2, (byte)2);
        assertThat(decoder.decode(buffer, 0, length)).isEqualTo(DecodeResult.UNSUPPORTED_VERSION);

        length = frame(10);
        buffer.putByte(0, (byte)'X');
        assertThat(decoder.decode(buffer, 0, length)).isEqualTo(DecodeResult.BAD_MAGIC);

        length = frame(10);
        buffer.putByte(Protocol.TYPE_OFFSET, (byte)99);
        TestMessages.reseal(buffer, 0, length);
        assertThat(decoder.decode(buffer, 0, length)).isEqualTo(DecodeResult.UNKNOWN_TYPE);

        length = frame(10);
        buffer.putByte(length - 1, (byte)(buffer.getByte(length - 1) ^ 1));
        assertThat(decoder.decode(buffer, 0, length)).isEqualTo(DecodeResult.CRC_MISMATCH);
    }

    @Test
    void shouldReportUnknownFlagBitsAsFieldOutOfRange()
    {
        final int length = frame(10);
        buffer.putShort(Protocol.FLAGS_OFFSET, (short)0x0200, ByteOrder.LITTLE_ENDIAN);

        assertRejected(length, DecodeResult.FIELD_OUT_OF_RANGE, MessageField.FLAGS);
    }

    @Test
    void shouldRefuseSampleRatesAndFrameSizesTheCodecCannotExpress()
    {
        final FrameEncoder encoder = new FrameEncoder();
        assertThatIllegalArgumentException().isThrownBy(() -> encoder.wrap(buffer, 0, MOUNT).encoderId(1).priority(0)
            .epoch(1).sequence(1).timestampUs(1).codec(CodecType.MP3).sampleRate(96_000).samplesInFrame(1152)
            .payload(new byte[1], 0, 1).finish(null))
            .withMessage("sampleRate=96000 is not a MP3 sample rate");

        final int length = frame(10);
        buffer.putShort(WireLayout.FRAME_SAMPLES, (short)1024, ByteOrder.LITTLE_ENDIAN);
        assertRejected(length, DecodeResult.FIELD_OUT_OF_RANGE, MessageField.SAMPLES_IN_FRAME);
    }

    @Test
    void shouldRefuseANegativeSequenceAtEncodeAndDecode()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> new FrameEncoder().wrap(buffer, 0, MOUNT).sequence(-1))
            .withMessage("sequence=-1 < 0");

        final int length = frame(10);
        buffer.putLong(WireLayout.FRAME_SEQUENCE, -1, ByteOrder.LITTLE_ENDIAN);
        assertRejected(length, DecodeResult.FIELD_OUT_OF_RANGE, MessageField.SEQUENCE);
    }

    @Test
    void shouldNameTheFirstMissingFieldWhenAFrameIsFinishedEarly()
    {
        assertThatIllegalStateException().isThrownBy(() -> new FrameEncoder().wrap(buffer, 0, MOUNT).encoderId(1)
            .finish(null)).withMessage("FRAME field priority not set");
    }

    @Test
    void shouldRefuseTooManyHeartbeatStreams()
    {
        final HeartbeatEncoder encoder = new HeartbeatEncoder().wrap(buffer, 0, NodeName.of("r"))
            .senderTimeUs(1).heartbeatSequence(1);
        for (int i = 0; i < Protocol.MAX_HEARTBEAT_STREAMS; i++)
        {
            encoder.addStream(MOUNT, i, 1, 1);
        }
        assertThatIllegalArgumentException().isThrownBy(() -> encoder.addStream(MOUNT, 0, 1, 1))
            .withMessage("heartbeat stream count=1025 > MAX_HEARTBEAT_STREAMS=1024");
        final int length = encoder.finish(null);

        buffer.putShort(WireLayout.HEARTBEAT_STREAM_COUNT, (short)1_025, ByteOrder.LITTLE_ENDIAN);
        assertRejected(length, DecodeResult.FIELD_OUT_OF_RANGE, MessageField.STREAM_COUNT);
    }

    @Test
    void shouldRefuseAHeartbeatLongerThanTheMessageMaximum()
    {
        final MountName longMount = MountName.of("/" + "m".repeat(254));
        final HeartbeatEncoder encoder = new HeartbeatEncoder().wrap(buffer, 0, NodeName.of("r"))
            .senderTimeUs(1).heartbeatSequence(1);
        final int fit = (Protocol.MAX_MESSAGE_LENGTH - 27 - Protocol.MAC_TRAILER_LENGTH - Protocol.CRC_LENGTH) /
            HeartbeatEncoder.entryLength(longMount);
        for (int i = 0; i < fit; i++)
        {
            encoder.addStream(longMount, i, 1, 1);
        }

        assertThatIllegalArgumentException().isThrownBy(() -> encoder.addStream(longMount, 0, 1, 1))
            .withMessageContaining("> MAX_MESSAGE_LENGTH=32768");
        assertThat(encoder.finish(SIGNER)).isLessThanOrEqualTo(Protocol.MAX_MESSAGE_LENGTH);
    }

    @Test
    void shouldRefuseTooManySubscribeMountsAndResumePoints()
    {
        final SubscribeEncoder mounts = new SubscribeEncoder().wrap(buffer, 0);
        for (int i = 0; i < Protocol.MAX_SUBSCRIBE_MOUNTS; i++)
        {
            mounts.addMount(MOUNT);
        }
        assertThatIllegalArgumentException().isThrownBy(() -> mounts.addMount(MOUNT))
            .withMessage("subscribe mount count=1025 > MAX_SUBSCRIBE_MOUNTS=1024");
        int length = mounts.finish(null);
        assertThat(decoder.decode(buffer, 0, length)).isEqualTo(DecodeResult.OK);
        buffer.putShort(WireLayout.SUBSCRIBE_MOUNT_COUNT, (short)1_025, ByteOrder.LITTLE_ENDIAN);
        assertRejected(length, DecodeResult.FIELD_OUT_OF_RANGE, MessageField.MOUNT_COUNT);

        final SubscribeEncoder resume = new SubscribeEncoder().wrap(buffer, 0).addMount(MOUNT);
        for (int i = 0; i < Protocol.MAX_RESUME_POINTS; i++)
        {
            resume.addResumePoint(MOUNT, i, 1, 1);
        }
        assertThatIllegalArgumentException().isThrownBy(() -> resume.addResumePoint(MOUNT, 0, 1, 1))
            .withMessage("subscribe resume point count=1025 > MAX_RESUME_POINTS=1024");
        assertThatIllegalStateException().isThrownBy(() -> resume.addMount(MOUNT))
            .withMessage("mounts must be added before resume points");
        length = resume.finish(null);
        assertThat(decoder.decode(buffer, 0, length)).isEqualTo(DecodeResult.OK);
        buffer.putShort(WireLayout.SUBSCRIBE_RESUME_COUNT, (short)1_025, ByteOrder.LITTLE_ENDIAN);
        assertRejected(length, DecodeResult.FIELD_OUT_OF_RANGE, MessageField.RESUME_COUNT);
    }

    @Test
    void shouldRefuseASubscribeLongerThanTheMessageMaximum()
    {
        final SubscribeEncoder encoder = new SubscribeEncoder().wrap(buffer, 0);
        final MountName longMount = MountName.of("/" + "m".repeat(254));
        for (int i = 0; i < 127; i++)
        {
            encoder.addMount(longMount);
        }
        assertThatIllegalArgumentException().isThrownBy(() -> encoder.addMount(longMount))
            .withMessage("message length=32801 > MAX_MESSAGE_LENGTH=32768");
    }

    @Test
    void shouldRefuseTooManyOrEmptyRetransmitRanges()
    {
        final RetransmitRequestEncoder encoder = new RetransmitRequestEncoder().wrap(buffer, 0, MOUNT)
            .encoderId(1).epoch(1);
        for (int i = 0; i < Protocol.MAX_RETRANSMIT_RANGES; i++)
        {
            encoder.addRange(i * 10L, 5);
        }
        assertThatIllegalArgumentException().isThrownBy(() -> encoder.addRange(1_000, 1))
            .withMessage("retransmit range count=65 > MAX_RETRANSMIT_RANGES=64");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new RetransmitRequestEncoder().wrap(buffer, 0, MOUNT).addRange(0, 0))
            .withMessage("range count=0 outside 1..65535");
        final int length = encoder.wrap(buffer, 0, MOUNT).encoderId(1).epoch(1).addRange(7, 1).finish(null);

        buffer.putShort(WireLayout.RETRANSMIT_RANGE_COUNT, (short)0, ByteOrder.LITTLE_ENDIAN);
        assertRejected(length, DecodeResult.FIELD_OUT_OF_RANGE, MessageField.RANGE_COUNT);
        buffer.putShort(WireLayout.RETRANSMIT_RANGE_COUNT, (short)1, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(length - Protocol.CRC_LENGTH - 2, (short)0, ByteOrder.LITTLE_ENDIAN);
        assertRejected(length, DecodeResult.FIELD_OUT_OF_RANGE, MessageField.RANGE);
        buffer.putShort(length - Protocol.CRC_LENGTH - 2, (short)2, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(length - Protocol.CRC_LENGTH - 10, Long.MAX_VALUE, ByteOrder.LITTLE_ENDIAN);
        assertRejected(length, DecodeResult.FIELD_OUT_OF_RANGE, MessageField.RANGE);
    }

    @Test
    void shouldCarryTheIngestNameInAnAnnounceAndStillReadAnnouncesOfOlderIngestsWithoutIt()
    {
        final int length = announceFrom("ingest-b");
        assertThat(decoder.decode(buffer, 0, length)).isEqualTo(DecodeResult.OK);
        assertThat(decoder.announce().ingestName()).isEqualTo("ingest-b");

        final int withoutField = length - Protocol.CRC_LENGTH - 1 - "ingest-b".length();
        final int older = Sealer.seal(buffer, 0, withoutField, MessageType.ANNOUNCE, 0, null, new Crc32c());
        assertThat(decoder.decode(buffer, 0, older)).isEqualTo(DecodeResult.OK);
        assertThat(decoder.announce().ingestName()).isEmpty();
        assertThat(decoder.announce().icyName()).isEqualTo("Station");
    }

    @Test
    void shouldRefuseAnIngestNameThatIsTooLongInvalidOrFollowedByBytes()
    {
        final int length = announceFrom("ingest-b");
        final int nameAt = length - Protocol.CRC_LENGTH - 1 - "ingest-b".length();

        buffer.putByte(nameAt, (byte)(Protocol.MAX_NODE_NAME_LENGTH + 1));
        assertRejected(length, DecodeResult.FIELD_OUT_OF_RANGE, MessageField.NODE_NAME);
        buffer.putByte(nameAt, (byte)("ingest-b".length() - 1));
        assertRejected(length, DecodeResult.BAD_LENGTH, MessageField.NODE_NAME);
        buffer.putByte(nameAt, (byte)"ingest-b".length());
        buffer.putByte(nameAt + 1, (byte)' ');
        assertRejected(length, DecodeResult.FIELD_OUT_OF_RANGE, MessageField.NODE_NAME);
    }

    private int announceFrom(final String ingest)
    {
        return new AnnounceEncoder().wrap(buffer, 0, MOUNT).encoderId(1).epoch(1).priority(0)
            .codec(CodecType.MP3).sampleRate(44_100).channels(2).icyName("Station").ingestName(NodeName.of(ingest))
            .finish(null);
    }

    @Test
    void shouldFitTheLargestAnnounceMetadataAndRetransmitRequestInOneDatagram()
    {
        final MountName longest = MountName.of("/" + "m".repeat(254));
        final int announce = new AnnounceEncoder().wrap(buffer, 0, longest).encoderId(1).epoch(1).priority(0)
            .codec(CodecType.MP3).sampleRate(44_100).channels(2).bitrateKbps(320).icyPublic(true)
            .contentType("c".repeat(64)).icyName("n".repeat(255)).icyGenre("g".repeat(128))
            .icyDescription("d".repeat(255)).icyUrl("u".repeat(255)).iceAudioInfo("i".repeat(128))
            .ingestName(NodeName.of("i".repeat(Protocol.MAX_NODE_NAME_LENGTH)))
            .finish(SIGNER);
        assertThat(announce).as("the ingest name left empty: it does not fit")
            .isEqualTo(1_399).isLessThanOrEqualTo(Protocol.MAX_DATAGRAM_LENGTH);
        assertThat(decoder.decode(buffer, 0, announce)).isEqualTo(DecodeResult.OK);
        assertThat(decoder.announce().ingestName()).isEmpty();

        final int metadata = new MetadataEncoder().wrap(buffer, 0, longest).encoderId(1).epoch(1).timestampUs(1)
            .streamTitle("t".repeat(768)).streamUrl("u".repeat(255)).finish(SIGNER);
        assertThat(metadata).isEqualTo(1_331).isLessThanOrEqualTo(Protocol.MAX_DATAGRAM_LENGTH);

        final RetransmitRequestEncoder retransmit = new RetransmitRequestEncoder().wrap(buffer, 0, longest)
            .encoderId(1).epoch(1);
        for (int i = 0; i < Protocol.MAX_RETRANSMIT_RANGES; i++)
        {
            retransmit.addRange(i * 100_000L, 65_535);
        }
        assertThat(retransmit.finish(SIGNER)).isEqualTo(939).isLessThanOrEqualTo(Protocol.MAX_DATAGRAM_LENGTH);
    }

    @Test
    void shouldRefuseStreamHeadersOverTheirLimitsOrWithControlBytes()
    {
        final AnnounceEncoder encoder = new AnnounceEncoder().wrap(buffer, 0, MOUNT);
        assertThatIllegalArgumentException().isThrownBy(() -> encoder.icyGenre("g".repeat(129)))
            .withMessage("icyGenre length=129 > limit=128");
        assertThatIllegalArgumentException().isThrownBy(() -> encoder.icyName("Evil\r\nSet-Cookie: x"))
            .withMessage("icyName contains control byte 0xd");
        assertThatIllegalArgumentException().isThrownBy(() -> new MetadataEncoder().wrap(buffer, 0, MOUNT)
            .streamTitle("t".repeat(769))).withMessage("streamTitle length=769 > limit=768");
        assertThatIllegalStateException().isThrownBy(() -> new AnnounceEncoder().wrap(buffer, 0, MOUNT)
            .icyUrl("u").icyName("n")).withMessageStartingWith("icyName set after icyUrl");

        final int length = encoder.encoderId(1).epoch(1).priority(0).codec(CodecType.MP3).sampleRate(44_100)
            .channels(1).icyName("after rejected values").finish(null);
        assertThat(decoder.decode(buffer, 0, length)).as("rejected values leave the encoder usable")
            .isEqualTo(DecodeResult.OK);
        assertThat(decoder.announce().icyName()).isEqualTo("after rejected values");
    }

    @Test
    void shouldReportAControlByteInAStreamHeaderAsFieldOutOfRange()
    {
        final int length = new AnnounceEncoder().wrap(buffer, 0, MOUNT).encoderId(1).epoch(1).priority(0)
            .codec(CodecType.MP3).sampleRate(44_100).channels(2).icyName("AB").finish(null);
        final int icyNameOffset = WireLayout.ANNOUNCE_MOUNT + 1 + MOUNT.length() + 1 + 1;
        assertThat(buffer.getByte(icyNameOffset)).isEqualTo((byte)'A');
        buffer.putByte(icyNameOffset, (byte)'\n');

        assertRejected(length, DecodeResult.FIELD_OUT_OF_RANGE, MessageField.ICY_NAME);
    }

    @Test
    void shouldReportAStreamTitleOverItsLimitAsFieldOutOfRange()
    {
        final int length = new MetadataEncoder().wrap(buffer, 0, MOUNT).encoderId(1).epoch(1).timestampUs(1)
            .streamTitle("t".repeat(768)).finish(null);
        buffer.putShort(WireLayout.METADATA_MOUNT + 1 + MOUNT.length(), (short)769, ByteOrder.LITTLE_ENDIAN);

        assertRejected(length, DecodeResult.FIELD_OUT_OF_RANGE, MessageField.STREAM_TITLE);
    }

    @Test
    void shouldRefuseEncoderIdsAndPrioritiesOutsideTheirWireWidth()
    {
        final FrameEncoder encoder = new FrameEncoder().wrap(buffer, 0, MOUNT);
        assertThatIllegalArgumentException().isThrownBy(() -> encoder.encoderId(1L << 32))
            .withMessage("encoderId=4294967296 outside 0..4294967295");
        assertThatIllegalArgumentException().isThrownBy(() -> encoder.priority(256))
            .withMessage("priority=256 outside 0..255");
    }

    @Test
    void shouldThrowOnlyForCallerErrorsNotForBytes()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> decoder.decode(buffer, buffer.capacity() - 4, 10));
        assertThat(decoder.decode(buffer, 0, 0)).isEqualTo(DecodeResult.TOO_SHORT);
        assertThatIllegalStateException().isThrownBy(decoder::frame);
    }
}
