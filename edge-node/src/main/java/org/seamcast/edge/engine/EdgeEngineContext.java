package org.seamcast.edge.engine;

import org.agrona.collections.Int2ObjectHashMap;

import java.util.concurrent.TimeUnit;

/**
 * Configuration of one mount's {@link EdgeEngine}: tunables with named defaults, collaborators, and one validation in
 * {@link #conclude()} whose errors name the value and the limit.
 */
public final class EdgeEngineContext
{
    /** Fixed delay D between a frame's timestamp and its playout: enough for a LAN. */
    public static final long PLAYOUT_DELAY_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(500);
    /** How long a recovered higher-priority encoder must be continuous before it takes over again. */
    public static final long HOLD_TIME_NS_DEFAULT = TimeUnit.SECONDS.toNanos(10);
    /** After the hold time, how long a switch-back waits for a clean frame before taking an unclean one. */
    public static final long SWITCH_BACK_CLEAN_WAIT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(5);
    /** Frames stamped further ahead of the clock than this are dropped. */
    public static final long MAX_FUTURE_NS_DEFAULT = TimeUnit.SECONDS.toNanos(1);
    /** Frames whose deadline passed longer ago than this are dropped as garbage rather than counted late. */
    public static final long MAX_PAST_NS_DEFAULT = TimeUnit.SECONDS.toNanos(10);
    /**
     * If doWork falls further behind than this, slots are skipped instead of played in a burst. Unless set, this or
     * the playout delay, whichever is more (2 s at D = 2 s): a playout thread starved or paused for less (a busy host,
     * a collection) loses no frame that reached the edge in time; listeners' buffers take the burst. Each encoder's
     * ring holds this much more audio.
     */
    public static final long MAX_CATCH_UP_NS_DEFAULT = TimeUnit.SECONDS.toNanos(1);
    /** An encoder silent this long may come back with a lower epoch (e.g. its clock stepped back). */
    public static final long EPOCH_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(5);
    /** When the encoder table is full, an encoder that stored nothing for this long gives its place to a new one. */
    public static final long ENCODER_IDLE_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(60);
    /** Wait this long after seeing a gap before asking for it, so reordered copies can fill it first. */
    public static final long RETRANSMIT_DELAY_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(20);
    /** Do not ask for a frame whose deadline is closer than this: the answer would arrive too late. */
    public static final long RETRANSMIT_GUARD_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(100);
    /** Minimum spacing of repeated requests for the same gap. */
    public static final long RETRANSMIT_INTERVAL_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(100);
    /** How many times one gap is asked for. */
    public static final int RETRANSMIT_MAX_ATTEMPTS_DEFAULT = 3;
    /** Gaps tracked per encoder; the oldest is forgotten when more appear. */
    public static final int RETRANSMIT_MAX_GAPS_DEFAULT = 16;
    /** Encoders per mount. */
    public static final int MAX_ENCODERS_DEFAULT = 8;
    /** Paths with their own counters; further paths share one bucket. */
    public static final int MAX_TRACKED_PATHS_DEFAULT = 64;
    /** Largest frame accepted: an ADTS frame is at most 8191 bytes, an MP3 frame at most 2881. */
    public static final int MAX_FRAME_LENGTH_DEFAULT = 8192;
    /** Shortest frame duration accepted (AAC at 96 kHz is 10.7 ms). */
    public static final int MIN_FRAME_DURATION_US_DEFAULT = 2_000;
    /** Longest frame duration accepted (AAC at 8 kHz is 128 ms). */
    public static final int MAX_FRAME_DURATION_US_DEFAULT = 500_000;
    /**
     * Audio whose bytes each encoder's ring reserves at first beyond what waits in steady state (the playout delay,
     * and for a backup the second its frames are kept after their slot passed): room for frames that come a little
     * early and for the played frames a switch bridge reads back; more is allocated only while used.
     */
    public static final long FRAME_BYTES_MARGIN_US = 500_000;
    /** Frame duration assumed when sizing the buffer from the delay (covers AAC at 96 kHz). */
    public static final int SIZING_FRAME_DURATION_US = 10_000;
    /** Matching payloads needed before a learned encoder offset is used. */
    public static final int OFFSET_CONFIRMATIONS_DEFAULT = 3;
    /** Matches within this many µs of the candidate offset confirm it. */
    public static final long OFFSET_TOLERANCE_US_DEFAULT = 2_000;
    /**
     * A lagging encoder's offset is capped so that its frames still arrive this long before their deadline (room for
     * jitter). Unless set, the headroom is this or a twentieth of the playout delay, whichever is less: 100 ms at
     * D = 2 s (a path chosen with that much delay jitters by tens of ms), 25 ms at D = 500 ms.
     */
    public static final long OFFSET_HEADROOM_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(100);
    /** Length of one window over which each encoder's highest transit delay (arrival minus stamp) is taken. */
    public static final long TRANSIT_WINDOW_NS = TimeUnit.SECONDS.toNanos(5);
    /** Consecutive frames a new epoch, or a sequence far beyond the highest, must deliver before it can play. */
    public static final int EPOCH_PROOF_FRAMES_DEFAULT = 8;
    /** A proven candidate displaces the current epoch only once that has stored nothing for this long. */
    public static final long EPOCH_QUIET_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * Epochs are the ingest's start time in ms since the Unix epoch; one further ahead of the engine clock than
     * this is forged or from a broken clock, and its frames are dropped as invalid.
     */
    public static final long MAX_EPOCH_AHEAD_NS_DEFAULT = TimeUnit.MINUTES.toNanos(1);
    /**
     * An encoder whose frames all stay below {@link #DEAD_AIR_THRESHOLD_DB_DEFAULT} for this long is dead air (its
     * studio feed is gone) and another encoder carrying audio takes over.
     */
    public static final long DEAD_AIR_NS_DEFAULT = TimeUnit.SECONDS.toNanos(10);
    /** Loudness (dB relative to full scale, as {@code FrameLoudness} estimates it) below which a frame is silent. */
    public static final double DEAD_AIR_THRESHOLD_DB_DEFAULT = -60.0;
    /** An envelope alignment is used once its confidence (0..1) reaches this. */
    public static final double ENVELOPE_MIN_CONFIDENCE_DEFAULT = 0.5;
    /** A new envelope alignment replaces the one in use only when it differs by more than this. */
    public static final long ENVELOPE_OFFSET_TOLERANCE_US = 5_000;
    /** Largest frame buffer per encoder. */
    public static final int MAX_FRAMES_PER_ENCODER_LIMIT = 1 << 16;
    /** Largest timestamp accepted (year 2096 in µs), so that every sum and product of times stays in a long. */
    public static final long MAX_TIMESTAMP_US = 4_000_000_000_000_000L;
    /** Largest encoder offset, operator-set or learned, in either direction. */
    public static final long MAX_ENCODER_OFFSET_US = 60_000_000L;

