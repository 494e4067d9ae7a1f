package org.seamcast.codec.audio;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Re-packs the first Layer III frame of a new encoder B so that nothing the listener's decoder reads comes from the
 * old encoder A: a <em>bridge frame</em>. No decoding, no re-encoding; the frame still carries 1152 (MPEG-1) or 576
 * (MPEG-2/2.5) samples.
 * <p>
 * A Layer III frame's main data starts {@code main_data_begin} bytes before its own main-data area, counted over
 * earlier frames' main-data areas (headers, CRCs and side information are not counted). After a switch those bytes
 * are A's. The bridge for B's frame k has the same header except a bitrate index (and padding bit) large enough,
 * the same side information except {@code main_data_begin = 0}, and a main-data area holding, in order, B[k]'s
 * whole main data, zeros, and the bytes B[k+1] borrows:
 * <pre>
 *  B's own stream:   main-data areas only, oldest left
 *    ... B[k-2] area | B[k-1] area   | hdr,si | B[k] area         | hdr,si | B[k+1] area ...
 *             [======= B[k] main data ==========]...[== M bytes ==]
 *             ^ main_data_begin(k) before B[k]'s area               ^ main_data_begin(k+1) = M before B[k+1]'s area
 *
 *  After the switch:
 *    ... A[k-1] area | hdr',si' | B[k] main data | 0 0 ... 0 | M bytes | hdr,si | B[k+1] area ...
 *                      ^ bitrate raised, main_data_begin 0   ^ B[k+1] finds its M bytes here, unchanged
 * </pre>
 * The bytes after B[k]'s main data up to the end of B[k]'s area are B's whole reservoir after k, and B[k+1]
 * borrows their last M. When B[k+1] is not known the bridge carries all of them (at most 511 on MPEG-1, 255 on
 * MPEG-2/2.5), which serves any next frame; when it is known it carries only its M, which is smaller.
 * <p>
 * <b>Chains.</b> When the main data plus the carried bytes exceed the largest slot (320 kb/s MPEG-1, 160 kb/s
 * MPEG-2/2.5), {@link #write} still writes the frame, filling the slot's end with the first bytes the next frame
 * borrows, and returns {@link Mp3BridgeStatus#CHAIN_CONTINUES}: the next frame of B must then be passed to
 * {@link #continueChain}, which re-packs it too (borrowing what the previous bridge carried), until a write returns
 * {@link Mp3BridgeStatus#COMPLETE}. A chained frame that needs no re-packing is written verbatim.
 * <p>
 * <b>Use</b> (one instance per mount, reused; nothing is allocated after construction):
 * <pre>{@code
 *  bridge.begin(frameK, 0, lengthK);
 *  for (long s = k - 1; bridge.needsEarlierFrame() && ring.contains(s); s--)
 *      bridge.addEarlierFrame(ring.buffer(s), 0, ring.length(s));   // newest first
 *  if (ring.contains(k + 1))
 *      bridge.addNextFrame(ring.buffer(k + 1), 0, ring.length(k + 1)); // optional, makes the bridge smaller
 *  Mp3BridgeStatus status = bridge.write(out, 0);                    // out: MAX_BRIDGE_FRAME_LENGTH bytes
 *  if (status == Mp3BridgeStatus.REFUSED)
 *      status = bridge.writeSilence(out, 0);                         // fallback: one silent frame, then exact
 *  // play out[0, frameLength()); next slot, while status == CHAIN_CONTINUES:
 *  //   continueChain(frame k+1), addNextFrame(frame k+2), status = write(out, 0)
 * }</pre>
 * <p>
 * <b>Pitfalls.</b> The earlier frames must be B's frames just before k, with none missing: the bridge checks that
 * their headers are consistent and that they hold enough bytes, but cannot tell a gap in the sequence. Free format,
 * Layers I/II and anything it cannot prove correct are refused ({@link Mp3BridgeStatus#REFUSED},
 * {@link #refusal()}); bad input is never an exception, misuse (a call out of order, a destination too small) is.
 * ADTS frames need no bridge: every AAC frame carries its own data.
 * <p>
 * Not thread-safe: one instance per mount, used by the thread that plays it out.
 */
public final class Mp3Bridge
{
    /**
     * Longest frame a bridge can be: Layer III at the highest bitrate with padding (MPEG-1 320 kb/s at 32 kHz, or
     * MPEG-2.5 160 kb/s at 8 kHz).
     */
    public static final int MAX_BRIDGE_FRAME_LENGTH = 1441;

    static final int HIGHEST_BITRATE_INDEX = 14;
    private static final int BITRATE_INDEX_SHIFT = 12;
    private static final int BITRATE_AND_PADDING_MASK = 0xF200;
    private static final int PADDING_BIT = 0x200;
    private static final int NONE = Integer.MIN_VALUE;

    /**
     * Index in {@link #streamBytes} of stream position 0, the first byte of the current frame's own main-data area;
     * earlier frames' areas sit below it, as far back as {@code main_data_begin} can reach.
     */
    private static final int ORIGIN = Layer3SideInfo.MAX_MAIN_DATA_BEGIN_MPEG_1 + 1;

    private enum Phase
    {
        IDLE, GATHERING, WRITTEN, REFUSED
    }

    private final int bitrateIndexLimit;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[MAX_BRIDGE_FRAME_LENGTH]);
    private final byte[] streamBytes = new byte[ORIGIN + MAX_BRIDGE_FRAME_LENGTH];
    private final UnsafeBuffer stream = new UnsafeBuffer(streamBytes);

    private Phase phase = Phase.IDLE;
    private boolean loaded;
    private boolean chained;
    private int chainIndex;

    private int header;
    private int frameLength;
    private int areaLength;
    private int mainDataBegin;
    private int mainDataLength;
    private int availableFrom;

    private int nextHeader;
    private int nextMainDataBegin = NONE;

    private int carriedFrom;
    private int carriedTo;

    private Mp3BridgeStatus status;
    private Mp3BridgeRefusal refusal = Mp3BridgeRefusal.NONE;
    private int refusalValue;
    private int refusalLimit;
    private int writtenLength;
    private boolean verbatim;
    private int borrowedBytes;
    private int carriedBytes;

    /**
     * A bridge that may raise the bitrate up to the highest the version allows.
     */
    public Mp3Bridge()
    {
        this(HIGHEST_BITRATE_INDEX);
    }

    /**
     * @param bitrateIndexLimit highest bitrate index a bridge may use (tests lower it to force chains); a frame's
     *                          own index is always allowed.
     */
    Mp3Bridge(final int bitrateIndexLimit)
    {
        if (bitrateIndexLimit < 1 || bitrateIndexLimit > HIGHEST_BITRATE_INDEX)
        {
            throw new IllegalArgumentException(
                "bitrateIndexLimit=" + bitrateIndexLimit + " outside 1.." + HIGHEST_BITRATE_INDEX);
        }
        this.bitrateIndexLimit = bitrateIndexLimit;
    }

    /**
     * Starts a bridge at the new encoder's frame k, forgetting any previous bridge or chain.
     *
     * @param buffer holding frame k.
     * @param offset of its header.
     * @param length of the frame in bytes.
     * @return false when the frame is refused ({@link #refusal()} says why).
     */
    public boolean begin(final DirectBuffer buffer, final int offset, final int length)
    {
        chained = false;
        chainIndex = 0;
        carriedFrom = 0;
        carriedTo = 0;
        return load(buffer, offset, length, 0);
    }

    /**
     * Whether the earlier frames given so far do not yet reach back {@code main_data_begin} bytes of main data.
     * Always false for a chained frame, whose reservoir the bridge kept from the previous step.
     *
     * @return true when {@link #addEarlierFrame} should be called with the frame before the oldest given.
     */
    public boolean needsEarlierFrame()
    {
        return phase == Phase.GATHERING && !chained && availableFrom > -mainDataBegin;
    }

    /**
     * Supplies the encoder's frame before the oldest one given so far: k-1 first, then k-2, and so on while
     * {@link #needsEarlierFrame()} is true. Only the main-data bytes still needed are copied.
     *
     * @param buffer holding the frame.
     * @param offset of its header.
     * @param length of the frame in bytes.
     * @return false when the bridge is refused (now or before).
     * @throws IllegalStateException before {@link #begin}, after {@link #write}, or for a chained frame.
     */
    public boolean addEarlierFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        if (phase == Phase.REFUSED)
        {
            return false;
        }
        if (phase != Phase.GATHERING || chained)
        {
            throw new IllegalStateException("addEarlierFrame needs a begun, unwritten bridge: phase=" + phase +
                ", chained=" + chained);
        }
        final int earlierHeader = checkFrame(buffer, offset, length);
        if (earlierHeader == 0)
        {
            return false;
        }
        if (!MpegAudioHeader.isConsistent(header, earlierHeader))
        {
            return refuse(Mp3BridgeRefusal.INCONSISTENT_HEADER, earlierHeader, header);
        }
        final int stillNeeded = availableFrom + mainDataBegin;
        if (stillNeeded > 0)
        {
            final int area = length - Layer3SideInfo.mainDataAreaOffset(earlierHeader);
            final int copied = Math.min(area, stillNeeded);
            stream.putBytes(ORIGIN + availableFrom - copied, buffer, offset + length - copied, copied);
            availableFrom -= copied;
        }
        return true;
    }

    /**
     * Optionally supplies the encoder's frame after the one being bridged. With it the bridge carries only the bytes
     * that frame borrows; without it, all of the encoder's reservoir.
     *
     * @param buffer holding the frame.
     * @param offset of its header.
     * @param length of the frame in bytes.
     * @return false when the bridge is refused (now or before).
     * @throws IllegalStateException before {@link #begin} or after {@link #write}.
     */
    public boolean addNextFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        if (phase == Phase.REFUSED)
        {
            return false;
        }
        if (phase != Phase.GATHERING)
        {
            throw new IllegalStateException("addNextFrame needs a begun, unwritten bridge: phase=" + phase);
        }
        final int following = checkFrame(buffer, offset, length);
        if (following == 0)
        {
            return false;
        }
        if (!MpegAudioHeader.isConsistent(header, following))
        {
            return refuse(Mp3BridgeRefusal.INCONSISTENT_HEADER, following, header);
        }
        nextHeader = following;
        nextMainDataBegin = MpegAudioHeader.mainDataBegin(buffer, offset);
        return true;
    }

    /**
     * Moves a chain on to the encoder's next frame, after {@link #write} returned
     * {@link Mp3BridgeStatus#CHAIN_CONTINUES}. Earlier frames are not needed again; a next frame may be added.
     *
     * @param buffer holding the frame after the one last written.
     * @param offset of its header.
     * @param length of the frame in bytes.
     * @return false when the frame is refused ({@link #refusal()} says why).
     * @throws IllegalStateException unless the last write returned {@link Mp3BridgeStatus#CHAIN_CONTINUES}.
     */
    public boolean continueChain(final DirectBuffer buffer, final int offset, final int length)
    {
        if (phase != Phase.WRITTEN || status != Mp3BridgeStatus.CHAIN_CONTINUES)
        {
            throw new IllegalStateException("continueChain needs a write that returned CHAIN_CONTINUES: phase=" +
                phase + ", status=" + status);
        }
        final int previousHeader = header;
        final int announcedHeader = nextMainDataBegin == NONE ? 0 : nextHeader;
        final int announcedMainDataBegin = nextMainDataBegin;

        final int keptFrom = Math.max(availableFrom, areaLength - Layer3SideInfo.MAX_MAIN_DATA_BEGIN_MPEG_1);
        System.arraycopy(streamBytes, ORIGIN + keptFrom, streamBytes, ORIGIN + keptFrom - areaLength,
            areaLength - keptFrom);
        availableFrom = keptFrom - areaLength;
        carriedFrom -= areaLength;
        carriedTo -= areaLength;
        chained = true;
        chainIndex++;

        if (!load(buffer, offset, length, previousHeader))
        {
            return false;
        }
        if (announcedHeader != 0 && (announcedHeader != header || announcedMainDataBegin != mainDataBegin))
        {
            return refuse(Mp3BridgeRefusal.CHAIN_MISMATCH, mainDataBegin, announcedMainDataBegin);
        }
        return true;
    }

    /**
     * Writes the bridge frame (or, when none is needed, the frame itself).
     *
     * @param dst    destination; {@link #MAX_BRIDGE_FRAME_LENGTH} bytes from {@code offset} always suffice.
     * @param offset where the frame's header goes.
     * @return {@link Mp3BridgeStatus#COMPLETE}, {@link Mp3BridgeStatus#CHAIN_CONTINUES} or
     * {@link Mp3BridgeStatus#REFUSED}; {@link #frameLength()} gives the bytes written.
     * @throws IllegalStateException     before {@link #begin}, or twice for one frame.
     * @throws IllegalArgumentException when {@code dst} is too small for the frame.
     */
    public Mp3BridgeStatus write(final MutableDirectBuffer dst, final int offset)
    {
        if (phase == Phase.REFUSED)
        {
            return Mp3BridgeStatus.REFUSED;
        }
        if (phase != Phase.GATHERING)
        {
            throw new IllegalStateException("write needs a begun, unwritten bridge: phase=" + phase);
        }

        final int begin = -mainDataBegin;
        final int end = begin + mainDataLength;
        if (end > areaLength)
        {
            refuse(Mp3BridgeRefusal.MAIN_DATA_PAST_FRAME, mainDataLength, mainDataBegin + areaLength);
            return Mp3BridgeStatus.REFUSED;
        }
        if (begin < availableFrom)
        {
            refuse(Mp3BridgeRefusal.RESERVOIR_NOT_COVERED, mainDataBegin, -availableFrom);
            return Mp3BridgeStatus.REFUSED;
        }
        final boolean carrying = carriedTo > carriedFrom;
        if (mainDataBegin == 0 || (carrying && carriedTo == 0 && carriedFrom <= begin))
        {
            return writeVerbatim(dst, offset);
        }

        final boolean borrowing = carrying && carriedFrom <= begin && begin < carriedTo;
        final int ownFrom = borrowing ? carriedTo : begin;
        final int ownTo = Math.max(ownFrom, end);
        final int own = ownTo - ownFrom;
        final int maxMainDataBegin = Layer3SideInfo.maxMainDataBegin(header);

        final int tailFrom;
        if (nextMainDataBegin != NONE)
        {
            tailFrom = areaLength - nextMainDataBegin;
            if (tailFrom < end)
            {
                refuse(Mp3BridgeRefusal.OVERLAPPING_MAIN_DATA, nextMainDataBegin, areaLength - end);
                return Mp3BridgeStatus.REFUSED;
            }
        }
        else
        {
            tailFrom = Math.max(end, areaLength - maxMainDataBegin);
        }
        final int tail = areaLength - tailFrom;

        final int maxArea = slotLength(header, Math.max(bitrateIndexLimit, MpegAudioHeader.bitrateIndex(header)), 1) -
            Layer3SideInfo.mainDataAreaOffset(header);
        final int carryFrom;
        final int carryTo;
        if (own + tail <= maxArea)
        {
            carryFrom = tailFrom;
            carryTo = areaLength;
            status = Mp3BridgeStatus.COMPLETE;
        }
        else if (own > maxArea)
        {
            refuse(Mp3BridgeRefusal.MAIN_DATA_TOO_LONG, own, maxArea);
            return Mp3BridgeStatus.REFUSED;
        }
        else
        {
            carryFrom = tailFrom;
            carryTo = tailFrom + Math.min(maxArea - own, maxMainDataBegin);
            status = Mp3BridgeStatus.CHAIN_CONTINUES;
        }

        final int carry = carryTo - carryFrom;
        final int bridgeHeader = smallestSlotHeader(header, own + carry);
        final int length = MpegAudioHeader.frameLengthBytes(bridgeHeader);
        checkCapacity(dst, offset, length);

        final int sideInfoOffset = Layer3SideInfo.sideInfoOffset(header);
        final int areaOffset = Layer3SideInfo.mainDataAreaOffset(header);
        final int area = length - areaOffset;
        dst.putInt(offset, bridgeHeader, ByteOrder.BIG_ENDIAN);
        dst.putBytes(offset + sideInfoOffset, frame, sideInfoOffset, areaOffset - sideInfoOffset);
        final int borrowed = borrowing ? carriedTo - begin : 0;
        Layer3SideInfo.putMainDataBegin(dst, offset, bridgeHeader, borrowed);
        dst.putBytes(offset + areaOffset, stream, ORIGIN + ownFrom, own);
        dst.setMemory(offset + areaOffset + own, area - own - carry, (byte)0);
        dst.putBytes(offset + length - carry, stream, ORIGIN + carryFrom, carry);
        if (MpegAudioHeader.hasCrc(bridgeHeader))
        {
            dst.putShort(offset + MpegAudioHeader.HEADER_LENGTH,
                (short)MpegAudioCrc.compute(dst, offset, bridgeHeader), ByteOrder.BIG_ENDIAN);
        }

        carriedFrom = carryFrom;
        carriedTo = carryTo;
        borrowedBytes = borrowed;
        carriedBytes = carry;
        verbatim = false;
        writtenLength = length;
        phase = Phase.WRITTEN;
        return status;
    }

    /**
     * The fallback when the frame itself cannot be bridged (its main data is longer than the largest slot, or reaches
     * before the earlier frames given): writes instead a frame that decodes to silence (side information all zero,
     * {@code main_data_begin} 0) and ends with the encoder's reservoir, so the next frame and all after it decode
     * exactly. The listener hears one frame of silence instead of a burst of noise.
     * <pre>
     *  ... A[k-1] area | hdr',si = 0 | 0 0 0 ... 0 | B's reservoir (M, or up to 511 bytes) | hdr,si | B[k+1] area
     * </pre>
     * May be called after the frame (or a chained frame) was begun, whether or not {@link #write} refused it.
     *
     * @param dst    destination; {@link #MAX_BRIDGE_FRAME_LENGTH} bytes from {@code offset} always suffice.
     * @param offset where the frame's header goes.
     * @return {@link Mp3BridgeStatus#COMPLETE}, or {@link Mp3BridgeStatus#REFUSED} when the frame could not be read
     * or the reservoir the next frame needs is not among the bytes given.
     * @throws IllegalStateException     before {@link #begin}, or after a frame was written.
     * @throws IllegalArgumentException when {@code dst} is too small for the frame.
     */
    public Mp3BridgeStatus writeSilence(final MutableDirectBuffer dst, final int offset)
    {
        if (phase != Phase.GATHERING && phase != Phase.REFUSED)
        {
            throw new IllegalStateException("writeSilence needs a begun, unwritten frame: phase=" + phase);
        }
        if (!loaded)
        {
            return Mp3BridgeStatus.REFUSED;
        }
        final int maxMainDataBegin = Layer3SideInfo.maxMainDataBegin(header);
        final int carryFrom;
        if (nextMainDataBegin != NONE)
        {
            carryFrom = areaLength - nextMainDataBegin;
        }
        else
        {
            carryFrom = Math.max(availableFrom, areaLength - maxMainDataBegin);
        }
        if (carryFrom < availableFrom)
        {
            refuse(Mp3BridgeRefusal.RESERVOIR_NOT_COVERED, areaLength - carryFrom, areaLength - availableFrom);
            return Mp3BridgeStatus.REFUSED;
        }
        final int carry = areaLength - carryFrom;
        final int highest = Math.max(bitrateIndexLimit, MpegAudioHeader.bitrateIndex(header));
        final int maxArea = slotLength(header, highest, 1) - Layer3SideInfo.mainDataAreaOffset(header);
        if (carry > maxArea)
        {
            refuse(Mp3BridgeRefusal.MAIN_DATA_TOO_LONG, carry, maxArea);
            return Mp3BridgeStatus.REFUSED;
        }

        final int silenceHeader = smallestSlotHeader(header, carry);
        final int length = MpegAudioHeader.frameLengthBytes(silenceHeader);
        checkCapacity(dst, offset, length);
        dst.putInt(offset, silenceHeader, ByteOrder.BIG_ENDIAN);
        dst.setMemory(offset + MpegAudioHeader.HEADER_LENGTH, length - MpegAudioHeader.HEADER_LENGTH - carry, (byte)0);
        dst.putBytes(offset + length - carry, stream, ORIGIN + carryFrom, carry);
        if (MpegAudioHeader.hasCrc(silenceHeader))
        {
            dst.putShort(offset + MpegAudioHeader.HEADER_LENGTH,
                (short)MpegAudioCrc.compute(dst, offset, silenceHeader), ByteOrder.BIG_ENDIAN);
        }

        carriedFrom = carryFrom;
        carriedTo = areaLength;
        borrowedBytes = 0;
        carriedBytes = carry;
        verbatim = false;
        writtenLength = length;
        status = Mp3BridgeStatus.COMPLETE;
        phase = Phase.WRITTEN;
        return status;
    }

    /**
     * @return bytes written by the last {@link #write}; 0 when it refused.
     */
    public int frameLength()
    {
        return writtenLength;
    }

    /**
     * @return true when the last {@link #write} copied the encoder's frame unchanged (its {@code main_data_begin}
     * was 0, or the previous frame of the chain carried all it borrows).
     */
    public boolean isVerbatim()
    {
        return verbatim;
    }

    /**
     * @return 0 for the frame passed to {@link #begin}, then 1, 2, ... for each frame passed to
     * {@link #continueChain}.
     */
    public int chainIndex()
    {
        return chainIndex;
    }

    /**
     * @return {@code main_data_begin} of the last frame written: 0, or in a chain the bytes it borrows from the
     * previous bridge.
     */
    public int borrowedBytes()
    {
        return borrowedBytes;
    }

    /**
     * @return bytes of the encoder's reservoir the last frame written carries at its end for the frames after it.
     */
    public int carriedBytes()
    {
        return carriedBytes;
    }

    /**
     * @return why the current frame could not be bridged, or {@link Mp3BridgeRefusal#NONE}; still set after
     * {@link #writeSilence} wrote the fallback.
     */
    public Mp3BridgeRefusal refusal()
    {
        return refusal;
    }

    /**
     * @return the value that broke the rule {@link #refusal()} names (see the constant for its meaning).
     */
    public int refusalValue()
    {
        return refusalValue;
    }

    /**
     * @return the bound {@link #refusalValue()} broke.
     */
    public int refusalLimit()
    {
        return refusalLimit;
    }

    /**
     * Describes the refusal for a log line; allocates, so not for the hot path.
     *
     * @return e.g. {@code MAIN_DATA_TOO_LONG value=1100 limit=1008}, or {@code NONE}.
     */
    public String describeRefusal()
    {
        if (refusal == Mp3BridgeRefusal.NONE)
        {
            return refusal.name();
        }
        if (refusal == Mp3BridgeRefusal.INVALID_HEADER || refusal == Mp3BridgeRefusal.INCONSISTENT_HEADER)
        {
            return refusal.name() + " value=0x" + Integer.toHexString(refusalValue) +
                " limit=0x" + Integer.toHexString(refusalLimit);
        }
        return refusal.name() + " value=" + refusalValue + " limit=" + refusalLimit;
    }

    private boolean load(final DirectBuffer buffer, final int offset, final int length, final int previousHeader)
    {
        refusal = Mp3BridgeRefusal.NONE;
        refusalValue = 0;
        refusalLimit = 0;
        status = null;
        writtenLength = 0;
        verbatim = false;
        borrowedBytes = 0;
        carriedBytes = 0;
        nextMainDataBegin = NONE;
        nextHeader = 0;
        phase = Phase.GATHERING;
        loaded = false;

        final int checked = checkFrame(buffer, offset, length);
        if (checked == 0)
        {
            return false;
        }
        if (previousHeader != 0 && !MpegAudioHeader.isConsistent(previousHeader, checked))
        {
            return refuse(Mp3BridgeRefusal.INCONSISTENT_HEADER, checked, previousHeader);
        }
        header = checked;
        frameLength = length;
        frame.putBytes(0, buffer, offset, length);
        final int areaOffset = Layer3SideInfo.mainDataAreaOffset(header);
        areaLength = length - areaOffset;
        stream.putBytes(ORIGIN, buffer, offset + areaOffset, areaLength);
        if (!chained)
        {
            availableFrom = 0;
        }
        mainDataBegin = MpegAudioHeader.mainDataBegin(buffer, offset);
        mainDataLength = (Layer3SideInfo.mainDataBits(buffer, offset, header) + 7) >>> 3;
        loaded = true;
        return true;
    }

    /**
     * @return the header when the bytes are one whole Layer III frame, else 0 with the bridge refused.
     */
    private int checkFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MpegAudioHeader.HEADER_LENGTH)
        {
            refuse(Mp3BridgeRefusal.TRUNCATED, length, MpegAudioHeader.HEADER_LENGTH);
            return 0;
        }
        final int candidate = MpegAudioHeader.read(buffer, offset);
        final HeaderStatus headerStatus = MpegAudioHeader.check(candidate);
        if (headerStatus == HeaderStatus.FREE_FORMAT_UNSUPPORTED)
        {
            refuse(Mp3BridgeRefusal.FREE_FORMAT, 0, 0);
            return 0;
        }
        if (headerStatus != HeaderStatus.VALID)
        {
            refuse(Mp3BridgeRefusal.INVALID_HEADER, candidate, 0);
            return 0;
        }
        if (MpegAudioHeader.layer(candidate) != 3)
        {
            refuse(Mp3BridgeRefusal.NOT_LAYER_III, MpegAudioHeader.layer(candidate), 3);
            return 0;
        }
        final int expectedLength = MpegAudioHeader.frameLengthBytes(candidate);
        if (length < expectedLength)
        {
            refuse(Mp3BridgeRefusal.TRUNCATED, length, expectedLength);
            return 0;
        }
        if (length > expectedLength)
        {
            refuse(Mp3BridgeRefusal.BAD_FRAME_LENGTH, length, expectedLength);
            return 0;
        }
        return candidate;
    }

    private boolean refuse(final Mp3BridgeRefusal reason, final int value, final int limit)
    {
        refusal = reason;
        refusalValue = value;
        refusalLimit = limit;
        status = Mp3BridgeStatus.REFUSED;
        writtenLength = 0;
        phase = Phase.REFUSED;
        return false;
    }

    private Mp3BridgeStatus writeVerbatim(final MutableDirectBuffer dst, final int offset)
    {
        checkCapacity(dst, offset, frameLength);
        dst.putBytes(offset, frame, 0, frameLength);
        status = Mp3BridgeStatus.COMPLETE;
        verbatim = true;
        borrowedBytes = mainDataBegin;
        carriedBytes = 0;
        writtenLength = frameLength;
        phase = Phase.WRITTEN;
        return status;
    }

    /**
     * @return the frame's header with the smallest bitrate index (not below its own) and padding whose main-data
     * area holds {@code areaBytes}.
     */
    private int smallestSlotHeader(final int frameHeader, final int areaBytes)
    {
        final int needed = Layer3SideInfo.mainDataAreaOffset(frameHeader) + areaBytes;
        final int highest = Math.max(bitrateIndexLimit, MpegAudioHeader.bitrateIndex(frameHeader));
        for (int index = MpegAudioHeader.bitrateIndex(frameHeader); index <= highest; index++)
        {
            for (int padding = 0; padding <= 1; padding++)
            {
                if (slotLength(frameHeader, index, padding) >= needed)
                {
                    return withSlot(frameHeader, index, padding);
                }
            }
        }
        throw new IllegalStateException("no slot holds " + areaBytes + " bytes of main data: header=0x" +
            Integer.toHexString(frameHeader));
    }

    private static int slotLength(final int frameHeader, final int bitrateIndex, final int padding)
    {
        return MpegAudioHeader.frameLengthBytes(withSlot(frameHeader, bitrateIndex, padding));
    }

    private static int withSlot(final int frameHeader, final int bitrateIndex, final int padding)
    {
        return (frameHeader & ~BITRATE_AND_PADDING_MASK) | (bitrateIndex << BITRATE_INDEX_SHIFT) |
            (padding == 0 ? 0 : PADDING_BIT);
    }

    private static void checkCapacity(final MutableDirectBuffer dst, final int offset, final int length)
    {
        if (offset < 0 || dst.capacity() - offset < length)
        {
            throw new IllegalArgumentException("dst capacity=" + dst.capacity() + " offset=" + offset +
                " < frame length=" + length + " (MAX_BRIDGE_FRAME_LENGTH=" + MAX_BRIDGE_FRAME_LENGTH + ')');
        }
    }
}
