package org.seamcast.codec.protocol;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seamcast.codec.protocol.TestMessages.Position;

class MessageRoundTripTest
{
    private static final Keyring KEYRING =
        Keyring.of(3, TestMessages.key(3)).withKey(9, TestMessages.key(9)).withMacRequired(false);

    private final MessageAuthenticator authenticator = KEYRING.newAuthenticator();
    private final MessageDecoder decoder = new MessageDecoder(authenticator);
    private final UnsafeBuffer buffer = TestMessages.newBuffer();

    @Provide
    Arbitrary<MountName> mounts()
    {
        return TestMessages.mounts();
    }

    @Provide
    Arbitrary<NodeName> nodeNames()
    {
        return TestMessages.nodeNames();
    }

    @Provide
    Arbitrary<Long> u32()
    {
        return TestMessages.u32();
    }

    @Provide
    Arbitrary<Long> sequences()
    {
        return TestMessages.sequences();
    }

    @Provide
    Arbitrary<Position> positions()
    {
        return TestMessages.positions();
    }

    @Provide
    Arbitrary<String> contentTypes()
    {
        return TestMessages.texts(Protocol.MAX_CONTENT_TYPE_LENGTH);
    }

    @Provide
    Arbitrary<String> shortTexts()
    {
        return TestMessages.texts(128);
    }

    @Provide
    Arbitrary<String> longTexts()
    {
        return TestMessages.texts(255);
    }

    @Provide
    Arbitrary<String> titles()
    {
        return TestMessages.texts(Protocol.MAX_STREAM_TITLE_LENGTH);
    }

    private MessageAuthenticator signer(final boolean signed)
    {
        return signed ? authenticator : null;
    }

    private void assertDecodes(final int offset, final int length, final MessageType type, final boolean signed)
    {
        assertThat(decoder.decode(buffer, offset, length)).isEqualTo(DecodeResult.OK);
        assertThat(decoder.type()).isEqualTo(type);
        assertThat(decoder.messageLength()).isEqualTo(length);
        assertThat(decoder.isMacVerified()).isEqualTo(signed);
    }

    @Property(tries = 150)
    void shouldRoundTripEveryFrameField(
        @ForAll @IntRange(max = 32) final int offset,
        @ForAll("mounts") final MountName mount,
        @ForAll("u32") final long encoderId,
        @ForAll @IntRange(max = 255) final int priority,
        @ForAll final long epoch,
        @ForAll("sequences") final long sequence,
        @ForAll final long timestampUs,
        @ForAll final CodecType codec,
        @ForAll final int rateIndex,
        @ForAll final int samplesIndex,
        @ForAll final boolean cleanSwitch,
        @ForAll @Size(min = 1, max = Protocol.MAX_PAYLOAD_LENGTH) final byte[] payload,
        @ForAll final boolean signed)
    {
        final int sampleRate = TestMessages.rate(codec, rateIndex);
        final int samples = TestMessages.samples(codec, samplesIndex);
        final int length = new FrameEncoder().wrap(buffer, offset, mount)
            .encoderId(encoderId).priority(priority).epoch(epoch).sequence(sequence).timestampUs(timestampUs)
            .codec(codec).sampleRate(sampleRate).samplesInFrame(samples).cleanSwitch(cleanSwitch)
            .payload(new UnsafeBuffer(payload), 0, payload.length)
            .finish(signer(signed));

        assertThat(length).isLessThanOrEqualTo(Protocol.MAX_FRAME_MESSAGE_LENGTH);
        assertDecodes(offset, length, MessageType.FRAME, signed);
        final FrameView frame = decoder.frame();
        assertThat(frame.messageOffset()).isEqualTo(offset);
        assertThat(frame.mountMatches(mount)).isTrue();
        assertThat(frame.mountHash()).isEqualTo(mount.hash());
        assertThat(frame.mountString()).isEqualTo(mount.toString());
        assertThat(frame.encoderId()).isEqualTo(encoderId);
        assertThat(frame.priority()).isEqualTo(priority);
        assertThat(frame.epoch()).isEqualTo(epoch);
        assertThat(frame.sequence()).isEqualTo(sequence);
        assertThat(frame.timestampUs()).isEqualTo(timestampUs);
        assertThat(frame.codec()).isEqualTo(codec);
        assertThat(frame.sampleRate()).isEqualTo(sampleRate);
        assertThat(frame.samplesInFrame()).isEqualTo(samples);
        assertThat(frame.isCleanSwitch()).isEqualTo(cleanSwitch);
        assertThat(frame.isSigned()).isEqualTo(signed);
        final byte[] decoded = new byte[frame.payloadLength()];
        buffer.getBytes(frame.payloadOffset(), decoded);
        assertThat(decoded).isEqualTo(payload);
    }

