package org.seamcast.edge.sim;

import org.seamcast.edge.engine.EdgeEngine;
import org.seamcast.edge.engine.OutputFrame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a simulated schedule produced: every released frame with its release time and slot, which simulated frame
 * it was (or fallback), retransmit requests, and the engine's peak memory, with helpers the properties assert on.
 */
public final class SimResult
{
    private final Simulation simulation;
    private final List<SimEncoder> encoders;
    EdgeEngine engine;
    long endNs;
    int count;
    private int[] frameIndex = new int[2048];
    private long[] releaseNs = new long[2048];
    private long[] slotUs = new long[2048];
    private int[] durationUs = new int[2048];
    long copiesDelivered;
    long retransmitRequests;
    long retransmittedSequences;
    final List<long[]> requestLog = new ArrayList<>();
    long maxBufferedFrames;
    long maxRetainedBytes;
    long maxTrackedPaths;

    SimResult(final Simulation simulation, final List<SimEncoder> encoders)
    {
        this.simulation = simulation;
        this.encoders = encoders;
    }

    void record(final OutputFrame frame, final int f)
    {
        if (count == frameIndex.length)
        {
            final int n = count * 2;
            frameIndex = Arrays.copyOf(frameIndex, n);
            releaseNs = Arrays.copyOf(releaseNs, n);
            slotUs = Arrays.copyOf(slotUs, n);
            durationUs = Arrays.copyOf(durationUs, n);
        }
        frameIndex[count] = f;
        releaseNs[count] = frame.releaseNs();
        slotUs[count] = frame.slotUs();
        durationUs[count] = frame.durationUs();
        count++;
    }

    void sampleMemory(final EdgeEngine engine)
    {
        maxBufferedFrames = Math.max(maxBufferedFrames, engine.bufferedFrames());
        maxRetainedBytes = Math.max(maxRetainedBytes, engine.retainedFrameBytes());
        maxTrackedPaths = Math.max(maxTrackedPaths, engine.trackedPaths());
    }

    public EdgeEngine engine()
    {
        return engine;
    }

    /** @return number of frames released, encoder and fallback. */
    public int count()
    {
        return count;
    }

    public boolean isFallback(final int i)
    {
        return frameIndex[i] < 0;
    }

    public long releaseNs(final int i)
    {
        return releaseNs[i];
    }

    public long slotUs(final int i)
    {
        return slotUs[i];
    }

    public int durationUs(final int i)
    {
        return durationUs[i];
    }

    /** @return encoder id of release i, or -1 for fallback. */
    public int encoderId(final int i)
    {
        return frameIndex[i] < 0 ? -1 : encoders.get(simulation.frames.encoder[frameIndex[i]]).encoderId;
    }

    /** @return content index (studio frame number) of release i in its encoder's format. */
    public long content(final int i)
    {
        return simulation.frames.content[frameIndex[i]];
    }

    /** @return sequence of release i within its epoch. */
    public long sequence(final int i)
    {
        return simulation.frames.sequence[frameIndex[i]];
    }

    /** @return studio time (µs from start) at which release i's audio begins. */
    public long studioStartUs(final int i)
    {
        final SimFormat format = encoders.get(simulation.frames.encoder[frameIndex[i]]).format;
        return format.startUs(content(i));
    }

    /** @return studio time at which release i's audio ends. */
    public long studioEndUs(final int i)
    {
        final SimFormat format = encoders.get(simulation.frames.encoder[frameIndex[i]]).format;
        return format.startUs(content(i) + 1);
    }

    /** @return number of encoder switches seen in the output (fallback runs not counted). */
    public int encoderChanges()
    {
        int changes = 0;
        int previous = Integer.MIN_VALUE;
        for (int i = 0; i < count; i++)
        {
            final int id = encoderId(i);
            if (id >= 0)
            {
                if (previous != Integer.MIN_VALUE && previous != id)
                {
                    changes++;
                }
                previous = id;
            }
        }
        return changes;
    }

    /** @return first index at or after from whose release is from encoder id, or -1. */
    public int firstFrom(final int encoderId, final int from)
    {
        for (int i = from; i < count; i++)
        {
            if (encoderId(i) == encoderId)
            {
                return i;
            }
        }
        return -1;
    }

    public long copiesDelivered()
    {
        return copiesDelivered;
    }

    public long retransmitRequests()
    {
        return retransmitRequests;
    }

    public long retransmittedSequences()
    {
        return retransmittedSequences;
    }

    /** @return each request: nowNs, encoderId, epoch, fromSequence, toSequence. */
    /**
     * @return when the first copy of encoder {@code encoderId}'s frame ({@code epoch}, {@code sequence}) reached
     * the edge on any path, engine clock ns, or {@link Long#MAX_VALUE} if none did.
     */
    public long firstArrivalNs(final int encoderId, final long epoch, final long sequence)
    {
        final int f = simulation.frameIndexOf(encoderId, epoch, sequence);
        final long relativeNs = f < 0 ? Long.MAX_VALUE : simulation.earliestArrivalNs[f];
        return relativeNs == Long.MAX_VALUE ? Long.MAX_VALUE : Simulation.T0_US * 1000 + relativeNs;
    }

    public List<long[]> requestLog()
    {
        return requestLog;
    }

    public long maxBufferedFrames()
    {
        return maxBufferedFrames;
    }

    public long maxRetainedBytes()
    {
        return maxRetainedBytes;
    }

    public long maxTrackedPaths()
    {
        return maxTrackedPaths;
    }

    public long endNs()
    {
        return endNs;
    }

    /** @return frames the simulated encoder at position e emitted, in order, as content indices of its lives. */
    public long[] emittedContent(final int encoderIndex)
    {
        final SimFrames frames = simulation.frames;
        final long[] out = new long[frames.count];
        int n = 0;
        for (int f = 0; f < frames.count; f++)
        {
            if (frames.encoder[f] == encoderIndex)
            {
                out[n++] = frames.content[f];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** @return timestamps (µs) of the frames the simulated encoder at position e emitted, in order. */
    public long[] emittedTimestampsUs(final int encoderIndex)
    {
        final SimFrames frames = simulation.frames;
        final long[] out = new long[frames.count];
        int n = 0;
        for (int f = 0; f < frames.count; f++)
        {
            if (frames.encoder[f] == encoderIndex)
            {
                out[n++] = frames.timestampUs[f];
            }
        }
        return Arrays.copyOf(out, n);
    }

    public String describe(final int from, final int to)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, from); i < Math.min(count, to); i++)
        {
            sb.append(i).append(": release=").append((releaseNs[i] - Simulation.T0_US * 1000) / 1000)
                .append("us slot=").append(slotUs[i] - Simulation.T0_US);
            if (frameIndex[i] < 0)
            {
                sb.append(" FALLBACK");
            }
            else
            {
                sb.append(" enc=").append(encoderId(i)).append(" k=").append(content(i))
                    .append(" seq=").append(sequence(i));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
