package org.seamcast.edge.sim;

/**
 * Audio frame format of a simulated encoder: frame size in samples, sample rate, and how often a frame is a clean
 * switch point (ADTS: always; MP3: when main_data_begin happens to be 0).
 *
 * @param tag             distinguishes formats in payloads.
 * @param samplesPerFrame samples per frame.
 * @param sampleRate      samples per second.
 * @param cleanPercent    share of frames that are clean switch points.
 */
public record SimFormat(int tag, int samplesPerFrame, int sampleRate, int cleanPercent)
{
    /** MPEG-1 Layer III at 44.1 kHz: 26.12 ms frames, some clean. */
    public static final SimFormat MP3_44K = new SimFormat(1, 1152, 44_100, 25);
    /** AAC in ADTS at 48 kHz: 21.33 ms frames, all clean. */
    public static final SimFormat AAC_48K = new SimFormat(2, 1024, 48_000, 100);

    /** @param k content index. @return start of frame k on the studio timeline, µs, sample-accurate. */
    public long startUs(final long k)
    {
        return Math.floorDiv(k * samplesPerFrame * 1_000_000L, sampleRate);
    }

    /** @return nominal frame duration in µs, rounded. */
    public int durationUs()
    {
        return (int)Math.round(samplesPerFrame * 1_000_000.0 / sampleRate);
    }

    /** @param k content index. @return whether frame k is a clean switch point, the same in every encoder. */
    public boolean isClean(final long k)
    {
        return cleanPercent >= 100 || Math.floorMod(SimRandom.mix(k * 31 + tag), 100) < cleanPercent;
    }

    /** @param studioUs studio time. @return index of the first frame starting at or after it. */
    public long firstFrameAtOrAfter(final long studioUs)
    {
        long k = Math.floorDiv(studioUs * sampleRate, samplesPerFrame * 1_000_000L);
        while (startUs(k) < studioUs)
        {
            k++;
        }
        return k;
    }
}
