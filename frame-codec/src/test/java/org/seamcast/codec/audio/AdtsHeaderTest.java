package org.seamcast.codec.audio;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AdtsHeaderTest
{
    @Test
    void shouldReadEveryField()
    {
        final long header = AdtsHeaderBuilder.header()
            .id(1).protectionAbsent(0).profile(1).samplingFrequencyIndex(3).privateBit(1).channelConfiguration(6)
            .original(1).home(0).copyrightIdBit(1).copyrightIdStart(0).frameLength(1234).bufferFullness(0x155)
            .rawDataBlocks(4)
            .build();

        assertThat(AdtsHeader.check(header)).isEqualTo(HeaderStatus.VALID);
        assertThat(AdtsHeader.id(header)).isEqualTo(1);
        assertThat(AdtsHeader.layer(header)).isZero();
        assertThat(AdtsHeader.hasCrc(header)).isTrue();
        assertThat(AdtsHeader.headerLengthBytes(header)).isEqualTo(9);
        assertThat(AdtsHeader.profile(header)).isEqualTo(1);
        assertThat(AdtsHeader.samplingFrequencyIndex(header)).isEqualTo(3);
        assertThat(AdtsHeader.sampleRateHz(header)).isEqualTo(48000);
        assertThat(AdtsHeader.isPrivate(header)).isTrue();
        assertThat(AdtsHeader.channelConfiguration(header)).isEqualTo(6);
        assertThat(AdtsHeader.channels(header)).isEqualTo(6);
        assertThat(AdtsHeader.isOriginal(header)).isTrue();
        assertThat(AdtsHeader.isHome(header)).isFalse();
        assertThat(AdtsHeader.copyrightIdentificationBit(header)).isTrue();
        assertThat(AdtsHeader.copyrightIdentificationStart(header)).isFalse();
        assertThat(AdtsHeader.frameLengthBytes(header)).isEqualTo(1234);
        assertThat(AdtsHeader.bufferFullness(header)).isEqualTo(0x155);
        assertThat(AdtsHeader.rawDataBlocks(header)).isEqualTo(4);
        assertThat(AdtsHeader.samplesPerFrame(header)).isEqualTo(4096);
        assertThat(AdtsHeader.describe(header)).isEqualTo("AAC-LC");
    }

    @Test
    void shouldReadTheSevenHeaderBytesBigEndian()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[]
            {(byte)0xFF, (byte)0xF1, (byte)0x50, (byte)0x80, (byte)0x2E, (byte)0x7F, (byte)0xFC, 0x55});

        final long header = AdtsHeader.read(buffer, 0);

        assertThat(header).isEqualTo(0xFFF150802E7FFCL);
        assertThat(AdtsHeader.hasCrc(header)).isFalse();
        assertThat(AdtsHeader.profile(header)).isEqualTo(AdtsHeader.PROFILE_AAC_LC);
        assertThat(AdtsHeader.sampleRateHz(header)).isEqualTo(44100);
        assertThat(AdtsHeader.channelConfiguration(header)).isEqualTo(2);
        assertThat(AdtsHeader.frameLengthBytes(header)).isEqualTo(0x173);
        assertThat(AdtsHeader.bufferFullness(header)).isEqualTo(0x7FF);
        assertThat(AdtsHeader.rawDataBlocks(header)).isEqualTo(1);
        assertThat(AdtsHeader.samplesPerFrame(header)).isEqualTo(1024);
    }

    @Test
    void shouldMapEverySamplingFrequencyIndex()
    {
        final int[] expected = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};
        for (int index = 0; index < expected.length; index++)
        {
            final long header = AdtsHeaderBuilder.header().samplingFrequencyIndex(index).build();
            assertThat(AdtsHeader.sampleRateHz(header)).isEqualTo(expected[index]);
        }
        assertThat(AdtsHeader.check(AdtsHeaderBuilder.header().samplingFrequencyIndex(13).build()))
            .isEqualTo(HeaderStatus.RESERVED_SAMPLE_RATE);
        assertThat(AdtsHeader.check(AdtsHeaderBuilder.header().samplingFrequencyIndex(15).build()))
            .isEqualTo(HeaderStatus.RESERVED_SAMPLE_RATE);
    }

    @Test
    void shouldNameWhyAHeaderIsInvalid()
    {
        assertThat(AdtsHeader.check(0x0012345678L)).isEqualTo(HeaderStatus.NO_SYNC);
        assertThat(AdtsHeader.check(AdtsHeaderBuilder.header().layer(1).build())).isEqualTo(HeaderStatus.RESERVED_LAYER);
        assertThat(AdtsHeader.check(AdtsHeaderBuilder.header().frameLength(6).build()))
            .isEqualTo(HeaderStatus.BAD_FRAME_LENGTH);
        assertThat(AdtsHeader.check(AdtsHeaderBuilder.header().protectionAbsent(0).frameLength(8).build()))
            .isEqualTo(HeaderStatus.BAD_FRAME_LENGTH);
        assertThat(AdtsHeader.check(AdtsHeaderBuilder.header().frameLength(7).build())).isEqualTo(HeaderStatus.VALID);
    }

    @Test
    void shouldTreatLengthAndFullnessAsFreeToChangeButNotProfileRateOrChannels()
    {
        final long header = AdtsHeaderBuilder.header().build();

        assertThat(AdtsHeader.isConsistent(header, AdtsHeaderBuilder.header().frameLength(999).bufferFullness(3).build()))
            .isTrue();
        assertThat(AdtsHeader.isConsistent(header, AdtsHeaderBuilder.header().id(1).build())).isTrue();
        assertThat(AdtsHeader.isConsistent(header, AdtsHeaderBuilder.header().profile(0).build())).isFalse();
        assertThat(AdtsHeader.isConsistent(header, AdtsHeaderBuilder.header().samplingFrequencyIndex(3).build())).isFalse();
        assertThat(AdtsHeader.isConsistent(header, AdtsHeaderBuilder.header().channelConfiguration(1).build())).isFalse();
    }
}
