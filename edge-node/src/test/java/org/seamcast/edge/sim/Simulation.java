package org.seamcast.edge.sim;

import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.edge.engine.EdgeEngine;
import org.seamcast.edge.engine.EdgeEngineContext;
import org.seamcast.edge.engine.OutputSource;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Deterministic discrete-event simulation that drives the real {@link EdgeEngine} on a virtual clock: encoders emit
 * frames, paths delay, jitter, lose, duplicate and replay them, and the owner loop calls doWork at a jittered poll
 * interval. Everything random comes from one seed, so a failing schedule replays from that seed.
 */
public final class Simulation
{
    /** Wall-clock µs at which every schedule starts: studio content 0 is made then. */
    public static final long T0_US = 1_750_000_000_000_000L;
    private static final int COPY_INDEX_BITS = 27;

    private final SimRandom random;
    private final List<SimEncoder> encoders = new ArrayList<>();
    private final List<SimPath> paths = new ArrayList<>();
    private final List<long[]> pauses = new ArrayList<>();
    private long durationUs = 20_000_000;
    private long pollUs = 5_000;
    private long pollJitterUs = 2_000;
    private long guaranteedDeadlineNs = -1;
    private long retransmitRttUs = -1;
    private double retransmitLoss;
    private int floodCopies;
    private long floodMaxFutureUs = 60_000_000;

    final SimFrames frames = new SimFrames();

    public Simulation(final long seed)
    {
        random = new SimRandom(seed);
    }

    public SimRandom random()
    {
        return random;
    }

    public Simulation encoder(final SimEncoder encoder)
    {
        encoders.add(encoder);
        return this;
    }

    public Simulation path(final SimPath path)
    {
        paths.add(path);
        return this;
    }

    /** @param durationUs length of the schedule. @return this. */
    public Simulation durationUs(final long durationUs)
    {
        this.durationUs = durationUs;
        return this;
    }

    /** @param pollUs interval between doWork calls. @param jitterUs extra random lateness of each call. @return this. */
    public Simulation poll(final long pollUs, final long jitterUs)
    {
        this.pollUs = pollUs;
        this.pollJitterUs = jitterUs;
        return this;
    }

    /** Suspend the owner loop (no doWork) over a span, as if the process were paused. @return this. */
    public Simulation pause(final long fromUs, final long toUs)
    {
        pauses.add(new long[]{ fromUs, toUs });
        return this;
    }

    /**
     * Make the schedule hitless: any frame with no copy arriving before its deadline (timestamp + delay) gets one
     * on a random path at a random time in time.
     *
     * @return this.
     */
    public Simulation guaranteeEveryFrameBefore(final long playoutDelayNs)
    {
        this.guaranteedDeadlineNs = playoutDelayNs;
        return this;
    }

    /** Answer retransmit requests after a round trip, losing some answers. @return this. */
    public Simulation retransmits(final long rttUs, final double loss)
    {
        this.retransmitRttUs = rttUs;
        this.retransmitLoss = loss;
        return this;
    }

    /** Add hostile copies: random encoders, paths, epochs, sequences, lengths, and far-future stamps. @return this. */
    public Simulation flood(final int copies, final long maxFutureUs)
    {
        this.floodCopies = copies;
        this.floodMaxFutureUs = maxFutureUs;
        return this;
    }

