package org.seamcast.codec.audio;

import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad input is refused with a reason and never throws; misuse throws; the hot path allocates nothing. Uses the
 * committed fixtures, so no encoder is needed.
 */
class Mp3BridgeHostileInputTest
{
    private static final List<byte[]> MPEG_1 = FrameCollector.split(Fixtures.bytes("mp3-mpeg1-44100-128k-cbr-stereo.mp3")).frames;
    private static final List<byte[]> MPEG_2 = FrameCollector.split(Fixtures.bytes("mp3-mpeg2-22050-32k-mono.mp3")).frames;
    private static final List<byte[]> LAYER_2 = FrameCollector.split(Fixtures.bytes("mp2-mpeg1-48000-192k-stereo.mp2")).frames;
    private static final List<byte[]> ADTS = FrameCollector.split(Fixtures.bytes("aac-lc-44100-stereo.aac")).frames;

    private final Mp3Bridge bridge = new Mp3Bridge();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[Mp3Bridge.MAX_BRIDGE_FRAME_LENGTH]);

    @Test
    void shouldRefuseEveryTruncationOfAFrame()
    {
        final byte[] frame = MPEG_1.get(20);
        for (int length = 0; length < frame.length; length++)
        {
            assertThat(bridge.begin(new UnsafeBuffer(frame), 0, length)).isFalse();
            assertThat(bridge.refusal()).as("length " + length).isEqualTo(Mp3BridgeRefusal.TRUNCATED);
            assertThat(bridge.refusalValue()).isEqualTo(length);
            assertThat(bridge.write(out, 0)).isEqualTo(Mp3BridgeStatus.REFUSED);
            assertThat(bridge.frameLength()).isZero();
        }
    }

    @Test
    void shouldRefuseTruncatedEarlierAndNextFrames()
    {
        final int k = firstBorrowingFrame(MPEG_1);
        begin(MPEG_1, k);
        final byte[] earlier = MPEG_1.get(k - 1);
        assertThat(bridge.addEarlierFrame(new UnsafeBuffer(earlier), 0, earlier.length - 1)).isFalse();
        assertThat(bridge.describeRefusal()).isEqualTo("TRUNCATED value=" + (earlier.length - 1) + " limit=" +
            earlier.length);
        assertThat(bridge.write(out, 0)).isEqualTo(Mp3BridgeStatus.REFUSED);

        begin(MPEG_1, k);
        addEarlier(MPEG_1, k);
        final byte[] next = MPEG_1.get(k + 1);
        assertThat(bridge.addNextFrame(new UnsafeBuffer(next), 0, 3)).isFalse();
        assertThat(bridge.refusal()).isEqualTo(Mp3BridgeRefusal.TRUNCATED);
    }

    @Test
    void shouldRefuseFramesLongerThanTheirHeaderSays()
    {
        final byte[] frame = MPEG_1.get(20);
        final byte[] longer = new byte[frame.length + 1];
        System.arraycopy(frame, 0, longer, 0, frame.length);

        assertThat(bridge.begin(new UnsafeBuffer(longer), 0, longer.length)).isFalse();
        assertThat(bridge.describeRefusal()).isEqualTo("BAD_FRAME_LENGTH value=" + longer.length + " limit=" +
            frame.length);
    }

    @Test
    void shouldRefuseFreeFormatLayerIIAndAdts()
    {
        final byte[] freeFormat = MPEG_1.get(20).clone();
        freeFormat[2] &= 0x0F;
        assertThat(bridge.begin(new UnsafeBuffer(freeFormat), 0, freeFormat.length)).isFalse();
        assertThat(bridge.refusal()).isEqualTo(Mp3BridgeRefusal.FREE_FORMAT);

        final byte[] layer2 = LAYER_2.get(5);
        assertThat(bridge.begin(new UnsafeBuffer(layer2), 0, layer2.length)).isFalse();
        assertThat(bridge.describeRefusal()).isEqualTo("NOT_LAYER_III value=2 limit=3");
        assertThat(bridge.write(out, 0)).isEqualTo(Mp3BridgeStatus.REFUSED);
        assertThat(bridge.writeSilence(out, 0)).isEqualTo(Mp3BridgeStatus.REFUSED);

        final byte[] adts = ADTS.get(5);
        assertThat(bridge.begin(new UnsafeBuffer(adts), 0, adts.length)).isFalse();
        assertThat(bridge.refusal()).isEqualTo(Mp3BridgeRefusal.INVALID_HEADER);
    }

    @Test
    void shouldRefuseEarlierOrNextFramesOfAnotherStream()
    {
        final int k = firstBorrowingFrame(MPEG_1);
        begin(MPEG_1, k);
        final byte[] other = MPEG_2.get(10);
        assertThat(bridge.addEarlierFrame(new UnsafeBuffer(other), 0, other.length)).isFalse();
        assertThat(bridge.refusal()).isEqualTo(Mp3BridgeRefusal.INCONSISTENT_HEADER);
        assertThat(bridge.needsEarlierFrame()).isFalse();

        begin(MPEG_1, k);
        addEarlier(MPEG_1, k);
        assertThat(bridge.addNextFrame(new UnsafeBuffer(other), 0, other.length)).isFalse();
        assertThat(bridge.refusal()).isEqualTo(Mp3BridgeRefusal.INCONSISTENT_HEADER);
        assertThat(bridge.write(out, 0)).isEqualTo(Mp3BridgeStatus.REFUSED);
    }

    @Test
    void shouldRefuseMainDataReachingBeforeTheFramesGivenAndFallBackToSilence()
    {
        final int k = firstBorrowingFrame(MPEG_1);
        begin(MPEG_1, k);
        assertThat(bridge.needsEarlierFrame()).isTrue();
        final byte[] next = MPEG_1.get(k + 1);
        bridge.addNextFrame(new UnsafeBuffer(next), 0, next.length);

        assertThat(bridge.write(out, 0)).isEqualTo(Mp3BridgeStatus.REFUSED);
        assertThat(bridge.refusal()).isEqualTo(Mp3BridgeRefusal.RESERVOIR_NOT_COVERED);
        assertThat(bridge.refusalValue()).isEqualTo(mainDataBegin(MPEG_1.get(k)));
        assertThat(bridge.refusalLimit()).isZero();

        assertThat(bridge.writeSilence(out, 0)).isEqualTo(Mp3BridgeStatus.COMPLETE);
        assertThat(bridge.refusal()).as("still says why the frame was not bridged")
            .isEqualTo(Mp3BridgeRefusal.RESERVOIR_NOT_COVERED);
        assertThat(bridge.carriedBytes()).isEqualTo(mainDataBegin(next));
        final Mp3ReservoirAuditor auditor = new Mp3ReservoirAuditor();
        assertThat(auditor.audit(1, out, 0, bridge.frameLength())).isEqualTo(Mp3ReservoirFinding.OK);
        assertThat(auditor.mainDataLength()).isZero();
        assertThat(auditor.audit(1, new UnsafeBuffer(next), 0, next.length)).isEqualTo(Mp3ReservoirFinding.OK);
    }

    @Test
    void shouldRefuseANextFrameWhoseMainDataOverlapsTheBridgedFrames()
    {
        final int k = firstBorrowingFrame(MPEG_1);
        final byte[] next = MPEG_1.get(k + 1).clone();
        final int header = MpegAudioHeader.read(new UnsafeBuffer(next), 0);
        final int areaLength = MPEG_1.get(k).length - Layer3SideInfo.mainDataAreaOffset(header);
        Layer3SideInfo.putMainDataBegin(new UnsafeBuffer(next), 0, header, Math.min(511, areaLength + 100));

        begin(MPEG_1, k);
        addEarlier(MPEG_1, k);
        bridge.addNextFrame(new UnsafeBuffer(next), 0, next.length);
        assertThat(bridge.write(out, 0)).isEqualTo(Mp3BridgeStatus.REFUSED);
        assertThat(bridge.refusal()).isEqualTo(Mp3BridgeRefusal.OVERLAPPING_MAIN_DATA);
    }

    @Test
    void shouldRefuseSideInfoAskingForMoreMainDataThanTheFrameHolds()
    {
        final int k = firstBorrowingFrame(MPEG_1);
        final byte[] frame = MPEG_1.get(k).clone();
        for (int block = 0; block < 4; block++)
        {
            // MPEG-1 stereo: part2_3_length of each granule and channel, 12 bits from bit 20 of the side info, 59 apart
            final int bit = 4 * 8 + 20 + 59 * block;
            for (int i = 0; i < 12; i++)
            {
                frame[(bit + i) >>> 3] |= (byte)(0x80 >>> ((bit + i) & 7));
            }
        }
        begin(frame);
        addEarlier(MPEG_1, k);
        assertThat(bridge.write(out, 0)).isEqualTo(Mp3BridgeStatus.REFUSED);
        assertThat(bridge.refusal()).isEqualTo(Mp3BridgeRefusal.MAIN_DATA_PAST_FRAME);
    }

    @Test
    void shouldRefuseAChainedFrameOtherThanTheAnnouncedNext()
    {
        final Mp3Bridge capped = new Mp3Bridge(1);
        for (int k = 2; k + 2 < MPEG_1.size(); k++)
        {
            capped.begin(new UnsafeBuffer(MPEG_1.get(k)), 0, MPEG_1.get(k).length);
            for (int s = k - 1; s >= 0 && capped.needsEarlierFrame(); s--)
            {
                capped.addEarlierFrame(new UnsafeBuffer(MPEG_1.get(s)), 0, MPEG_1.get(s).length);
            }
            capped.addNextFrame(new UnsafeBuffer(MPEG_1.get(k + 1)), 0, MPEG_1.get(k + 1).length);
            if (capped.write(out, 0) == Mp3BridgeStatus.CHAIN_CONTINUES)
            {
                final byte[] wrong = MPEG_1.get(k + 2);
                if (mainDataBegin(wrong) != mainDataBegin(MPEG_1.get(k + 1)))
                {
                    assertThat(capped.continueChain(new UnsafeBuffer(wrong), 0, wrong.length)).isFalse();
                    assertThat(capped.refusal()).isEqualTo(Mp3BridgeRefusal.CHAIN_MISMATCH);
                    assertThat(capped.write(out, 0)).isEqualTo(Mp3BridgeStatus.REFUSED);
                    return;
                }
            }
        }
        throw new AssertionError("no chain at the frame's own bitrate in the fixture");
    }

    @Test
    void shouldThrowOnMisuse()
    {
        final Mp3Bridge fresh = new Mp3Bridge();
        assertThatThrownBy(() -> fresh.write(out, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> fresh.addEarlierFrame(out, 0, 4)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> fresh.continueChain(out, 0, 4)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> fresh.writeSilence(out, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new Mp3Bridge(15)).hasMessage("bitrateIndexLimit=15 outside 1..14");

        begin(MPEG_1, 0);
        assertThatThrownBy(() -> bridge.write(new UnsafeBuffer(new byte[100]), 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("dst capacity=100 offset=0 < frame length=");
        assertThat(bridge.write(out, 0)).isEqualTo(Mp3BridgeStatus.COMPLETE);
        assertThat(bridge.isVerbatim()).isTrue();
        assertThatThrownBy(() -> bridge.write(out, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bridge.continueChain(out, 0, 4)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bridge.addNextFrame(out, 0, 4)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldReadFramesAtAnyOffsetInALargerBuffer()
    {
        final int k = firstBorrowingFrame(MPEG_1);
        final UnsafeBuffer arena = new UnsafeBuffer(new byte[16_384]);
        final int[] offsets = new int[k + 2];
        int position = 7;
        for (int i = 0; i < k + 2; i++)
        {
            offsets[i] = position;
            arena.putBytes(position, MPEG_1.get(i));
            position += MPEG_1.get(i).length + 3;
        }
        bridge.begin(arena, offsets[k], MPEG_1.get(k).length);
        for (int s = k - 1; s >= 0 && bridge.needsEarlierFrame(); s--)
        {
            bridge.addEarlierFrame(arena, offsets[s], MPEG_1.get(s).length);
        }
        bridge.addNextFrame(arena, offsets[k + 1], MPEG_1.get(k + 1).length);
        final UnsafeBuffer target = new UnsafeBuffer(new byte[Mp3Bridge.MAX_BRIDGE_FRAME_LENGTH + 11]);
        assertThat(bridge.write(target, 11)).isEqualTo(Mp3BridgeStatus.COMPLETE);

        final byte[] atZero = new byte[bridge.frameLength()];
        target.getBytes(11, atZero);
        final Mp3Bridge reference = new Mp3Bridge();
        reference.begin(new UnsafeBuffer(MPEG_1.get(k)), 0, MPEG_1.get(k).length);
        for (int s = k - 1; s >= 0 && reference.needsEarlierFrame(); s--)
        {
            reference.addEarlierFrame(new UnsafeBuffer(MPEG_1.get(s)), 0, MPEG_1.get(s).length);
        }
        reference.addNextFrame(new UnsafeBuffer(MPEG_1.get(k + 1)), 0, MPEG_1.get(k + 1).length);
        reference.write(out, 0);
        final byte[] expected = new byte[reference.frameLength()];
        out.getBytes(0, expected);
        assertThat(atZero).isEqualTo(expected);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void randomBytesAreRefusedOrBridgedButNeverThrow(
        @ForAll @Size(max = 1500) final byte[] frame,
        @ForAll @Size(max = 6) final List<@Size(max = 1500) byte[]> earlier,
        @ForAll @Size(max = 1500) final byte[] next)
    {
        exercise(frame, earlier, next);
    }

    /**
     * Random bytes rarely start with a valid header, so this one gives them one (with a length that matches), and
     * random side information and main data after it.
     */
    @Property(tries = 1000)
    void framesWithValidHeadersAndRandomContentNeverThrow(
        @ForAll @IntRange(min = 0, max = 5) final int earlierCount, @ForAll final long seed)
    {
        final Random random = new Random(seed);
        final int header = randomLayer3Header(random);
        final byte[] frame = randomFrame(random, header);
        final List<byte[]> earlier = new ArrayList<>();
        for (int i = 0; i < earlierCount; i++)
        {
            earlier.add(randomFrame(random, random.nextInt(4) == 0 ? randomLayer3Header(random) : header));
        }
        exercise(frame, earlier, random.nextBoolean() ? randomFrame(random, header) : new byte[0]);

        final Mp3ReservoirAuditor auditor = new Mp3ReservoirAuditor();
        for (final byte[] each : earlier)
        {
            auditor.audit(1, new UnsafeBuffer(each), 0, each.length);
            auditor.mainData();
        }
        auditor.audit(2, new UnsafeBuffer(frame), 0, frame.length);
        assertThat(auditor.frames()).isEqualTo(earlier.size() + 1);
    }

    @Test
    void shouldBridgeWithoutAllocating()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Mp3Bridge capped = new Mp3Bridge(1);
        final UnsafeBuffer[] frames = MPEG_1.stream().map(UnsafeBuffer::new).toArray(UnsafeBuffer[]::new);
        final Mp3ReservoirAuditor auditor = new Mp3ReservoirAuditor();
        long sink = bridgeEverywhere(bridge, frames, auditor) + bridgeEverywhere(capped, frames, auditor);

        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20; i++)
        {
            sink += bridgeEverywhere(bridge, frames, auditor) + bridgeEverywhere(capped, frames, auditor);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sink).isPositive();
        assertThat(allocated).as("bytes allocated over %d bridges", 40 * frames.length).isLessThan(65_536);
    }

    private long bridgeEverywhere(final Mp3Bridge subject, final UnsafeBuffer[] frames, final Mp3ReservoirAuditor auditor)
    {
        long sink = 0;
        for (int k = 1; k + 1 < frames.length; k++)
        {
            subject.begin(frames[k], 0, frames[k].capacity());
            for (int s = k - 1; s >= 0 && subject.needsEarlierFrame(); s--)
            {
                subject.addEarlierFrame(frames[s], 0, frames[s].capacity());
            }
            subject.addNextFrame(frames[k + 1], 0, frames[k + 1].capacity());
            Mp3BridgeStatus status = subject.write(out, 0);
            for (int j = k + 1; status == Mp3BridgeStatus.CHAIN_CONTINUES && j + 1 < frames.length; j++)
            {
                sink += subject.frameLength();
                subject.continueChain(frames[j], 0, frames[j].capacity());
                subject.addNextFrame(frames[j + 1], 0, frames[j + 1].capacity());
                status = subject.write(out, 0);
            }
            if (status == Mp3BridgeStatus.REFUSED)
            {
                status = subject.writeSilence(out, 0);
            }
            sink += subject.frameLength() + status.ordinal();
            auditor.audit(1, out, 0, subject.frameLength());
            sink += auditor.mainDataLength() + auditor.sourceCount();
        }
        return sink;
    }

    private void exercise(final byte[] frame, final List<byte[]> earlier, final byte[] next)
    {
        bridge.begin(new UnsafeBuffer(frame), 0, frame.length);
        for (int i = 0; i < earlier.size() && bridge.needsEarlierFrame(); i++)
        {
            bridge.addEarlierFrame(new UnsafeBuffer(earlier.get(i)), 0, earlier.get(i).length);
        }
        if (next.length > 0)
        {
            bridge.addNextFrame(new UnsafeBuffer(next), 0, next.length);
        }
        final Mp3BridgeStatus status = bridge.write(out, 0);
        if (status == Mp3BridgeStatus.REFUSED)
        {
            assertThat(bridge.refusal()).isNotEqualTo(Mp3BridgeRefusal.NONE);
            assertThat(bridge.writeSilence(out, 0)).isNotNull();
        }
        if (bridge.frameLength() > 0)
        {
            final int header = MpegAudioHeader.read(out, 0);
            assertThat(MpegAudioHeader.isValid(header)).isTrue();
            assertThat(MpegAudioHeader.frameLengthBytes(header)).isEqualTo(bridge.frameLength());
            assertThat(Layer3SideInfo.maxMainDataBegin(header)).isGreaterThanOrEqualTo(MpegAudioHeader.mainDataBegin(out, 0));
        }
    }

    private static int randomLayer3Header(final Random random)
    {
        final int[] versions = {0, 2, 3};
        final int version = versions[random.nextInt(3)];
        return 0xFFE00000 | (version << 19) | (1 << 17) | (random.nextInt(2) << 16) |
            ((1 + random.nextInt(14)) << 12) | (random.nextInt(3) << 10) | (random.nextInt(2) << 9) |
            (random.nextInt(256) & 0xFF);
    }

    private static byte[] randomFrame(final Random random, final int header)
    {
        final byte[] frame = new byte[MpegAudioHeader.frameLengthBytes(header)];
        random.nextBytes(frame);
        new UnsafeBuffer(frame).putInt(0, header, ByteOrder.BIG_ENDIAN);
        return frame;
    }

    private void begin(final List<byte[]> frames, final int k)
    {
        begin(frames.get(k));
    }

    private void begin(final byte[] frame)
    {
        assertThat(bridge.begin(new UnsafeBuffer(frame), 0, frame.length)).as(bridge.describeRefusal()).isTrue();
    }

    private void addEarlier(final List<byte[]> frames, final int k)
    {
        for (int s = k - 1; s >= 0 && bridge.needsEarlierFrame(); s--)
        {
            assertThat(bridge.addEarlierFrame(new UnsafeBuffer(frames.get(s)), 0, frames.get(s).length)).isTrue();
        }
        assertThat(bridge.needsEarlierFrame()).isFalse();
    }

    private static int firstBorrowingFrame(final List<byte[]> frames)
    {
        for (int k = 2; k + 1 < frames.size(); k++)
        {
            if (mainDataBegin(frames.get(k)) > 0)
            {
                return k;
            }
        }
        throw new AssertionError("no frame borrows in the fixture");
    }

    private static int mainDataBegin(final byte[] frame)
    {
        return MpegAudioHeader.mainDataBegin(new UnsafeBuffer(frame), 0);
    }
}