    private long playoutDelayNs = PLAYOUT_DELAY_NS_DEFAULT;
    private long holdTimeNs = HOLD_TIME_NS_DEFAULT;
    private long switchBackCleanWaitNs = SWITCH_BACK_CLEAN_WAIT_NS_DEFAULT;
    private long maxFutureNs = MAX_FUTURE_NS_DEFAULT;
    private long maxPastNs = MAX_PAST_NS_DEFAULT;
    private long maxCatchUpNs = -1;
    private long epochTimeoutNs = EPOCH_TIMEOUT_NS_DEFAULT;
    private long encoderIdleTimeoutNs = ENCODER_IDLE_TIMEOUT_NS_DEFAULT;
    private long retransmitDelayNs = RETRANSMIT_DELAY_NS_DEFAULT;
    private long retransmitGuardNs = RETRANSMIT_GUARD_NS_DEFAULT;
    private long retransmitIntervalNs = RETRANSMIT_INTERVAL_NS_DEFAULT;
    private int retransmitMaxAttempts = RETRANSMIT_MAX_ATTEMPTS_DEFAULT;
    private int retransmitMaxGaps = RETRANSMIT_MAX_GAPS_DEFAULT;
    private int maxEncoders = MAX_ENCODERS_DEFAULT;
    private int maxTrackedPaths = MAX_TRACKED_PATHS_DEFAULT;
    private int maxFrameLength = MAX_FRAME_LENGTH_DEFAULT;
    private int minFrameDurationUs = MIN_FRAME_DURATION_US_DEFAULT;
    private int maxFrameDurationUs = MAX_FRAME_DURATION_US_DEFAULT;
    private int framesPerEncoder;
    private long frameRingSpanUs;
    private long frameBytesReservedUs;
    private AlignmentScratch alignmentScratch;
    private boolean offsetLearning = true;
    private int offsetConfirmations = OFFSET_CONFIRMATIONS_DEFAULT;
    private long offsetToleranceUs = OFFSET_TOLERANCE_US_DEFAULT;
    private long offsetHeadroomNs = -1;
    private int epochProofFrames = EPOCH_PROOF_FRAMES_DEFAULT;
    private boolean mp3Bridges = true;
    private long deadAirNs = DEAD_AIR_NS_DEFAULT;
    private double deadAirThresholdDb = DEAD_AIR_THRESHOLD_DB_DEFAULT;
    private boolean envelopeAlignment = true;
    private double envelopeMinConfidence = ENVELOPE_MIN_CONFIDENCE_DEFAULT;
    private long epochQuietNs = EPOCH_QUIET_NS_DEFAULT;
    private long maxEpochAheadNs = MAX_EPOCH_AHEAD_NS_DEFAULT;
    private long maxSequenceJump;
    private final Int2ObjectHashMap<Long> encoderOffsetsUs = new Int2ObjectHashMap<>();
    private PlayoutSink playoutSink;
    private EdgeEventListener eventListener = EdgeEventListener.NO_OP;
    private RetransmitRequester retransmitRequester = RetransmitRequester.NO_OP;
    private FallbackFrameSource fallbackFrameSource;
    private boolean concluded;

