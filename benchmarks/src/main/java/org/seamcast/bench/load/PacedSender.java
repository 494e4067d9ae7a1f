package org.seamcast.bench.load;

import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.protocol.CodecType;
import org.seamcast.codec.protocol.FrameEncoder;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.Protocol;
import org.seamcast.transport.MessageLink;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator: {@code mounts} x 2 simulated encoders, each sending one FRAME per frame interval in real
 * time, every frame encoded once and offered to each encoder's own link to every relay (Davecast's replicas).
 * Encoder {@code 2m} (priority 0) and {@code 2m + 1} (priority 1) of mount {@code m} send the same payload and
 * timestamp for the same sequence, as two encoders fed by one studio do; payloads differ from frame to frame
 * and mount to mount.
 *
 * <p>One thread of its own ({@code seamcast-bench-sender}) owns every link; it wakes every tick, offers what is
 * due and then flushes each link it wrote to once, so a frame leaves about one tick late at most when the thread
 * keeps up (how late is measured). Several encoders may share a link, as the mounts of one ingest node do.
 */
final class PacedSender implements Runnable
{
    static final String THREAD_NAME = "seamcast-bench-sender";
    private static final int PATTERN_BYTES = 1 << 16;
    private static final int MESSAGE_OVERHEAD_BYTES = 512;

    private final MountName[] mountNames;
    private final MessageLink[][] links;
    private final MessageLink[] distinctLinks;
    private final int[][] linkIndex;
    private final boolean[] dirty;
    private final int encoders;
    private final int payloadBytes;
    private final long frameIntervalNs;
    private final long tickNs;
    /** Frames of a mount's encoders over the start-up ramp: mount m starts at sequence m * rampFrames / mounts. */
    private final long rampFrames;
    private final long epoch;
    private final byte[] pattern = new byte[PATTERN_BYTES + Protocol.MAX_MESSAGE_LENGTH];
    private final byte[] payload;
    private final FrameEncoder encoder = new FrameEncoder();
    /** Each frame is encoded here once; every link copies it into what it sends. */
    private final UnsafeBuffer encoded;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long framesOffered;
    private volatile long offersRefused;
    private volatile long maxLateNs;
    private volatile long lateNsTotal;

    /**
     * @param links  {@code links[encoder][relay]}: each encoder's own link to each relay.
     * @param rampNs the mounts start one after another over this time (0: all at once), as a station's mounts come
     *               up one by one rather than all in the same frame.
     */
    PacedSender(
        final MountName[] mountNames,
        final MessageLink[][] links,
        final int payloadBytes,
        final long frameIntervalNs,
        final long tickNs,
        final long rampNs)
    {
        this.mountNames = mountNames;
        this.links = links;
        this.encoders = links.length;
        final java.util.List<MessageLink> distinct = new java.util.ArrayList<>();
        linkIndex = new int[links.length][];
        for (int e = 0; e < links.length; e++)
        {
            linkIndex[e] = new int[links[e].length];
            for (int r = 0; r < links[e].length; r++)
            {
                int index = distinct.indexOf(links[e][r]);
                if (index < 0)
                {
                    index = distinct.size();
                    distinct.add(links[e][r]);
                }
                linkIndex[e][r] = index;
            }
        }
        distinctLinks = distinct.toArray(new MessageLink[0]);
        dirty = new boolean[distinctLinks.length];
        this.payloadBytes = payloadBytes;
        this.frameIntervalNs = frameIntervalNs;
        this.tickNs = tickNs;
        this.rampFrames = rampNs / frameIntervalNs;
        this.epoch = System.currentTimeMillis();
        this.payload = new byte[payloadBytes];
        this.encoded = new UnsafeBuffer(new byte[payloadBytes + MESSAGE_OVERHEAD_BYTES]);
        new SplittableRandom(0x5ea3ca57L).nextBytes(pattern);
        thread = new Thread(this, THREAD_NAME);
        thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    @Override
    public void run()
    {
        final long startNs = System.nanoTime();
        final long t0Us = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
        long slot = 0;
        while (running)
        {
            final long nowNs = System.nanoTime();
            long dueNs;
            while ((dueNs = LoadArithmetic.dueNs(startNs, slot, encoders, frameIntervalNs)) <= nowNs)
            {
                send((int)(slot % encoders), slot / encoders, t0Us);
                final long lateNs = nowNs - dueNs;
                lateNsTotal += lateNs;
                if (lateNs > maxLateNs)
                {
                    maxLateNs = lateNs;
                }
                slot++;
            }
            for (int i = 0; i < dirty.length; i++)
            {
                if (dirty[i])
                {
                    dirty[i] = false;
                    distinctLinks[i].flush();
                }
            }
            LockSupport.parkNanos(Math.max(tickNs, dueNs - nowNs));
        }
    }

    private void send(final int encoderIndex, final long sequence, final long t0Us)
    {
        final int mount = encoderIndex >> 1;
        if (sequence < LoadArithmetic.firstSequence(mount, mountNames.length, rampFrames))
        {
            return;
        }
        final MountName mountName = mountNames[mount];
        final int patternOffset = (int)((mount * 7_919L + sequence * 104_729L) & (PATTERN_BYTES - 1));
        System.arraycopy(pattern, patternOffset, payload, 0, payloadBytes);
        putLong(payload, 0, sequence);
        putLong(payload, 8, mount);

        final int length = encoder.wrap(encoded, 0, mountName)
            .encoderId(encoderIndex + 1L)
            .priority(encoderIndex & 1)
            .epoch(epoch)
            .sequence(sequence)
            .timestampUs(LoadArithmetic.timestampUs(t0Us, sequence, mount, mountNames.length, frameIntervalNs))
            .codec(CodecType.MP3)
            .sampleRate(44_100)
            .samplesInFrame(1_152)
            .cleanSwitch(true)
            .payload(payload, 0, payloadBytes)
            .finish(null);

        final MessageLink[] relays = links[encoderIndex];
        long refused = 0;
        for (int r = 0; r < relays.length; r++)
        {
            if (!relays[r].offer(encoded, 0, length))
            {
                refused++;
            }
            dirty[linkIndex[encoderIndex][r]] = true;
        }
        framesOffered++;
        if (refused > 0)
        {
            offersRefused += refused;
        }
    }

    private static void putLong(final byte[] bytes, final int offset, final long value)
    {
        for (int i = 0; i < 8; i++)
        {
            bytes[offset + i] = (byte)(value >>> (8 * i));
        }
    }

    /**
     * Frames encoded and offered (each to every relay) so far.
     */
    long framesOffered()
    {
        return framesOffered;
    }

    /**
     * Offers a link refused (not connected, back-pressured) so far.
     */
    long offersRefused()
    {
        return offersRefused;
    }

    /**
     * The latest a frame left after its due time since the last call, and resets it.
     */
    long takeMaxLateNs()
    {
        final long late = maxLateNs;
        maxLateNs = 0;
        return late;
    }

    /**
     * The sum over frames sent of how late each left (ns), to average with {@link #framesOffered()}.
     */
    long lateNsTotal()
    {
        return lateNsTotal;
    }

    void stop() throws InterruptedException
    {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(5));
    }
}
