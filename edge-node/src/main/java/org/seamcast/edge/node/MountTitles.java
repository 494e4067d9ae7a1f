package org.seamcast.edge.node;

import org.agrona.collections.Int2ObjectHashMap;

/**
 * The titles one mount's encoders sent, and the one listeners get: the newest by its METADATA timestamp (the time
 * it was set at its ingest, which every repeat keeps), whichever encoder's ingest it came from. Automation usually
 * updates one ingest; the title must reach listeners whichever encoder is playing, and titles repeated every
 * announce interval by two ingests must not flap between an old title on one and a new one on the other.
 * <ul>
 *   <li>per encoder, a title older than the one held (a repeat that took a slower path) is ignored;</li>
 *   <li>across encoders, a strictly newer timestamp wins; a tie keeps what listeners have;</li>
 *   <li>a timestamp more than {@link #MAX_TITLE_LEAD_US} ahead of the edge's clock is refused and counted, so one
 *   ingest with a wrong clock (or one bad message) cannot pin a title for ever.</li>
 * </ul>
 * Owned by the playout thread.
 */
final class MountTitles
{
    /** How far ahead of the edge's clock a title's timestamp may be: clocks disagree, but not by a minute. */
    static final long MAX_TITLE_LEAD_US = 60_000_000L;

    private static final int NO_ENCODER = -1;

    private final Int2ObjectHashMap<EncoderTitle> byEncoder = new Int2ObjectHashMap<>();
    private int newestEncoder = NO_ENCODER;
    private long newestTimestampUs = Long.MIN_VALUE;
    private String title = "";
    private long refusedFromTheFuture;

    /**
     * @param encoderId   the encoder whose ingest sent the title.
     * @param title       the StreamTitle.
     * @param timestampUs when it was set at the ingest, microseconds since the epoch.
     * @param nowUs       the edge's clock.
     * @return whether the title listeners get changed.
     */
    boolean onMetadata(final int encoderId, final String title, final long timestampUs, final long nowUs)
    {
        if (timestampUs > nowUs + MAX_TITLE_LEAD_US)
        {
            refusedFromTheFuture++;
            return false;
        }
        EncoderTitle held = byEncoder.get(encoderId);
        if (held == null)
        {
            held = new EncoderTitle();
            byEncoder.put(encoderId, held);
        }
        else if (timestampUs < held.timestampUs)
        {
            return false;
        }
        held.title = title;
        held.timestampUs = timestampUs;
        if (encoderId == newestEncoder || timestampUs > newestTimestampUs)
        {
            newestEncoder = encoderId;
            newestTimestampUs = timestampUs;
            final boolean changed = !title.equals(this.title);
            this.title = title;
            return changed;
        }
        return false;
    }

    /**
     * @return the title listeners get: the newest any encoder sent, or empty before the first.
     */
    String title()
    {
        return title;
    }

    /**
     * @return the latest title {@code encoderId}'s ingest sent, or null when it sent none.
     */
    String title(final int encoderId)
    {
        final EncoderTitle held = byEncoder.get(encoderId);
        return held == null ? null : held.title;
    }

    /**
     * @return the encoder whose title listeners get, or -1 before the first.
     */
    int newestEncoder()
    {
        return newestEncoder;
    }

    /**
     * @return titles refused because their timestamp lay more than {@link #MAX_TITLE_LEAD_US} ahead.
     */
    long refusedFromTheFuture()
    {
        return refusedFromTheFuture;
    }

    private static final class EncoderTitle
    {
        String title;
        long timestampUs = Long.MIN_VALUE;
    }
}
