package org.seamcast.it.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores what a listener heard against the encoders' own frames. The references are encoders of one studio on one
 * timeline: frame n of each carries the same stretch of audio (byte-identical encoders share one reference). Every
 * frame of the recording is found in a reference by its bytes, or is foreign (fallback silence, a bridge frame, a
 * frame nobody sent); continuity is counted on the timeline: frames missing, frames heard twice, switches between
 * encoders. Frame lengths of foreign frames are read from their headers by this class itself, so the score owes
 * nothing to Seamcast's codec.
 */
public final class RecordingScore
{
    private static final int PREFIX_BYTES = 48;

    /**
     * Foreign frames that stand in for encoder frames one for one (a bridge frame, a silent frame at a switch): up
     * to this many in a row, the timeline must still be exact across them.
     */
    public static final int MAX_SUBSTITUTES = 2;

    /**
     * One frame heard: from reference {@code encoder} (its index in the list given), frame {@code index} of it, or
     * foreign ({@code encoder == -1}); at byte {@code offset} of the recording.
     */
    public record Heard(int encoder, int index, int offset, int length)
    {
        public boolean isForeign()
        {
            return encoder < 0;
        }
    }

    /**
     * The result: frames heard from the encoders, missing and repeated on the timeline, foreign frames (and
     * unparsable bytes), switches between encoders, and a readable line per discontinuity. Across a run of more
     * than {@link #MAX_SUBSTITUTES} foreign frames (fallback while no encoder was there) the timeline is not
     * continuous by nature, since encoders come back where their own restart puts them: the frames missing or heard
     * again there are counted apart, in {@code acrossFallback}.
     */
    public record Score(
        int heardFrames,
        int missingFrames,
        int repeatedFrames,
        int foreignFrames,
        int garbageBytes,
        int switches,
        int acrossFallback,
        List<Heard> frames,
        List<String> discontinuities)
    {
        @Override
        public String toString()
        {
            return "heard=" + heardFrames + " missing=" + missingFrames + " repeated=" + repeatedFrames
                + " foreign=" + foreignFrames + " garbageBytes=" + garbageBytes + " switches=" + switches
                + " acrossFallback=" + acrossFallback
                + (discontinuities.isEmpty() ? "" : "\n  " + String.join("\n  ", discontinuities.subList(0,
                Math.min(40, discontinuities.size()))));
        }
    }

    private final List<ReferenceAudio> references;
    private final Map<Long, List<int[]>> byPrefix = new HashMap<>();
    private final java.util.SortedSet<Integer> shortLengths = new java.util.TreeSet<>();

    public RecordingScore(final List<ReferenceAudio> references)
    {
        this.references = List.copyOf(references);
        for (int r = 0; r < references.size(); r++)
        {
            final List<byte[]> frames = references.get(r).frames();
            for (int i = 0; i < frames.size(); i++)
            {
                final byte[] frame = frames.get(i);
                final int length = Math.min(PREFIX_BYTES, frame.length);
                if (length < PREFIX_BYTES)
                {
                    shortLengths.add(length);
                }
                byPrefix.computeIfAbsent(prefix(frame, 0, length), k -> new ArrayList<>()).add(new int[]{ r, i });
            }
        }
    }

    /**
     * The reference frame at {@code offset}: of the frames with these bytes (digital silence repeats, byte-identical
     * encoders share frames) the one that continues the previous frame heard, else the first.
     */
    private int[] match(final byte[] recording, final int offset, final Heard previous, final int foreignRun)
    {
        final List<int[]> candidates = new ArrayList<>();
        if (offset + PREFIX_BYTES <= recording.length)
        {
            candidates.addAll(byPrefix.getOrDefault(prefix(recording, offset, PREFIX_BYTES), List.of()));
        }
        for (final int length : shortLengths)
        {
            if (offset + length <= recording.length)
            {
                candidates.addAll(byPrefix.getOrDefault(prefix(recording, offset, length), List.of()));
            }
        }
        int[] first = null;
        int[] continuing = null;
        for (final int[] candidate : candidates)
        {
            if (!matchesAt(recording, offset, references.get(candidate[0]).frames().get(candidate[1])))
            {
                continue;
            }
            first = first == null ? candidate : first;
            if (previous != null && candidate[1] == previous.index() + 1 + foreignRun &&
                (continuing == null || candidate[0] == previous.encoder()))
            {
                continuing = candidate;
            }
        }
        return continuing != null ? continuing : first;
    }

