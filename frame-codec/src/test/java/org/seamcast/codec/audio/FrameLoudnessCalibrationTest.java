package org.seamcast.codec.audio;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares {@link FrameLoudness} with the level of the signal each frame carries, on signals ffmpeg and espeak-ng
 * make at test time and encodings ffmpeg makes from them: a 1 kHz tone at -10 to -60 dBFS, pink noise at -15 to
 * -65 dBFS, digital silence and speech. The table it prints is the one in docs/codec.md.
 */
class FrameLoudnessCalibrationTest
{
    private static final int RATE_HZ = 44_100;
    private static final double SEGMENT_S = 2.0;
    private static final int LEVELS = 6;
    private static final double TONE_START_S = 0.0;
    private static final double PINK_START_S = 14.0;
    private static final double SPEECH_START_S = 28.0;
    private static final double GUARD_S = 0.25;
    private static final double PINK_AT_FULL_AMPLITUDE_DB = -14.3;

    private static final String SPEECH = "Good evening, and welcome to the late show. Tonight we have music from around " +
        "the world, a conversation with a lighthouse keeper, and the shipping forecast at the usual time. The council " +
        "has approved the new bridge across the estuary after nine years of planning.";

    private static final List<Encoding> ENCODINGS = List.of(
        new Encoding("LAME CBR 32k", "mp3", 1105, "-c:a", "libmp3lame", "-b:a", "32k"),
        new Encoding("LAME CBR 64k", "mp3", 1105, "-c:a", "libmp3lame", "-b:a", "64k"),
        new Encoding("LAME CBR 128k", "mp3", 1105, "-c:a", "libmp3lame", "-b:a", "128k"),
        new Encoding("LAME CBR 320k", "mp3", 1105, "-c:a", "libmp3lame", "-b:a", "320k"),
        new Encoding("LAME VBR V2", "mp3", 1105, "-c:a", "libmp3lame", "-q:a", "2"),
        new Encoding("LAME VBR V6", "mp3", 1105, "-c:a", "libmp3lame", "-q:a", "6"),
        new Encoding("LAME MPEG-2 22.05k mono 32k", "mp3", 1105,
            "-c:a", "libmp3lame", "-ar", "22050", "-ac", "1", "-b:a", "32k"),
        new Encoding("AAC 64k 44.1k", "adts", 1024, "-c:a", "aac", "-b:a", "64k"),
        new Encoding("AAC 128k 44.1k", "adts", 1024, "-c:a", "aac", "-b:a", "128k"),
        new Encoding("AAC 128k 48k", "adts", 1024, "-c:a", "aac", "-b:a", "128k", "-ar", "48000"),
        new Encoding("AAC 64k 48k mono", "adts", 1024, "-c:a", "aac", "-b:a", "64k", "-ar", "48000", "-ac", "1"));

    @TempDir
    static Path directory;

    private static float[] source;
    private static final List<Row> ROWS = new ArrayList<>();

    @BeforeAll
    static void encodeEverySignalAtEverySetting() throws IOException
    {
        final Path speech = directory.resolve("speech.wav");
        MediaTools.espeak(speech, SPEECH);
        final Path calibration = directory.resolve("calibration.wav");
        final String toneLevel = "if(lt(t,12),sqrt(2)*pow(10,-(10+10*floor(t/2))/20),0)";
        final String pinkGain = "if(lt(t,12),pow(10,(-15-10*floor(t/2)-(" + PINK_AT_FULL_AMPLITUDE_DB + "))/20),0)";
        final String tone = toneLevel + "*sin(2*PI*1000*t)";
        final String format = "aformat=sample_fmts=flt:sample_rates=" + RATE_HZ + ":channel_layouts=stereo";
        MediaTools.ffmpeg(
            "-f", "lavfi", "-i", "aevalsrc='" + tone + "|" + tone + "':s=" + RATE_HZ + ":d=14",
            "-f", "lavfi", "-i", "anoisesrc=color=pink:seed=7:a=1:r=" + RATE_HZ + ":d=14",
            "-i", speech.toString(),
            "-filter_complex",
            "[0]" + format + "[t];[1]volume='" + pinkGain + "':eval=frame,pan=stereo|c0=c0|c1=c0," + format + "[p];" +
                "[2]aresample=" + RATE_HZ + ",pan=stereo|c0=c0|c1=c0," + format + "[s];[t][p][s]concat=n=3:v=0:a=1[out]",
            "-map", "[out]", "-c:a", "pcm_f32le", calibration.toString());
        source = MediaTools.decodeFloat(calibration);

        for (final Encoding encoding : ENCODINGS)
        {
            final Path encoded = directory.resolve(encoding.name.replaceAll("[^A-Za-z0-9]", "_") + "." + encoding.format);
            final List<String> args = new ArrayList<>(List.of("-i", calibration.toString()));
            args.addAll(List.of(encoding.args));
            args.addAll(List.of("-f", encoding.format, encoded.toString()));
            MediaTools.ffmpeg(args.toArray(String[]::new));
            measure(encoding, Files.readAllBytes(encoded));
        }
        printTable();
    }

