package org.seamcast.ingest.stamp;

import java.util.Arrays;

/**
 * An {@link ArrivalScenario} fed through a {@link FrameStamper} read by read, as a source session does: each frame's
 * stamp, and the stamper's event count (bursts, pullbacks, overflows, re-anchors) when it was released.
 */
final class StampedRun
{
    final ArrivalScenario scenario;
    final FrameStamper stamper;
    final long[] timestampUs;
    final long[] eventsAtRelease;
    final long frameUs;
    final long maxStepUs;

    StampedRun(final ArrivalScenario scenario, final FrameStamper stamper)
    {
        this.scenario = scenario;
        this.stamper = stamper;
        final int frames = scenario.frames();
        timestampUs = new long[frames];
        eventsAtRelease = new long[frames];
        Arrays.fill(timestampUs, Long.MIN_VALUE);
        final ArrivalScenario.Format format = scenario.format();
        frameUs = format.samples() * 1_000_000L / format.rateHz();
        maxStepUs = (long)Math.ceil(format.frameUs() * FrameStamper.DEFAULT_MAX_SLEW_PPM / 1e6);
        long lastArrivalUs = 0;
        for (final ArrivalScenario.Read read : scenario.reads())
        {
            for (int n = read.firstFrame(); n < read.endFrame(); n++)
            {
                final long sequence = stamper.add(format.samples(), format.rateHz());
                if (sequence != n)
                {
                    throw new AssertionError("frame " + n + " got sequence " + sequence);
                }
            }
            collect(stamper.endOfRead(read.arrivalUs()));
            lastArrivalUs = read.arrivalUs();
        }
        collect(stamper.endOfStream(lastArrivalUs));
    }

    static StampedRun of(final ArrivalScenario scenario)
    {
        return new StampedRun(scenario, new FrameStamper(1));
    }

    private void collect(final int released)
    {
        final long events = events();
        for (int i = 0; i < released; i++)
        {
            final int n = (int)stamper.releasedSequence(i);
            timestampUs[n] = stamper.releasedTimestampUs(i);
            eventsAtRelease[n] = events;
        }
    }

    long events()
    {
        return stamper.bursts() + stamper.pullbacks() + stamper.overflowFrames() + stamper.reanchors();
    }

    /**
     * @return whether the spacing before frame {@code n} is the frame duration within the slew bound.
     */
    boolean spacedWithinSlew(final int n)
    {
        final long spacingUs = timestampUs[n] - timestampUs[n - 1];
        return spacingUs >= frameUs - maxStepUs - 1 && spacingUs <= frameUs + maxStepUs + 1;
    }

    /**
     * @return frames whose spacing to the one before broke the slew bound.
     */
    int steps()
    {
        int steps = 0;
        for (int n = 1; n < timestampUs.length; n++)
        {
            if (!spacedWithinSlew(n))
            {
                steps++;
            }
        }
        return steps;
    }

    String describe(final int n)
    {
        final StringBuilder text = new StringBuilder(scenario.toString()).append('\n');
        for (int i = Math.max(0, n - 3); i < Math.min(timestampUs.length, n + 4); i++)
        {
            text.append(i == n ? "> " : "  ").append("frame ").append(i)
                .append(" arrival=").append(scenario.arrivalUs(i) - ArrivalScenario.START_US)
                .append(" earliest=").append(scenario.earliestUs(i) - ArrivalScenario.START_US)
                .append(" stamp=").append(timestampUs[i] - ArrivalScenario.START_US)
                .append(" events=").append(eventsAtRelease[i]).append('\n');
        }
        return text.append("bursts=").append(stamper.bursts()).append(" held=").append(stamper.heldFrames())
            .append(" overflow=").append(stamper.overflowFrames()).append(" pullbacks=").append(stamper.pullbacks())
            .append(" reanchors=").append(stamper.reanchors()).append(" settled at frame ")
            .append(scenario.settledFrame()).toString();
    }
}
