package org.seamcast.codec.audio;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Splits an MP3 or ADTS byte stream, arriving in chunks of any size, into complete frames without allocating.
 * <p>
 * Rules, in the order they apply at the current position:
 * <ol>
 *   <li>An ID3v2 tag (anywhere), an APEv2 tag (anywhere) or an ID3v1 tag (only right after a frame) is skipped
 *   whole and counted in {@link #tagBytes()}.</li>
 *   <li>Before the stream is locked, a frame is trusted only when the bytes right after it are another valid header
 *   consistent with it (same version, layer, sample rate and mono-ness; for ADTS same profile, rate and channel
 *   configuration). The first trusted frame locks the stream's format and parameters.</li>
 *   <li>Once locked, only consistent headers are candidates. A frame is trusted when it is followed by a consistent
 *   header, a tag, or the end of the stream.</li>
 *   <li>A locked frame followed by neither is held as tentative. A trusted frame starting inside it shows it was
 *   garbage that looked like a header (and vouches for a frame inside it that ends, followed by garbage, within its
 *   own length before the trusted one); a frame or tag after it, within a gap no longer than the frame, vouches for it;
 *   failing both, it stands only if it directly follows a trusted frame or the stream ends.</li>
 *   <li>The first frame of a stream has nothing to vouch for it but the header right after it: a first frame
 *   followed by garbage or a tag is dropped.</li>
 *   <li>A Layer III candidate whose side information is impossible (see {@link Layer3SideInfo}) is no frame.</li>
 *   <li>Anything else is garbage, skipped one byte at a time and counted in {@link #garbageBytes()}. After
 *   {@link #RELOCK_AFTER_GARBAGE_BYTES} of garbage in a row the lock (and the format hint) is dropped, so a stream
 *   whose format changes is picked up again.</li>
 *   <li>Xing, Info and VBRI frames are not audio (ffprobe does not count them as packets): they are skipped and
 *   counted as tag bytes.</li>
 * </ol>
 * Memory is one fixed buffer of {@link #BUFFER_CAPACITY} bytes (about 24 KiB, sized for ADTS's 8191-byte frames).
 * A frame is emitted once the header after it has arrived, so output lags input by one frame.
 * <p>
 * Pitfalls: not thread-safe; one splitter per stream. The handler must not call back into the splitter, and an
 * exception it throws propagates to the caller of {@link #onData}, losing the rest of that chunk.
 */
public final class AudioFrameSplitter
{
    /**
     * Bytes of lookahead needed after a frame to classify what follows (an APE tag header is the longest).
     */
    static final int LOOKAHEAD_BYTES = MediaTags.APE_HEADER_LENGTH;

    /**
     * Size of the single internal buffer: a tentative frame, a gap as long as it, a frame there, and lookahead.
     */
    public static final int BUFFER_CAPACITY = 3 * AdtsHeader.MAX_FRAME_LENGTH + 4 * LOOKAHEAD_BYTES;

    /**
     * Consecutive garbage bytes after which the stream's lock and format hint are dropped.
     */
    public static final int RELOCK_AFTER_GARBAGE_BYTES = 16 * 1024;

    private static final int NEED_MORE = -1;
    private static final int NOT_FRAME = 0;

    private static final int NEXT_HEADER = 1;
    private static final int NEXT_TAG = 2;
    private static final int NEXT_END = 3;
    private static final int NEXT_OTHER = 4;

    private static final int XING = 0x58696E67;
    private static final int INFO = 0x496E666F;
    private static final int VBRI = 0x56425249;
    private static final int VBRI_OFFSET = MpegAudioHeader.HEADER_LENGTH + 32;

    private final AudioFrameHandler handler;
    private final AudioFormat formatHint;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[BUFFER_CAPACITY]);
    private final UnsafeBuffer inputWrapper = new UnsafeBuffer(0, 0);
    private final AudioFrameHeader header = new AudioFrameHeader();

    private int readPos;
    private int writePos;
    private long skipRemainingBytes;
    private int tentativeLength;
    private boolean tentativeFollowsFrame;
    private int huntPos;
    private boolean atFrameBoundary;
    private boolean hintActive;

    private boolean locked;
    private AudioFormat lockedFormat;
    private int lockedMpegHeader;
    private long lockedAdtsHeader;

    private AudioFormat candidateFormat;
    private int candidateMpegHeader;
    private long candidateAdtsHeader;

    private long garbageRunBytes;
    private long bytesReceived;
    private long framesEmitted;
    private long garbageBytes;
    private long tagBytes;
    private long vbrInfoFrames;
    private long freeFormatHeaders;

    /**
     * A splitter that detects MP3 or ADTS from the content.
     *
     * @param handler receives every frame.
     */
    public AudioFrameSplitter(final AudioFrameHandler handler)
    {
        this(handler, null);
    }

    /**
     * @param handler    receives every frame.
     * @param formatHint the format the stream is expected to carry (e.g. from {@link AudioFormat#fromContentType});
     *                   only that format is looked for until {@link #RELOCK_AFTER_GARBAGE_BYTES} of garbage show
     *                   the hint wrong. Null detects from content.
     */
    public AudioFrameSplitter(final AudioFrameHandler handler, final AudioFormat formatHint)
    {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.formatHint = formatHint;
        this.hintActive = null != formatHint;
    }

    /**
     * Feeds the next chunk of the stream; frames completed by it are handed to the handler before this returns.
     *
     * @param src    holding the bytes.
     * @param offset of the first byte.
     * @param length of the chunk, 0 or more.
     */
    public void onData(final DirectBuffer src, final int offset, final int length)
    {
        if (length < 0 || offset < 0 || offset > src.capacity() - length)
        {
            throw new IndexOutOfBoundsException(
                "offset=" + offset + " length=" + length + " outside capacity=" + src.capacity());
        }

        bytesReceived += length;
        int position = offset;
        int remaining = length;
        while (remaining > 0)
        {
            if (skipRemainingBytes > 0 && readPos == writePos)
            {
                final int n = (int)Math.min(skipRemainingBytes, remaining);
                skipRemainingBytes -= n;
                tagBytes += n;
                position += n;
                remaining -= n;
                continue;
            }

            makeRoom();
            final int n = Math.min(remaining, BUFFER_CAPACITY - writePos);
            buffer.putBytes(writePos, src, position, n);
            writePos += n;
            position += n;
            remaining -= n;
            process(false);
        }
    }

    /**
     * Feeds the next chunk of the stream from a byte array.
     *
     * @param src    holding the bytes.
     * @param offset of the first byte.
     * @param length of the chunk.
     */
    public void onData(final byte[] src, final int offset, final int length)
    {
        inputWrapper.wrap(src);
        try
        {
            onData(inputWrapper, offset, length);
        }
        finally
        {
            inputWrapper.wrap(0, 0);
        }
    }

    /**
     * Ends the stream: a last frame with nothing after it is emitted if it is complete and consistent with the
     * locked stream; leftover bytes count as garbage. The splitter is then ready for a new stream; counters carry on.
     */
    public void finish()
    {
        process(true);
        reset();
    }

    /**
     * Drops buffered bytes, the lock and any tag being skipped, as for a new stream. Counters are kept.
     */
    public void reset()
    {
        readPos = 0;
        writePos = 0;
        skipRemainingBytes = 0;
        tentativeLength = 0;
        huntPos = 0;
        atFrameBoundary = false;
        locked = false;
        garbageRunBytes = 0;
        hintActive = null != formatHint;
    }

    /**
     * @return the format of the locked stream, or null before the first trusted frame (and after a relock).
     */
    public AudioFormat lockedFormat()
    {
        return locked ? lockedFormat : null;
    }

    /**
     * @return frames handed to the handler.
     */
    public long framesEmitted()
    {
        return framesEmitted;
    }

    /**
     * @return bytes skipped because they were neither frames nor tags (including a truncated last frame).
     */
    public long garbageBytes()
    {
        return garbageBytes;
    }

    /**
     * @return bytes skipped as ID3v2, ID3v1, APE tags or Xing/Info/VBRI frames.
     */
    public long tagBytes()
    {
        return tagBytes;
    }

    /**
     * @return Xing, Info or VBRI frames skipped (included in {@link #tagBytes()}).
     */
    public long vbrInfoFrames()
    {
        return vbrInfoFrames;
    }

    /**
     * @return MPEG headers rejected because they declare free format (bitrate index 0), which is unsupported.
     */
    public long freeFormatHeaders()
    {
        return freeFormatHeaders;
    }

    /**
     * @return all bytes passed to {@link #onData}.
     */
    public long bytesReceived()
    {
        return bytesReceived;
    }

    /**
     * @return bytes held waiting for the rest of a frame or its lookahead; never more than {@link #BUFFER_CAPACITY}.
     */
    public int bufferedBytes()
    {
        return writePos - readPos;
    }

    private void makeRoom()
    {
        if (readPos == writePos)
        {
            readPos = 0;
            writePos = 0;
        }
        else if (writePos == BUFFER_CAPACITY)
        {
            if (readPos == 0)
            {
                throw new IllegalStateException("splitter window full: bufferedBytes=" + writePos +
                    " = BUFFER_CAPACITY=" + BUFFER_CAPACITY);
            }
            final int buffered = writePos - readPos;
            buffer.putBytes(0, buffer, readPos, buffered);
            huntPos -= readPos;
            readPos = 0;
            writePos = buffered;
        }
    }

    private void process(final boolean endOfStream)
    {
        while (true)
        {
            if (skipRemainingBytes > 0)
            {
                final int n = (int)Math.min(skipRemainingBytes, writePos - readPos);
                if (n == 0)
                {
                    return;
                }
                readPos += n;
                skipRemainingBytes -= n;
                tagBytes += n;
            }
            else if (tentativeLength > 0)
            {
                if (!resolveTentativeFrame(endOfStream))
                {
                    return;
                }
            }
            else if (readPos == writePos || !step(endOfStream))
            {
                return;
            }
        }
    }

    /**
     * Consumes a tag, a frame or one garbage byte at the read position.
     *
     * @return false when more bytes are needed to decide.
     */
    private boolean step(final boolean endOfStream)
    {
        final int available = writePos - readPos;

        final int id3v2Length = MediaTags.id3v2Length(buffer, readPos, available);
        if (id3v2Length == MediaTags.NEED_MORE && !endOfStream)
        {
            return false;
        }
        if (id3v2Length > 0)
        {
            skipTag(id3v2Length);
            return true;
        }

        if (atFrameBoundary)
        {
            final int id3v1Length = MediaTags.id3v1Length(buffer, readPos, available);
            if (id3v1Length == MediaTags.NEED_MORE && !endOfStream)
            {
                return false;
            }
            if (id3v1Length > 0)
            {
                skipTag(id3v1Length);
                return true;
            }
        }

        final int apeSize = MediaTags.apeSizeField(buffer, readPos, available);
        if (apeSize == MediaTags.NEED_MORE && !endOfStream)
        {
            return false;
        }
        if (apeSize > 0)
        {
            if (MediaTags.isApeHeader(buffer, readPos))
            {
                skipTag((long)apeSize + MediaTags.APE_HEADER_LENGTH);
            }
            else
            {
                // A footer-only tag: its items went by as garbage just before; count them as the tag they were.
                final long items = Math.min(garbageRunBytes, apeSize - MediaTags.APE_HEADER_LENGTH);
                garbageBytes -= items;
                tagBytes += items;
                skipTag(MediaTags.APE_HEADER_LENGTH);
            }
            return true;
        }

        final int length = frameAt(readPos, endOfStream);
        if (length == NEED_MORE)
        {
            return false;
        }
        if (length == NOT_FRAME)
        {
            skipGarbage(1);
            return true;
        }

        final int next = nextAt(readPos + length, endOfStream);
        if (next == NEED_MORE)
        {
            return false;
        }

        if (next == NEXT_HEADER || (locked && next != NEXT_OTHER))
        {
            acceptFrame(length);
        }
        else if (locked)
        {
            tentativeLength = length;
            tentativeFollowsFrame = atFrameBoundary;
            huntPos = readPos + 1;
        }
        else
        {
            skipGarbage(1);
        }
        return true;
    }

    /**
     * Decides a tentative frame: a locked, consistent frame followed by neither a header nor a tag.
     * <ul>
     *   <li>A trusted frame starting inside it shows it was garbage that looked like a header.</li>
     *   <li>A frame (trusted or not, to be judged in turn) or a tag starting after it, within a gap no longer than the
     *   frame itself, vouches for it.</li>
     *   <li>Otherwise it stands only if it directly follows a trusted frame, or the stream has ended.</li>
     * </ul>
     * Bytes scanned without finding a trusted frame are garbage and never scanned again, so work stays linear.
     *
     * @return false when more bytes are needed to decide.
     */
    private boolean resolveTentativeFrame(final boolean endOfStream)
    {
        final int end = readPos + tentativeLength;
        final int huntLimit = end + tentativeLength;
        while (huntPos <= huntLimit)
        {
            if (huntPos >= writePos)
            {
                if (!endOfStream)
                {
                    return false;
                }
                break;
            }

            if (huntPos >= end)
            {
                final int available = writePos - huntPos;
                int tag = MediaTags.id3v2Length(buffer, huntPos, available);
                if (tag == MediaTags.NONE)
                {
                    tag = MediaTags.apeSizeField(buffer, huntPos, available);
                }
                if (tag == MediaTags.NEED_MORE && !endOfStream)
                {
                    return false;
                }
                if (tag > 0)
                {
                    acceptTentativeFrame(huntPos);
                    return true;
                }
            }

            final int length = frameAt(huntPos, endOfStream);
            if (length == NEED_MORE)
            {
                return false;
            }
            if (length != NOT_FRAME)
            {
                if (huntPos >= end)
                {
                    // Another frame follows after a gap; it will be judged in turn.
                    acceptTentativeFrame(huntPos);
                    return true;
                }

                final int next = nextAt(huntPos + length, endOfStream);
                if (next == NEED_MORE)
                {
                    return false;
                }
                if (next != NEXT_OTHER)
                {
                    tentativeLength = 0;
                    final int vouched = earliestFrameVouchedFor(huntPos, endOfStream);
                    if (vouched > readPos)
                    {
                        // a frame between the garbage and this one, itself followed by garbage, is vouched for by it
                        skipGarbage(vouched - readPos);
                        acceptFrame(frameAt(readPos, true));
                        return true;
                    }
                    frameAt(huntPos, endOfStream);
                    skipGarbage(huntPos - readPos);
                    acceptFrame(length);
                    return true;
                }
            }
            huntPos++;
        }

        final int scannedTo = Math.min(huntPos, writePos);
        if (tentativeFollowsFrame || endOfStream)
        {
            acceptTentativeFrame(scannedTo);
        }
        else
        {
            tentativeLength = 0;
            skipGarbage(scannedTo - readPos);
        }
        return true;
    }

    /**
     * The frames inside a tentative frame that are followed by garbage are not trusted on their own, but the trusted
     * frame at {@code trusted} vouches for one that ends before it within a gap no longer than that frame, as for a
     * tentative frame: garbage holding something like a header, a real frame, garbage, then the stream again.
     *
     * @return the earliest such frame's position after the tentative frame's, or -1. Leaves the candidate fields
     * describing whatever was parsed last.
     */
    private int earliestFrameVouchedFor(final int trusted, final boolean endOfStream)
    {
        for (int position = readPos + 1; position < trusted; position++)
        {
            final int length = frameAt(position, endOfStream);
            if (length > 0 && position + length <= trusted && trusted - (position + length) <= length)
            {
                return position;
            }
        }
        return -1;
    }

    private void acceptTentativeFrame(final int garbageEnd)
    {
        final int length = tentativeLength;
        tentativeLength = 0;
        frameAt(readPos, true);
        acceptFrame(length);
        if (garbageEnd > readPos)
        {
            skipGarbage(garbageEnd - readPos);
        }
    }

    /**
     * Parses a candidate frame at {@code position} into the candidate fields.
     *
     * @return its length when a whole, valid (and, once locked, consistent) frame is buffered there;
     * {@link #NOT_FRAME}; or {@link #NEED_MORE}.
     */
    private int frameAt(final int position, final boolean endOfStream)
    {
        final int available = writePos - position;
        if ((buffer.getByte(position) & 0xFF) != 0xFF)
        {
            return NOT_FRAME;
        }
        if (available < 2)
        {
            return endOfStream ? NOT_FRAME : NEED_MORE;
        }
        final int second = buffer.getByte(position + 1) & 0xFF;
        if ((second & 0xE0) != 0xE0)
        {
            return NOT_FRAME;
        }

        final int length;
        if ((second & 0xF6) == 0xF0)
        {
            if (!accepts(AudioFormat.ADTS))
            {
                return NOT_FRAME;
            }
            if (available < AdtsHeader.HEADER_LENGTH)
            {
                return endOfStream ? NOT_FRAME : NEED_MORE;
            }
            final long adtsHeader = AdtsHeader.read(buffer, position);
            if (!AdtsHeader.isValid(adtsHeader) || (locked && !AdtsHeader.isConsistent(adtsHeader, lockedAdtsHeader)))
            {
                return NOT_FRAME;
            }
            length = AdtsHeader.frameLengthBytes(adtsHeader);
            candidateFormat = AudioFormat.ADTS;
            candidateAdtsHeader = adtsHeader;
        }
        else
        {
            if (!accepts(AudioFormat.MP3))
            {
                return NOT_FRAME;
            }
            if (available < MpegAudioHeader.HEADER_LENGTH)
            {
                return endOfStream ? NOT_FRAME : NEED_MORE;
            }
            final int mpegHeader = MpegAudioHeader.read(buffer, position);
            final HeaderStatus status = MpegAudioHeader.check(mpegHeader);
            if (status != HeaderStatus.VALID)
            {
                if (status == HeaderStatus.FREE_FORMAT_UNSUPPORTED)
                {
                    freeFormatHeaders++;
                }
                return NOT_FRAME;
            }
            if (locked && !MpegAudioHeader.isConsistent(mpegHeader, lockedMpegHeader))
            {
                return NOT_FRAME;
            }
            length = MpegAudioHeader.frameLengthBytes(mpegHeader);
            if (length > available)
            {
                return endOfStream ? NOT_FRAME : NEED_MORE;
            }
            if (MpegAudioHeader.layer(mpegHeader) == 3 && !Layer3SideInfo.isPlausible(buffer, position, mpegHeader, length))
            {
                return NOT_FRAME;
            }
            candidateFormat = AudioFormat.MP3;
            candidateMpegHeader = mpegHeader;
        }

        if (length > available)
        {
            return endOfStream ? NOT_FRAME : NEED_MORE;
        }
        return length;
    }

    private boolean accepts(final AudioFormat format)
    {
        if (locked)
        {
            return lockedFormat == format;
        }
        return !hintActive || formatHint == format;
    }

    /**
     * Classifies what follows the candidate frame.
     */
    private int nextAt(final int position, final boolean endOfStream)
    {
        final int available = writePos - position;
        if (available == 0)
        {
            return endOfStream ? NEXT_END : NEED_MORE;
        }

        final int headerLength;
        if (candidateFormat == AudioFormat.MP3)
        {
            headerLength = MpegAudioHeader.HEADER_LENGTH;
            if (available >= headerLength)
            {
                final int next = MpegAudioHeader.read(buffer, position);
                if (MpegAudioHeader.isValid(next) && MpegAudioHeader.isConsistent(next, candidateMpegHeader))
                {
                    return NEXT_HEADER;
                }
            }
        }
        else
        {
            headerLength = AdtsHeader.HEADER_LENGTH;
            if (available >= headerLength)
            {
                final long next = AdtsHeader.read(buffer, position);
                if (AdtsHeader.isValid(next) && AdtsHeader.isConsistent(next, candidateAdtsHeader))
                {
                    return NEXT_HEADER;
                }
            }
        }

        final int tag = tagAt(position, available);
        if (tag == MediaTags.NEED_MORE && !endOfStream)
        {
            return NEED_MORE;
        }
        if (tag > 0)
        {
            return NEXT_TAG;
        }
        if (available < headerLength)
        {
            return endOfStream ? NEXT_END : NEED_MORE;
        }
        return NEXT_OTHER;
    }

    private int tagAt(final int position, final int available)
    {
        int result = MediaTags.id3v2Length(buffer, position, available);
        if (result == MediaTags.NONE)
        {
            result = MediaTags.id3v1Length(buffer, position, available);
        }
        if (result == MediaTags.NONE)
        {
            result = MediaTags.apeSizeField(buffer, position, available);
        }
        return result;
    }

    private void acceptFrame(final int length)
    {
        if (!locked)
        {
            locked = true;
            lockedFormat = candidateFormat;
            lockedMpegHeader = candidateMpegHeader;
            lockedAdtsHeader = candidateAdtsHeader;
        }

        final int offset = readPos;
        readPos += length;
        atFrameBoundary = true;
        garbageRunBytes = 0;

        if (candidateFormat == AudioFormat.MP3)
        {
            if (isVbrInfoFrame(offset, length))
            {
                vbrInfoFrames++;
                tagBytes += length;
                return;
            }
            header.wrapMpeg(candidateMpegHeader,
                MpegAudioHeader.layer(candidateMpegHeader) == 3 ? MpegAudioHeader.mainDataBegin(buffer, offset) : -1);
        }
        else
        {
            header.wrapAdts(candidateAdtsHeader);
        }

        framesEmitted++;
        handler.onFrame(buffer, offset, length, header);
    }

    private boolean isVbrInfoFrame(final int offset, final int length)
    {
        final int mpegHeader = candidateMpegHeader;
        final int xingOffset = MpegAudioHeader.HEADER_LENGTH + MpegAudioHeader.sideInfoLengthBytes(mpegHeader);
        // LAME -p and ffmpeg's demuxer put the tag where an unprotected frame's side information ends
        if (isXingOrInfo(offset + xingOffset, offset + length) ||
            (MpegAudioHeader.hasCrc(mpegHeader) &&
            isXingOrInfo(offset + xingOffset + MpegAudioHeader.CRC_LENGTH, offset + length)))
        {
            return true;
        }
        return VBRI_OFFSET + 4 <= length && buffer.getInt(offset + VBRI_OFFSET, ByteOrder.BIG_ENDIAN) == VBRI;
    }

    private boolean isXingOrInfo(final int tagOffset, final int frameEnd)
    {
        if (tagOffset + 4 > frameEnd)
        {
            return false;
        }
        final int tag = buffer.getInt(tagOffset, ByteOrder.BIG_ENDIAN);
        return tag == XING || tag == INFO;
    }

    private void skipTag(final long length)
    {
        skipRemainingBytes = length;
        garbageRunBytes = 0;
    }

    private void skipGarbage(final int length)
    {
        readPos += length;
        garbageBytes += length;
        garbageRunBytes += length;
        atFrameBoundary = false;
        if (garbageRunBytes > RELOCK_AFTER_GARBAGE_BYTES)
        {
            locked = false;
            hintActive = false;
        }
    }
}