    @Property(tries = 100)
    void shouldRoundTripEveryAnnounceField(
        @ForAll("mounts") final MountName mount,
        @ForAll("u32") final long encoderId,
        @ForAll final long epoch,
        @ForAll @IntRange(max = 255) final int priority,
        @ForAll final CodecType codec,
        @ForAll final int rateIndex,
        @ForAll @IntRange(min = 1, max = Protocol.MAX_CHANNELS) final int channels,
        @ForAll @IntRange(max = 65_535) final int bitrateKbps,
        @ForAll final Boolean icyPublic,
        @ForAll("contentTypes") final String contentType,
        @ForAll("longTexts") final String icyName,
        @ForAll("shortTexts") final String icyGenre,
        @ForAll("longTexts") final String icyDescription,
        @ForAll("longTexts") final String icyUrl,
        @ForAll("shortTexts") final String iceAudioInfo,
        @ForAll final boolean signed)
    {
        final int sampleRate = TestMessages.rate(codec, rateIndex);
        final AnnounceEncoder encoder = new AnnounceEncoder().wrap(buffer, 0, mount)
            .encoderId(encoderId).epoch(epoch).priority(priority).codec(codec).sampleRate(sampleRate)
            .channels(channels).bitrateKbps(bitrateKbps);
        if (icyPublic != null)
        {
            encoder.icyPublic(icyPublic);
        }
        final int length = encoder.contentType(contentType).icyName(icyName).icyGenre(icyGenre)
            .icyDescription(icyDescription).icyUrl(icyUrl).iceAudioInfo(iceAudioInfo)
            .ingestName(NodeName.of("ingest-a.studio-1"))
            .finish(signer(signed));

        assertThat(length).isLessThanOrEqualTo(Protocol.MAX_DATAGRAM_LENGTH);
        assertDecodes(0, length, MessageType.ANNOUNCE, signed);
        final AnnounceView view = decoder.announce();
        assertThat(view.mountMatches(mount)).isTrue();
        assertThat(view.encoderId()).isEqualTo(encoderId);
        assertThat(view.epoch()).isEqualTo(epoch);
        assertThat(view.priority()).isEqualTo(priority);
        assertThat(view.codec()).isEqualTo(codec);
        assertThat(view.sampleRate()).isEqualTo(sampleRate);
        assertThat(view.channels()).isEqualTo(channels);
        assertThat(view.bitrateKbps()).isEqualTo(bitrateKbps);
        assertThat(view.icyPublic()).isEqualTo(icyPublic == null ? Protocol.ICY_PUBLIC_UNSET : icyPublic ? 1 : 0);
        assertThat(view.contentType()).isEqualTo(contentType);
        assertThat(view.icyName()).isEqualTo(icyName);
        assertThat(view.icyGenre()).isEqualTo(icyGenre);
        assertThat(view.icyDescription()).isEqualTo(icyDescription);
        assertThat(view.icyUrl()).isEqualTo(icyUrl);
        assertThat(view.iceAudioInfo()).isEqualTo(iceAudioInfo);
        assertThat(view.ingestName()).as("written whenever it fits one datagram").isIn("ingest-a.studio-1", "");
        if (view.ingestName().isEmpty())
        {
            assertThat(length + "ingest-a.studio-1".length()).isGreaterThan(Protocol.MAX_DATAGRAM_LENGTH - (
                signed ? 0 : Protocol.MAC_TRAILER_LENGTH));
        }
    }

