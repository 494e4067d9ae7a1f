package org.seamcast.transport.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The meters every node exports besides its own: JVM memory, GC, threads and class loading, process CPU, uptime
 * and file descriptors (Micrometer's binders), and {@code seamcast_build_info{version,node_role,node,java} 1}. The
 * role label is {@code node_role}, not {@code role}: scrape configurations commonly put a {@code role} label on
 * each target, and Prometheus would rename a clashing one to {@code exported_role}.
 *
 * <p>Bound once per registry by {@link org.seamcast.transport.http.NodeHttpServer}, which serves the registry, and
 * closed with it: the GC meters listen to JVM notifications until closed.
 */
public final class ProcessMeters implements AutoCloseable
{
    /** Name of the build information gauge (Prometheus: {@code seamcast_build_info}). */
    public static final String BUILD_INFO = "seamcast.build.info";

    private final JvmGcMetrics gc;

    private ProcessMeters(final JvmGcMetrics gc)
    {
        this.gc = gc;
    }

    /**
     * @param registry to bind to.
     * @param role     the node's role: {@code ingest}, {@code relay} or {@code edge}.
     * @param nodeName the node's name.
     * @return the binding, to close when the registry is no longer served.
     */
    public static ProcessMeters bind(final MeterRegistry registry, final String role, final String nodeName)
    {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        final JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        Gauge.builder(BUILD_INFO, () -> 1)
            .description("1, labelled with the Seamcast version, the node's role and name and the Java runtime")
            .tag("version", BuildInfo.version())
            .tag("node_role", role)
            .tag("node", nodeName)
            .tag("java", Runtime.version().toString())
            .register(registry);
        return new ProcessMeters(gc);
    }

    @Override
    public void close()
    {
        gc.close();
    }
}
