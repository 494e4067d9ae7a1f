package org.seamcast.edge.engine;

import org.agrona.DirectBuffer;
import org.seamcast.codec.audio.AudioFrameHeader;
import org.seamcast.codec.audio.AudioFrameSplitter;
import org.seamcast.codec.audio.FrameLoudness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Loudness envelopes of real encodings, made once per test JVM: each source is rendered (ffmpeg, espeak-ng, or a
 * seeded music-like generator), encoded with ffmpeg, split with {@link AudioFrameSplitter} and read with
 * {@link FrameLoudness}; the files are deleted as soon as the envelope is extracted.
 */
final class EnvelopeRecordings
{
    static final int RATE_HZ = 44_100;
    static final int SECONDS = 32;

    enum Source
    {
        /** espeak-ng reading a news bulletin. */
        SPEECH,
        /** A band: drums, bass and notes in phrases of random tempo and level: an envelope that never repeats. */
        MUSIC,
        /** The same generator with another seed: unrelated to {@link #MUSIC}. */
        OTHER_MUSIC,
        /** Pink noise in 100 ms bursts of random loudness (0 to -40 dB). */
        NOISE_BURSTS,
        /** Pink noise at a constant level: no envelope. */
        STEADY_NOISE,
        /** A 440 Hz tone: no envelope. */
        STEADY_TONE,
        /** Digital silence. */
        SILENCE
    }

    enum Encoding
    {
        LAME_CBR_128K("mp3", 1105, 44_100, "-c:a", "libmp3lame", "-b:a", "128k"),
        LAME_VBR_V4("mp3", 1105, 44_100, "-c:a", "libmp3lame", "-q:a", "4"),
        LAME_CBR_64K_MONO("mp3", 1105, 44_100, "-c:a", "libmp3lame", "-b:a", "64k", "-ac", "1"),
        LAME_MPEG2_22K_MONO_32K("mp3", 1105, 22_050, "-c:a", "libmp3lame", "-b:a", "32k", "-ar", "22050", "-ac", "1"),
        AAC_64K("adts", 1024, 44_100, "-c:a", "aac", "-b:a", "64k"),
        AAC_128K_48K("adts", 1024, 48_000, "-c:a", "aac", "-b:a", "128k", "-ar", "48000");

        final String format;
        final long codecDelayUs;
        final String[] args;

        Encoding(final String format, final int delaySamples, final int rateHz, final String... args)
        {
            this.format = format;
            this.codecDelayUs = Math.round(delaySamples * 1_000_000.0 / rateHz);
            this.args = args;
        }
    }

    private static final String NEWS = "Good evening and welcome to the late show on Seamcast radio. Tonight we " +
        "have music from around the world, a conversation with a lighthouse keeper who has not seen the mainland " +
        "for eleven years, and the shipping forecast at the usual time. First the headlines. The council has " +
        "approved the new bridge across the estuary, after nine years of planning and two public inquiries. Rail " +
        "services in the north will run to a reduced timetable this weekend while engineers replace signalling " +
        "equipment near the junction. And finally, a parrot called Maurice has learned to imitate the station " +
        "jingle, much to the delight of his owner and the annoyance of her neighbours.";

    private static final Map<Source, Path> SOURCES = new EnumMap<>(Source.class);
    private static final Map<Source, Map<Encoding, LoudnessEnvelope>> ENVELOPES = new EnumMap<>(Source.class);
    private static Path directory;

    private EnvelopeRecordings()
    {
    }

    static synchronized LoudnessEnvelope get(final Source source, final Encoding encoding)
    {
        return ENVELOPES.computeIfAbsent(source, s -> new EnumMap<>(Encoding.class))
            .computeIfAbsent(encoding, e -> encode(source, e));
    }

