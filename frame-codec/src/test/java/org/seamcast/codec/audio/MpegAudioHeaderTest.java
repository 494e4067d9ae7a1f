package org.seamcast.codec.audio;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MpegAudioHeaderTest
{
    @Test
    void shouldParseAnMpeg1Layer3Header()
    {
        final int header = 0xFFFB9064;

        assertThat(MpegAudioHeader.check(header)).isEqualTo(HeaderStatus.VALID);
        assertThat(MpegAudioHeader.version(header)).isEqualTo(MpegVersion.MPEG_1);
        assertThat(MpegAudioHeader.layer(header)).isEqualTo(3);
        assertThat(MpegAudioHeader.hasCrc(header)).isFalse();
        assertThat(MpegAudioHeader.bitrateKbps(header)).isEqualTo(128);
        assertThat(MpegAudioHeader.sampleRateHz(header)).isEqualTo(44100);
        assertThat(MpegAudioHeader.isPadded(header)).isFalse();
        assertThat(MpegAudioHeader.channelMode(header)).isEqualTo(ChannelMode.JOINT_STEREO);
        assertThat(MpegAudioHeader.channels(header)).isEqualTo(2);
        assertThat(MpegAudioHeader.modeExtension(header)).isEqualTo(2);
        assertThat(MpegAudioHeader.isOriginal(header)).isTrue();
        assertThat(MpegAudioHeader.isCopyright(header)).isFalse();
        assertThat(MpegAudioHeader.emphasis(header)).isZero();
        assertThat(MpegAudioHeader.samplesPerFrame(header)).isEqualTo(1152);
        assertThat(MpegAudioHeader.frameLengthBytes(header)).isEqualTo(417);
        assertThat(MpegAudioHeader.frameLengthBytes(header | 0x200)).isEqualTo(418);
        assertThat(MpegAudioHeader.durationNs(header)).isEqualTo(26_122_448L);
        assertThat(MpegAudioHeader.sideInfoLengthBytes(header)).isEqualTo(32);
        assertThat(MpegAudioHeader.describe(header)).isEqualTo("MPEG-1 Layer III");
    }

    @Test
    void shouldUse72InsteadOf144ForLayer3OnMpeg2AndMpeg25()
    {
        final int mpeg2 = 0xFFF340C0;     // MPEG-2 L3, 32 kb/s, 22.05 kHz, mono
        final int mpeg25 = 0xFFE320C0;    // MPEG-2.5 L3, 16 kb/s, 11.025 kHz, mono

        assertThat(MpegAudioHeader.version(mpeg2)).isEqualTo(MpegVersion.MPEG_2);
        assertThat(MpegAudioHeader.bitrateKbps(mpeg2)).isEqualTo(32);
        assertThat(MpegAudioHeader.sampleRateHz(mpeg2)).isEqualTo(22050);
        assertThat(MpegAudioHeader.frameLengthBytes(mpeg2)).isEqualTo(72 * 32000 / 22050);
        assertThat(MpegAudioHeader.samplesPerFrame(mpeg2)).isEqualTo(576);
        assertThat(MpegAudioHeader.sideInfoLengthBytes(mpeg2)).isEqualTo(9);
        assertThat(MpegAudioHeader.channelMode(mpeg2)).isEqualTo(ChannelMode.MONO);

        assertThat(MpegAudioHeader.version(mpeg25)).isEqualTo(MpegVersion.MPEG_2_5);
        assertThat(MpegAudioHeader.bitrateKbps(mpeg25)).isEqualTo(16);
        assertThat(MpegAudioHeader.sampleRateHz(mpeg25)).isEqualTo(11025);
        assertThat(MpegAudioHeader.frameLengthBytes(mpeg25)).isEqualTo(72 * 16000 / 11025);
        assertThat(MpegAudioHeader.samplesPerFrame(mpeg25)).isEqualTo(576);
        assertThat(MpegAudioHeader.describe(mpeg25)).isEqualTo("MPEG-2.5 Layer III");
    }

    @Test
    void shouldCountLayer1LengthInFourByteSlots()
    {
        final int header = 0xFFFFC400;    // MPEG-1 L1, 384 kb/s, 48 kHz

        assertThat(MpegAudioHeader.layer(header)).isEqualTo(1);
        assertThat(MpegAudioHeader.bitrateKbps(header)).isEqualTo(384);
        assertThat(MpegAudioHeader.samplesPerFrame(header)).isEqualTo(384);
        assertThat(MpegAudioHeader.frameLengthBytes(header)).isEqualTo(384);
        assertThat(MpegAudioHeader.frameLengthBytes(header | 0x200)).isEqualTo(388);
    }

    @Test
    void shouldUse144ForLayer2OnEveryVersion()
    {
        final int mpeg1 = 0xFFFDA400;     // MPEG-1 L2, 192 kb/s, 48 kHz
        final int mpeg2 = 0xFFF5E800;     // MPEG-2 L2, 160 kb/s, 16 kHz

        assertThat(MpegAudioHeader.layer(mpeg1)).isEqualTo(2);
        assertThat(MpegAudioHeader.frameLengthBytes(mpeg1)).isEqualTo(576);
        assertThat(MpegAudioHeader.samplesPerFrame(mpeg1)).isEqualTo(1152);
        assertThat(MpegAudioHeader.bitrateKbps(mpeg2)).isEqualTo(160);
        assertThat(MpegAudioHeader.sampleRateHz(mpeg2)).isEqualTo(16000);
        assertThat(MpegAudioHeader.frameLengthBytes(mpeg2)).isEqualTo(1440);
        assertThat(MpegAudioHeader.samplesPerFrame(mpeg2)).isEqualTo(1152);
    }

    @Test
    void shouldNameWhyAHeaderIsInvalid()
    {
        assertThat(MpegAudioHeader.check(0x12345678)).isEqualTo(HeaderStatus.NO_SYNC);
        assertThat(MpegAudioHeader.check(0xFFEB9064)).isEqualTo(HeaderStatus.RESERVED_VERSION);
        assertThat(MpegAudioHeader.check(0xFFF99064)).isEqualTo(HeaderStatus.RESERVED_LAYER);
        assertThat(MpegAudioHeader.check(0xFFFB0064)).isEqualTo(HeaderStatus.FREE_FORMAT_UNSUPPORTED);
        assertThat(MpegAudioHeader.check(0xFFFBF064)).isEqualTo(HeaderStatus.BAD_BITRATE);
        assertThat(MpegAudioHeader.check(0xFFFB9C64)).isEqualTo(HeaderStatus.RESERVED_SAMPLE_RATE);
        assertThat(MpegAudioHeader.isValid(0xFFFB0064)).isFalse();
    }

    @Test
    void shouldKeepEveryValidFrameWithinMaxFrameLengthAndLongEnoughForItsSideInfo()
    {
        int longest = 0;
        for (int low = 0; low < (1 << 21); low++)
        {
            final int header = 0xFFE00000 | low;
            if (MpegAudioHeader.isValid(header))
            {
                final int length = MpegAudioHeader.frameLengthBytes(header);
                longest = Math.max(longest, length);
                assertThat(length).isGreaterThanOrEqualTo(MpegAudioHeader.HEADER_LENGTH + MpegAudioHeader.CRC_LENGTH +
                    (MpegAudioHeader.layer(header) == 3 ? MpegAudioHeader.sideInfoLengthBytes(header) : 0));
            }
        }
        assertThat(longest).isEqualTo(MpegAudioHeader.MAX_FRAME_LENGTH);
    }

    @Test
    void shouldReadNineBitMainDataBeginOnMpeg1AfterTheCrc()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
        frame.putInt(0, 0xFFFB9064, java.nio.ByteOrder.BIG_ENDIAN);
        frame.putByte(4, (byte)0xAB);
        frame.putByte(5, (byte)0x80);
        assertThat(MpegAudioHeader.mainDataBegin(frame, 0)).isEqualTo((0xAB << 1) | 1);

        frame.putInt(0, 0xFFFA9064, java.nio.ByteOrder.BIG_ENDIAN);   // protection bit 0: CRC at bytes 4..5
        frame.putByte(6, (byte)0x01);
        frame.putByte(7, (byte)0x00);
        assertThat(MpegAudioHeader.mainDataBegin(frame, 0)).isEqualTo(2);
    }

    @Test
    void shouldReadEightBitMainDataBeginOnMpeg2()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
        frame.putInt(0, 0xFFF340C0, java.nio.ByteOrder.BIG_ENDIAN);
        frame.putByte(4, (byte)0xAB);
        frame.putByte(5, (byte)0xFF);

        assertThat(MpegAudioHeader.mainDataBegin(frame, 0)).isEqualTo(0xAB);
    }

    @Test
    void shouldReturnMinusOneMainDataBeginForLayer2()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[8]);
        frame.putInt(0, 0xFFFDA400, java.nio.ByteOrder.BIG_ENDIAN);

        assertThat(MpegAudioHeader.mainDataBegin(frame, 0)).isEqualTo(-1);
    }

    @Test
    void shouldTreatBitrateAndStereoModeAsFreeToChangeButNotRateOrMononess()
    {
        assertThat(MpegAudioHeader.isConsistent(0xFFFB9064, 0xFFFBE204)).isTrue();
        assertThat(MpegAudioHeader.isConsistent(0xFFFB9064, 0xFFFB9004)).isTrue();
        assertThat(MpegAudioHeader.isConsistent(0xFFFB9064, 0xFFFB90C4)).isFalse();
        assertThat(MpegAudioHeader.isConsistent(0xFFFB9064, 0xFFFB9464)).isFalse();
        assertThat(MpegAudioHeader.isConsistent(0xFFFB9064, 0xFFF39064)).isFalse();
        assertThat(MpegAudioHeader.isConsistent(0xFFFB9064, 0xFFFD9064)).isFalse();
        assertThat(MpegAudioHeader.isConsistent(0xFFFB9064, 0xFFFA9064)).isTrue();
    }

    @Test
    void shouldExposeTheBitReservoirOfRealLameFrames()
    {
        final List<Integer> mainDataBegins = new ArrayList<>();
        final byte[] stream = Fixtures.bytes("mp3-mpeg1-44100-128k-cbr-stereo.mp3");
        final AudioFrameSplitter splitter = new AudioFrameSplitter((buffer, offset, length, header) ->
        {
            assertThat(header.bitrateKbps()).isEqualTo(128);
            assertThat(header.mainDataBegin()).isEqualTo(MpegAudioHeader.mainDataBegin(buffer, offset));
            mainDataBegins.add(header.mainDataBegin());
        });

        splitter.onData(stream, 0, stream.length);
        splitter.finish();

        assertThat(mainDataBegins).allMatch(value -> value >= 0 && value < 512);
        assertThat(mainDataBegins.get(0)).isZero();
        assertThat(mainDataBegins).anyMatch(value -> value > 0);
    }
}