    /**
     * Run the schedule against a new engine built from the context (its sink and requester are set here; its
     * listener, if any, is kept).
     *
     * @return what came out.
     */
    public SimResult run(final EdgeEngineContext ctx)
    {
        generateFrames();
        final long[] copies = generateCopies();
        final SimResult result = new SimResult(this, encoders);
        final PriorityQueue<long[]> retransmitted = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        final long[] clock = new long[1];

        ctx.playoutSink((buffer, offset, length, frame) ->
            result.record(frame, frame.source() == OutputSource.ENCODER ? frameIndexOf(frame.encoderId(),
                frame.epoch(), frame.sequence()) : -1));
        ctx.retransmitRequester((encoderId, epoch, from, to) ->
        {
            result.retransmitRequests++;
            result.retransmittedSequences += to - from + 1;
            result.requestLog.add(new long[]{ clock[0], encoderId, epoch, from, to });
            if (retransmitRttUs >= 0)
            {
                for (long sequence = from; sequence <= to && sequence - from < 4096; sequence++)
                {
                    final int f = frameIndexOf(encoderId, epoch, sequence);
                    if (f >= 0 && frames.emitUs[f] * 1000 <= clock[0] && !random.chance(retransmitLoss))
                    {
                        retransmitted.add(new long[]{ clock[0] + retransmitRttUs * 1000, f });
                    }
                }
            }
        });
        final EdgeEngine engine = new EdgeEngine(ctx);
        result.engine = engine;

        final long[] floodTimesNs = new long[floodCopies];
        for (int i = 0; i < floodCopies; i++)
        {
            floodTimesNs[i] = T0_US * 1000 + random.nextLong(durationUs * 1000);
        }
        Arrays.sort(floodTimesNs);

        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64 * 1024]);
        final long startNs = T0_US * 1000;
        final long endNs = startNs + durationUs * 1000;
        long nextPollNs = startNs;
        int copy = 0;
        int flood = 0;
        while (true)
        {
            final long copyNs = copy < copies.length ? startNs + (copies[copy] >>> COPY_INDEX_BITS) : Long.MAX_VALUE;
            final long retransmitNs = retransmitted.isEmpty() ? Long.MAX_VALUE : retransmitted.peek()[0];
            final long floodNs = flood < floodCopies ? floodTimesNs[flood] : Long.MAX_VALUE;
            final long nextNs = Math.min(copyNs, Math.min(retransmitNs, floodNs));
            if (nextNs <= nextPollNs && nextNs <= endNs)
            {
                clock[0] = nextNs;
                if (nextNs == copyNs)
                {
                    final int c = (int)(copies[copy++] & ((1L << COPY_INDEX_BITS) - 1));
                    deliver(engine, payload, copyFrame[c], copyPath[c], nextNs, result);
                }
                else if (nextNs == retransmitNs)
                {
                    deliver(engine, payload, (int)retransmitted.poll()[1], -2, nextNs, result);
                }
                else
                {
                    flood++;
                    deliverHostile(engine, payload, ctx.maxFrameLength(), nextNs);
                    result.sampleMemory(engine);
                }
                continue;
            }
            if (nextPollNs > endNs)
            {
                break;
            }
            if (!isPaused(nextPollNs - startNs))
            {
                clock[0] = nextPollNs;
                engine.doWork(nextPollNs);
                result.sampleMemory(engine);
            }
            nextPollNs += pollUs * 1000 + random.nextLong(pollJitterUs * 1000 + 1);
        }
        result.endNs = nextPollNs;
        return result;
    }

    private boolean isPaused(final long sinceStartNs)
    {
        for (final long[] pause : pauses)
        {
            if (sinceStartNs >= pause[0] * 1000 && sinceStartNs < pause[1] * 1000)
            {
                return true;
            }
        }
        return false;
    }

    private void deliver(
        final EdgeEngine engine,
        final UnsafeBuffer payload,
        final int f,
        final int pathId,
        final long nowNs,
        final SimResult result)
    {
        final SimEncoder encoder = encoders.get(frames.encoder[f]);
        final int length = writePayload(payload, encoder.format, frames.content[f], encoder.payloadLength);
        result.copiesDelivered++;
        engine.onFrame(
            pathId,
            encoder.encoderId,
            encoder.priority,
            frames.epoch[f],
            frames.sequence[f],
            frames.timestampUs[f],
            encoder.format.durationUs(),
            encoder.format.isClean(frames.content[f]),
            payload,
            0,
            length,
            nowNs);
    }

    private void deliverHostile(final EdgeEngine engine, final UnsafeBuffer payload, final int maxFrameLength,
        final long nowNs)
    {
        final int length = (int)random.nextLong(
            random.chance(0.1) ? Math.min(payload.capacity(), 2L * maxFrameLength) + 1 : 600);
        payload.setMemory(0, Math.max(0, length), (byte)random.nextInt(256));
        final long nowUs = nowNs / 1000;
        final long timestampUs = random.chance(0.05) ? random.nextLong() :
            random.chance(0.7) ? nowUs + random.nextLong(floodMaxFutureUs) : nowUs - random.nextLong(30_000_000);
        final int durationUs = random.chance(0.8) ? (int)random.between(10_000, 30_000) :
            (int)random.between(-5, 2_000_000);
        engine.onFrame(
            random.nextInt(1_000_000),
            random.nextInt(100),
            random.nextInt(4),
            random.nextLong(4),
            random.chance(0.5) ? random.nextLong(1000) : Math.abs(random.nextLong()),
            timestampUs,
            durationUs,
            random.chance(0.5),
            payload,
            0,
            length,
            nowNs);
    }

    /** @return bytes of the payload for content k in a format: identical across encoders of that format. */
    static int writePayload(final UnsafeBuffer buffer, final SimFormat format, final long k, final int length)
    {
        buffer.putLong(0, k, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(8, format.tag(), ByteOrder.LITTLE_ENDIAN);
        long filler = SimRandom.mix(k * 7919 + format.tag());
        int i = 12;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            buffer.putLong(i, filler);
            filler = SimRandom.mix(filler);
        }
        for (; i < length; i++)
        {
            buffer.putByte(i, (byte)(filler >>> ((i & 7) * 8)));
        }
        return Math.max(length, 12);
    }

    int frameIndexOf(final int encoderId, final long epoch, final long sequence)
    {
        for (int e = 0; e < encoders.size(); e++)
        {
            if (encoders.get(e).encoderId == encoderId)
            {
                return frames.find(e, epoch, sequence);
            }
        }
        return -1;
    }

    private void generateFrames()
    {
        for (int e = 0; e < encoders.size(); e++)
        {
            final SimEncoder encoder = encoders.get(e);
            for (int life = 0; life < encoder.lives.size(); life++)
            {
                final long[] span = encoder.lives.get(life);
                final long epoch = (T0_US + span[0]) / 1000 + life;
                final long firstK = encoder.format.firstFrameAtOrAfter(span[0] - encoder.latencyUs);
                frames.startLife(e, epoch);
                long sequence = 0;
                for (long k = Math.max(0, firstK); ; k++)
                {
                    final long emitRelUs = encoder.format.startUs(k) + encoder.latencyUs;
                    if (emitRelUs >= span[1] || emitRelUs >= durationUs)
                    {
                        break;
                    }
                    final long driftUs = Math.round(emitRelUs * encoder.driftPpm / 1_000_000.0);
                    frames.add(e, epoch, sequence++, k, T0_US + emitRelUs + driftUs, T0_US + emitRelUs);
                }
            }
        }
    }

    /** Per generated frame, when its first copy reaches the edge, ns after T0 (Long.MAX_VALUE: never). */
    long[] earliestArrivalNs = new long[0];
    int[] copyFrame = new int[0];
    int[] copyPath = new int[0];
    private int copyCount;

    private long[] generateCopies()
    {
        final int frameCount = frames.count;
        copyFrame = new int[Math.max(16, frameCount * (paths.size() * 2 + 1))];
        copyPath = new int[copyFrame.length];
        copyCount = 0;
        final long[] earliestNs = new long[frameCount];
        Arrays.fill(earliestNs, Long.MAX_VALUE);
        earliestArrivalNs = earliestNs;
        final long[] arrivalsNs = new long[copyFrame.length];
        for (int f = 0; f < frameCount; f++)
        {
            final long emitUs = frames.emitUs[f] - T0_US;
            final boolean lostAtSource = random.chance(encoders.get(frames.encoder[f]).loss);
            for (final SimPath path : paths)
            {
                long sendUs = emitUs;
                boolean lost = false;
                for (final long[] outage : path.outages)
                {
                    if (emitUs >= outage[0] && emitUs < outage[1])
                    {
                        if (outage[2] > 0 && outage[1] - emitUs <= outage[2])
                        {
                            sendUs = outage[1];
                        }
                        else
                        {
                            lost = true;
                        }
                    }
                }
                if (lostAtSource || lost || random.chance(path.loss))
                {
                    continue;
                }
                final int copies = random.chance(path.duplication) ? 2 : 1;
                for (int i = 0; i < copies; i++)
                {
                    final long arrivalNs = (sendUs + path.delayUs + random.nextLong(path.jitterUs + 1)) * 1000 +
                        random.nextLong(1000);
                    earliestNs[f] = Math.min(earliestNs[f], arrivalNs);
                    addCopy(f, path.pathId, arrivalNs, arrivalsNs);
                }
            }
            if (guaranteedDeadlineNs >= 0 && !lostAtSource)
            {
                final long deadlineNs = (frames.timestampUs[f] - T0_US) * 1000 + guaranteedDeadlineNs;
                if (earliestNs[f] >= deadlineNs && deadlineNs > emitUs * 1000)
                {
                    final long arrivalNs = emitUs * 1000 + random.nextLong(deadlineNs - emitUs * 1000);
                    final int pathId = paths.isEmpty() ? 0 : paths.get(random.nextInt(paths.size())).pathId;
                    addCopy(f, pathId, arrivalNs, arrivalsNs);
                }
            }
        }
        final long[] sorted = new long[copyCount];
        for (int c = 0; c < copyCount; c++)
        {
            sorted[c] = (Math.max(0, arrivalsNs[c]) << COPY_INDEX_BITS) | c;
        }
        Arrays.sort(sorted);
        return sorted;
    }

    private void addCopy(final int f, final int pathId, final long arrivalNs, final long[] arrivalsNs)
    {
        copyFrame[copyCount] = f;
        copyPath[copyCount] = pathId;
        arrivalsNs[copyCount] = arrivalNs;
        copyCount++;
    }
}
