package org.seamcast.edge.node;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.codec.audio.AudioFrameSplitter;
import org.seamcast.codec.audio.ChannelMode;
import org.seamcast.codec.audio.MpegVersion;
import org.seamcast.codec.audio.SilenceFrames;
import org.seamcast.codec.protocol.MountName;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MountFallbackTest
{
    private static final MountName MOUNT = MountName.of("/live");

    @TempDir
    Path dir;

    private final UnsafeBuffer out = new UnsafeBuffer(new byte[8192]);

    @Test
    void shouldLoopTheFileFromItsStartAtEachFallbackRun() throws IOException
    {
        final MountFallback fallback = new MountFallback(MOUNT, FallbackFile.load(MOUNT, file("ident.mp3", 44_100, 3)));
        final byte[] mountFrame = frame(44_100, 99);
        fallback.learnFormat(new UnsafeBuffer(mountFrame), 0, mountFrame.length);

        fallback.onFallbackStart();
        final List<Integer> firstRun = play(fallback, 5);
        fallback.onFallbackStart();
        final List<Integer> secondRun = play(fallback, 2);

        assertThat(firstRun).containsExactly(0, 1, 2, 0, 1);
        assertThat(secondRun).as("each fallback run starts the file again").containsExactly(0, 1);
        assertThat(fallback.playsFile()).isTrue();
        assertThat(fallback.refusal()).isNull();
        assertThat(fallback.lastFrameDurationUs()).isEqualTo(26_122);
    }

    @Test
    void shouldRefuseAFileOfAnotherFormatThanTheMountsNamingBothAndPlaySilence() throws IOException
    {
        final Path file = file("ident-48k.mp3", 48_000, 3);
        final MountFallback fallback = new MountFallback(MOUNT, FallbackFile.load(MOUNT, file));
        final byte[] mountFrame = frame(44_100, 99);
        fallback.learnFormat(new UnsafeBuffer(mountFrame), 0, mountFrame.length);

        assertThat(fallback.playsFile()).isFalse();
        assertThat(fallback.refusal()).isEqualTo("fallback file " + file + " is MPEG-1 Layer III 48000 Hz 2 ch but"
            + " /live is MPEG-1 Layer III 44100 Hz 2 ch: silence plays instead when every encoder is gone");
        fallback.onFallbackStart();
        final int length = fallback.writeNextFrame(out, 0, out.capacity());
        final UnsafeBuffer silence = new UnsafeBuffer(new byte[8192]);
        final int silenceLength = SilenceFrames.writeMp3(MpegVersion.MPEG_1, 44_100, ChannelMode.STEREO, 128,
            silence, 0);
        assertThat(length).isEqualTo(silenceLength);
        assertThat(bytes(out, length)).isEqualTo(bytes(silence, silenceLength));
    }

    @Test
    void shouldTakeTheFileOnceTheMountsFormatBecomesItsOwn() throws IOException
    {
        final MountFallback fallback = new MountFallback(MOUNT, FallbackFile.load(MOUNT, file("ident.mp3", 44_100, 2)));
        final byte[] other = frame(48_000, 98);
        final byte[] same = frame(44_100, 99);

        fallback.learnFormat(new UnsafeBuffer(other), 0, other.length);
        assertThat(fallback.playsFile()).isFalse();
        fallback.learnFormat(new UnsafeBuffer(same), 0, same.length);

        assertThat(fallback.playsFile()).isTrue();
        assertThat(fallback.refusal()).isNull();
    }

    @Test
    void shouldRefuseAtStartAFileThatCannotBeReadHoldsNoAudioOrChangesFormatNamingIt() throws IOException
    {
        final Path missing = dir.resolve("missing.mp3");
        assertThatIllegalArgumentException().isThrownBy(() -> FallbackFile.load(MOUNT, missing))
            .withMessageStartingWith("fallback file /live=" + missing + " cannot be read: ");

        final Path text = Files.writeString(dir.resolve("notes.mp3"), "not audio at all ".repeat(100));
        assertThatIllegalArgumentException().isThrownBy(() -> FallbackFile.load(MOUNT, text))
            .withMessage("fallback file /live=" + text + " holds no MP3 or ADTS (AAC) frames (1700 bytes)");

        final ByteArrayOutputStream mixed = new ByteArrayOutputStream();
        for (int i = 0; i < 4; i++)
        {
            mixed.write(frame(44_100, i));
        }
        for (int i = 0; i * 384 < 2 * AudioFrameSplitter.RELOCK_AFTER_GARBAGE_BYTES; i++)
        {
            mixed.write(frame(48_000, i));
        }
        final Path mixedFile = Files.write(dir.resolve("mixed.mp3"), mixed.toByteArray());
        assertThatIllegalArgumentException().isThrownBy(() -> FallbackFile.load(MOUNT, mixedFile))
            .as("the splitter takes frames of another format for garbage until it locks on again")
            .withMessage("fallback file /live=" + mixedFile + " changes format at frame 4 from MPEG-1 Layer III"
                + " 44100 Hz 2 ch to MPEG-1 Layer III 48000 Hz 2 ch");
    }

    private List<Integer> play(final MountFallback fallback, final int frames)
    {
        final List<Integer> markers = new ArrayList<>();
        for (int i = 0; i < frames; i++)
        {
            final int length = fallback.writeNextFrame(out, 0, out.capacity());
            assertThat(length).isPositive();
            markers.add((int)out.getByte(length - 1));
        }
        return markers;
    }

    private Path file(final String name, final int sampleRateHz, final int frames) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < frames; i++)
        {
            bytes.write(frame(sampleRateHz, i));
        }
        return Files.write(dir.resolve(name), bytes.toByteArray());
    }

    /**
     * An MPEG-1 Layer III stereo frame at 128 kbit/s whose last byte is {@code marker}.
     */
    static byte[] frame(final int sampleRateHz, final int marker)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
        final int length = SilenceFrames.writeMp3(MpegVersion.MPEG_1, sampleRateHz, ChannelMode.STEREO, 128, buffer, 0);
        final byte[] frame = bytes(buffer, length);
        frame[length - 1] = (byte)marker;
        return frame;
    }

    private static byte[] bytes(final UnsafeBuffer buffer, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }
}
