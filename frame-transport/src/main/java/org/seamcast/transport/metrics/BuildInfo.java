package org.seamcast.transport.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The release version built into this module's jar (Maven filters it into a resource), for {@code --version}, the
 * {@code seamcast_build_info} metric and the {@code Server} header.
 */
public final class BuildInfo
{
    static final String RESOURCE = "/org/seamcast/transport/metrics/build.properties";

    /** Reported when the resource is missing or was not filtered (classes run from an IDE's output). */
    public static final String UNKNOWN_VERSION = "unknown";

    private static final String VERSION = load();

    private BuildInfo()
    {
    }

    /**
     * @return e.g. {@code 0.1.0-SNAPSHOT}, or {@value #UNKNOWN_VERSION}.
     */
    public static String version()
    {
        return VERSION;
    }

    private static String load()
    {
        final Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                return UNKNOWN_VERSION;
            }
            properties.load(in);
        }
        catch (final IOException ex)
        {
            return UNKNOWN_VERSION;
        }
        final String version = properties.getProperty("version", UNKNOWN_VERSION);
        return version.isEmpty() || version.startsWith("${") ? UNKNOWN_VERSION : version;
    }
}
