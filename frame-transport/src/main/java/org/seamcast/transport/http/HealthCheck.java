package org.seamcast.transport.http;

import java.util.List;

/**
 * One part of a node's health: the reasons it is unhealthy now, or an empty list. Called on the HTTP event loop.
 */
@FunctionalInterface
public interface HealthCheck
{
    List<String> problems();
}
