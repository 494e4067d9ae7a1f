package org.seamcast.cli;

import org.agrona.DirectBuffer;
import org.seamcast.codec.audio.AudioFormat;
import org.seamcast.codec.audio.AudioFrameHandler;
import org.seamcast.codec.audio.AudioFrameHeader;
import org.seamcast.codec.audio.AudioFrameSplitter;
import org.seamcast.transport.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code seamcast probe}: splits a file or standard input into frames the way an ingest would, and reports what
 * the stream carries. Its frame count and duration agree with ffprobe's packet count and packet durations.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description = "Split an MP3 or AAC (ADTS) file into frames and print its format, rate, channels, bitrate, " +
        "frame count, duration and skipped bytes.")
final class ProbeCommand implements Callable<Integer>
{
    static final int EXIT_NO_FRAMES = 1;
    static final int EXIT_UNREADABLE = 2;

    private static final int READ_CHUNK_BYTES = 64 * 1024;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Parameters(index = "0", paramLabel = "FILE|-", description = "File to read, or - for standard input.")
    String input;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final Tally tally = new Tally();
        final AudioFrameSplitter splitter = new AudioFrameSplitter(tally);

        final boolean stdin = "-".equals(input);
        final String name = stdin ? "standard input" : input;
        try (InputStream in = stdin ? System.in : Files.newInputStream(Path.of(input)))
        {
            final byte[] chunk = new byte[READ_CHUNK_BYTES];
            int read;
            while ((read = in.read(chunk)) >= 0)
            {
                splitter.onData(chunk, 0, read);
            }
            splitter.finish();
        }
        catch (final IOException ex)
        {
            err.println("seamcast probe: cannot read " + name + ": " + ex);
            err.flush();
            return EXIT_UNREADABLE;
        }

        if (tally.frames == 0)
        {
            err.println("seamcast probe: no MP3 or ADTS audio frames in " + name + " (" + splitter.bytesReceived() +
                " bytes read, " + splitter.tagBytes() + " in tags)" +
                (splitter.freeFormatHeaders() > 0 ? "; free-format MP3 (bitrate index 0) is not supported" : ""));
            err.flush();
            return EXIT_NO_FRAMES;
        }

        final long skippedBytes = splitter.garbageBytes() + splitter.tagBytes();
        final double bitrateKbps = tally.frameBytes * 8 / tally.durationSeconds / 1000.0;
        if (json)
        {
            out.println(Json.render(g ->
            {
                g.writeStartObject();
                g.writeStringField("format", tally.format.shortName());
                g.writeStringField("codec", tally.codec);
                g.writeNumberField("sampleRate", tally.sampleRateHz);
                g.writeNumberField("channels", tally.channels);
                g.writeNumberField("bitrateKbps", BigDecimal.valueOf(bitrateKbps).setScale(1, RoundingMode.HALF_UP));
                g.writeNumberField("frames", tally.frames);
                g.writeNumberField("durationSeconds", tally.durationSeconds);
                g.writeNumberField("skippedBytes", skippedBytes);
                g.writeNumberField("garbageBytes", splitter.garbageBytes());
                g.writeNumberField("tagBytes", splitter.tagBytes());
                g.writeNumberField("bytes", splitter.bytesReceived());
                g.writeEndObject();
            }));
        }
        else
        {
            out.printf(Locale.ROOT, "format:      %s (%s)%n", tally.format.shortName(), tally.codec);
            out.printf(Locale.ROOT, "sample rate: %d Hz%n", tally.sampleRateHz);
            out.printf(Locale.ROOT, "channels:    %d%n", tally.channels);
            out.printf(Locale.ROOT, "bitrate:     %.1f kb/s (mean)%n", bitrateKbps);
            out.printf(Locale.ROOT, "frames:      %d%n", tally.frames);
            out.printf(Locale.ROOT, "duration:    %.6f s%n", tally.durationSeconds);
            out.printf(Locale.ROOT, "skipped:     %d bytes (%d garbage, %d tags)%n",
                skippedBytes, splitter.garbageBytes(), splitter.tagBytes());
        }
        out.flush();
        return 0;
    }

    /**
     * Sums what the frames say; the stream's parameters are taken from its first frame. Duration is exact
     * (samples / rate) while the rate stays the same, and summed frame by frame if it ever changes.
     */
    private static final class Tally implements AudioFrameHandler
    {
        long frames;
        long frameBytes;
        long samplesAtFirstRate;
        double secondsAtOtherRates;
        double durationSeconds;
        AudioFormat format;
        String codec;
        int sampleRateHz;
        int channels;

        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length, final AudioFrameHeader header)
        {
            if (frames == 0)
            {
                format = header.format();
                codec = header.describe();
                sampleRateHz = header.sampleRateHz();
                channels = header.channels();
            }
            frames++;
            frameBytes += length;
            if (header.sampleRateHz() == sampleRateHz)
            {
                samplesAtFirstRate += header.samplesPerFrame();
            }
            else
            {
                secondsAtOtherRates += (double)header.samplesPerFrame() / header.sampleRateHz();
            }
            durationSeconds = (double)samplesAtFirstRate / sampleRateHz + secondsAtOtherRates;
        }
    }
}
