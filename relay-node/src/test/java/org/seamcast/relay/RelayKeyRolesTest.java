package org.seamcast.relay;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.codec.protocol.Keyring;
import org.seamcast.transport.KeyFile;
import org.seamcast.transport.link.LinkAddress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.seamcast.relay.TestMesh.counter;

/**
 * Keys per role on a running relay: ingests sign audio with the ingest key, edges hold only the edge key, which lets
 * them subscribe but never inject audio, over TCP or UDP.
 */
@Timeout(60)
class RelayKeyRolesTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String INGEST_KEY = hex("the ingests' key, 32 bytes long!");
    private static final String NEW_INGEST_KEY = hex("the next ingest key, 32 bytes ok");
    private static final String EDGE_KEY = hex("the edges' key, also 32 bytes ok");

    private final TestMesh mesh = new TestMesh();

    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception
    {
        mesh.close();
    }

    private static String hex(final String key)
    {
        return HexFormat.of().formatHex(key.getBytes(StandardCharsets.US_ASCII));
    }

    private Keyring keys(final String name, final String content) throws IOException
    {
        return KeyFile.load(keyFile(name, content));
    }

    private Path keyFile(final String name, final String content) throws IOException
    {
        final Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private RelayNode relay(final String keyFileContent) throws IOException
    {
        return mesh.relay(TestMesh.relayContext("relay-1")
            .listen(LinkAddress.parse("tcp://127.0.0.1:0"))
            .listen(LinkAddress.parse("udp://127.0.0.1:0"))
            .keyFile(keyFile("relay.keys", keyFileContent)));
    }

    @Test
    void shouldRelayIngestAudioToAnEdgeHoldingOnlyTheEdgeKeyAndRefuseAudioSignedWithTheEdgeKey() throws IOException
    {
        final RelayNode relay = relay("1:" + INGEST_KEY + " ingest\n2:" + EDGE_KEY + " edge\n");
        final int port = relay.listenPort(0);
        final Keyring ingestKeys = keys("ingest.keys", "1:" + INGEST_KEY + " ingest\n");
        final Keyring edgeKeys = keys("edge.keys", "2:" + EDGE_KEY + " edge\n");
        final TestMesh.Sender ingest = mesh.sender("ingest-1", ingestKeys, port);
        final TestMesh.Sender forger = mesh.sender("edge-forger", edgeKeys,
            List.of("tcp://127.0.0.1:" + port, "udp://127.0.0.1:" + relay.listenPort(1)));
        final TestMesh.Subscriber edge = mesh.subscriber("edge-1", edgeKeys, port,
            s -> TestFrames.subscribe(-1, edgeKeys.newAuthenticator(), TestFrames.LIVE));
        RelayNodeTest.awaitSubscribed(relay, 1);
        TestMesh.await(WAIT).until(() -> ingest.isConnected() && forger.isConnected());

        final int frames = 50;
        for (long sequence = 0; sequence < frames; sequence++)
        {
            forger.send(TestFrames.frame(TestFrames.LIVE, sequence + 1, 200, edgeKeys.newAuthenticator()));
            ingest.send(TestFrames.frame(TestFrames.LIVE, sequence, 200, ingestKeys.newAuthenticator()));
        }

        TestMesh.await(WAIT).until(() -> edge.sequences.size() >= frames &&
            counter(relay, "seamcast.link.drops", "reason", "key_not_permitted") >= 2 * frames);
        assertThat(edge.sequences).containsExactlyElementsOf(
            LongStream.range(0, frames).boxed().collect(Collectors.toList()));
        assertThat(counter(relay, "seamcast.link.drops", "reason", "key_not_permitted")).isEqualTo(2 * frames);
        assertThat(counter(relay, "seamcast.relay.frames.accepted")).isEqualTo(frames);
    }

    @Test
    void shouldAcceptBothIngestKeysWhileTheIngestKeyIsRotated() throws IOException
    {
        final RelayNode relay = relay(
            "1:" + INGEST_KEY + " ingest\n3:" + NEW_INGEST_KEY + " ingest\n2:" + EDGE_KEY + " edge\n");
        final int port = relay.listenPort(0);
        final Keyring oldIngest = keys("old.keys", "1:" + INGEST_KEY + " ingest\n");
        final Keyring newIngest = keys("new.keys", "3:" + NEW_INGEST_KEY + " ingest\n1:" + INGEST_KEY + " ingest\n");
        final Keyring edgeKeys = keys("edge.keys", "2:" + EDGE_KEY + " edge\n");
        final TestMesh.Sender before = mesh.sender("ingest-old", oldIngest, port);
        final TestMesh.Sender after = mesh.sender("ingest-new", newIngest, port);
        final TestMesh.Subscriber edge = mesh.subscriber("edge-1", edgeKeys, port,
            s -> TestFrames.subscribe(-1, edgeKeys.newAuthenticator(), TestFrames.LIVE));
        RelayNodeTest.awaitSubscribed(relay, 1);
        TestMesh.await(WAIT).until(() -> before.isConnected() && after.isConnected());

        for (long sequence = 0; sequence < 10; sequence++)
        {
            before.send(TestFrames.frame(TestFrames.LIVE, sequence, 200, oldIngest.newAuthenticator()));
        }
        TestMesh.await(WAIT).until(() -> edge.sequences.size() >= 10);
        for (long sequence = 10; sequence < 20; sequence++)
        {
            after.send(TestFrames.frame(TestFrames.LIVE, sequence, 200, newIngest.newAuthenticator()));
        }

        TestMesh.await(WAIT).until(() -> edge.sequences.size() >= 20);
        assertThat(edge.sequences).containsExactlyElementsOf(
            LongStream.range(0, 20).boxed().collect(Collectors.toList()));
    }

    @Test
    void shouldStillTakeARoleLessKeyFileForEverything() throws IOException
    {
        final RelayNode relay = relay("0:" + INGEST_KEY + "\n");
        final Keyring mesh0 = keys("mesh.keys", INGEST_KEY + "\n");
        final TestMesh.Sender ingest = mesh.sender("ingest-1", mesh0, relay.listenPort(0));
        final TestMesh.Subscriber edge = mesh.subscriber("edge-1", mesh0, relay.listenPort(0),
            s -> TestFrames.subscribe(-1, mesh0.newAuthenticator(), TestFrames.LIVE));
        RelayNodeTest.awaitSubscribed(relay, 1);
        TestMesh.await(WAIT).until(ingest::isConnected);
        ingest.send(TestFrames.frame(TestFrames.LIVE, 0, 200, mesh0.newAuthenticator()));
        TestMesh.await(WAIT).until(() -> edge.sequences.size() == 1);
    }

    @Test
    void shouldRefuseARelayKeyFileThatCannotVerifyAudio() throws IOException
    {
        final Path edgeOnly = keyFile("relay.keys", "2:" + EDGE_KEY + " edge\n");
        assertThatThrownBy(() -> TestMesh.relayContext("relay-1")
            .listen(LinkAddress.parse("tcp://127.0.0.1:0")).keyFile(edgeOnly).conclude())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("keyFile " + edgeOnly)
            .hasMessageContaining("a relay needs an ingest, relay or role-less key");
    }
}