    /**
     * Validate and fill derived values; called by {@link EdgeEngine}'s constructor.
     *
     * @return this.
     * @throws IllegalArgumentException naming the value and the limit it breaks.
     */
    public EdgeEngineContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        requireRange("playoutDelayNs", playoutDelayNs, TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(60));
        requireRange("holdTimeNs", holdTimeNs, 0, TimeUnit.HOURS.toNanos(1));
        requireRange("switchBackCleanWaitNs", switchBackCleanWaitNs, 0, TimeUnit.HOURS.toNanos(1));
        requireRange("maxFutureNs", maxFutureNs, 0, TimeUnit.SECONDS.toNanos(60));
        requireRange("maxPastNs", maxPastNs, 0, TimeUnit.HOURS.toNanos(1));
        if (maxCatchUpNs < 0)
        {
            maxCatchUpNs = Math.max(MAX_CATCH_UP_NS_DEFAULT, playoutDelayNs);
        }
        requireRange("maxCatchUpNs", maxCatchUpNs, 0, TimeUnit.SECONDS.toNanos(60));
        requireRange("epochTimeoutNs", epochTimeoutNs, 0, TimeUnit.HOURS.toNanos(1));
        requireRange("encoderIdleTimeoutNs", encoderIdleTimeoutNs, 0, TimeUnit.DAYS.toNanos(1));
        requireRange("retransmitDelayNs", retransmitDelayNs, 0, playoutDelayNs);
        requireRange("retransmitGuardNs", retransmitGuardNs, 0, playoutDelayNs);
        requireRange("retransmitIntervalNs", retransmitIntervalNs, TimeUnit.MILLISECONDS.toNanos(1),
            TimeUnit.SECONDS.toNanos(60));
        requireRange("retransmitMaxAttempts", retransmitMaxAttempts, 0, 100);
        requireRange("retransmitMaxGaps", retransmitMaxGaps, 1, 1024);
        requireRange("maxEncoders", maxEncoders, 1, 64);
        requireRange("maxTrackedPaths", maxTrackedPaths, 1, 1 << 16);
        requireRange("maxFrameLength", maxFrameLength, 16, 1 << 16);
        requireRange("minFrameDurationUs", minFrameDurationUs, 100, 1_000_000);
        requireRange("maxFrameDurationUs", maxFrameDurationUs, minFrameDurationUs, 1_000_000);
        requireRange("offsetConfirmations", offsetConfirmations, 1, 1000);
        requireRange("offsetToleranceUs", offsetToleranceUs, 0, 1_000_000);
        if (offsetHeadroomNs < 0)
        {
            offsetHeadroomNs = Math.min(OFFSET_HEADROOM_NS_DEFAULT, playoutDelayNs / 20);
        }
        requireRange("offsetHeadroomNs", offsetHeadroomNs, 0, playoutDelayNs - 1);
        if (0 == framesPerEncoder)
        {
            frameRingSpanUs = (playoutDelayNs + maxFutureNs + maxCatchUpNs) / 1000;
            frameBytesReservedUs = Math.min(frameRingSpanUs,
                playoutDelayNs / 1000 + FrameRing.MAX_SLOT_STEP_US + FRAME_BYTES_MARGIN_US);
            framesPerEncoder = FrameRing.capacityFor(
                frameRingSpanUs, SIZING_FRAME_DURATION_US, MAX_FRAMES_PER_ENCODER_LIMIT);
        }
        requireRange("framesPerEncoder", framesPerEncoder, 16, MAX_FRAMES_PER_ENCODER_LIMIT);
        requireRange("epochProofFrames", epochProofFrames, 1, 64);
        requireRange("deadAirNs", deadAirNs, 0, TimeUnit.HOURS.toNanos(1));
        if (!(deadAirThresholdDb >= -120.0 && deadAirThresholdDb <= 0.0))
        {
            throw new IllegalArgumentException("deadAirThresholdDb=" + deadAirThresholdDb + " is not in -120..0");
        }
        if (!(envelopeMinConfidence > 0.0 && envelopeMinConfidence <= 1.0))
        {
            throw new IllegalArgumentException("envelopeMinConfidence=" + envelopeMinConfidence + " is not in (0, 1]");
        }
        requireRange("epochQuietNs", epochQuietNs, 0, TimeUnit.MINUTES.toNanos(1));
        requireRange("maxEpochAheadNs", maxEpochAheadNs, 0, TimeUnit.DAYS.toNanos(365));
        if (0 == maxSequenceJump)
        {
            maxSequenceJump = framesPerEncoder;
        }
        requireRange("maxSequenceJump", maxSequenceJump, 1, Integer.MAX_VALUE);
        if (Integer.bitCount(framesPerEncoder) != 1)
        {
            throw new IllegalArgumentException("framesPerEncoder=" + framesPerEncoder + " is not a power of two");
        }
        if (null == playoutSink)
        {
            throw new IllegalArgumentException("playoutSink=null, a sink is required");
        }
        concluded = true;
        return this;
    }

    private static void requireRange(final String name, final long value, final long min, final long max)
    {
        if (value < min)
        {
            throw new IllegalArgumentException(name + "=" + value + " < " + min);
        }
        if (value > max)
        {
            throw new IllegalArgumentException(name + "=" + value + " > " + max);
        }
    }

    /**
     * Upper bound of the bytes the engine retains for frames whatever it is fed: every encoder's ring and candidate
     * buffer full of maximum-length frames plus one fallback scratch frame.
     *
     * @return bound in bytes, valid after {@link #conclude()}.
     */
    public long maxRetainedFrameBytes()
    {
        return (long)maxEncoders * (framesPerEncoder + epochProofFrames) * maxFrameLength + maxFrameLength;
    }

    /**
     * @param playoutDelayNs fixed delay D from a frame's timestamp to its playout.
     * @return this.
     */
    public EdgeEngineContext playoutDelayNs(final long playoutDelayNs)
    {
        this.playoutDelayNs = playoutDelayNs;
        return this;
    }

    /** @return fixed delay D from a frame's timestamp to its playout. */
    public long playoutDelayNs()
    {
        return playoutDelayNs;
    }

    /**
     * @param holdTimeNs continuity required before switching back to a higher-priority encoder.
     * @return this.
     */
    public EdgeEngineContext holdTimeNs(final long holdTimeNs)
    {
        this.holdTimeNs = holdTimeNs;
        return this;
    }

    /** @return continuity required before switching back to a higher-priority encoder. */
    public long holdTimeNs()
    {
        return holdTimeNs;
    }

    /**
     * @param switchBackCleanWaitNs after the hold time, how long a switch-back waits for a clean frame (an MP3 frame
     *                              with main_data_begin 0) before switching at any frame.
     * @return this.
     */
    public EdgeEngineContext switchBackCleanWaitNs(final long switchBackCleanWaitNs)
    {
        this.switchBackCleanWaitNs = switchBackCleanWaitNs;
        return this;
    }

    /** @return after the hold time, how long a switch-back waits for a clean frame. */
    public long switchBackCleanWaitNs()
    {
        return switchBackCleanWaitNs;
    }

    /**
     * @param maxFutureNs how far ahead of the clock a frame may be stamped.
     * @return this.
     */
    public EdgeEngineContext maxFutureNs(final long maxFutureNs)
    {
        this.maxFutureNs = maxFutureNs;
        return this;
    }

    /** @return how far ahead of the clock a frame may be stamped. */
    public long maxFutureNs()
    {
        return maxFutureNs;
    }

    /**
     * @param maxPastNs how long past its deadline a frame counts as late rather than garbage.
     * @return this.
     */
    public EdgeEngineContext maxPastNs(final long maxPastNs)
    {
        this.maxPastNs = maxPastNs;
        return this;
    }

    /** @return how long past its deadline a frame counts as late rather than garbage. */
    public long maxPastNs()
    {
        return maxPastNs;
    }

    /**
     * @param maxCatchUpNs lag beyond which slots are skipped rather than played in a burst.
     * @return this.
     */
    public EdgeEngineContext maxCatchUpNs(final long maxCatchUpNs)
    {
        this.maxCatchUpNs = maxCatchUpNs;
        return this;
    }

    /** @return lag beyond which slots are skipped rather than played in a burst (-1 until concluded if not set). */
    public long maxCatchUpNs()
    {
        return maxCatchUpNs;
    }

    /**
     * @param epochTimeoutNs silence after which an encoder may return with a lower epoch.
     * @return this.
     */
    public EdgeEngineContext epochTimeoutNs(final long epochTimeoutNs)
    {
        this.epochTimeoutNs = epochTimeoutNs;
        return this;
    }

    /** @return silence after which an encoder may return with a lower epoch. */
    public long epochTimeoutNs()
    {
        return epochTimeoutNs;
    }

    /**
     * @param encoderIdleTimeoutNs when the encoder table is full, how long an encoder must have stored nothing before
     *                             a new encoder may take its place.
     * @return this.
     */
    public EdgeEngineContext encoderIdleTimeoutNs(final long encoderIdleTimeoutNs)
    {
        this.encoderIdleTimeoutNs = encoderIdleTimeoutNs;
        return this;
    }

    /**
     * @return when the encoder table is full, how long an encoder must have stored nothing before a new encoder may
     * take its place.
     */
    public long encoderIdleTimeoutNs()
    {
        return encoderIdleTimeoutNs;
    }

    /**
     * @param retransmitDelayNs wait after a gap is seen before asking for it.
     * @return this.
     */
    public EdgeEngineContext retransmitDelayNs(final long retransmitDelayNs)
    {
        this.retransmitDelayNs = retransmitDelayNs;
        return this;
    }

    /** @return wait after a gap is seen before asking for it. */
    public long retransmitDelayNs()
    {
        return retransmitDelayNs;
    }

    /**
     * @param retransmitGuardNs no request for a frame whose deadline is closer than this.
     * @return this.
     */
    public EdgeEngineContext retransmitGuardNs(final long retransmitGuardNs)
    {
        this.retransmitGuardNs = retransmitGuardNs;
        return this;
    }

    /** @return no request for a frame whose deadline is closer than this. */
    public long retransmitGuardNs()
    {
        return retransmitGuardNs;
    }

    /**
     * @param retransmitIntervalNs minimum spacing of repeated requests for one gap.
     * @return this.
     */
    public EdgeEngineContext retransmitIntervalNs(final long retransmitIntervalNs)
    {
        this.retransmitIntervalNs = retransmitIntervalNs;
        return this;
    }

    /** @return minimum spacing of repeated requests for one gap. */
    public long retransmitIntervalNs()
    {
        return retransmitIntervalNs;
    }

    /**
     * @param retransmitMaxAttempts requests per gap; 0 disables retransmit.
     * @return this.
     */
    public EdgeEngineContext retransmitMaxAttempts(final int retransmitMaxAttempts)
    {
        this.retransmitMaxAttempts = retransmitMaxAttempts;
        return this;
    }

    /** @return requests per gap; 0 disables retransmit. */
    public int retransmitMaxAttempts()
    {
        return retransmitMaxAttempts;
    }

    /**
     * @param retransmitMaxGaps gaps tracked per encoder.
     * @return this.
     */
    public EdgeEngineContext retransmitMaxGaps(final int retransmitMaxGaps)
    {
        this.retransmitMaxGaps = retransmitMaxGaps;
        return this;
    }

    /** @return gaps tracked per encoder. */
    public int retransmitMaxGaps()
    {
        return retransmitMaxGaps;
    }

    /**
     * @param maxEncoders encoders per mount.
     * @return this.
     */
    public EdgeEngineContext maxEncoders(final int maxEncoders)
    {
        this.maxEncoders = maxEncoders;
        return this;
    }

    /** @return encoders per mount. */
    public int maxEncoders()
    {
        return maxEncoders;
    }

    /**
     * @param maxTrackedPaths paths with their own counters.
     * @return this.
     */
    public EdgeEngineContext maxTrackedPaths(final int maxTrackedPaths)
    {
        this.maxTrackedPaths = maxTrackedPaths;
        return this;
    }

    /** @return paths with their own counters. */
    public int maxTrackedPaths()
    {
        return maxTrackedPaths;
    }

    /**
     * @param maxFrameLength largest frame accepted, in bytes.
     * @return this.
     */
    public EdgeEngineContext maxFrameLength(final int maxFrameLength)
    {
        this.maxFrameLength = maxFrameLength;
        return this;
    }

    /** @return largest frame accepted, in bytes. */
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /**
     * @param minFrameDurationUs shortest frame duration accepted.
     * @return this.
     */
    public EdgeEngineContext minFrameDurationUs(final int minFrameDurationUs)
    {
        this.minFrameDurationUs = minFrameDurationUs;
        return this;
    }

    /** @return shortest frame duration accepted. */
    public int minFrameDurationUs()
    {
        return minFrameDurationUs;
    }

    /**
     * @param maxFrameDurationUs longest frame duration accepted.
     * @return this.
     */
    public EdgeEngineContext maxFrameDurationUs(final int maxFrameDurationUs)
    {
        this.maxFrameDurationUs = maxFrameDurationUs;
        return this;
    }

    /** @return longest frame duration accepted. */
    public int maxFrameDurationUs()
    {
        return maxFrameDurationUs;
    }

    /**
     * @param framesPerEncoder frames buffered per encoder, a power of two; 0 derives it from the playout delay,
     *                         maxFutureNs and maxCatchUpNs.
     * @return this.
     */
    public EdgeEngineContext framesPerEncoder(final int framesPerEncoder)
    {
        this.framesPerEncoder = framesPerEncoder;
        return this;
    }

    /**
     * @param alignmentScratch grids the envelope aligner resamples into, shared by the engines one thread runs; by
     *                         default each engine makes its own (about 50 KiB).
     * @return this.
     */
    public EdgeEngineContext alignmentScratch(final AlignmentScratch alignmentScratch)
    {
        this.alignmentScratch = alignmentScratch;
        return this;
    }

    /** @return the shared alignment grids, or null. */
    public AlignmentScratch alignmentScratch()
    {
        return alignmentScratch;
    }

    /** @return frames buffered per encoder: the most, when derived from the delay (see {@link #frameRingSpanUs}). */
    public int framesPerEncoder()
    {
        return framesPerEncoder;
    }

    /**
     * @return audio each encoder's ring holds when {@link #framesPerEncoder} was derived: the playout delay,
     * maxFutureNs (frames come that far ahead) and maxCatchUpNs (slots played that late), so a ring is sized by its
     * encoder's real frame duration (half the frames of the 10 ms sizing duration for MP3 or AAC at 44.1 or 48 kHz);
     * 0 when framesPerEncoder was set and is the capacity.
     */
    public long frameRingSpanUs()
    {
        return frameRingSpanUs;
    }

    /**
     * @return audio whose bytes each encoder's ring reserves on its first frame: the playout delay, the second a
     * backup's frames stay after their slot, and {@link #FRAME_BYTES_MARGIN_US}, at most {@link #frameRingSpanUs}. A
     * ring whose frames need more (frames come up to maxFutureNs early, slots are played up to maxCatchUpNs late)
     * doubles its bytes then and halves them once that has passed, so a mesh in steady state holds 3.5 s of bytes
     * per encoder at D = 2 s rather than the span's 5 s; 0 when framesPerEncoder was set.
     */
    public long frameBytesReservedUs()
    {
        return frameBytesReservedUs;
    }

    /**
     * @param offsetLearning whether encoder offsets are learned from matching payloads.
     * @return this.
     */
    public EdgeEngineContext offsetLearning(final boolean offsetLearning)
    {
        this.offsetLearning = offsetLearning;
        return this;
    }

    /** @return whether encoder offsets are learned from matching payloads. */
    public boolean offsetLearning()
    {
        return offsetLearning;
    }

    /**
     * @param offsetConfirmations agreeing matches needed to adopt a learned offset.
     * @return this.
     */
    public EdgeEngineContext offsetConfirmations(final int offsetConfirmations)
    {
        this.offsetConfirmations = offsetConfirmations;
        return this;
    }

    /** @return agreeing matches needed to adopt a learned offset. */
    public int offsetConfirmations()
    {
        return offsetConfirmations;
    }

    /**
     * @param deadAirNs how long an encoder must stay below the dead-air threshold before another encoder that carries
     *                  audio takes over; 0 disables dead-air detection.
     * @return this.
     */
    public EdgeEngineContext deadAirNs(final long deadAirNs)
    {
        this.deadAirNs = deadAirNs;
        return this;
    }

    /** @return how long an encoder must be silent to be dead air; 0 when disabled. */
    public long deadAirNs()
    {
        return deadAirNs;
    }

    /**
     * @param deadAirThresholdDb loudness in dBFS (as {@code FrameLoudness} estimates it from the bitstream) below
     *                           which a frame counts as silent.
     * @return this.
     */
    public EdgeEngineContext deadAirThresholdDb(final double deadAirThresholdDb)
    {
        this.deadAirThresholdDb = deadAirThresholdDb;
        return this;
    }

    /** @return loudness below which a frame counts as silent, dBFS. */
    public double deadAirThresholdDb()
    {
        return deadAirThresholdDb;
    }

    /**
     * @param envelopeAlignment whether encoders that share no bytes are aligned by their loudness envelopes (default
     *                          on); hash-learned and operator offsets take precedence.
     * @return this.
     */
    public EdgeEngineContext envelopeAlignment(final boolean envelopeAlignment)
    {
        this.envelopeAlignment = envelopeAlignment;
        return this;
    }

    /** @return whether envelope alignment is on. */
    public boolean envelopeAlignment()
    {
        return envelopeAlignment;
    }

    /**
     * @param envelopeMinConfidence confidence (0..1] an envelope alignment needs before it is used.
     * @return this.
     */
    public EdgeEngineContext envelopeMinConfidence(final double envelopeMinConfidence)
    {
        this.envelopeMinConfidence = envelopeMinConfidence;
        return this;
    }

    /** @return confidence an envelope alignment needs before it is used. */
    public double envelopeMinConfidence()
    {
        return envelopeMinConfidence;
    }

    /**
     * @param mp3Bridges whether the first MP3 frame after a switch is re-packed as a bridge frame so the listener's
     *                   decoder never reads the old encoder's bit reservoir (default on; off plays it as sent).
     * @return this.
     */
    public EdgeEngineContext mp3Bridges(final boolean mp3Bridges)
    {
        this.mp3Bridges = mp3Bridges;
        return this;
    }

    /** @return whether switches between MP3 encoders are bridged. */
    public boolean mp3Bridges()
    {
        return mp3Bridges;
    }

    /**
     * @param epochProofFrames consecutive frames a new epoch (or a sequence jump beyond {@link #maxSequenceJump()})
     *                         must deliver before it may displace the current one; until then its frames are held.
     * @return this.
     */
    public EdgeEngineContext epochProofFrames(final int epochProofFrames)
    {
        this.epochProofFrames = epochProofFrames;
        return this;
    }

    /** @return consecutive frames a new epoch must deliver before it may play. */
    public int epochProofFrames()
    {
        return epochProofFrames;
    }

    /**
     * @param epochQuietNs how long the current epoch must have stored nothing before a proven candidate displaces
     *                     it: a candidate never displaces an encoder that is still delivering.
     * @return this.
     */
    public EdgeEngineContext epochQuietNs(final long epochQuietNs)
    {
        this.epochQuietNs = epochQuietNs;
        return this;
    }

    /** @return how long the current epoch must be silent before a proven candidate displaces it. */
    public long epochQuietNs()
    {
        return epochQuietNs;
    }

    /**
     * @param maxEpochAheadNs how far ahead of the clock an epoch (an ingest start time in ms) may be.
     * @return this.
     */
    public EdgeEngineContext maxEpochAheadNs(final long maxEpochAheadNs)
    {
        this.maxEpochAheadNs = maxEpochAheadNs;
        return this;
    }

    /** @return how far ahead of the clock an epoch may be. */
    public long maxEpochAheadNs()
    {
        return maxEpochAheadNs;
    }

    /**
     * @param maxSequenceJump how far beyond the highest sequence held a frame may be before it is treated as a
     *                        candidate; 0 (default) is the ring capacity, {@link #framesPerEncoder()}.
     * @return this.
     */
    public EdgeEngineContext maxSequenceJump(final long maxSequenceJump)
    {
        this.maxSequenceJump = maxSequenceJump;
        return this;
    }

    /** @return how far beyond the highest sequence a frame may be before it is a candidate. */
    public long maxSequenceJump()
    {
        return maxSequenceJump;
    }

    /**
     * @param offsetHeadroomNs how long before its deadline a lagging encoder's frames must still arrive once its
     *                         offset is applied; a larger lag is capped (see {@link EdgeEvent#OFFSET_CAPPED}).
     * @return this.
     */
    public EdgeEngineContext offsetHeadroomNs(final long offsetHeadroomNs)
    {
        this.offsetHeadroomNs = offsetHeadroomNs;
        return this;
    }

    /** @return how long before its deadline a lagging encoder's frames must still arrive. */
    public long offsetHeadroomNs()
    {
        return offsetHeadroomNs;
    }

    /**
     * @param offsetToleranceUs how close matches must be to confirm one another.
     * @return this.
     */
    public EdgeEngineContext offsetToleranceUs(final long offsetToleranceUs)
    {
        this.offsetToleranceUs = offsetToleranceUs;
        return this;
    }

    /** @return how close matches must be to confirm one another. */
    public long offsetToleranceUs()
    {
        return offsetToleranceUs;
    }

    /**
     * Operator-set offset for an encoder, added to its timestamps to place them on the mount timeline; it disables
     * learning for that encoder.
     *
     * @param encoderId encoder.
     * @param offsetUs  added to its timestamps.
     * @return this.
     */
    public EdgeEngineContext encoderOffsetUs(final int encoderId, final long offsetUs)
    {
        if (Math.abs(offsetUs) > MAX_ENCODER_OFFSET_US)
        {
            throw new IllegalArgumentException(
                "encoderOffsetUs=" + offsetUs + " outside +/-MAX_ENCODER_OFFSET_US=" + MAX_ENCODER_OFFSET_US);
        }
        encoderOffsetsUs.put(encoderId, Long.valueOf(offsetUs));
        return this;
    }

    Int2ObjectHashMap<Long> encoderOffsetsUs()
    {
        return encoderOffsetsUs;
    }

    /**
     * @param playoutSink receives played-out frames; required.
     * @return this.
     */
    public EdgeEngineContext playoutSink(final PlayoutSink playoutSink)
    {
        this.playoutSink = playoutSink;
        return this;
    }

    /** @return receives played-out frames. */
    public PlayoutSink playoutSink()
    {
        return playoutSink;
    }

    /**
     * @param eventListener receives events.
     * @return this.
     */
    public EdgeEngineContext eventListener(final EdgeEventListener eventListener)
    {
        this.eventListener = null == eventListener ? EdgeEventListener.NO_OP : eventListener;
        return this;
    }

    /** @return receives events. */
    public EdgeEventListener eventListener()
    {
        return eventListener;
    }

    /**
     * @param retransmitRequester sends retransmit requests.
     * @return this.
     */
    public EdgeEngineContext retransmitRequester(final RetransmitRequester retransmitRequester)
    {
        this.retransmitRequester = null == retransmitRequester ? RetransmitRequester.NO_OP : retransmitRequester;
        return this;
    }

    /** @return sends retransmit requests. */
    public RetransmitRequester retransmitRequester()
    {
        return retransmitRequester;
    }

    /**
     * @param fallbackFrameSource frames for slots without encoder audio, or null for empty slots.
     * @return this.
     */
    public EdgeEngineContext fallbackFrameSource(final FallbackFrameSource fallbackFrameSource)
    {
        this.fallbackFrameSource = fallbackFrameSource;
        return this;
    }

    /** @return frames for slots without encoder audio, or null. */
    public FallbackFrameSource fallbackFrameSource()
    {
        return fallbackFrameSource;
    }
}
