package org.seamcast.ingest.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.protocol.AnnounceEncoder;
import org.seamcast.codec.protocol.MessageAuthenticator;
import org.seamcast.codec.protocol.MetadataEncoder;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.codec.protocol.Protocol;
import org.seamcast.codec.protocol.Keyring;
import org.seamcast.ingest.send.RelayFanout;
import org.seamcast.ingest.stamp.EpochSource;
import org.seamcast.ingest.stamp.FrameStamper;
import org.seamcast.transport.ByteBufAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live mounts of an ingest: at most one {@link SourceSession} per mount (a second source on a busy mount is
 * refused, as Icecast does), the encoder identity every message carries, and the announce/metadata messages.
 * Everything goes out through the {@link RelayFanout}.
 *
 * <p>Threading: {@link #open} and a session's release may race from several input threads; the mount table is a
 * concurrent map and a mount is taken with one atomic {@code putIfAbsent}. {@link #repeatAnnouncements} runs on
 * the node's repeater thread.
 */
public final class StreamHub
{
    private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);
    private static final int CONTROL_MESSAGE_CAPACITY = 2048;

    private final NodeName nodeName;
    private final long encoderId;
    private final int priority;
    private final Keyring keyring;
    private final RelayFanout fanout;
    private final EpochNanoClock clock;
    private final EpochSource epochs;
    private final MeterRegistry registry;
    private final int maxSlewPpm;
    private final ConcurrentHashMap<MountName, SourceSession> live = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SourceSession, TitleStamp> titles = new ConcurrentHashMap<>();
    private final AtomicLong lastTitleStampUs = new AtomicLong();
    private volatile StreamBeats beats;
    private final Counter sessionsStarted;
    private final Counter busyRefusals;
    private final Counter announcements;
    private final Counter metadataMessages;

    public StreamHub(
        final NodeName nodeName,
        final long encoderId,
        final int priority,
        final Keyring keyring,
        final RelayFanout fanout,
        final EpochNanoClock clock,
        final EpochSource epochs,
        final MeterRegistry registry,
        final int maxSlewPpm)
    {
        this.nodeName = nodeName;
        this.encoderId = encoderId;
        this.priority = priority;
        this.keyring = keyring;
        this.fanout = fanout;
        this.clock = clock;
        this.epochs = epochs;
        this.registry = registry;
        this.maxSlewPpm = maxSlewPpm;
        sessionsStarted = Counter.builder("seamcast.ingest.source.sessions")
            .description("source connections that took a mount (each with a new epoch)").register(registry);
        busyRefusals = Counter.builder("seamcast.ingest.source.busy")
            .description("source connections refused because their mount already had a source").register(registry);
        announcements = Counter.builder("seamcast.ingest.announces")
            .description("ANNOUNCE messages sent (at each connect and repeated)").register(registry);
        metadataMessages = Counter.builder("seamcast.ingest.metadata.messages")
            .description("METADATA (title) messages sent, repeats included").register(registry);
        Gauge.builder("seamcast.ingest.sources.live", live, ConcurrentHashMap::size)
            .description("mounts with a live source now").register(registry);
    }

    /**
     * Takes {@code mount} for a new source connection with a new epoch.
     *
     * @return the session, or null when the mount already has a source (counted).
     */
    public SourceSession open(
        final MountName mount, final StreamHeaders headers, final String origin, final FramePacer pacer)
    {
        if (live.containsKey(mount))
        {
            busyRefusals.increment();
            return null;
        }
        final SourceSession session = new SourceSession(this, mount, headers, origin, pacer, epochs.next());
        if (live.putIfAbsent(mount, session) != null)
        {
            busyRefusals.increment();
            return null;
        }
        sessionsStarted.increment();
        final StreamBeats streamBeats = beats;
        if (streamBeats != null)
        {
            streamBeats.track(session);
        }
        LOG.info("source {} on {} (epoch {})", origin, mount, session.epoch());
        return session;
    }

    /**
     * Has every session opened from now on beaten by {@code beats} (stream-position heartbeats).
     */
    public void beats(final StreamBeats beats)
    {
        this.beats = beats;
    }

    /**
     * @return the live session of {@code mount}, or null.
     */
    public SourceSession live(final MountName mount)
    {
        return live.get(mount);
    }

    /**
     * @return the live session whose source connected first (the lowest epoch), or null when none is live: the
     * mount a SHOUTcast {@code admin.cgi} update without {@code mount=} is for.
     */
    public SourceSession firstLive()
    {
        SourceSession first = null;
        for (final SourceSession session : live.values())
        {
            if (first == null || session.epoch() < first.epoch())
            {
                first = session;
            }
        }
        return first;
    }

    public int liveCount()
    {
        return live.size();
    }

    /**
     * @return the mounts with a source now.
     */
    public List<String> liveMounts()
    {
        final List<String> mounts = new ArrayList<>();
        for (final MountName mount : live.keySet())
        {
            mounts.add(mount.toString());
        }
        return mounts;
    }

    /**
     * Sends every live stream's ANNOUNCE and title again, so a relay or edge that joined late learns them.
     */
    public void repeatAnnouncements()
    {
        for (final SourceSession session : live.values())
        {
            announce(session);
            final TitleStamp title = titles.get(session);
            if (title != null)
            {
                publishMetadata(session, title);
            }
        }
    }

    void release(final SourceSession session)
    {
        final boolean removed = live.remove(session.mount(), session);
        titles.remove(session);
        if (removed)
        {
            LOG.info("source {} left {} after {} frames", session.origin(), session.mount(), session.framesSent());
        }
    }

    void announce(final SourceSession session)
    {
        final SourceSession.StreamFormat format = session.format();
        if (format == null)
        {
            return;
        }
        final StreamHeaders headers = session.headers();
        final ByteBuf message = PooledByteBufAllocator.DEFAULT.directBuffer(CONTROL_MESSAGE_CAPACITY);
        try
        {
            final UnsafeBuffer view = ByteBufAccess.wrap(new UnsafeBuffer(0, 0), message, 0, message.capacity());
            final AnnounceEncoder encoder = new AnnounceEncoder().wrap(view, 0, session.mount())
                .encoderId(encoderId)
                .epoch(session.epoch())
                .priority(priority)
                .codec(format.codec())
                .sampleRate(format.sampleRateHz())
                .channels(format.channels())
                .bitrateKbps(format.bitrateKbps());
            if (headers.isPublic() >= 0)
            {
                encoder.icyPublic(headers.isPublic() == 1);
            }
            encoder.contentType(headers.contentType() != null ? headers.contentType() :
                format.codec() == org.seamcast.codec.protocol.CodecType.ADTS ? "audio/aac" : "audio/mpeg");
            text(headers.name(), encoder::icyName);
            text(headers.genre(), encoder::icyGenre);
            text(headers.description(), encoder::icyDescription);
            text(headers.url(), encoder::icyUrl);
            text(headers.audioInfo(), encoder::iceAudioInfo);
            encoder.ingestName(nodeName);
            message.writerIndex(encoder.finish(newSigner()));
        }
        catch (final RuntimeException ex)
        {
            message.release();
            throw ex;
        }
        announcements.increment();
        fanout.publish(message);
    }

    private static void text(final String value, final java.util.function.Consumer<String> setter)
    {
        if (value != null && !value.isEmpty())
        {
            setter.accept(value);
        }
    }

    /**
     * Sends the session's new title, stamped with the time it was set; the announce repeats it with the same stamp,
     * so an edge hearing titles from several ingests of a mount can tell the newest from one merely repeated.
     */
    void sendMetadata(final SourceSession session)
    {
        if (session.streamTitle() == null)
        {
            return;
        }
        final TitleStamp title = titles.compute(session, (s, previous) ->
            new TitleStamp(s.streamTitle(), s.streamUrl(), nextTitleStampUs()));
        if (live.get(session.mount()) != session)
        {
            titles.remove(session);
        }
        publishMetadata(session, title);
    }

    private long nextTitleStampUs()
    {
        final long nowUs = clock.nanoTime() / 1000;
        return lastTitleStampUs.accumulateAndGet(nowUs, (previous, now) -> Math.max(previous + 1, now));
    }

    private void publishMetadata(final SourceSession session, final TitleStamp title)
    {
        final ByteBuf message = PooledByteBufAllocator.DEFAULT.directBuffer(CONTROL_MESSAGE_CAPACITY);
        try
        {
            final UnsafeBuffer view = ByteBufAccess.wrap(new UnsafeBuffer(0, 0), message, 0, message.capacity());
            final MetadataEncoder encoder = new MetadataEncoder().wrap(view, 0, session.mount())
                .encoderId(encoderId)
                .epoch(session.epoch())
                .timestampUs(title.setUs())
                .streamTitle(StreamHeaders.clean(title.title(), Protocol.MAX_STREAM_TITLE_LENGTH));
            if (title.url() != null && !title.url().isEmpty())
            {
                encoder.streamUrl(StreamHeaders.clean(title.url(), Protocol.MAX_STREAM_URL_LENGTH));
            }
            message.writerIndex(encoder.finish(newSigner()));
        }
        catch (final RuntimeException ex)
        {
            message.release();
            throw ex;
        }
        metadataMessages.increment();
        fanout.publish(message);
    }

    void publish(final ByteBuf message)
    {
        fanout.publish(message);
    }

    FrameStamper newStamper(final long epoch)
    {
        return new FrameStamper(epoch, maxSlewPpm);
    }

    MessageAuthenticator newSigner()
    {
        return keyring == null ? null : keyring.newAuthenticator();
    }

    Counter counter(final String name, final String description, final MountName mount)
    {
        return Counter.builder(name).description(description).tag("mount", mount.toString()).register(registry);
    }

    EpochNanoClock clock()
    {
        return clock;
    }

    long encoderId()
    {
        return encoderId;
    }

    int priority()
    {
        return priority;
    }

    /**
     * A title as it was set: its text, its StreamUrl and when (wall clock, microseconds, strictly increasing per
     * ingest), which every repeat carries unchanged.
     */
    private record TitleStamp(String title, String url, long setUs)
    {
    }
}
