package org.seamcast.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.codec.protocol.Keyring;

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
