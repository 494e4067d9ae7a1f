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

/**
 * One source connection feeding one mount: bytes in, FRAME messages out to every relay. Splits the bytes into
 * frames, stamps each (a new epoch for this connection, sequence from 0, see {@link FrameStamper}), marks the
 * frames an edge may switch on ({@code CLEAN_SWITCH}: every ADTS frame, MP3 frames with
 * {@code main_data_begin == 0}) and publishes them. Announces the stream as soon as its first frame shows the
 * format, and again whenever the format changes; {@link StreamHub} repeats the announce and the title.
 *
 * <p>Threading: {@link #onData} and {@link #close} are called by the one thread that reads the source (a Netty
 * I/O thread, a pull or file thread). {@link #updateMetadata} may come from any thread (the admin request arrives
 * on another connection). Per frame, nothing is allocated on the heap: the message is encoded straight into a
 * pooled direct buffer.
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

    private long garbageAtLastFrame;
    private long reanchorsCounted;
    private volatile StreamFormat format;
    private volatile String streamTitle;
    private volatile String streamUrl;
    private volatile long lastTimestampUs;
    private volatile long framesSent;
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
        this.frames = hub.counter("seamcast.ingest.frames", mount);
        this.bytes = hub.counter("seamcast.ingest.source.bytes", mount);
        this.reanchors = hub.counter("seamcast.ingest.stamp.reanchors", mount);
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

    private void onFrame(final DirectBuffer buffer, final int offset, final int length, final AudioFrameHeader header)
    {
        pacer.beforeFrame(header.durationNs());
        final long arrivalUs = hub.clock().nanoTime() / 1000;
        final int samples = header.samplesPerFrame();
        final int sampleRateHz = header.sampleRateHz();
        final long timestampUs = stamper.stamp(arrivalUs, samples, sampleRateHz);
        final CodecType codec = header.format() == AudioFormat.ADTS ? CodecType.ADTS : CodecType.MP3;
        final boolean clean = codec == CodecType.ADTS || header.isSelfContained();

        final StreamFormat current = format;
        if (current == null || !current.matches(codec, sampleRateHz, header.channels()))
        {
            format = new StreamFormat(codec, sampleRateHz, header.channels(),
                codec == CodecType.MP3 ? header.bitrateKbps() : 0);
            hub.announce(this);
        }

        final ByteBuf message = PooledByteBufAllocator.DEFAULT.directBuffer(Protocol.MAX_FRAME_MESSAGE_LENGTH);
        final int messageLength;
        try
        {
            ByteBufAccess.wrap(messageView, message, 0, message.capacity());
            messageLength = frameEncoder.wrap(messageView, 0, mount)
                .encoderId(hub.encoderId())
                .priority(hub.priority())
                .epoch(stamper.epoch())
                .sequence(stamper.sequence())
                .timestampUs(timestampUs)
                .codec(codec)
                .sampleRate(sampleRateHz)
                .samplesInFrame(samples)
                .cleanSwitch(clean)
                .payload(buffer, offset, length)
                .finish(signer);
        }
        catch (final RuntimeException ex)
        {
            message.release();
            throw ex;
        }
        message.writerIndex(messageLength);
        lastTimestampUs = timestampUs;
        framesSent = framesSent + 1;
        garbageAtLastFrame = splitter.garbageBytes();
        frames.increment();
        if (stamper.reanchors() != reanchorsCounted)
        {
            reanchors.increment(stamper.reanchors() - reanchorsCounted);
            reanchorsCounted = stamper.reanchors();
        }
        hub.publish(message);
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
     * Ends the session: the last complete frame (held by the splitter until the next header) is sent, and the
     * mount is freed for the next source. Idempotent; call it on the session's thread.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            try
            {
                splitter.finish();
            }
            finally
            {
                closed = true;
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
