package org.seamcast.bench.proc;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Loopback ports for the processes of a run: free ones picked by the kernel, or a given one checked free, so a
 * busy port is a clear error before anything starts rather than a node that dies at bind.
 */
final class Ports
{
    static final String HOST = "127.0.0.1";
    private static final int CONNECT_TIMEOUT_MS = 200;

    private Ports()
    {
    }

    /**
     * A port free for TCP and for UDP on loopback now (another process may take it before the node binds; the node
     * then exits and its log says so).
     */
    static int pickFree()
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            final int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST)))
            {
                port = socket.getLocalPort();
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("cannot find a free loopback port: " + ex.getMessage(), ex);
            }
            if (udpFree(port))
            {
                return port;
            }
        }
        throw new IllegalStateException("no loopback port free for both TCP and UDP after 20 attempts");
    }

    /**
     * @throws IllegalStateException naming the port and what holds it, when it is busy.
     */
    static void requireFree(final int port, final String purpose)
    {
        try (ServerSocket socket = new ServerSocket())
        {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(HOST, port));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("port " + port + " (" + purpose + ") is busy on " + HOST + ": "
                + ex.getMessage() + "; see `ss -ltnp 'sport = :" + port + "'`");
        }
    }

    static boolean accepts(final int port)
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(HOST, port), CONNECT_TIMEOUT_MS);
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static boolean udpFree(final int port)
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(HOST, port)))
        {
            return socket.getLocalPort() == port;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
