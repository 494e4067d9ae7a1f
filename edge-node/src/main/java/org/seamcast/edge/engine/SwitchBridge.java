package org.seamcast.edge.engine;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.DirectBuffer;
import org.seamcast.codec.audio.AudioFrameHeader;
import org.seamcast.codec.audio.HeaderStatus;
import org.seamcast.codec.audio.Mp3Bridge;
import org.seamcast.codec.audio.Mp3BridgeRefusal;
import org.seamcast.codec.audio.Mp3BridgeStatus;
import org.seamcast.codec.audio.MpegAudioHeader;
import org.seamcast.codec.audio.SilenceFrames;

/**
 * Makes every switch bit-exact for MP3: at a switch to another encoder (failover, switch-back, the end of
 * fallback) the first frame of the new encoder is re-packed as a bridge frame ({@link Mp3Bridge}) so that the
 * listener's decoder never reads a byte of the old encoder's bit reservoir; when the bridge cannot carry everything
 * in one frame, the new encoder's following frames are re-packed too until the chain completes. The encoder's
 * earlier frames come from its ring. ADTS frames, and switches between byte-identical encoders whose reservoirs
 * are already the same, need no bridge and pass through.
 *
 * <p>Owned by the engine's thread; allocation-free after construction.
 */
final class SwitchBridge
{
    /** {@link #start} and {@link #next} result: play the ring's frame as it is. */
    static final int AS_IS = 0;

