package org.seamcast.edge.engine;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.codec.audio.AudioFormat;
import org.seamcast.codec.audio.AudioFrameSplitter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine with encoders as stations run them, on real encodings of one programme whose loudness varies (ffmpeg,
 * made at test time): a backup that shares no byte with the primary and runs late, aligned by the loudness envelope;
 * a primary whose studio feed goes silent while it stays connected (dead air); a primary that restarts with its
 * stamps shifted while the backup plays. Frames are offered live on a virtual clock; what plays is checked on the
 * programme's own frame numbers.
 */
class EncoderShapesEngineTest
{
    private static final long FRAME_US = 26_122;
    private static final long T0_US = 1_750_000_000_000_000L;

    @TempDir
    static Path dir;

    private static List<byte[]> primary;
    private static List<byte[]> backup;
    private static List<byte[]> primaryWithDeadAir;

    record Played(int encoderId, long sequence, OutputSource source)
    {
    }

    @BeforeAll
    static void encode()
    {
        primary = encode("primary", 128, "");
        backup = encode("backup", 96, "");
        // the studio feed of the primary is gone from 15 s to 30 s: digital silence, the encoder still connected
        primaryWithDeadAir = encode("dead-air", 128, ",volume=eval=frame:volume='if(between(t,15,30),0,1)'");
    }

    @Test
    void shouldAlignABackupThatSharesNoByteByItsLoudnessAndFailOverWithinOneFrame()
    {
        final long backupLagUs = 300_000;
        final List<Played> played = new ArrayList<>();
        final EdgeEngine engine = engine(played, 1_500);

        run(engine, primary, 0, 700, backup, backupLagUs, 1_100);

        assertThat(engine.encoderOffsetSource(2)).isEqualTo(OffsetSource.ENVELOPE);
        assertThat(engine.encoderOffsetConfidence(2)).isGreaterThanOrEqualTo(0.5);
        assertThat(engine.encoderRawOffsetUs(2)).isBetween(-backupLagUs - FRAME_US, -backupLagUs + FRAME_US);
        assertThat(engine.eventCount(EdgeEvent.SWITCH)).isEqualTo(1);
        assertThat(engine.eventCount(EdgeEvent.FALLBACK_START)).isZero();
        final int switchAt = indexOfFirst(played, 2);
        final long step = played.get(switchAt).sequence() - played.get(switchAt - 1).sequence();
        assertThat(step).as("programme frames from the last primary frame to the first backup frame").isBetween(0L, 2L);
        assertContinuousFrom(played, switchAt);
    }

    @Test
    void shouldTakeTheBackupWhenThePrimaryGoesSilentWhileConnectedAndComeBackAfterTheHold()
    {
        final List<Played> played = new ArrayList<>();
        final EdgeEngine engine = engine(played, 3_000);

        run(engine, primaryWithDeadAir, 0, Integer.MAX_VALUE, backup, 0, 1_500);

        assertThat(engine.eventCount(EdgeEvent.DEAD_AIR)).isEqualTo(1);
        final int deadAirSwitch = indexOfFirst(played, 2);
        final double switchedAtSeconds = played.get(deadAirSwitch).sequence() * FRAME_US / 1e6;
        // silent from 15 s, dead air once 5 s of it have arrived: at 20 s, when the slot D = 0.5 s earlier plays
        assertThat(switchedAtSeconds).isBetween(19.4, 20.5);
        final int back = indexOfFirstAfter(played, 1, deadAirSwitch);
        assertThat(back).as("the primary takes over again").isPositive();
        final double backAtSeconds = played.get(back).sequence() * FRAME_US / 1e6;
        // audio again from 30 s, seen when the slot D earlier plays; then the 3 s hold
        assertThat(backAtSeconds).as("after its audio returned and the hold").isBetween(32.4, 33.6);
        assertThat(engine.eventCount(EdgeEvent.FALLBACK_START)).isZero();
    }

    @Test
    void shouldKeepWhatPlaysContinuousWhenThePrimaryRestartsWithShiftedStampsAndSwitchBackExactly()
    {
        final List<Played> played = new ArrayList<>();
        final EdgeEngine engine = engine(played, 3_000);
        final long restartShiftUs = 180_000;
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        final int frames = 900;
        for (int n = 0; n < frames; n++)
        {
            final long nowNs = (T0_US + n * FRAME_US) * 1000;
            engine.doWork(nowNs);
            // identical encoders; the primary is gone from frame 200 to 299, then back in a new epoch whose stamps
            // run 180 ms late for the same audio
            if (n < 200)
            {
                offer(engine, view, 1, 0, 1, n, T0_US + n * FRAME_US, primary.get(n), nowNs);
            }
            else if (n >= 300)
            {
                offer(engine, view, 1, 0, 2, n, T0_US + n * FRAME_US + restartShiftUs, primary.get(n), nowNs);
            }
            offer(engine, view, 2, 1, 1, n, T0_US + n * FRAME_US, primary.get(n), nowNs);
        }

        assertThat(engine.eventCount(EdgeEvent.SWITCH)).isEqualTo(1);
        assertThat(engine.eventCount(EdgeEvent.SWITCH_BACK)).isEqualTo(1);
        assertThat(engine.timelineShiftUs()).isEqualTo(-restartShiftUs);
        assertContinuousFrom(played, 0);
    }

