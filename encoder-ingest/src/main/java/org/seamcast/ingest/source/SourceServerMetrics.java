package org.seamcast.ingest.source;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counters of the source server, registered once: {@code seamcast.ingest.source.refused{reason}} for requests
 * answered with an error, {@code seamcast.ingest.source.ended{reason}} for source connections that ended.
 */
final class SourceServerMetrics
{
    final Counter connections;
    final Counter unauthorized;
    final Counter busy;
    final Counter unsupportedType;
    final Counter badRequest;
    final Counter notFound;
    final Counter headerTimeout;
    final Counter headerTooLarge;
    final Counter endedEof;
    final Counter endedStalled;
    final Counter endedGarbage;
    final Counter endedError;
    final Counter metadataUpdates;

    SourceServerMetrics(final MeterRegistry registry)
    {
        connections = Counter.builder("seamcast.ingest.source.connections")
            .description("connections accepted by the source server (encoders, automation, anything)")
            .register(registry);
        unauthorized = refused(registry, "unauthorized");
        busy = refused(registry, "busy");
        unsupportedType = refused(registry, "unsupported_type");
        badRequest = refused(registry, "bad_request");
        notFound = refused(registry, "not_found");
        headerTimeout = refused(registry, "header_timeout");
        headerTooLarge = refused(registry, "header_too_large");
        endedEof = ended(registry, "eof");
        endedStalled = ended(registry, "stalled");
        endedGarbage = ended(registry, "garbage");
        endedError = ended(registry, "error");
        metadataUpdates = Counter.builder("seamcast.ingest.admin.metadata.updates")
            .description("title updates accepted on /admin/metadata and /admin.cgi").register(registry);
    }

    private static Counter refused(final MeterRegistry registry, final String reason)
    {
        return Counter.builder("seamcast.ingest.source.refused")
            .description("source or admin requests refused, by reason").tag("reason", reason).register(registry);
    }

    private static Counter ended(final MeterRegistry registry, final String reason)
    {
        return Counter.builder("seamcast.ingest.source.ended")
            .description("source connections that ended, by reason (eof, stalled, garbage, error)")
            .tag("reason", reason).register(registry);
    }
}
