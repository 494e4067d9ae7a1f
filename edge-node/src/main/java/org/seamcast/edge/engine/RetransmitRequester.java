package org.seamcast.edge.engine;

/**
 * Sends a retransmit request for missing sequences of one encoder epoch to the paths (relays' replay rings).
 * Called on the engine's owner thread; implementations queue the request and return at once.
 */
@FunctionalInterface
public interface RetransmitRequester
{
    /** Requester that drops every request. */
    RetransmitRequester NO_OP = (encoderId, epoch, fromSequence, toSequence) -> {};

    /**
     * @param encoderId    encoder of the missing frames.
     * @param epoch        epoch of the missing frames.
     * @param fromSequence first missing sequence.
     * @param toSequence   last missing sequence, inclusive.
     */
    void request(int encoderId, long epoch, long fromSequence, long toSequence);
}
