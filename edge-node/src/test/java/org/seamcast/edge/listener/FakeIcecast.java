package org.seamcast.edge.listener;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Just enough of Icecast for a push: it takes {@code PUT} sources (100 Continue, then 200) and reads their audio,
 * and answers {@code /admin/metadata} with Icecast's XML, or with the statuses a test queues. Every request head is
 * kept.
 */
final class FakeIcecast implements AutoCloseable
{
    private final ServerSocket server;
    private final List<String> heads = new CopyOnWriteArrayList<>();
    private final List<Socket> sources = new CopyOnWriteArrayList<>();
    private final Queue<String> metadataAnswers = new ConcurrentLinkedQueue<>();
    private final Thread acceptor;
    private volatile boolean closed;

    FakeIcecast() throws IOException
    {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "fake-icecast");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port()
    {
        return server.getLocalPort();
    }

    /** Request heads received, in order. */
    List<String> heads()
    {
        return heads;
    }

    /** Request lines of the title updates received, in order. */
    List<String> metadataRequests()
    {
        return heads.stream().filter(head -> head.startsWith("GET /admin/metadata"))
            .map(head -> head.lines().findFirst().orElse("")).toList();
    }

    long sourceConnections()
    {
        return heads.stream().filter(head -> head.startsWith("PUT ")).count();
    }

    /** The next title update is answered with this status line instead of success. */
    void refuseNextTitle(final String statusLine)
    {
        metadataAnswers.add(statusLine);
    }

    /** Drops every source connection, as a restarting Icecast would. */
    void dropSources() throws IOException
    {
        for (final Socket source : sources)
        {
            source.close();
        }
        sources.clear();
    }

    private void accept()
    {
        while (!closed)
        {
            try
            {
                final Socket socket = server.accept();
                final Thread handler = new Thread(() -> serve(socket), "fake-icecast-client");
                handler.setDaemon(true);
                handler.start();
            }
            catch (final IOException ex)
            {
                return;
            }
        }
    }

    private void serve(final Socket socket)
    {
        try (socket)
        {
            final InputStream in = socket.getInputStream();
            final OutputStream out = socket.getOutputStream();
            final String head = readHead(in);
            heads.add(head);
            if (head.startsWith("PUT "))
            {
                sources.add(socket);
                out.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                in.transferTo(OutputStream.nullOutputStream());
                return;
            }
            final String refusal = metadataAnswers.poll();
            final String answer = refusal != null
                ? refusal + "\r\nContent-Type: text/xml\r\n\r\n<?xml version=\"1.0\"?>\n<iceresponse><message>"
                + "Source does not exist</message><return>0</return></iceresponse>\n"
                : "HTTP/1.0 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\n\r\n<?xml version=\"1.0\"?>\n"
                + "<iceresponse><message>Metadata update successful</message><return>1</return></iceresponse>\n";
            out.write(answer.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        catch (final IOException ignored)
        {
            // the client went away; what it sent is already recorded
        }
    }

    private static String readHead(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n"))
        {
            final int b = in.read();
            if (b < 0)
            {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException
    {
        closed = true;
        server.close();
        dropSources();
    }
}
