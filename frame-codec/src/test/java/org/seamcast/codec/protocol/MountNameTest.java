package org.seamcast.codec.protocol;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class MountNameTest
{
    @Provide
    Arbitrary<MountName> mounts()
    {
        return TestMessages.mounts();
    }

    @Property(tries = 200)
    void shouldHashTheSameBytesTheSameWayInAnyBufferAtAnyOffset(
        @ForAll("mounts") final MountName mount, @ForAll @IntRange(max = 13) final int offset)
    {
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[offset + mount.length()]);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(offset + mount.length()));
        heap.putBytes(offset, mount.buffer(), 0, mount.length());
        direct.putBytes(offset, mount.buffer(), 0, mount.length());

        assertThat(MountName.hash(heap, offset, mount.length())).isEqualTo(mount.hash());
        assertThat(MountName.hash(direct, offset, mount.length())).isEqualTo(mount.hash());
        assertThat(mount.matches(direct, offset, mount.length())).isTrue();
        assertThat(MountName.copyOf(direct, offset, mount.length())).isEqualTo(mount).hasSameHashCodeAs(mount);
        assertThat(MountName.of(mount.toString())).isEqualTo(mount);
    }

    @Test
    void shouldServeAsAMapKeyByHashWithEqualityOnBytes()
    {
        final Long2ObjectHashMap<MountName> byHash = new Long2ObjectHashMap<>();
        final MountName live = MountName.of("/live.mp3");
        final MountName backup = MountName.of("/live.aac");
        byHash.put(live.hash(), live);
        byHash.put(backup.hash(), backup);

        final UnsafeBuffer received = new UnsafeBuffer("xx/live.aac".getBytes());
        final MountName found = byHash.get(MountName.hash(received, 2, 9));
        assertThat(found).isSameAs(backup);
        assertThat(found.matches(received, 2, 9)).isTrue();
        assertThat(live.matches(received, 2, 9)).isFalse();
    }

    @Test
    void shouldRefuseEveryByteOutsideTheRuleAtEveryPositionOfEveryLength()
    {
        for (int length = Protocol.MIN_MOUNT_NAME_LENGTH; length <= 40; length++)
        {
            final UnsafeBuffer name = new UnsafeBuffer(new byte[length + 2]);
            name.setMemory(0, length + 2, (byte)'a');
            name.putByte(1, (byte)'/');
            name.putByte(0, (byte)'?');
            name.putByte(length + 1, (byte)'?');
            assertThat(MountName.isValid(name, 1, length)).as("length %d, invalid bytes either side", length).isTrue();
            for (int position = 1; position < length; position++)
            {
                for (int value = 0; value < 256; value++)
                {
                    final byte b = (byte)value;
                    name.putByte(1 + position, b);
                    final boolean allowed = value >= 0x21 && value <= 0x7E && value != '?' && value != '#';
                    assertThat(MountName.isValid(name, 1, length))
                        .as("length %d, byte 0x%02x at %d", length, value, position).isEqualTo(allowed);
                }
                name.putByte(1 + position, (byte)'a');
            }
            name.putByte(1, (byte)'a');
            assertThat(MountName.isValid(name, 1, length)).as("no leading '/'").isFalse();
        }
    }

    @Test
    void shouldMatchItsOwnBytesAndNoNameThatDiffersInOneByteOrInLength()
    {
        final StringBuilder text = new StringBuilder("/");
        for (int length = 2; length <= 40; length++)
        {
            text.append((char)('a' + length % 26));
            final MountName mount = MountName.of(text.toString());
            final byte[] bytes = text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            final UnsafeBuffer received = new UnsafeBuffer(new byte[bytes.length + 3]);
            received.putBytes(3, bytes);

            assertThat(mount.matches(received, 3, bytes.length)).as("length %d", length).isTrue();
            assertThat(mount.matches(received, 3, bytes.length - 1)).isFalse();
            assertThat(mount.matches(received, 2, bytes.length + 1)).isFalse();
            for (int i = 0; i < bytes.length; i++)
            {
                received.putByte(3 + i, (byte)(bytes[i] ^ 0x01));
                assertThat(mount.matches(received, 3, bytes.length)).as("length %d, byte %d", length, i).isFalse();
                received.putByte(3 + i, bytes[i]);
            }
        }
    }

    @Test
    void shouldGiveDistinctHashesToManySimilarNames()
    {
        final org.agrona.collections.LongHashSet hashes = new org.agrona.collections.LongHashSet();
        for (int i = 0; i < 100_000; i++)
        {
            hashes.add(MountName.of("/stream" + i + ".mp3").hash());
        }
        assertThat(hashes.size()).isEqualTo(100_000);
    }
}
