package org.seamcast.edge.engine;

/**
 * Receives the engine's events on the engine's owner thread, for logs, metrics and the status page; all but
 * {@link EdgeEvent#DUPLICATE} and {@link EdgeEvent#LATE}, one per copy after the first, which the engine only counts
 * by path. Implementations must not block and must not call back into the engine.
 */
@FunctionalInterface
public interface EdgeEventListener
{
    /** Listener that ignores every event. */
    EdgeEventListener NO_OP = (event, encoderId, pathId, value, nowNs) -> {};

    /**
     * @param event     what happened.
     * @param encoderId encoder concerned, or {@link EdgeEngine#NO_ENCODER}.
     * @param pathId    path concerned, or {@link EdgeEngine#NO_PATH}.
     * @param value     event-specific value, see {@link EdgeEvent}.
     * @param nowNs     engine clock when it happened.
     */
    void onEvent(EdgeEvent event, int encoderId, int pathId, long value, long nowNs);
}
