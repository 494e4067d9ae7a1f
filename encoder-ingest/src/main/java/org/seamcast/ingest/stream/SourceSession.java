package org.seamcast.ingest.stream;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.audio.AudioFormat;
import org.seamcast.codec.audio.AudioFrameHeader;
import org.seamcast.codec.audio.AudioFrameSplitter;
import org.seamcast.codec.protocol.CodecType;
import org.seamcast.codec.protocol.FrameEncoder;
import org.seamcast.codec.protocol.MessageAuthenticator;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.Protocol;
import org.seamcast.ingest.stamp.FrameStamper;
import org.seamcast.transport.ByteBufAccess;

import java.util.Arrays;

/**
 * One source connection feeding one mount: bytes in, FRAME messages out to every relay. Splits the bytes into
 * frames, marks the frames an edge may switch on ({@code CLEAN_SWITCH}: every ADTS frame, MP3 frames with
 * {@code main_data_begin == 0}), encodes each into a pooled buffer as it completes, and stamps and publishes them
 * per read: the frames completed since the last {@link #endOfRead} arrived together, and the {@link FrameStamper}
 * decides their stamps (a new epoch for this connection, sequence from 0) or holds them while a burst lasts.
 * Announces the stream as soon as its first frame shows the format, and again whenever the format changes;
 * {@link StreamHub} repeats the announce and the title.
 *
 * <p>Threading: {@link #onData}, {@link #endOfRead} and {@link #close} are called by the one thread that reads the
 * source (a Netty I/O thread, a pull or file thread). {@link #updateMetadata} may come from any thread (the admin
 * request arrives on another connection). Per frame, nothing is allocated on the heap: the message is encoded
 * straight into a pooled direct buffer, which waits for its stamp in an array sized once.
 */
public final class SourceSession implements AutoCloseable
{
    private final StreamHub hub;
    private final MountName mount;
    private final StreamHeaders headers;
    private final String origin;
    private final FramePacer pacer;
    private final FrameStamper stamper;
    private final AudioFrameSplitter splitter;
    private final FrameEncoder frameEncoder = new FrameEncoder();
    private final UnsafeBuffer inputView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer messageView = new UnsafeBuffer(0, 0);
    private final MessageAuthenticator signer;
    private final Counter frames;
    private final Counter bytes;
    private final Counter reanchors;
    private final Counter bursts;
    private final Counter heldFrames;
    private final Counter overflowFrames;
    private final Counter pullbacks;
    private final ByteBuf[] pending = new ByteBuf[FrameStamper.CAPACITY_FRAMES];
    private final int messageLengthWithoutPayload;

    private int pendingCount;
    private long garbageAtLastFrame;
    private long reanchorsCounted;
    private long burstsCounted;
    private long heldFramesCounted;
    private long overflowFramesCounted;
    private long pullbacksCounted;
    private volatile StreamFormat format;
    private volatile String streamTitle;
    private volatile String streamUrl;
    private volatile long lastTimestampUs;
    private volatile long framesSent;
    private volatile long lastSentNs;
    private volatile long lastSequenceSent = -1;
    /** The last sequence a heartbeat carried for this session; {@link StreamBeats}' thread only. */
    long beatenSequence = -1;
    private volatile boolean closed;

    SourceSession(
        final StreamHub hub,
        final MountName mount,
        final StreamHeaders headers,
        final String origin,
        final FramePacer pacer,
        final long epoch)
    {
        this.hub = hub;
        this.mount = mount;
        this.headers = headers;
        this.origin = origin;
        this.pacer = pacer;
        this.stamper = hub.newStamper(epoch);
        this.splitter = new AudioFrameSplitter(this::onFrame, AudioFormat.fromContentType(headers.contentType()));
        this.signer = hub.newSigner();
        this.frames = hub.counter("seamcast.ingest.frames",
            "audio frames split, stamped and sent to the relays", mount);
        this.bytes = hub.counter("seamcast.ingest.source.bytes",
            "audio bytes received from the source (ICY metadata excluded)", mount);
        this.reanchors = hub.counter("seamcast.ingest.stamp.reanchors",
            "forward steps of the stamp clock to the arrival time (after a stall)", mount);
        this.bursts = hub.counter("seamcast.ingest.stamp.bursts",
            "bursts of input stamped into the past, ending at their arrival", mount);
        this.heldFrames = hub.counter("seamcast.ingest.stamp.held.frames",
            "frames held to be sent as one burst block", mount);
        this.overflowFrames = hub.counter("seamcast.ingest.stamp.overflow.frames",
            "frames sent early from an endless burst: the input is faster than real time", mount);
        this.pullbacks = hub.counter("seamcast.ingest.stamp.pullbacks",
            "small steps back of the stamp clock towards real time", mount);
        this.messageLengthWithoutPayload = Protocol.MAX_FRAME_MESSAGE_LENGTH - Protocol.MAX_MOUNT_NAME_LENGTH -
            Protocol.MAX_PAYLOAD_LENGTH + mount.length();
    }

