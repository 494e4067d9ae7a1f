package org.seamcast.codec.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class FrameMessageTest
{
    private static final MountName MOUNT = MountName.of("/live.mp3");

    private final FrameEncoder encoder = new FrameEncoder();
    private final MessageDecoder decoder = new MessageDecoder();

    @Test
    void shouldDecodeWhatWasEncodedIntoAnOffHeapBufferAtAnOffset()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(Protocol.MAX_FRAME_MESSAGE_LENGTH + 7));
        final byte[] audio = { (byte)0xFF, (byte)0xFB, (byte)0x90, 0x64, 1, 2, 3 };

        final int length = encoder.wrap(buffer, 7, MOUNT)
            .encoderId(0xFFFF_FFFEL).priority(3).epoch(-5).sequence(42).timestampUs(1_700_000_000_000_000L)
            .codec(CodecType.MP3).sampleRate(44_100).samplesInFrame(1152).cleanSwitch(true)
            .payload(audio, 0, audio.length)
            .finish(null);

        assertThat(decoder.decode(buffer, 7, length)).isEqualTo(DecodeResult.OK);
        assertThat(decoder.type()).isEqualTo(MessageType.FRAME);
        final FrameView frame = decoder.frame();
        assertThat(frame.mountMatches(MOUNT)).isTrue();
        assertThat(frame.mountHash()).isEqualTo(MOUNT.hash());
        assertThat(frame.encoderId()).isEqualTo(0xFFFF_FFFEL);
        assertThat(frame.priority()).isEqualTo(3);
        assertThat(frame.epoch()).isEqualTo(-5);
        assertThat(frame.sequence()).isEqualTo(42);
        assertThat(frame.timestampUs()).isEqualTo(1_700_000_000_000_000L);
        assertThat(frame.codec()).isEqualTo(CodecType.MP3);
        assertThat(frame.sampleRate()).isEqualTo(44_100);
        assertThat(frame.samplesInFrame()).isEqualTo(1152);
        assertThat(frame.durationUs()).isEqualTo(26_122);
        assertThat(frame.isCleanSwitch()).isTrue();
        assertThat(frame.messageLength()).isEqualTo(length);
        final byte[] payload = new byte[frame.payloadLength()];
        buffer.getBytes(frame.payloadOffset(), payload);
        assertThat(payload).isEqualTo(audio);
    }

    @Test
    void shouldRestampAnEncodedFrameAndSealItAgainSignedOrNot()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(Protocol.MAX_FRAME_MESSAGE_LENGTH + 3));
        final byte[] audio = { (byte)0xFF, (byte)0xFB, (byte)0x90, 0x64, 1, 2, 3 };
        final Keyring keyring = Keyring.of(1, TestMessages.key(1));
        encoder.wrap(buffer, 3, MOUNT)
            .encoderId(9).priority(1).epoch(5).sequence(8).timestampUs(0)
            .codec(CodecType.MP3).sampleRate(44_100).samplesInFrame(1152).cleanSwitch(true)
            .payload(audio, 0, audio.length)
            .finish(null);

        final int signedLength = encoder.restamp(buffer, 3, 1_700_000_000_123_456L, keyring.newAuthenticator());
        final MessageDecoder verifying = new MessageDecoder(keyring.newAuthenticator());
        assertThat(verifying.decode(buffer, 3, signedLength)).isEqualTo(DecodeResult.OK);
        assertThat(verifying.isMacVerified()).isTrue();
        assertThat(verifying.frame().timestampUs()).isEqualTo(1_700_000_000_123_456L);
        assertThat(verifying.frame().sequence()).isEqualTo(8);
        assertThat(verifying.frame().isCleanSwitch()).isTrue();

        final int unsignedLength = encoder.restamp(buffer, 3, 1_700_000_000_200_000L, null);
        assertThat(unsignedLength).isEqualTo(signedLength - Protocol.MAC_TRAILER_LENGTH);
        assertThat(decoder.decode(buffer, 3, unsignedLength)).isEqualTo(DecodeResult.OK);
        assertThat(decoder.frame().timestampUs()).isEqualTo(1_700_000_000_200_000L);
        assertThat(decoder.frame().isSigned()).isFalse();
        final byte[] payload = new byte[decoder.frame().payloadLength()];
        buffer.getBytes(decoder.frame().payloadOffset(), payload);
        assertThat(payload).isEqualTo(audio);
    }
}
