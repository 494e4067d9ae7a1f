package org.seamcast.relay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.codec.protocol.Keyring;
import org.seamcast.transport.link.LinkAddress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayContextTest
{
    @TempDir
    Path dir;

    @Test
    void shouldNameTheValueAndTheLimitOfABadSetting()
    {
        assertThatThrownBy(() -> listening().replayRingSeconds(301).conclude())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("replayRingSeconds=301 is not in 1..300");
        assertThatThrownBy(() -> listening().maxStreams(0).conclude())
            .hasMessage("maxStreams=0 is not in 1..65536");
        assertThatThrownBy(() -> listening().inboundQueueBytes(600 * 1024).conclude())
            .hasMessage("inboundQueueBytes=614400 is not a power of two");
        assertThatThrownBy(() -> listening().replayRingBytes(1000).conclude())
            .hasMessage("replayRingBytes=1000 is not in 16384..67108864");
    }

    @Test
    void shouldRefuseARelayWithNothingToReceiveFrom()
    {
        assertThatThrownBy(() -> new RelayContext().conclude())
            .hasMessageContaining("at least one listen address or upstream");
    }

    @Test
    void shouldRefuseAnUpstreamThatCannotCarryASubscription()
    {
        assertThatThrownBy(() -> listening().upstream(LinkAddress.parse("udp://127.0.0.1:9001")).conclude())
            .hasMessageContaining("upstream udp://127.0.0.1:9001 must be tcp://");
    }

    @Test
    void shouldSizeTheRingFromItsSeconds()
    {
        final RelayContext ctx = listening().replayRingSeconds(10);
        try
        {
            ctx.conclude();
            assertThat(ctx.replayRingBytes()).isEqualTo(10 * RelayContext.RING_BYTES_PER_SECOND);
            assertThat(ctx.replayRingSlots()).isEqualTo(1024);
        }
        finally
        {
            ctx.transport().close();
        }
    }

    @Test
    void shouldReadAKeyFileOfIdsAndHexKeys() throws IOException
    {
        final Path file = dir.resolve("keys");
        Files.writeString(file, "# mesh keys\n\n3:000102030405060708090a0b0c0d0e0f\n" +
            "7:ffeeddccbbaa99887766554433221100ff\n");
        final Keyring keyring = KeyFile.load(file);
        assertThat(keyring.signingKeyId()).isEqualTo(3);
        assertThat(keyring.hasKey(3)).isTrue();
        assertThat(keyring.hasKey(7)).isTrue();
        assertThat(keyring.isMacRequired()).isTrue();
    }

    @Test
    void shouldRefuseAKeyFileWithAShortOrMalformedKeyNamingTheLine() throws IOException
    {
        final Path shortKey = dir.resolve("short");
        Files.writeString(shortKey, "0:00112233\n");
        assertThatThrownBy(() -> KeyFile.load(shortKey)).hasMessageContaining("line 1")
            .hasMessageContaining("MIN_KEY_LENGTH=16");
        final Path notHex = dir.resolve("nothex");
        Files.writeString(notHex, "# x\nzz112233445566778899aabbccddeeff\n");
        assertThatThrownBy(() -> KeyFile.load(notHex)).hasMessageContaining("line 2").hasMessageContaining("hex");
        final Path empty = dir.resolve("empty");
        Files.writeString(empty, "# nothing\n");
        assertThatThrownBy(() -> KeyFile.load(empty)).hasMessageContaining("holds no key");
        assertThatThrownBy(() -> KeyFile.load(dir.resolve("missing"))).hasMessageContaining("cannot be read");
    }

    private static RelayContext listening()
    {
        return new RelayContext().nodeName("relay-1").listen(LinkAddress.parse("tcp://127.0.0.1:0"));
    }
}
