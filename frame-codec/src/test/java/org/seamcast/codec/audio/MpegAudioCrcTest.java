package org.seamcast.codec.audio;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteOrder;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class MpegAudioCrcTest
{
    /**
     * Header, CRC and side information of frames written by {@code lame -p}: MPEG-1 stereo 128 kb/s at 44.1 kHz,
     * and MPEG-2 mono 24 kb/s at 22.05 kHz.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "fffa92646e2ae203f4a76cd3a32c317000000d20000001156daf4aacb12bc800003480000004",
        "fff230c4de340c0f00b6b5887ac620",
    })
    void shouldComputeTheCrcLameWrote(final String hex)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(HexFormat.of().parseHex(hex));
        final int header = MpegAudioHeader.read(frame, 0);
        assertThat(MpegAudioHeader.hasCrc(header)).isTrue();

        assertThat(MpegAudioCrc.compute(frame, 0, header))
            .isEqualTo(frame.getShort(MpegAudioHeader.HEADER_LENGTH, ByteOrder.BIG_ENDIAN) & 0xFFFF);
    }
}