    /**
     * Feeds source bytes (audio only: ICY metadata already removed).
     */
    public void onData(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!closed)
        {
            bytes.increment(length);
            splitter.onData(buffer, offset, length);
        }
    }

    /**
     * Feeds the readable bytes of {@code buf} without consuming them.
     */
    public void onData(final ByteBuf buf)
    {
        final int length = buf.readableBytes();
        if (length > 0)
        {
            if (buf.hasMemoryAddress() || buf.hasArray() || buf.nioBufferCount() == 1)
            {
                onData(ByteBufAccess.wrapReadable(inputView, buf), 0, length);
            }
            else
            {
                final byte[] copy = new byte[length];
                buf.getBytes(buf.readerIndex(), copy);
                onData(new UnsafeBuffer(copy), 0, length);
            }
        }
    }

    /**
     * Says the input is drained for now: the frames completed since the last call arrived together, now. They are
     * stamped and sent, or held while they are part of a burst (see {@link FrameStamper}). Call it when a read
     * leaves nothing more to read at once: Netty's {@code channelReadComplete}, a blocking stream with
     * {@code available() == 0}.
     */
    public void endOfRead()
    {
        if (!closed)
        {
            final long nowNs = hub.clock().nanoTime();
            publishReleased(stamper.endOfRead(nowNs / 1000), nowNs);
        }
    }

    private void onFrame(final DirectBuffer buffer, final int offset, final int length, final AudioFrameHeader header)
    {
        final int pacing = pacer.beforeFrame(header.durationNs());
        if (pacing == FramePacer.STOPPED)
        {
            return;
        }
        if (stamper.isFull())
        {
            endOfRead();
        }
        final int samples = header.samplesPerFrame();
        final int sampleRateHz = header.sampleRateHz();
        final CodecType codec = header.format() == AudioFormat.ADTS ? CodecType.ADTS : CodecType.MP3;
        final boolean clean = codec == CodecType.ADTS || header.isSelfContained();

        final StreamFormat current = format;
        if (current == null || !current.matches(codec, sampleRateHz, header.channels()))
        {
            format = new StreamFormat(codec, sampleRateHz, header.channels(),
                codec == CodecType.MP3 ? header.bitrateKbps() : 0);
            hub.announce(this);
        }

        final ByteBuf message = PooledByteBufAllocator.DEFAULT.directBuffer(messageLengthWithoutPayload + length);
        try
        {
            ByteBufAccess.wrap(messageView, message, 0, message.capacity());
            frameEncoder.wrap(messageView, 0, mount)
                .encoderId(hub.encoderId())
                .priority(hub.priority())
                .epoch(stamper.epoch())
                .sequence(stamper.nextSequence())
                .timestampUs(0)
                .codec(codec)
                .sampleRate(sampleRateHz)
                .samplesInFrame(samples)
                .cleanSwitch(clean)
                .payload(buffer, offset, length)
                .finish(null);
            stamper.add(samples, sampleRateHz);
        }
        catch (final RuntimeException ex)
        {
            message.release();
            throw ex;
        }
        pending[pendingCount++] = message;
        garbageAtLastFrame = splitter.garbageBytes();
        if (pacing == FramePacer.PACED)
        {
            endOfRead();
        }
    }

    private void publishReleased(final int released, final long nowNs)
    {
        for (int i = 0; i < released; i++)
        {
            final ByteBuf message = pending[i];
            pending[i] = null;
            final long timestampUs = stamper.releasedTimestampUs(i);
            try
            {
                ByteBufAccess.wrap(messageView, message, 0, message.capacity());
                message.writerIndex(frameEncoder.restamp(messageView, 0, timestampUs, signer));
            }
            catch (final RuntimeException ex)
            {
                message.release();
                throw ex;
            }
            lastTimestampUs = timestampUs;
            framesSent = framesSent + 1;
            frames.increment();
            hub.publish(message);
        }
        if (released > 0)
        {
            lastSentNs = nowNs;
            lastSequenceSent = stamper.releasedSequence(released - 1);
            pendingCount -= released;
            System.arraycopy(pending, released, pending, 0, pendingCount);
            Arrays.fill(pending, pendingCount, pendingCount + released, null);
        }
        countStampEvents();
    }

    private void countStampEvents()
    {
        heldFramesCounted = count(heldFrames, stamper.heldFrames(), heldFramesCounted);
        burstsCounted = count(bursts, stamper.bursts(), burstsCounted);
        reanchorsCounted = count(reanchors, stamper.reanchors(), reanchorsCounted);
        overflowFramesCounted = count(overflowFrames, stamper.overflowFrames(), overflowFramesCounted);
        pullbacksCounted = count(pullbacks, stamper.pullbacks(), pullbacksCounted);
    }

    private static long count(final Counter counter, final long now, final long counted)
    {
        if (now != counted)
        {
            counter.increment(now - counted);
        }
        return now;
    }

    /**
     * Sets the stream's title (from ICY metadata or the admin URL) and sends it at once; it is repeated with the
     * announce. Any thread.
     */
    public void updateMetadata(final String title, final String url)
    {
        streamTitle = title == null ? "" : title;
        streamUrl = url;
        hub.sendMetadata(this);
    }

    /**
     * @return garbage bytes the splitter skipped since the last frame (or since the start).
     */
    public long garbageSinceLastFrame()
    {
        return splitter.garbageBytes() - garbageAtLastFrame;
    }

    /**
     * Ends the session: the last complete frame (held by the splitter until the next header) and any burst still
     * held are stamped and sent, and the mount is freed for the next source. Idempotent; call it on the session's
     * thread.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            try
            {
                splitter.finish();
                final long nowNs = hub.clock().nanoTime();
                publishReleased(stamper.endOfStream(nowNs / 1000), nowNs);
            }
            finally
            {
                closed = true;
                for (int i = 0; i < pendingCount; i++)
                {
                    pending[i].release();
                    pending[i] = null;
                }
                pendingCount = 0;
                hub.release(this);
            }
        }
    }

    public boolean isClosed()
    {
        return closed;
    }

    public MountName mount()
    {
        return mount;
    }

    public StreamHeaders headers()
    {
        return headers;
    }

    /**
     * @return where the audio comes from (a peer address, a URL, a file), for logs and status.
     */
    public String origin()
    {
        return origin;
    }

    public long epoch()
    {
        return stamper.epoch();
    }

    public long framesSent()
    {
        return framesSent;
    }

    /**
     * @return the sequence of the last frame sent, -1 before the first.
     */
    public long lastSequenceSent()
    {
        return lastSequenceSent;
    }

    /**
     * @return the ingest's clock (ns since the Unix epoch) when the last frames were sent, 0 before the first.
     */
    public long lastSentNs()
    {
        return lastSentNs;
    }

    /**
     * @return the timestamp of the last frame sent, 0 before the first.
     */
    public long lastTimestampUs()
    {
        return lastTimestampUs;
    }

    StreamFormat format()
    {
        return format;
    }

    String streamTitle()
    {
        return streamTitle;
    }

    String streamUrl()
    {
        return streamUrl;
    }

    /**
     * What the frames showed of the stream, for its ANNOUNCE.
     */
    record StreamFormat(CodecType codec, int sampleRateHz, int channels, int bitrateKbps)
    {
        boolean matches(final CodecType codec, final int sampleRateHz, final int channels)
        {
            return this.codec == codec && this.sampleRateHz == sampleRateHz && this.channels == channels;
        }
    }
}