    @Test
    void shouldReadDigitalSilenceAsSilenceInEveryEncoding()
    {
        for (final Encoding encoding : ENCODINGS)
        {
            final double[] silence = estimates(encoding, "tone", LEVELS);
            assertThat(silence).as(encoding.name).isNotEmpty();
            assertThat(max(silence)).as(encoding.name).isEqualTo(FrameLoudness.SILENCE_DB);
            assertThat(max(estimates(encoding, "pink", LEVELS))).as(encoding.name).isEqualTo(FrameLoudness.SILENCE_DB);
        }
    }

    @Test
    void shouldEstimateEveryFrameOfEveryEncoding()
    {
        assertThat(ROWS).allSatisfy(row -> assertThat(FrameLoudness.isEstimate(row.estimateDb)).isTrue());
    }

    @Test
    void shouldReadMp3TonesWithinSixDecibels()
    {
        for (final Encoding encoding : mp3Encodings())
        {
            for (int level = 0; level < LEVELS; level++)
            {
                final double[] errors = errors(encoding, "tone", level);
                assertThat(median(errors)).as(encoding.name + " tone level " + level).isBetween(-6.0, 6.0);
                assertThat(percentile(errors, 0.05)).as(encoding.name + " tone level " + level).isGreaterThan(-10.0);
                assertThat(percentile(errors, 0.95)).as(encoding.name + " tone level " + level).isLessThan(12.0);
            }
        }
    }

    @Test
    void shouldReadMp3PinkNoiseWithinFifteenDecibels()
    {
        for (final Encoding encoding : mp3Encodings())
        {
            for (int level = 0; level < LEVELS; level++)
            {
                assertThat(median(errors(encoding, "pink", level))).as(encoding.name + " pink level " + level)
                    .isBetween(-15.0, 15.0);
            }
        }
    }

    @Test
    void shouldFollowTheLevelOneForOneInMp3()
    {
        for (final Encoding encoding : mp3Encodings())
        {
            for (final String material : List.of("tone", "pink"))
            {
                final double top = median(estimates(encoding, material, 0));
                final double bottom = median(estimates(encoding, material, LEVELS - 1));
                assertThat(top - bottom).as(encoding.name + " " + material + " from -10 to -60 dB")
                    .isBetween(50.0 - 8.0, 50.0 + 8.0);
            }
        }
    }

    @Test
    void shouldReadLouderPinkNoiseLouderInAac()
    {
        for (final Encoding encoding : ENCODINGS)
        {
            if (encoding.format.equals("adts"))
            {
                for (int level = 1; level < LEVELS; level++)
                {
                    assertThat(median(estimates(encoding, "pink", level)))
                        .as(encoding.name + " pink level " + level)
                        .isLessThan(median(estimates(encoding, "pink", level - 1)));
                }
            }
        }
    }

    @Test
    void shouldFollowSpeechWithinTheDocumentedSpread()
    {
        for (final Encoding encoding : ENCODINGS)
        {
            final double[] errors = errors(encoding, "speech", 0);
            assertThat(errors.length).as(encoding.name).isGreaterThan(100);
            final double bound = encoding.format.equals("mp3") ? 12.0 : 25.0;
            assertThat(median(errors)).as(encoding.name + " speech").isBetween(-bound, bound);
        }
    }

    private static void measure(final Encoding encoding, final byte[] stream)
    {
        final long[] samplesBefore = new long[1];
        final AudioFrameSplitter splitter = new AudioFrameSplitter(
            (final DirectBuffer buffer, final int offset, final int length, final AudioFrameHeader header) ->
            {
                final double estimate = FrameLoudness.loudnessDb(buffer, offset, length);
                final double startS = (samplesBefore[0] - encoding.delaySamples) / (double)header.sampleRateHz();
                final double endS = startS + header.samplesPerFrame() / (double)header.sampleRateHz();
                samplesBefore[0] += header.samplesPerFrame();
                classify(encoding, startS, endS, estimate);
            });
        splitter.onData(stream, 0, stream.length);
        splitter.finish();
    }