    /**
     * Scores {@code recording}, which may start and end in the middle of a frame.
     */
    public Score score(final byte[] recording)
    {
        final List<Heard> frames = new ArrayList<>();
        int offset = 0;
        int garbage = 0;
        boolean started = false;
        Heard previous = null;
        int foreignRun = 0;
        while (offset + 4 <= recording.length)
        {
            final int[] match = match(recording, offset, previous, foreignRun);
            if (match != null)
            {
                final byte[] frame = references.get(match[0]).frames().get(match[1]);
                previous = new Heard(match[0], match[1], offset, frame.length);
                frames.add(previous);
                foreignRun = 0;
                offset += frame.length;
                started = true;
                continue;
            }
            final int length = started ? frameLength(recording, offset) : -1;
            if (length > 0 && offset + length <= recording.length)
            {
                frames.add(new Heard(-1, -1, offset, length));
                foreignRun++;
                offset += length;
                continue;
            }
            if (length > 0)
            {
                break;
            }
            if (started)
            {
                garbage++;
            }
            offset++;
        }
        return count(frames, garbage);
    }

    private Score count(final List<Heard> frames, final int garbage)
    {
        int heard = 0;
        int missing = 0;
        int repeated = 0;
        int foreign = 0;
        int switches = 0;
        int acrossFallback = 0;
        int foreignRun = 0;
        Heard previous = null;
        final List<String> discontinuities = new ArrayList<>();
        for (final Heard frame : frames)
        {
            if (frame.isForeign())
            {
                foreign++;
                foreignRun++;
                continue;
            }
            heard++;
            if (previous != null)
            {
                if (frame.encoder() != previous.encoder())
                {
                    switches++;
                    discontinuities.add("switch from encoder " + previous.encoder() + " frame " + previous.index()
                        + " to encoder " + frame.encoder() + " frame " + frame.index() + " at byte " + frame.offset()
                        + (foreignRun > 0 ? " across " + foreignRun + " foreign frame(s)" : ""));
                }
                final int step = frame.index() - previous.index();
                final int expected = 1 + foreignRun;
                if (step != expected && foreignRun > MAX_SUBSTITUTES)
                {
                    acrossFallback += Math.abs(step - expected);
                    discontinuities.add("after " + foreignRun + " foreign frames the encoders came back "
                        + (step - expected) + " frame(s) off the grid, at frame " + frame.index() + " of encoder "
                        + frame.encoder() + " at byte " + frame.offset());
                }
                else if (step > expected)
                {
                    missing += step - expected;
                    discontinuities.add((step - expected) + " frame(s) missing before frame " + frame.index()
                        + " of encoder " + frame.encoder() + " at byte " + frame.offset());
                }
                else if (step < expected)
                {
                    repeated += expected - step;
                    discontinuities.add((expected - step) + " frame(s) heard again at frame " + frame.index()
                        + " of encoder " + frame.encoder() + " at byte " + frame.offset());
                }
            }
            previous = frame;
            foreignRun = 0;
        }
        return new Score(heard, missing, repeated, foreign, garbage, switches, acrossFallback, frames,
            discontinuities);
    }

    /**
     * The length of an MP3 (MPEG-1/2/2.5 Layer III) or ADTS frame whose header starts at {@code offset}, or -1.
     */
    static int frameLength(final byte[] b, final int offset)
    {
        if (offset + 7 > b.length || (b[offset] & 0xFF) != 0xFF || (b[offset + 1] & 0xE0) != 0xE0)
        {
            return -1;
        }
        final int b1 = b[offset + 1] & 0xFF;
        if ((b1 & 0xF6) == 0xF0)
        {
            final int length = ((b[offset + 3] & 0x03) << 11) | ((b[offset + 4] & 0xFF) << 3)
                | ((b[offset + 5] & 0xE0) >>> 5);
            return length >= 7 ? length : -1;
        }
        final int version = (b1 >>> 3) & 0x03;
        final int layer = (b1 >>> 1) & 0x03;
        final int b2 = b[offset + 2] & 0xFF;
        final int bitrateIndex = b2 >>> 4;
        final int rateIndex = (b2 >>> 2) & 0x03;
        final int padding = (b2 >>> 1) & 0x01;
        if (version == 1 || layer != 1 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3)
        {
            return -1;
        }
        final int[] mpeg1 = { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 };
        final int[] mpeg2 = { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 };
        final int[][] rates = { { 11025, 12000, 8000 }, {}, { 22050, 24000, 16000 }, { 44100, 48000, 32000 } };
        final int kbps = version == 3 ? mpeg1[bitrateIndex] : mpeg2[bitrateIndex];
        final int rate = rates[version][rateIndex];
        return (version == 3 ? 144 : 72) * kbps * 1000 / rate + padding;
    }

    private static boolean matchesAt(final byte[] recording, final int offset, final byte[] frame)
    {
        return offset + frame.length <= recording.length
            && Arrays.equals(recording, offset, offset + frame.length, frame, 0, frame.length);
    }

    private static long prefix(final byte[] bytes, final int offset, final int length)
    {
        long value = 1125899906842597L + length;
        for (int i = 0; i < length; i++)
        {
            value = 31 * value + (bytes[offset + i] & 0xFF);
        }
        return value;
    }
}
