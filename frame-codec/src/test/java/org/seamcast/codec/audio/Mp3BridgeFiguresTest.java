package org.seamcast.codec.audio;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.codec.audio.Mp3Encodings.Encoding;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seamcast.codec.audio.Mp3Encodings.Encoding.ffmpeg;

/**
 * The figures docs/codec.md quotes: for a switch at every frame of 8 s encodings, how often a bridge is needed,
 * how often it chains and for how long, how large it is, and how often only the silent fallback fits. The source is
 * pink noise with sweeps, which keeps LAME's reservoir busy: a hard case. Run alone to print the table:
 * {@code mvn -q -B test -pl frame-codec -Dtest=Mp3BridgeFiguresTest}.
 */
class Mp3BridgeFiguresTest
{
    private static final double SECONDS = 8;

    @TempDir
    static Path directory;

    record Figures(String name, int switches, int borrowing, int chained, int longestChain, double meanChain,
        int silent, int medianFrame, int medianBridge, int maxBridge, double extraBytesPerSwitch, double microsPerSwitch)
    {
        @Override
        public String toString()
        {
            return String.format("| %-28s | %4d | %5.1f%% | %5.1f%% | %5.2f | %3d | %5.1f%% | %4d | %4d | %4d | %6.0f | %5.1f |",
                name, switches, 100.0 * borrowing / switches, 100.0 * chained / switches, meanChain, longestChain,
                100.0 * silent / switches, medianFrame, medianBridge, maxBridge, extraBytesPerSwitch, microsPerSwitch);
        }
    }

    @Test
    void shouldMeasureHowOftenBridgesChainAndHowLargeTheyAre()
    {
        final List<Encoding> encodings = List.of(
            ffmpeg("m1-44-128-joint", 44100, 2, "-c:a", "libmp3lame", "-b:a", "128k"),
            ffmpeg("m1-44-192-joint", 44100, 2, "-c:a", "libmp3lame", "-b:a", "192k"),
            ffmpeg("m1-44-256-joint", 44100, 2, "-c:a", "libmp3lame", "-b:a", "256k"),
            ffmpeg("m1-44-320-joint", 44100, 2, "-c:a", "libmp3lame", "-b:a", "320k"),
            ffmpeg("m1-44-vbr-q2", 44100, 2, "-c:a", "libmp3lame", "-q:a", "2"),
            ffmpeg("m1-48-320-joint", 48000, 2, "-c:a", "libmp3lame", "-b:a", "320k"),
            ffmpeg("m1-44-shine-128", 44100, 2, "-c:a", "libshine", "-b:a", "128k"),
            ffmpeg("m2-24-64-joint", 24000, 2, "-c:a", "libmp3lame", "-b:a", "64k"),
            ffmpeg("m2-16-160-stereo", 16000, 2, "-c:a", "libmp3lame", "-b:a", "160k", "-joint_stereo", "0"));

        final StringBuilder table = new StringBuilder(
            "| B's encoding, next frame | switches | need a bridge | chain | mean chain | longest | silent | " +
            "frame | bridge median | bridge max | extra bytes | us/switch |\n");
        for (final Encoding encoding : encodings)
        {
            final List<byte[]> frames = Mp3Encodings.frames(directory, encoding, SECONDS);
            final Figures figures = measure(encoding.name() + " known", frames, true);
            final Figures unknown = measure(encoding.name() + " unknown", frames, false);
            table.append(figures).append('\n').append(unknown).append('\n');

            if (encoding.name().equals("m1-44-128-joint") || encoding.name().equals("m2-24-64-joint"))
            {
                assertThat(figures.chained()).as(encoding + " chains").isZero();
            }
            if (encoding.name().contains("shine"))
            {
                assertThat(figures.borrowing()).as("shine never borrows").isZero();
            }
            if (encoding.name().startsWith("m1-44") && !encoding.name().contains("320"))
            {
                assertThat(figures.longestChain()).as(encoding + " longest chain").isLessThanOrEqualTo(3);
                assertThat(figures.silent()).as(encoding + " silent fallbacks").isZero();
            }
        }
        System.out.print(table);
    }