    private static LoudnessEnvelope encode(final Source source, final Encoding encoding)
    {
        final Path wav = SOURCES.computeIfAbsent(source, EnvelopeRecordings::render);
        final Path encoded = directory().resolve(source + "-" + encoding + "." + encoding.format);
        final List<String> args = new ArrayList<>(List.of("-i", wav.toString()));
        args.addAll(List.of(encoding.args));
        args.addAll(List.of("-f", encoding.format, encoded.toString()));
        MediaTools.ffmpeg(args.toArray(String[]::new));
        try
        {
            final byte[] stream = Files.readAllBytes(encoded);
            Files.delete(encoded);
            return extract(source + " " + encoding, stream, encoding.codecDelayUs);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static LoudnessEnvelope extract(final String name, final byte[] stream, final long codecDelayUs)
    {
        final List<long[]> frames = new ArrayList<>();
        final long[] samples = new long[1];
        final AudioFrameSplitter splitter = new AudioFrameSplitter(
            (final DirectBuffer buffer, final int offset, final int length, final AudioFrameHeader header) ->
            {
                final long startUs = samples[0] * 1_000_000 / header.sampleRateHz();
                samples[0] += header.samplesPerFrame();
                final long endUs = samples[0] * 1_000_000 / header.sampleRateHz();
                final double loudness = FrameLoudness.loudnessDb(buffer, offset, length);
                frames.add(new long[] {startUs, endUs - startUs, Double.doubleToRawLongBits(loudness),
                    FrameLoudness.estimateLagUs(buffer, offset, length)});
            });
        splitter.onData(stream, 0, stream.length);
        splitter.finish();

        final long[] startUs = new long[frames.size()];
        final int[] durationUs = new int[frames.size()];
        final double[] loudnessDb = new double[frames.size()];
        final long[] lagUs = new long[frames.size()];
        for (int i = 0; i < frames.size(); i++)
        {
            startUs[i] = frames.get(i)[0];
            durationUs[i] = (int)frames.get(i)[1];
            loudnessDb[i] = Double.longBitsToDouble(frames.get(i)[2]);
            lagUs[i] = frames.get(i)[3];
        }
        return new LoudnessEnvelope(name, startUs, durationUs, loudnessDb, lagUs, codecDelayUs);
    }

    private static Path render(final Source source)
    {
        final Path wav = directory().resolve(source + ".wav");
        final String stereo = "pan=stereo|c0=c0|c1=c0,aformat=sample_rates=" + RATE_HZ;
        final String seconds = Integer.toString(SECONDS);
        switch (source)
        {
            case SPEECH ->
            {
                final Path speech = directory().resolve("speech-raw.wav");
                MediaTools.espeak(speech.toString(), NEWS);
                MediaTools.ffmpeg("-i", speech.toString(), "-af", "aresample=" + RATE_HZ + "," + stereo,
                    "-t", seconds, wav.toString());
            }
            case MUSIC -> writeMusic(wav, 1);
            case OTHER_MUSIC -> writeMusic(wav, 2);
            case NOISE_BURSTS -> MediaTools.ffmpeg("-f", "lavfi", "-i",
                "anoisesrc=color=pink:seed=11:a=1:r=" + RATE_HZ + ":n=4410:d=" + seconds,
                "-af", "volume='pow(10,-(random(0)*40)/20)':eval=frame," + stereo, wav.toString());
            case STEADY_NOISE -> MediaTools.ffmpeg("-f", "lavfi", "-i",
                "anoisesrc=color=pink:seed=2:a=0.5:r=" + RATE_HZ + ":d=" + seconds, "-af", stereo, wav.toString());
            case STEADY_TONE -> MediaTools.ffmpeg("-f", "lavfi", "-i",
                "sine=f=440:r=" + RATE_HZ + ":d=" + seconds, "-af", stereo, wav.toString());
            case SILENCE -> MediaTools.ffmpeg("-f", "lavfi", "-i",
                "anullsrc=r=" + RATE_HZ + ":cl=mono", "-t", seconds, "-af", stereo, wav.toString());
            default -> throw new IllegalArgumentException(source.toString());
        }
        return wav;
    }

    /**
     * A band in phrases of 4 to 8 s, each with its own tempo (90-140 bpm) and level (-18 to 0 dB), sometimes a
     * break: kick, snare and hi-hat hits of random velocity, some left out, a bass note on most beats, and decaying
     * harmonic notes of random pitch, onset and length on top. Loud and soft moments come at irregular times, as
     * in music, so the envelope never repeats.
     */
    private static void writeMusic(final Path wav, final long seed)
    {
        final Random random = new Random(seed);
        final float[] samples = new float[RATE_HZ * SECONDS];
        double phraseStart = 0;
        while (phraseStart < SECONDS)
        {
            final double phraseS = 4 + 4 * random.nextDouble();
            final double beatS = 60.0 / (90 + 50 * random.nextDouble());
            final double phraseGain = Math.pow(10, -18 * random.nextDouble() / 20);
            final boolean breakdown = random.nextDouble() < 0.2;
            for (double beat = phraseStart; beat < phraseStart + phraseS; beat += beatS / 2)
            {
                final boolean downbeat = Math.round((beat - phraseStart) / (beatS / 2)) % 2 == 0;
                if (!breakdown && downbeat && random.nextDouble() < 0.7)
                {
                    addKick(samples, beat, phraseGain * velocity(random), random);
                }
                if (!breakdown && !downbeat && random.nextDouble() < 0.5)
                {
                    addNoise(samples, beat, 0.15, 25, 0.3 * phraseGain * velocity(random), random);
                }
                if (random.nextDouble() < 0.6)
                {
                    addNoise(samples, beat + beatS / 4, 0.03, 120, 0.08 * phraseGain * velocity(random), random);
                }
                if (downbeat && random.nextDouble() < 0.8)
                {
                    addNote(samples, beat, beatS, 55 * Math.pow(2, random.nextInt(12) / 12.0), 3,
                        0.25 * phraseGain * velocity(random));
                }
            }
            for (double t = phraseStart; t < phraseStart + phraseS; t += 0.08 + 0.4 * random.nextDouble())
            {
                addNote(samples, t, 0.08 + 0.52 * random.nextDouble(), 220 * Math.pow(2, random.nextInt(24) / 12.0),
                    2 + 10 * random.nextDouble(), phraseGain * Math.pow(10, (-30 + 20 * random.nextDouble()) / 20));
            }
            phraseStart += phraseS;
        }
        writeWav(wav, samples);
    }

    private static double velocity(final Random random)
    {
        return Math.pow(10, (-12 + 12 * random.nextDouble()) / 20);
    }

    private static void addKick(final float[] samples, final double startS, final double gain, final Random random)
    {
        final int start = (int)(startS * RATE_HZ);
        final int end = Math.min(samples.length, start + RATE_HZ / 4);
        double phase = 0;
        for (int i = start; i < end; i++)
        {
            final double s = (i - start) / (double)RATE_HZ;
            phase += 2 * Math.PI * (50 + 100 * Math.exp(-40 * s)) / RATE_HZ;
            samples[i] += (float)(0.6 * gain * Math.exp(-12 * s) * Math.sin(phase) +
                (s < 0.005 ? 0.2 * gain * random.nextGaussian() : 0));
        }
    }

    private static void addNoise(
        final float[] samples, final double startS, final double lengthS, final double decay, final double gain,
        final Random random)
    {
        final int start = (int)(startS * RATE_HZ);
        final int end = Math.min(samples.length, start + (int)(lengthS * RATE_HZ));
        for (int i = start; i < end; i++)
        {
            samples[i] += (float)(gain * random.nextGaussian() * Math.exp(-decay * (i - start) / (double)RATE_HZ));
        }
    }

    private static void addNote(
        final float[] samples, final double startS, final double lengthS, final double frequency, final double decay,
        final double amplitude)
    {
        final int start = (int)(startS * RATE_HZ);
        final int end = Math.min(samples.length, start + (int)(lengthS * RATE_HZ));
        for (int i = start; i < end; i++)
        {
            final double s = (i - start) / (double)RATE_HZ;
            final double envelope = Math.exp(-decay * s) * Math.min(1.0, s / 0.005);
            final double phase = 2 * Math.PI * frequency * s;
            samples[i] += (float)(amplitude * envelope *
                (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase)));
        }
    }

    private static void writeWav(final Path wav, final float[] samples)
    {
        final ByteBuffer bytes = ByteBuffer.allocate(44 + samples.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + samples.length * 4)
            .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            .putInt(16).putShort((short)1).putShort((short)2).putInt(RATE_HZ).putInt(RATE_HZ * 4)
            .putShort((short)4).putShort((short)16)
            .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(samples.length * 4);
        for (final float sample : samples)
        {
            final short value = (short)Math.max(-32768, Math.min(32767, Math.round(sample * 32767)));
            bytes.putShort(value).putShort(value);
        }
        try
        {
            Files.write(wav, bytes.array());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static Path directory()
    {
        if (null == directory)
        {
            try
            {
                directory = Files.createTempDirectory("seamcast-envelopes");
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(EnvelopeRecordings::deleteDirectory));
        }
        return directory;
    }

    private static void deleteDirectory()
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ignored)
        {
            // best effort: the directory is under the system's temporary directory
        }
    }
}
