package org.seamcast.transport.http;

/**
 * Answers a GET (or HEAD) on one admin path. Called on the HTTP event loop: it must be quick and read only
 * state that is safe to read from another thread (counters, volatile snapshots).
 */
@FunctionalInterface
public interface HttpRoute
{
    HttpReply handle(String path, String query);
}