    private final Mp3Bridge bridge = new Mp3Bridge();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[Mp3Bridge.MAX_BRIDGE_FRAME_LENGTH]);
    private EncoderState chainEncoder;
    private long chainEpoch;
    private long chainNextSequence;
    private final AudioFrameHeader header = new AudioFrameHeader();
    private Mp3BridgeRefusal lastRefusal = Mp3BridgeRefusal.NONE;
    private boolean lastSilent;
    private boolean restartDue;

    /**
     * A switch to {@code encoder}, whose frame at ring {@code index} plays next.
     *
     * @return the length of the frame to play from {@link #frame()} instead, or {@link #AS_IS}.
     */
    int start(final EncoderState encoder, final int index)
    {
        chainEncoder = null;
        lastRefusal = Mp3BridgeRefusal.NONE;
        lastSilent = false;
        restartDue = false;
        final FrameRing ring = encoder.ring();
        if (!bridge.begin(ring.buffer(index), 0, ring.length(index)))
        {
            return refused(ring.buffer(index), ring.length(index));
        }
        final long epoch = ring.epoch(index);
        final long sequence = ring.sequence(index);
        for (long s = sequence - 1; bridge.needsEarlierFrame(); s--)
        {
            final int earlier = ring.indexOf(epoch, s);
            if (earlier == FrameRing.NONE || !ring.hasBytes(earlier) ||
                !bridge.addEarlierFrame(ring.buffer(earlier), 0, ring.length(earlier)))
            {
                break;
            }
        }
        return write(encoder, index, epoch, sequence);
    }

    /**
     * The encoder that played the last slot plays again: continues a chain if one is open.
     *
     * @return the length of the frame to play from {@link #frame()} instead, or {@link #AS_IS}.
     */
    int next(final EncoderState encoder, final int index)
    {
        lastRefusal = Mp3BridgeRefusal.NONE;
        lastSilent = false;
        restartDue = false;
        if (chainEncoder == null)
        {
            return AS_IS;
        }
        final FrameRing ring = encoder.ring();
        if (encoder != chainEncoder || ring.epoch(index) != chainEpoch || ring.sequence(index) != chainNextSequence)
        {
            chainEncoder = null;
            return AS_IS;
        }
        if (!bridge.continueChain(ring.buffer(index), 0, ring.length(index)))
        {
            chainEncoder = null;
            return refused(ring.buffer(index), ring.length(index));
        }
        return write(encoder, index, ring.epoch(index), ring.sequence(index));
    }

    /** Ends any chain: something else (another encoder, fallback) plays. */
    void cancel()
    {
        chainEncoder = null;
        lastRefusal = Mp3BridgeRefusal.NONE;
        lastSilent = false;
        restartDue = false;
    }

    private int write(final EncoderState encoder, final int index, final long epoch, final long sequence)
    {
        final FrameRing ring = encoder.ring();
        final int following = ring.indexOf(epoch, sequence + 1);
        if (following != FrameRing.NONE && ring.hasBytes(following))
        {
            bridge.addNextFrame(ring.buffer(following), 0, ring.length(following));
        }
        final Mp3BridgeStatus status = bridge.write(frame, 0);
        if (status == Mp3BridgeStatus.REFUSED)
        {
            return refused(ring.buffer(index), ring.length(index));
        }
        if (status == Mp3BridgeStatus.CHAIN_CONTINUES)
        {
            chainEncoder = encoder;
            chainEpoch = epoch;
            chainNextSequence = sequence + 1;
        }
        else
        {
            chainEncoder = null;
        }
        return bridge.frameLength();
    }

    /**
     * After a refusal: a frame whose main data no slot can carry gets the bridge's silent frame, which still carries
     * the encoder's reservoir; a frame whose main data lies in frames not held (the encoder just came back after a
     * gap) is replaced by a plain silent frame like it, and the switch is tried again at the encoder's next frame.
     * Anything else (not MP3, free format) plays as it is.
     */
    private int refused(final DirectBuffer source, final int sourceLength)
    {
        lastRefusal = bridge.refusal();
        chainEncoder = null;
        if (lastRefusal == Mp3BridgeRefusal.MAIN_DATA_TOO_LONG || lastRefusal == Mp3BridgeRefusal.RESERVOIR_NOT_COVERED)
        {
            lastSilent = true;
            if (lastRefusal == Mp3BridgeRefusal.MAIN_DATA_TOO_LONG &&
                bridge.writeSilence(frame, 0) != Mp3BridgeStatus.REFUSED)
            {
                return bridge.frameLength();
            }
            if (header.wrap(source, 0, sourceLength) == HeaderStatus.VALID)
            {
                restartDue = true;
                return SilenceFrames.writeLike(header, frame, 0);
            }
            lastSilent = false;
        }
        return AS_IS;
    }

    /**
     * @return whether the frame last written was silence that does not carry the encoder's reservoir, so its next
     * frame must start a bridge again.
     */
    boolean restartDue()
    {
        return restartDue;
    }

    /** @return the bridge frame last written. */
    UnsafeBuffer frame()
    {
        return frame;
    }

    /** @return whether the last frame written was the silent fallback. */
    boolean wasSilent()
    {
        return lastSilent;
    }

    /** @return whether the last written frame is a link in a chain (the first or a later one). */
    int chainIndex()
    {
        return bridge.chainIndex();
    }

    /** @return why the last bridge was refused ({@link Mp3BridgeRefusal#NONE} if it was not). */
    Mp3BridgeRefusal lastRefusal()
    {
        return lastRefusal;
    }

    /**
     * @return whether the frame is MPEG Layer III with a bitrate (not free format): a switch to it can be bridged,
     * so a planned switch need not wait for a frame that borrows nothing.
     */
    static boolean isBridgeable(final DirectBuffer buffer, final int length)
    {
        if (length < MpegAudioHeader.HEADER_LENGTH)
        {
            return false;
        }
        final int header = MpegAudioHeader.read(buffer, 0);
        return MpegAudioHeader.isValid(header) && MpegAudioHeader.layer(header) == 3 &&
            MpegAudioHeader.bitrateIndex(header) != 0;
    }

    /** @return whether a refusal means the stream is not MPEG Layer III at all (ADTS), so no bridge was due. */
    static boolean isNotMp3(final Mp3BridgeRefusal refusal)
    {
        return refusal == Mp3BridgeRefusal.INVALID_HEADER || refusal == Mp3BridgeRefusal.NOT_LAYER_III;
    }
}