    @Property(tries = 100)
    void shouldRoundTripAnAnnounceWithOnlySomeStreamHeaders(
        @ForAll("mounts") final MountName mount, @ForAll("longTexts") final String icyName)
    {
        final int length = new AnnounceEncoder().wrap(buffer, 0, mount)
            .encoderId(1).epoch(2).priority(0).codec(CodecType.ADTS).sampleRate(48_000).channels(2)
            .icyName(icyName)
            .finish(null);

        assertDecodes(0, length, MessageType.ANNOUNCE, false);
        final AnnounceView view = decoder.announce();
        assertThat(view.contentType()).isEmpty();
        assertThat(view.icyName()).isEqualTo(icyName);
        assertThat(view.iceAudioInfo()).isEmpty();
        assertThat(view.bitrateKbps()).isZero();
    }

    @Property(tries = 100)
    void shouldRoundTripEveryMetadataField(
        @ForAll("mounts") final MountName mount,
        @ForAll("u32") final long encoderId,
        @ForAll final long epoch,
        @ForAll final long timestampUs,
        @ForAll("titles") final String title,
        @ForAll("longTexts") final String url,
        @ForAll final boolean withUrl,
        @ForAll final boolean signed)
    {
        final MetadataEncoder encoder = new MetadataEncoder().wrap(buffer, 0, mount)
            .encoderId(encoderId).epoch(epoch).timestampUs(timestampUs).streamTitle(title);
        if (withUrl)
        {
            encoder.streamUrl(url);
        }
        final int length = encoder.finish(signer(signed));

        assertThat(length).isLessThanOrEqualTo(Protocol.MAX_DATAGRAM_LENGTH);
        assertDecodes(0, length, MessageType.METADATA, signed);
        final MetadataView view = decoder.metadata();
        assertThat(view.mountMatches(mount)).isTrue();
        assertThat(view.encoderId()).isEqualTo(encoderId);
        assertThat(view.epoch()).isEqualTo(epoch);
        assertThat(view.timestampUs()).isEqualTo(timestampUs);
        assertThat(view.streamTitle()).isEqualTo(title);
        assertThat(view.streamUrl()).isEqualTo(withUrl ? url : "");
    }

    @Property(tries = 100)
    void shouldRoundTripAHeartbeatWithItsStreamList(
        @ForAll("nodeNames") final NodeName sender,
        @ForAll final long senderTimeUs,
        @ForAll final long heartbeatSequence,
        @ForAll @Size(max = 30) final List<@From("positions") Position> streams,
        @ForAll final boolean signed)
    {
        final HeartbeatEncoder encoder = new HeartbeatEncoder().wrap(buffer, 0, sender)
            .senderTimeUs(senderTimeUs).heartbeatSequence(heartbeatSequence);
        for (final Position p : streams)
        {
            encoder.addStream(p.mount(), p.encoderId(), p.epoch(), p.sequence());
        }
        final int expectedLength = encoder.encodedLength(signer(signed));
        final int length = encoder.finish(signer(signed));

        assertThat(length).isEqualTo(expectedLength);
        assertDecodes(0, length, MessageType.HEARTBEAT, signed);
        final HeartbeatView view = decoder.heartbeat();
        assertThat(view.nodeNameMatches(sender)).isTrue();
        assertThat(view.senderTimeUs()).isEqualTo(senderTimeUs);
        assertThat(view.heartbeatSequence()).isEqualTo(heartbeatSequence);
        assertThat(view.streamCount()).isEqualTo(streams.size());
        assertThat(readPositions(view.streams())).isEqualTo(streams);
        assertThat(readPositions(view.streams())).as("cursor rewinds").isEqualTo(streams);
    }

