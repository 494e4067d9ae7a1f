package org.seamcast.it.support;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

/**
 * Picks a port that is free now (TCP and UDP, every interface), for processes that must be told their port up
 * front. Ports come from below the kernel's ephemeral range, so no outgoing connection of this or another build can
 * take a port between the pick and the node's bind (a port from {@code bind(0)} can be taken that way, and was), and
 * are never handed out twice in one JVM.
 */
public final class FreePort
{
    private static final int LOWEST = 15_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<Integer> GIVEN = new HashSet<>();
    private static final int HIGHEST = ephemeralLow() - 1;

    private FreePort()
    {
    }

    public static synchronized int pick()
    {
        if (HIGHEST - LOWEST < 1_000)
        {
            throw new IllegalStateException("the ephemeral port range starts at " + (HIGHEST + 1)
                + ": no room below it for fixed test ports (see /proc/sys/net/ipv4/ip_local_port_range)");
        }
        for (int attempt = 0; attempt < 1_000; attempt++)
        {
            final int port = LOWEST + RANDOM.nextInt(HIGHEST - LOWEST + 1);
            if (GIVEN.add(port) && isFree(port))
            {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + LOWEST + ".." + HIGHEST + " after 1,000 tries");
    }

    private static boolean isFree(final int port)
    {
        try (ServerSocket tcp = new ServerSocket(); DatagramSocket udp = new DatagramSocket(null))
        {
            tcp.bind(new InetSocketAddress(port));
            udp.bind(new InetSocketAddress(port));
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static int ephemeralLow()
    {
        try
        {
            // readString trusts the size /proc reports and returns one byte: read it as lines
            final String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        }
        catch (final IOException | RuntimeException ex)
        {
            return 32_768;
        }
    }
}
