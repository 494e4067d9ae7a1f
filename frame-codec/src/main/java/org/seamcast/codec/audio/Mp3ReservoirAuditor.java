package org.seamcast.codec.audio;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Follows the Layer III bit reservoir of a stream frame by frame, as a decoder would, and says where each frame's
 * main data physically comes from. Each frame is labelled with an origin (for example the encoder id), so a
 * splice can be checked: no frame may read a byte from a frame of another origin.
 * <pre>
 *  main-data stream (areas only):   | f0 area     | f1 area   | f2 area        | f3 area ...
 *  f3's main data:                              [=====|===========|=====]
 *                                               ^ f3.main_data_begin bytes before f3's area
 *  attribution of f3's bytes:       f1: 6, f2: 16, f3: 5 (sources in stream order)
 * </pre>
 * The main data of a frame is {@code ceil(sum of part2_3_length / 8)} bytes. The auditor keeps the last 4 KiB of
 * main-data bytes and the last {@value #HISTORY_FRAMES} frames' areas, more than any {@code main_data_begin} can
 * reach, so it runs over streams of any length without allocating.
 * <p>
 * After {@link #audit} the accessors describe that frame until the next call; the counters add up over the stream.
 * Not thread-safe.
 */
public final class Mp3ReservoirAuditor
{
    /**
     * Frames remembered: enough for 511 bytes of reservoir in frames whose areas hold a single byte.
     */
    public static final int HISTORY_FRAMES = 512;

    private static final int BYTES_CAPACITY = 4096;
    private static final int BYTES_MASK = BYTES_CAPACITY - 1;
    private static final int HISTORY_MASK = HISTORY_FRAMES - 1;
    private static final Mp3ReservoirFinding[] FINDINGS = Mp3ReservoirFinding.values();

    private final byte[] bytes = new byte[BYTES_CAPACITY];
    private final long[] areaStarts = new long[HISTORY_FRAMES];
    private final int[] areaLengths = new int[HISTORY_FRAMES];
    private final int[] origins = new int[HISTORY_FRAMES];
    private final long[] sourceFrames = new long[HISTORY_FRAMES];
    private final int[] sourceOrigins = new int[HISTORY_FRAMES];
    private final int[] sourceBytes = new int[HISTORY_FRAMES];
    private final long[] counts = new long[FINDINGS.length];

    private long frames;
    private long foreignFrames;
    private boolean foreign;
    private long position;
    private long validFrom;
    private long previousMainDataEnd;
    private int previousHeader;

    private Mp3ReservoirFinding finding;
    private int mainDataBegin;
    private int mainDataLength;
    private long mainDataStart;
    private int sourceCount;

    /**
     * Forgets the stream: the next frame is frame 0 with an empty reservoir; counters restart.
     */
    public void reset()
    {
        frames = 0;
        foreignFrames = 0;
        foreign = false;
        position = 0;
        validFrom = 0;
        previousMainDataEnd = 0;
        previousHeader = 0;
        finding = null;
        sourceCount = 0;
        Arrays.fill(counts, 0);
    }

    /**
     * Audits the next frame of the stream.
     *
     * @param origin of the frame, e.g. the encoder id.
     * @param buffer holding the frame.
     * @param offset of its header.
     * @param length of the frame in bytes.
     * @return what was found; also counted in {@link #count(Mp3ReservoirFinding)}.
     */
    public Mp3ReservoirFinding audit(final int origin, final DirectBuffer buffer, final int offset, final int length)
    {
        final long index = frames++;
        sourceCount = 0;
        foreign = false;
        mainDataBegin = -1;
        mainDataLength = 0;

        final int header = length >= MpegAudioHeader.HEADER_LENGTH ? MpegAudioHeader.read(buffer, offset) : 0;
        if (!MpegAudioHeader.isValid(header) || MpegAudioHeader.layer(header) != 3 ||
            MpegAudioHeader.frameLengthBytes(header) != length)
        {
            remember(index, origin, 0);
            forget();
            previousHeader = 0;
            return found(Mp3ReservoirFinding.INVALID_FRAME);
        }

        Mp3ReservoirFinding result = Mp3ReservoirFinding.OK;
        if (previousHeader != 0 && !MpegAudioHeader.isConsistent(previousHeader, header))
        {
            forget();
            result = Mp3ReservoirFinding.INCONSISTENT_HEADER;
        }
        previousHeader = header;

        final int areaOffset = Layer3SideInfo.mainDataAreaOffset(header);
        final int areaLength = length - areaOffset;
        final long areaStart = position;
        mainDataBegin = MpegAudioHeader.mainDataBegin(buffer, offset);
        mainDataLength = (Layer3SideInfo.mainDataBits(buffer, offset, header) + 7) >>> 3;
        mainDataStart = areaStart - mainDataBegin;
        final long mainDataEnd = mainDataStart + mainDataLength;

        remember(index, origin, areaLength);
        for (int i = 0; i < areaLength; i++)
        {
            bytes[(int)((areaStart + i) & BYTES_MASK)] = buffer.getByte(offset + areaOffset + i);
        }
        position += areaLength;

        if (mainDataStart < validFrom)
        {
            result = worse(result, Mp3ReservoirFinding.UNSATISFIED);
        }
        else
        {
            if (mainDataEnd > position)
            {
                result = worse(result, Mp3ReservoirFinding.OVERRUNS_FRAME);
            }
            if (mainDataStart < previousMainDataEnd)
            {
                result = worse(result, Mp3ReservoirFinding.OVERLAPS_PREVIOUS);
            }
            if (attribute(index, origin, Math.min(mainDataEnd, position)))
            {
                foreign = true;
                foreignFrames++;
                result = worse(result, Mp3ReservoirFinding.FOREIGN_BYTES);
            }
        }
        if (mainDataLength > 0)
        {
            previousMainDataEnd = Math.max(previousMainDataEnd, mainDataEnd);
        }
        return found(result);
    }

    /**
     * @return frames audited since the start or {@link #reset()}; the last one's index is this minus one.
     */
    public long frames()
    {
        return frames;
    }

    /**
     * @param finding a finding.
     * @return frames that ended with it.
     */
    public long count(final Mp3ReservoirFinding finding)
    {
        return counts[finding.ordinal()];
    }

    /**
     * @return frames whose main data holds at least one byte from a frame of another origin, whatever else was
     * found about them (a frame is counted under one finding only, the most serious).
     */
    public long foreignFrames()
    {
        return foreignFrames;
    }

    /**
     * @return true when the last frame's main data holds a byte from a frame of another origin.
     */
    public boolean readsForeignBytes()
    {
        return foreign;
    }

    /**
     * @return frames with any finding other than {@link Mp3ReservoirFinding#OK}.
     */
    public long problemFrames()
    {
        return frames - counts[Mp3ReservoirFinding.OK.ordinal()];
    }

    /**
     * @return the last frame's finding; null before the first.
     */
    public Mp3ReservoirFinding finding()
    {
        return finding;
    }

    /**
     * @return the last frame's {@code main_data_begin}; -1 when it was not a valid Layer III frame.
     */
    public int mainDataBegin()
    {
        return mainDataBegin;
    }

    /**
     * @return the last frame's main data in bytes, {@code ceil(sum of part2_3_length / 8)}.
     */
    public int mainDataLength()
    {
        return mainDataLength;
    }

    /**
     * @return how many frames the last frame's main data was read from (0 when it could not be read).
     */
    public int sourceCount()
    {
        return sourceCount;
    }

    /**
     * @param i 0 to {@link #sourceCount()} - 1, in stream order.
     * @return index of the frame whose main-data area holds that part of the main data.
     */
    public long sourceFrame(final int i)
    {
        return sourceFrames[i];
    }

    /**
     * @param i 0 to {@link #sourceCount()} - 1.
     * @return origin of that frame.
     */
    public int sourceOrigin(final int i)
    {
        return sourceOrigins[i];
    }

    /**
     * @param i 0 to {@link #sourceCount()} - 1.
     * @return bytes of the main data read from that frame.
     */
    public int sourceBytes(final int i)
    {
        return sourceBytes[i];
    }

    /**
     * Copies the last frame's main data as a decoder reads it, when the finding allows reading it.
     *
     * @param dst    destination.
     * @param offset where the first byte goes.
     * @return bytes copied, or -1 when the main data cannot be read (invalid, unsatisfied or overrunning frame).
     */
    public int getMainData(final MutableDirectBuffer dst, final int offset)
    {
        if (finding == null || finding.ordinal() <= Mp3ReservoirFinding.OVERRUNS_FRAME.ordinal())
        {
            return -1;
        }
        for (int i = 0; i < mainDataLength; i++)
        {
            dst.putByte(offset + i, bytes[(int)((mainDataStart + i) & BYTES_MASK)]);
        }
        return mainDataLength;
    }

    /**
     * Copies the last frame's main data into a new array; allocates, for tests and tools.
     *
     * @return the bytes, or null when they cannot be read.
     */
    public byte[] mainData()
    {
        final byte[] copy = new byte[mainDataLength];
        return getMainData(new UnsafeBuffer(copy), 0) < 0 ? null : copy;
    }

    private boolean attribute(final long index, final int origin, final long end)
    {
        boolean foreign = false;
        final long limit = Math.max(0, index - HISTORY_MASK);
        long oldest = index;
        while (oldest > limit && areaStarts[(int)((oldest - 1) & HISTORY_MASK)] +
            areaLengths[(int)((oldest - 1) & HISTORY_MASK)] > mainDataStart)
        {
            oldest--;
        }
        for (long frame = oldest; frame <= index; frame++)
        {
            final int slot = (int)(frame & HISTORY_MASK);
            final long from = Math.max(areaStarts[slot], mainDataStart);
            final long to = Math.min(areaStarts[slot] + areaLengths[slot], end);
            if (from < to)
            {
                sourceFrames[sourceCount] = frame;
                sourceOrigins[sourceCount] = origins[slot];
                sourceBytes[sourceCount] = (int)(to - from);
                sourceCount++;
                foreign |= origins[slot] != origin;
            }
        }
        return foreign;
    }

    private void remember(final long index, final int origin, final int areaLength)
    {
        final int slot = (int)(index & HISTORY_MASK);
        areaStarts[slot] = position;
        areaLengths[slot] = areaLength;
        origins[slot] = origin;
    }

    private void forget()
    {
        validFrom = position;
        previousMainDataEnd = position;
    }

    private static Mp3ReservoirFinding worse(final Mp3ReservoirFinding current, final Mp3ReservoirFinding candidate)
    {
        return candidate.ordinal() < current.ordinal() ? candidate : current;
    }

    private Mp3ReservoirFinding found(final Mp3ReservoirFinding result)
    {
        finding = result;
        counts[result.ordinal()]++;
        return result;
    }
}