    @Property(tries = 100)
    void shouldRoundTripASubscribeWithMountsAndResumePoints(
        @ForAll @Size(max = 30) final List<@From("mounts") MountName> mounts,
        @ForAll @Size(max = 30) final List<@From("positions") Position> resumePoints,
        @ForAll final boolean signed)
    {
        final SubscribeEncoder encoder = new SubscribeEncoder().wrap(buffer, 0);
        mounts.forEach(encoder::addMount);
        resumePoints.forEach(p -> encoder.addResumePoint(p.mount(), p.encoderId(), p.epoch(), p.sequence()));
        final int length = encoder.finish(signer(signed));

        assertDecodes(0, length, MessageType.SUBSCRIBE, signed);
        final SubscribeView view = decoder.subscribe();
        assertThat(view.isAllMounts()).isEqualTo(mounts.isEmpty());
        final List<MountName> decodedMounts = new ArrayList<>();
        final MountCursor cursor = view.mounts();
        while (cursor.next())
        {
            assertThat(cursor.mountHash()).isEqualTo(mounts.get(decodedMounts.size()).hash());
            decodedMounts.add(MountName.copyOf(view.buffer(), cursor.mountOffset(), cursor.mountLength()));
        }
        assertThat(decodedMounts).isEqualTo(mounts);
        assertThat(view.resumePointCount()).isEqualTo(resumePoints.size());
        assertThat(readPositions(view.resumePoints())).isEqualTo(resumePoints);
    }

    @Property(tries = 100)
    void shouldRoundTripARetransmitRequestWithItsRanges(
        @ForAll("mounts") final MountName mount,
        @ForAll("u32") final long encoderId,
        @ForAll final long epoch,
        @ForAll @Size(min = 1, max = Protocol.MAX_RETRANSMIT_RANGES) @UniqueElements
        final List<@LongRange(max = Long.MAX_VALUE - 65_535) Long> firsts,
        @ForAll @IntRange(min = 1, max = Protocol.MAX_RETRANSMIT_RANGE_LENGTH) final int count,
        @ForAll final boolean signed)
    {
        final RetransmitRequestEncoder encoder = new RetransmitRequestEncoder().wrap(buffer, 0, mount)
            .encoderId(encoderId).epoch(epoch);
        firsts.forEach(first -> encoder.addRange(first, count));
        final int length = encoder.finish(signer(signed));

        assertThat(length).isLessThanOrEqualTo(Protocol.MAX_DATAGRAM_LENGTH);
        assertDecodes(0, length, MessageType.RETRANSMIT_REQUEST, signed);
        final RetransmitRequestView view = decoder.retransmitRequest();
        assertThat(view.mountMatches(mount)).isTrue();
        assertThat(view.encoderId()).isEqualTo(encoderId);
        assertThat(view.epoch()).isEqualTo(epoch);
        assertThat(view.rangeCount()).isEqualTo(firsts.size());
        for (int i = 0; i < firsts.size(); i++)
        {
            assertThat(view.rangeFirstSequence(i)).isEqualTo(firsts.get(i));
            assertThat(view.rangeLength(i)).isEqualTo(count);
        }
    }

    @Property(tries = 50)
    void shouldDecodeEachOfSeveralMessagesSharingOneDatagram(
        @ForAll("mounts") final MountName mount, @ForAll @IntRange(min = 1, max = 5) final int messages)
    {
        final FrameEncoder encoder = new FrameEncoder();
        int position = 0;
        for (int i = 0; i < messages; i++)
        {
            position += encoder.wrap(buffer, position, mount).encoderId(1).priority(0).epoch(1).sequence(i)
                .timestampUs(i).codec(CodecType.ADTS).sampleRate(48_000).samplesInFrame(1024)
                .payload(new byte[] { 1, 2, 3 }, 0, 3).finish(null);
        }

        int offset = 0;
        for (int i = 0; i < messages; i++)
        {
            assertThat(decoder.decode(buffer, offset, position - offset)).isEqualTo(DecodeResult.OK);
            assertThat(decoder.frame().sequence()).isEqualTo(i);
            offset += decoder.messageLength();
        }
        assertThat(offset).isEqualTo(position);
    }

    private static List<Position> readPositions(final StreamPositionCursor cursor)
    {
        final List<Position> result = new ArrayList<>();
        while (cursor.next())
        {
            final MountName mount = MountName.copyOf(cursor.buffer(), cursor.mountOffset(), cursor.mountLength());
            assertThat(cursor.mountHash()).isEqualTo(mount.hash());
            assertThat(cursor.mountMatches(mount)).isTrue();
            result.add(new Position(mount, cursor.encoderId(), cursor.epoch(), cursor.sequence()));
        }
        return result;
    }
}
