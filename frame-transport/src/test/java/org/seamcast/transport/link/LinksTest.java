package org.seamcast.transport.link;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.transport.InboundEndpoint;
import org.seamcast.transport.MessageHandler;
import org.seamcast.transport.MessageLink;
import org.seamcast.transport.TestMessages;
import org.seamcast.transport.TransportContext;
import org.seamcast.transport.tcp.ConnectionListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class LinksTest
{
    private static final MessageHandler IGNORE = (message, buffer, offset, length, from) -> { };

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Long> received = new CopyOnWriteArrayList<>();
    private final MessageHandler collectFrames = (message, buffer, offset, length, from) ->
    {
        if (message.type() == MessageType.FRAME)
        {
            received.add(message.frame().sequence());
        }
    };

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
    }

    @Test
    void shouldDialAndListenOverTcpByUrl()
    {
        final InboundEndpoint endpoint = track(
            Links.listen(context("relay-1"), LinkAddress.parse("tcp://127.0.0.1:0"), collectFrames,
                ConnectionListener.NONE));
        assertThat(endpoint.localPort()).isPositive();
        assertThat(endpoint.path()).isEqualTo("tcp://127.0.0.1:0");

        final MessageLink link = track(Links.dial(context("ingest-1"),
            LinkAddress.parse("tcp://127.0.0.1:" + endpoint.localPort()), IGNORE, ConnectionListener.NONE));
        await().atMost(Duration.ofSeconds(5)).until(link::isConnected);
        link.offer(TestMessages.frame(7));
        link.flush();

        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains(7L));
        assertThat(endpoint.metrics().messagesIn()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldRefuseToDialPortZero()
    {
        final TransportContext ctx = context("ingest-1");
        assertThatThrownBy(() -> Links.dial(ctx, LinkAddress.parse("tcp://127.0.0.1:0"), IGNORE,
            ConnectionListener.NONE))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("port=0");
    }

    @Test
    void shouldRefuseAContextThatIsNotConcluded()
    {
        final TransportContext ctx = new TransportContext().nodeName("raw");
        assertThatThrownBy(() -> Links.listen(ctx, LinkAddress.parse("tcp://127.0.0.1:0"), IGNORE,
            ConnectionListener.NONE))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("not concluded");
    }

    private TransportContext context(final String name)
    {
        final TransportContext ctx = new TransportContext()
            .nodeName(name)
            .registry(new SimpleMeterRegistry())
            .heartbeatIntervalMs(100)
            .idleTimeoutMs(2_000)
            .conclude();
        closeables.add(ctx);
        return ctx;
    }

    private <T extends AutoCloseable> T track(final T closeable)
    {
        closeables.add(closeable);
        return closeable;
    }
}