    private static EdgeEngine engine(final List<Played> played, final long holdMs)
    {
        return new EdgeEngine(new EdgeEngineContext()
            .playoutDelayNs(TimeUnit.MILLISECONDS.toNanos(500))
            .holdTimeNs(TimeUnit.MILLISECONDS.toNanos(holdMs))
            .switchBackCleanWaitNs(0)
            .deadAirNs(TimeUnit.SECONDS.toNanos(5))
            .epochProofFrames(2)
            .playoutSink((buffer, offset, length, frame) ->
                played.add(new Played(frame.encoderId(), frame.sequence(), frame.source()))));
    }

    /**
     * Offers the primary's frames {@code [from, to)} (stamped on time) and the backup's (stamped {@code lagUs}
     * late), live: each frame arrives at its stamp, and slots are released as the clock passes their deadlines (the
     * last D of the run is not played). Sequences are programme frame numbers.
     */
    private static void run(final EdgeEngine engine, final List<byte[]> primaryFrames, final int from, final int to,
        final List<byte[]> backupFrames, final long lagUs, final int frames)
    {
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        int b = 0;
        for (int n = 0; n < frames; n++)
        {
            final long nowNs = (T0_US + n * FRAME_US) * 1000;
            engine.doWork(nowNs);
            while (T0_US + b * FRAME_US + lagUs <= nowNs / 1000)
            {
                offer(engine, view, 2, 1, 1, b, T0_US + b * FRAME_US + lagUs, backupFrames.get(b), nowNs);
                b++;
            }
            if (n >= from && n < to)
            {
                offer(engine, view, 1, 0, 1, n, T0_US + n * FRAME_US, primaryFrames.get(n), nowNs);
            }
        }
    }

    private static void offer(final EdgeEngine engine, final UnsafeBuffer view, final int encoderId,
        final int priority, final long epoch, final long sequence, final long stampUs, final byte[] frame,
        final long nowNs)
    {
        view.wrap(frame);
        engine.onFrame(encoderId - 1, encoderId, priority, epoch, sequence, stampUs, (int)FRAME_US, false, view, 0,
            frame.length, nowNs);
    }

    private static int indexOfFirst(final List<Played> played, final int encoderId)
    {
        return indexOfFirstAfter(played, encoderId, -1);
    }

    private static int indexOfFirstAfter(final List<Played> played, final int encoderId, final int after)
    {
        for (int i = after + 1; i < played.size(); i++)
        {
            if (played.get(i).source() == OutputSource.ENCODER && played.get(i).encoderId() == encoderId)
            {
                return i;
            }
        }
        return -1;
    }

    private static void assertContinuousFrom(final List<Played> played, final int from)
    {
        for (int i = Math.max(1, from + 1); i < played.size(); i++)
        {
            assertThat(played.get(i).source()).as("slot %d", i).isEqualTo(OutputSource.ENCODER);
            assertThat(played.get(i).sequence()).as("slot %d after %s", i, played.get(i - 1))
                .isEqualTo(played.get(i - 1).sequence() + 1);
        }
    }

    /**
     * Encodes 45 s of a programme-like source (pink noise gated by three incommensurate periods, so its loudness
     * varies like speech or music, under a quiet tone) with LAME at {@code kbps}, through {@code filter}.
     */
    private static List<byte[]> encode(final String name, final int kbps, final String filter)
    {
        final Path file = dir.resolve(name + ".mp3");
        final ProcessBuilder ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", "anoisesrc=color=pink:seed=4243:amplitude=0.5:duration=45,volume=eval=frame:volume="
                + "'0.03+0.9*gt(sin(2*PI*t/1.7)+sin(2*PI*t/2.9)+sin(2*PI*t/4.3)\\,0.4)'",
            "-f", "lavfi", "-i", "sine=frequency=330:beep_factor=3:duration=45,volume=0.05",
            "-filter_complex", "[0:a][1:a]amix=inputs=2:duration=shortest,aformat=channel_layouts=stereo" + filter,
            "-ar", "44100", "-c:a", "libmp3lame", "-b:a", kbps + "k", "-write_xing", "0", "-id3v2_version", "0",
            file.toString()).redirectErrorStream(true);
        try
        {
            final Process process = ffmpeg.start();
            final String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                throw new AssertionError("ffmpeg failed: " + output);
            }
            final byte[] bytes = Files.readAllBytes(file);
            final List<byte[]> frames = new ArrayList<>();
            final AudioFrameSplitter splitter = new AudioFrameSplitter((buffer, offset, length, header) ->
            {
                final byte[] frame = new byte[length];
                buffer.getBytes(offset, frame);
                frames.add(frame);
            }, AudioFormat.MP3);
            splitter.onData(new UnsafeBuffer(bytes), 0, bytes.length);
            splitter.finish();
            return frames;
        }
        catch (final IOException ex)
        {
            throw new AssertionError("ffmpeg is required by this test (apt-get install ffmpeg)", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }
}
