package org.seamcast.ingest.send;

/**
 * How the destination senders get their threads.
 */
public enum SenderThreading
{
    /** One thread per destination: a link whose {@code offer} is slow can only fill its own queue. */
    DEDICATED,

    /** All destinations on one thread, in turn: fewer threads for many destinations. */
    SHARED
}
