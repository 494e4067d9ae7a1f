package org.seamcast.ingest.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.agrona.concurrent.UnsafeBuffer;
import org.seamcast.codec.protocol.HeartbeatEncoder;
import org.seamcast.codec.protocol.MessageAuthenticator;
import org.seamcast.codec.protocol.NodeName;
import org.seamcast.codec.protocol.Protocol;
import org.seamcast.transport.ByteBufAccess;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An ingest's stream-position heartbeats: for every stream it has sent frames of, (mount, encoder, epoch, last
 * sequence sent) in HEARTBEAT stream entries, published like audio to every relay link, so an edge learns the last
 * sequence sent even when the last frames before a silence were lost on every path, and can ask for them.
 *
 * <p>When: every {@code intervalNs} while any stream has sent a frame, and at once when a stream has gone quiet (no
 * frame for {@code quietNs}) since the last heartbeat carried its latest sequence. A source that disconnects stays in
 * the heartbeats for {@code lingerNs} after its last frame, so its tail can still be repaired; a live source that
 * sends nothing is beaten for as long as it is connected.
 *
 * <pre>
 *   frames   ─[n-3][n-2][n-1][n]·········································(source quiet)
 *   beats    ──B(n-3)─────────────────────B(n)──────────B(n)──────────B(n) …
 *                          quietNs after [n]┘  intervalNs after it, and so on
 * </pre>
 *
 * <p>Wire: each heartbeat names this ingest (its node name) and carries the ingest's clock and a heartbeat sequence
 * that is the same on every link and starts at the ingest's start time in microseconds, so it only grows across
 * restarts: a relay forwards each heartbeat once, whichever link brought it first. Entries that do not fit one
 * {@value Protocol#MAX_DATAGRAM_LENGTH}-byte datagram go in the next heartbeat, each complete on its own. Signed with
 * the key that signs audio (a heartbeat with stream entries speaks for streams).
 *
 * <p>Threading: {@link #track} from any thread (a source opening a mount); {@link #doWork} from one thread, the
 * ingest's repeater, which allocates nothing per heartbeat beyond the pooled buffer it encodes into.
 */
public final class StreamBeats
{
    /** Stream heartbeats this often while any stream has sent frames. */
    public static final long DEFAULT_INTERVAL_MS = 250;

    /** A stream that has sent no frame for this long has gone quiet: a heartbeat goes out at once. */
    public static final long DEFAULT_QUIET_MS = 100;

    /** A disconnected source's stream is still beaten this long after its last frame. */
    public static final long DEFAULT_LINGER_MS = 2_000;

    private static final SourceSession[] NO_SESSIONS = new SourceSession[0];

    private final NodeName sender;
    private final long encoderId;
    private final MessageAuthenticator signer;
    private final Consumer<ByteBuf> publisher;
    private final long intervalNs;
    private final long quietNs;
    private final long lingerNs;
    private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private final HeartbeatEncoder encoder = new HeartbeatEncoder();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private volatile SourceSession[] sessions = NO_SESSIONS;
    private long heartbeatSequence;
    private long nextBeatNs;
    private volatile long heartbeatsSent;

    /**
     * @param sender            this ingest's node name.
     * @param encoderId         the encoder every entry names.
     * @param signer            signs each heartbeat (the audio key), or null for unsigned.
     * @param publisher         takes ownership of each heartbeat and sends it on every relay link.
     * @param intervalMs        heartbeat period while streams are live.
     * @param quietMs           silence after which a stream's latest sequence is sent at once.
     * @param lingerMs          how long a disconnected source is still beaten after its last frame.
     * @param firstHeartbeatSequence the first heartbeat sequence: the start time in µs, so restarts only go up.
     */
    public StreamBeats(
        final NodeName sender,
        final long encoderId,
        final MessageAuthenticator signer,
        final Consumer<ByteBuf> publisher,
        final long intervalMs,
        final long quietMs,
        final long lingerMs,
        final long firstHeartbeatSequence)
    {
        this.sender = sender;
        this.encoderId = encoderId;
        this.signer = signer;
        this.publisher = publisher;
        this.intervalNs = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        this.quietNs = TimeUnit.MILLISECONDS.toNanos(quietMs);
        this.lingerNs = TimeUnit.MILLISECONDS.toNanos(lingerMs);
        this.heartbeatSequence = firstHeartbeatSequence;
    }

    /**
     * Beats {@code session} from its first frame on. Any thread.
     */
    public synchronized void track(final SourceSession session)
    {
        final SourceSession[] current = sessions;
        final SourceSession[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = session;
        sessions = grown;
    }

    /**
     * Sends the heartbeats due at {@code nowNs}.
     *
     * @param nowNs the ingest's clock, ns since the Unix epoch (the clock frames are stamped with).
     * @return heartbeats sent.
     */
    public int doWork(final long nowNs)
    {
        final SourceSession[] current = sessions;
        boolean due = nowNs - nextBeatNs >= 0;
        boolean anyBeaten = false;
        boolean anyExpired = false;
        for (final SourceSession session : current)
        {
            if (isExpired(session, nowNs))
            {
                anyExpired = true;
                continue;
            }
            final long sequence = session.lastSequenceSent();
            if (sequence < 0)
            {
                continue;
            }
            anyBeaten = true;
            if (sequence != session.beatenSequence && nowNs - session.lastSentNs() >= quietNs)
            {
                due = true;
            }
        }
        if (anyExpired)
        {
            forgetExpired(nowNs);
        }
        if (!due || !anyBeaten)
        {
            return 0;
        }
        nextBeatNs = nowNs + intervalNs;
        return beat(current, nowNs);
    }

    private int beat(final SourceSession[] current, final long nowNs)
    {
        int sent = 0;
        ByteBuf message = null;
        for (final SourceSession session : current)
        {
            final long sequence = session.lastSequenceSent();
            if (sequence < 0 || isExpired(session, nowNs))
            {
                continue;
            }
            if (message != null && encoder.encodedLength(signer) + HeartbeatEncoder.entryLength(session.mount()) >
                Protocol.MAX_DATAGRAM_LENGTH)
            {
                publish(message);
                sent++;
                message = null;
            }
            if (message == null)
            {
                message = start(nowNs);
            }
            encoder.addStream(session.mount(), encoderId, session.epoch(), sequence);
            session.beatenSequence = sequence;
        }
        if (message != null)
        {
            publish(message);
            sent++;
        }
        return sent;
    }

    private ByteBuf start(final long nowNs)
    {
        final ByteBuf message = allocator.directBuffer(Protocol.MAX_DATAGRAM_LENGTH, Protocol.MAX_DATAGRAM_LENGTH);
        encoder.wrap(ByteBufAccess.wrap(view, message, 0, message.capacity()), 0, sender)
            .senderTimeUs(nowNs / 1000)
            .heartbeatSequence(heartbeatSequence++);
        return message;
    }

    private void publish(final ByteBuf message)
    {
        try
        {
            message.writerIndex(encoder.finish(signer));
        }
        catch (final RuntimeException ex)
        {
            message.release();
            throw ex;
        }
        heartbeatsSent++;
        publisher.accept(message);
    }

    private boolean isExpired(final SourceSession session, final long nowNs)
    {
        return session.isClosed() && (session.lastSequenceSent() < 0 || nowNs - session.lastSentNs() > lingerNs);
    }

    private synchronized void forgetExpired(final long nowNs)
    {
        final SourceSession[] current = sessions;
        int kept = 0;
        final SourceSession[] remaining = new SourceSession[current.length];
        for (final SourceSession session : current)
        {
            if (!isExpired(session, nowNs))
            {
                remaining[kept++] = session;
            }
        }
        sessions = kept == 0 ? NO_SESSIONS : Arrays.copyOf(remaining, kept);
    }

    /**
     * @return streams beaten now (live sources, and disconnected ones within their linger). Any thread.
     */
    public int streams()
    {
        return sessions.length;
    }

    /**
     * @return heartbeats sent so far; the beating thread's view.
     */
    public long heartbeatsSent()
    {
        return heartbeatsSent;
    }
}
