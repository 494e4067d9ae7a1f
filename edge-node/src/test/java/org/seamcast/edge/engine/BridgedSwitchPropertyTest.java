package org.seamcast.edge.engine;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.audio.AudioFormat;
import org.seamcast.codec.audio.AudioFrameHeader;
import org.seamcast.codec.audio.AudioFrameSplitter;
import org.seamcast.codec.audio.Mp3ReservoirAuditor;
import org.seamcast.codec.audio.Mp3ReservoirFinding;
import org.seamcast.codec.audio.SilenceFrames;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's output under random failovers, switch-backs and fallbacks between two MP3 encoders of one studio
 * that share no byte (LAME at 128 and 96 kbit/s), read by the reservoir auditor with every frame labelled by the
 * encoder it came from: no frame's main data may contain a byte of the other encoder. Without bridge frames every
 * switch breaks this (checked too, so the property can fail).
 */
class BridgedSwitchPropertyTest
{
    private static final long FRAME_US = 26_122;
    private static List<byte[]> primary;
    private static List<byte[]> backup;

    @BeforeContainer
    static void encode() throws IOException
    {
        final Path dir = Files.createTempDirectory("bridged-switch");
        try
        {
            primary = encode(dir, 128);
            backup = encode(dir, 96);
        }
        finally
        {
            try (var files = Files.walk(dir))
            {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Property(tries = 40)
    void noFrameReadsAByteOfAnotherEncoderWhateverTheSwitches(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 4) final int outages)
    {
        final Run run = new Run(seed, outages, true);

        assertThat(run.switches).as("switches in the schedule").isGreaterThan(0);
        assertThat(run.engine.eventCount(EdgeEvent.BRIDGE) + run.engine.eventCount(EdgeEvent.BRIDGE_SILENT))
            .as("bridges built").isGreaterThanOrEqualTo(run.switches);
        assertThat(run.engine.eventCount(EdgeEvent.BRIDGE_REFUSED)).isZero();
        assertThat(run.auditor.foreignFrames()).as("frames reading another encoder's bytes").isZero();
        assertThat(run.auditor.count(Mp3ReservoirFinding.INVALID_FRAME)).isZero();
        assertThat(run.auditor.count(Mp3ReservoirFinding.INCONSISTENT_HEADER)).isZero();
    }

    @Property(tries = 5)
    void withoutBridgesTheSameSwitchesReadTheOtherEncodersBytes(@ForAll final long seed)
    {
        final Run run = new Run(seed, 2, false);

        assertThat(run.auditor.foreignFrames()).isGreaterThan(0);
    }

    /**
     * One schedule: the primary (encoder 1) goes away {@code outages} times and comes back with a new epoch; the
     * backup (encoder 2) is always there except during a last outage of both, which fallback silence covers.
     */
    private static final class Run
    {
        final EdgeEngine engine;
        final Mp3ReservoirAuditor auditor = new Mp3ReservoirAuditor();
        final UnsafeBuffer stripped = new UnsafeBuffer(new byte[8192]);
        int switches;

        Run(final long seed, final int outages, final boolean bridges)
        {
            final Random random = new Random(seed);
            final int frames = Math.min(primary.size(), backup.size()) - 2;
            final boolean[] primaryUp = new boolean[frames];
            final boolean[] backupUp = new boolean[frames];
            java.util.Arrays.fill(primaryUp, true);
            java.util.Arrays.fill(backupUp, true);
            final int both = 80 + random.nextInt(frames - 160);
            for (int o = 0; o < outages; o++)
            {
                int start = 60 + random.nextInt(frames - 160);
                final int length = 10 + random.nextInt(60);
                if (start >= both && start + length <= both + 20)
                {
                    // hidden by the outage of both, it would switch nothing: the primary stays away past it
                    start = both + 20 - length / 2;
                }
                for (int i = start; i < Math.min(frames, start + length); i++)
                {
                    primaryUp[i] = false;
                }
            }
            for (int i = both; i < Math.min(frames, both + 20); i++)
            {
                primaryUp[i] = false;
                backupUp[i] = false;
            }

            final byte[] silence = new byte[2048];
            final AudioFrameHeader header = new AudioFrameHeader();
            header.wrap(new UnsafeBuffer(backup.get(0)), 0, backup.get(0).length);
            final int silenceLength = SilenceFrames.writeLike(header, new UnsafeBuffer(silence), 0);
            final int[] playing = { -1 };
            final EdgeEngineContext ctx = new EdgeEngineContext()
                .playoutDelayNs(TimeUnit.MILLISECONDS.toNanos(300))
                .holdTimeNs(TimeUnit.MILLISECONDS.toNanos(400))
                .switchBackCleanWaitNs(0)
                .offsetLearning(false)
                .epochProofFrames(2)
                .mp3Bridges(bridges)
                .fallbackFrameSource(new CyclingFallbackFrameSource(
                    List.of(java.util.Arrays.copyOf(silence, silenceLength)), (int)FRAME_US))
                .playoutSink((buffer, offset, length, frame) ->
                {
                    final int origin = frame.source() == OutputSource.ENCODER ? frame.encoderId() : 0;
                    if (frame.source() == OutputSource.ENCODER && playing[0] > 0 && frame.encoderId() != playing[0])
                    {
                        switches++;
                    }
                    if (frame.source() == OutputSource.ENCODER)
                    {
                        playing[0] = frame.encoderId();
                    }
                    auditor.audit(origin, buffer, offset, length);
                });
            engine = new EdgeEngine(ctx);

            final long t0Us = 1_750_000_000_000_000L;
            long primaryEpoch = 1;
            long primarySequence = 0;
            boolean wasUp = true;
            for (int n = 0; n < frames; n++)
            {
                final long stampUs = t0Us + n * FRAME_US;
                final long nowNs = stampUs * 1000;
                engine.doWork(nowNs);
                if (primaryUp[n])
                {
                    if (!wasUp)
                    {
                        primaryEpoch++;
                        primarySequence = 0;
                    }
                    final byte[] frame = primary.get(n);
                    engine.onFrame(0, 1, 0, primaryEpoch, primarySequence++, stampUs, (int)FRAME_US, false,
                        new UnsafeBuffer(frame), 0, frame.length, nowNs);
                }
                wasUp = primaryUp[n];
                if (backupUp[n])
                {
                    final byte[] frame = backup.get(n);
                    engine.onFrame(1, 2, 1, 1, n, stampUs, (int)FRAME_US, false, new UnsafeBuffer(frame), 0,
                        frame.length, nowNs);
                }
            }
            final long endNs = (t0Us + frames * FRAME_US) * 1000 + ctx.playoutDelayNs();
            for (long nowNs = (t0Us + frames * FRAME_US) * 1000; nowNs < endNs; nowNs += 1_000_000)
            {
                engine.doWork(nowNs);
            }
        }
    }

    private static List<byte[]> encode(final Path dir, final int kbps)
    {
        final Path file = dir.resolve("programme-" + kbps + ".mp3");
        final ProcessBuilder ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", "anoisesrc=color=pink:seed=77:amplitude=0.4:duration=20",
            "-f", "lavfi", "-i", "sine=frequency=440:beep_factor=2:duration=20",
            "-filter_complex", "[0:a][1:a]amix=inputs=2:duration=shortest,aformat=channel_layouts=stereo",
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
            throw new UncheckedIOException(new IOException(ex));
        }
    }
}