    private static Figures measure(final String name, final List<byte[]> frames, final boolean giveNext)
    {
        final UnsafeBuffer[] buffers = frames.stream().map(UnsafeBuffer::new).toArray(UnsafeBuffer[]::new);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[Mp3Bridge.MAX_BRIDGE_FRAME_LENGTH]);
        final Mp3Bridge bridge = new Mp3Bridge();
        final int switches = buffers.length - 2;
        final int[] bridgeLengths = new int[switches];
        final int[] frameLengths = new int[switches];
        int borrowing = 0;
        int chained = 0;
        int longestChain = 0;
        long chainFrames = 0;
        int silent = 0;
        long extraBytes = 0;

        for (int k = 1; k <= switches; k++)
        {
            final int i = k - 1;
            frameLengths[i] = buffers[k].capacity();
            borrowing += MpegAudioHeader.mainDataBegin(buffers[k], 0) > 0 ? 1 : 0;
            bridge.begin(buffers[k], 0, buffers[k].capacity());
            for (int s = k - 1; s >= 0 && bridge.needsEarlierFrame(); s--)
            {
                bridge.addEarlierFrame(buffers[s], 0, buffers[s].capacity());
            }
            int j = k;
            int chain = 0;
            while (true)
            {
                if (giveNext && j + 1 < buffers.length)
                {
                    bridge.addNextFrame(buffers[j + 1], 0, buffers[j + 1].capacity());
                }
                Mp3BridgeStatus status = bridge.write(out, 0);
                if (status == Mp3BridgeStatus.REFUSED)
                {
                    assertThat(bridge.refusal()).as(name + " k=" + k).isEqualTo(Mp3BridgeRefusal.MAIN_DATA_TOO_LONG);
                    status = bridge.writeSilence(out, 0);
                    assertThat(status).as(name + " silent fallback k=" + k).isEqualTo(Mp3BridgeStatus.COMPLETE);
                    silent++;
                }
                if (chain == 0)
                {
                    bridgeLengths[i] = bridge.frameLength();
                }
                extraBytes += bridge.frameLength() - buffers[j].capacity();
                chain++;
                if (status == Mp3BridgeStatus.COMPLETE || j + 1 >= buffers.length)
                {
                    break;
                }
                j++;
                bridge.continueChain(buffers[j], 0, buffers[j].capacity());
            }
            chained += chain > 1 ? 1 : 0;
            chainFrames += chain > 1 ? chain : 0;
            longestChain = Math.max(longestChain, chain);
        }

        final long started = System.nanoTime();
        final int rounds = 20;
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 1; k <= switches; k++)
            {
                bridge.begin(buffers[k], 0, buffers[k].capacity());
                for (int s = k - 1; s >= 0 && bridge.needsEarlierFrame(); s--)
                {
                    bridge.addEarlierFrame(buffers[s], 0, buffers[s].capacity());
                }
                if (giveNext)
                {
                    bridge.addNextFrame(buffers[k + 1], 0, buffers[k + 1].capacity());
                }
                if (bridge.write(out, 0) == Mp3BridgeStatus.REFUSED)
                {
                    bridge.writeSilence(out, 0);
                }
            }
        }
        final double microsPerSwitch = (System.nanoTime() - started) / 1000.0 / rounds / switches;

        Arrays.sort(bridgeLengths);
        Arrays.sort(frameLengths);
        return new Figures(name, switches, borrowing, chained, longestChain,
            chained == 0 ? 0 : (double)chainFrames / chained, silent, frameLengths[switches / 2],
            bridgeLengths[switches / 2], bridgeLengths[switches - 1], (double)extraBytes / switches, microsPerSwitch);
    }
}
