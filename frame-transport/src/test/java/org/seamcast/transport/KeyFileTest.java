package org.seamcast.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.codec.protocol.KeyRole;
import org.seamcast.codec.protocol.Keyring;
import org.seamcast.codec.protocol.MessageType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyFileTest
{
    @TempDir
    Path dir;

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
    void shouldReadTheRoleOfEachKeyAndSignEachMessageWithTheLeastPrivilegedKeyThatMay() throws IOException
    {
        final Path file = dir.resolve("relay.keys");
        Files.writeString(file, "# relay\n1:000102030405060708090a0b0c0d0e0f ingest\n" +
            "3: 101112131415161718191a1b1c1d1e1f\tingest\n2:202122232425262728292a2b2c2d2e2f edge\n");
        final Keyring keyring = KeyFile.load(file);

        assertThat(keyring.role(1)).isEqualTo(KeyRole.INGEST);
        assertThat(keyring.role(3)).isEqualTo(KeyRole.INGEST);
        assertThat(keyring.role(2)).isEqualTo(KeyRole.EDGE);
        assertThat(keyring.signingKeyId(MessageType.FRAME, false)).as("the first ingest key signs audio").isEqualTo(1);
        assertThat(keyring.signingKeyId(MessageType.SUBSCRIBE, false)).isEqualTo(2);
        assertThat(keyring.signingKeyId(MessageType.HELLO, false)).isEqualTo(2);
        assertThat(keyring.permits(3, MessageType.FRAME, false)).isTrue();
        assertThat(keyring.permits(2, MessageType.FRAME, false)).isFalse();
        assertThat(keyring.verifiesAudio()).isTrue();
    }

    @Test
    void shouldGiveAKeyWithoutARoleTodaysMeaning() throws IOException
    {
        final Path file = dir.resolve("mesh.keys");
        Files.writeString(file, "000102030405060708090a0b0c0d0e0f\n5:101112131415161718191a1b1c1d1e1f\n");
        final Keyring keyring = KeyFile.load(file);

        assertThat(keyring.role(0)).isEqualTo(KeyRole.ANY);
        for (final MessageType type : MessageType.values())
        {
            assertThat(keyring.signingKeyId(type, true)).as("%s", type).isZero();
            assertThat(keyring.permits(5, type, true)).as("%s", type).isTrue();
        }
    }

    @Test
    void shouldRefuseAnUnknownRoleOrExtraFieldsNamingTheLine() throws IOException
    {
        final Path role = dir.resolve("role");
        Files.writeString(role, "1:000102030405060708090a0b0c0d0e0f ingest\n2:000102030405060708090a0b0c0d0e0f admin\n");
        assertThatThrownBy(() -> KeyFile.load(role)).hasMessageContaining("line 2")
            .hasMessageContaining("key role 'admin' is not one of ingest, relay, edge, any");
        final Path extra = dir.resolve("extra");
        Files.writeString(extra, "1:000102030405060708090a0b0c0d0e0f ingest edge\n");
        assertThatThrownBy(() -> KeyFile.load(extra)).hasMessageContaining("line 1")
            .hasMessageContaining("expected ID:HEX [ROLE]");
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
}
