package org.seamcast.codec.audio;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class Mp3ReservoirAuditorTest
{
    /**
     * MPEG-2 Layer III, 8 kb/s at 24 kHz, mono, no CRC: 24-byte frames with 11-byte main-data areas.
     */
    private static final int TINY_HEADER = 0xFFF314C0;
    private static final int TINY_LENGTH = 24;
    private static final int TINY_AREA = 11;

    private static final List<byte[]> CBR = FrameCollector.split(Fixtures.bytes("mp3-mpeg1-44100-128k-cbr-stereo.mp3")).frames;
    private static final List<byte[]> VBR = FrameCollector.split(Fixtures.bytes("mp3-mpeg1-44100-vbr-stereo.mp3")).frames;
    private static final List<byte[]> MPEG_2 = FrameCollector.split(Fixtures.bytes("mp3-mpeg2-22050-32k-mono.mp3")).frames;

    private final Mp3ReservoirAuditor auditor = new Mp3ReservoirAuditor();

    @Test
    void shouldAttributeEveryMainDataByteToTheFrameWhoseAreaHoldsIt()
    {
        for (int i = 0; i < 25; i++)
        {
            assertThat(audit(1, tinyFrame(0, 0))).isEqualTo(Mp3ReservoirFinding.OK);
            assertThat(auditor.mainDataLength()).isZero();
        }
        // 275 bytes of areas so far; 255 back is stream byte 20, the 10th byte of frame 1's area [11, 22)
        final byte[] frame = tinyFrame(255, 8 * (255 + TINY_AREA));
        for (int i = 0; i < TINY_AREA; i++)
        {
            frame[TINY_LENGTH - TINY_AREA + i] = (byte)(0xA0 + i);
        }

        assertThat(audit(1, frame)).isEqualTo(Mp3ReservoirFinding.OK);
        assertThat(auditor.mainDataLength()).isEqualTo(266);
        assertThat(auditor.sourceCount()).isEqualTo(25);
        assertThat(auditor.sourceFrame(0)).isEqualTo(1);
        assertThat(auditor.sourceBytes(0)).isEqualTo(2);
        for (int i = 1; i < 25; i++)
        {
            assertThat(auditor.sourceFrame(i)).isEqualTo(i + 1);
            assertThat(auditor.sourceBytes(i)).isEqualTo(TINY_AREA);
            assertThat(auditor.sourceOrigin(i)).isEqualTo(1);
        }
        final byte[] mainData = auditor.mainData();
        assertThat(mainData).hasSize(266);
        assertThat(mainData[265]).isEqualTo((byte)(0xA0 + TINY_AREA - 1));
    }

    @Test
    void shouldFindTheOtherEncodersBytesInANaiveSplice()
    {
        final int k = 40;
        for (int i = 0; i < k; i++)
        {
            assertThat(audit(1, CBR.get(i))).isEqualTo(Mp3ReservoirFinding.OK);
        }
        final byte[] switchFrame = VBR.get(k);
        assertThat(MpegAudioHeader.mainDataBegin(new UnsafeBuffer(switchFrame), 0)).isPositive();

        assertThat(audit(2, switchFrame)).isIn(Mp3ReservoirFinding.FOREIGN_BYTES, Mp3ReservoirFinding.OVERLAPS_PREVIOUS);
        assertThat(auditor.sourceOrigin(0)).isEqualTo(1);
        assertThat(auditor.sourceFrame(0)).isLessThan(k);
        assertThat(auditor.problemFrames()).isEqualTo(1);
        assertThat(auditor.readsForeignBytes()).isTrue();
        assertThat(auditor.foreignFrames()).isEqualTo(1);
    }

    @Test
    void shouldFindAStreamJoinedMidwayUnsatisfied()
    {
        final int k = firstBorrowing(CBR);
        assertThat(audit(1, CBR.get(k))).isEqualTo(Mp3ReservoirFinding.UNSATISFIED);
        assertThat(auditor.getMainData(new UnsafeBuffer(new byte[2048]), 0)).isEqualTo(-1);
        assertThat(auditor.count(Mp3ReservoirFinding.UNSATISFIED)).isEqualTo(1);

        auditor.reset();
        assertThat(auditor.frames()).isZero();
        for (final byte[] frame : CBR)
        {
            assertThat(audit(1, frame)).isEqualTo(Mp3ReservoirFinding.OK);
        }
    }

    @Test
    void shouldForgetTheReservoirAtAnInvalidOrInconsistentFrame()
    {
        final int k = firstBorrowing(CBR);
        for (int i = 0; i < k; i++)
        {
            audit(1, CBR.get(i));
        }
        assertThat(audit(1, new byte[]{1, 2, 3})).isEqualTo(Mp3ReservoirFinding.INVALID_FRAME);
        assertThat(auditor.mainDataBegin()).isEqualTo(-1);
        assertThat(audit(1, CBR.get(k))).isEqualTo(Mp3ReservoirFinding.UNSATISFIED);

        assertThat(audit(1, MPEG_2.get(0))).isEqualTo(Mp3ReservoirFinding.INCONSISTENT_HEADER);
        assertThat(auditor.count(Mp3ReservoirFinding.INCONSISTENT_HEADER)).isEqualTo(1);
    }

    @Test
    void shouldFindMainDataOverlappingThePreviousFramesOrOverrunningItsOwn()
    {
        audit(1, tinyFrame(0, 8 * 5));
        assertThat(audit(1, tinyFrame(TINY_AREA - 2, 8))).isEqualTo(Mp3ReservoirFinding.OVERLAPS_PREVIOUS);
        assertThat(audit(1, tinyFrame(0, 8 * (TINY_AREA + 1)))).isEqualTo(Mp3ReservoirFinding.OVERRUNS_FRAME);
        assertThat(auditor.mainData()).isNull();
    }

    /**
     * A tiny MPEG-2 mono frame with the given main_data_begin and one granule's part2_3_length.
     */
    private static byte[] tinyFrame(final int mainDataBegin, final int part23LengthBits)
    {
        final byte[] frame = new byte[TINY_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        buffer.putInt(0, TINY_HEADER, ByteOrder.BIG_ENDIAN);
        frame[4] = (byte)mainDataBegin;
        // main_data_begin (8), private (1), then part2_3_length (12): from the top of byte 5, skip the private bit
        final int value = part23LengthBits << (32 - 1 - 12);
        frame[5] = (byte)(value >>> 24);
        frame[6] = (byte)(value >>> 16);
        return frame;
    }

    private Mp3ReservoirFinding audit(final int origin, final byte[] frame)
    {
        return auditor.audit(origin, new UnsafeBuffer(frame), 0, frame.length);
    }

    private static int firstBorrowing(final List<byte[]> frames)
    {
        for (int k = 2; k < frames.size(); k++)
        {
            if (MpegAudioHeader.mainDataBegin(new UnsafeBuffer(frames.get(k)), 0) > 0)
            {
                return k;
            }
        }
        throw new AssertionError("no frame borrows");
    }
}