    private static void classify(final Encoding encoding, final double startS, final double endS, final double estimate)
    {
        if (startS < 0 || endS * RATE_HZ * 2 > source.length)
        {
            return;
        }
        for (final String material : List.of("tone", "pink"))
        {
            final double materialStart = material.equals("tone") ? TONE_START_S : PINK_START_S;
            final int segment = (int)Math.floor((startS - materialStart) / SEGMENT_S);
            if (segment >= 0 && segment <= LEVELS)
            {
                final double segmentStart = materialStart + segment * SEGMENT_S;
                if (startS >= segmentStart + GUARD_S && endS <= segmentStart + SEGMENT_S - GUARD_S)
                {
                    final double reference = levelDb(segmentStart + GUARD_S, segmentStart + SEGMENT_S - GUARD_S);
                    ROWS.add(new Row(encoding, material, segment, reference, estimate));
                }
            }
        }
        if (startS >= SPEECH_START_S + GUARD_S)
        {
            final double reference = levelDb(startS, endS);
            if (reference > -50.0)
            {
                ROWS.add(new Row(encoding, "speech", 0, reference, estimate));
            }
        }
    }

    private static double levelDb(final double fromS, final double toS)
    {
        final int from = (int)(fromS * RATE_HZ) * 2;
        final int to = Math.min(source.length, (int)(toS * RATE_HZ) * 2);
        double sum = 0;
        for (int i = from; i < to; i++)
        {
            sum += (double)source[i] * source[i];
        }
        return sum == 0 ? Double.NEGATIVE_INFINITY : 10 * Math.log10(sum / (to - from));
    }

    private static void printTable()
    {
        final StringBuilder table = new StringBuilder(
            "\nFrameLoudness calibration: estimate - level in dB, median [p5, p95] per segment\n");
        table.append(String.format(Locale.ROOT, "%-28s %-7s", "encoding", "signal"));
        for (int level = 0; level < LEVELS; level++)
        {
            table.append(String.format(Locale.ROOT, " %17s", "level " + level));
        }
        table.append(String.format(Locale.ROOT, " %10s%n", "silence"));
        for (final Encoding encoding : ENCODINGS)
        {
            for (final String material : List.of("tone", "pink", "speech"))
            {
                table.append(String.format(Locale.ROOT, "%-28s %-7s", encoding.name, material));
                final int levels = material.equals("speech") ? 1 : LEVELS;
                for (int level = 0; level < levels; level++)
                {
                    final double[] errors = errors(encoding, material, level);
                    table.append(String.format(Locale.ROOT, " %+5.1f [%+5.1f,%+5.1f]",
                        median(errors), percentile(errors, 0.05), percentile(errors, 0.95)));
                }
                if (!material.equals("speech"))
                {
                    table.append(String.format(Locale.ROOT, " %10.1f", max(estimates(encoding, material, LEVELS))));
                }
                table.append('\n');
            }
        }
        for (final String material : List.of("tone", "pink"))
        {
            table.append(material).append(" levels (dBFS):");
            for (int level = 0; level < LEVELS; level++)
            {
                final int segment = level;
                table.append(String.format(Locale.ROOT, " %.1f", ROWS.stream()
                    .filter(row -> row.material.equals(material) && row.segment == segment)
                    .mapToDouble(row -> row.referenceDb).findFirst().orElse(Double.NaN)));
            }
            table.append('\n');
        }
        System.out.println(table);
    }

    private static List<Encoding> mp3Encodings()
    {
        return ENCODINGS.stream().filter(encoding -> encoding.format.equals("mp3")).toList();
    }

    private static double[] errors(final Encoding encoding, final String material, final int segment)
    {
        return ROWS.stream()
            .filter(row -> row.encoding == encoding && row.material.equals(material) && row.segment == segment)
            .mapToDouble(row -> row.estimateDb - row.referenceDb).toArray();
    }

    private static double[] estimates(final Encoding encoding, final String material, final int segment)
    {
        return ROWS.stream()
            .filter(row -> row.encoding == encoding && row.material.equals(material) && row.segment == segment)
            .mapToDouble(row -> row.estimateDb).toArray();
    }

    private static double median(final double[] values)
    {
        return percentile(values, 0.5);
    }

    private static double percentile(final double[] values, final double fraction)
    {
        if (values.length == 0)
        {
            return Double.NaN;
        }
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int)Math.min(sorted.length - 1, Math.round(fraction * (sorted.length - 1)))];
    }

    private static double max(final double[] values)
    {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    private record Encoding(String name, String format, int delaySamples, String... args)
    {
    }

    private record Row(Encoding encoding, String material, int segment, double referenceDb, double estimateDb)
    {
    }
}
