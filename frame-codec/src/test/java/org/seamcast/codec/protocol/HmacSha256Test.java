package org.seamcast.codec.protocol;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

class HmacSha256Test
{
    @Property(tries = 200)
    void shouldComputeTheSameTagAsTheJdkMac(
        @ForAll @Size(min = 1, max = 200) final byte[] key, @ForAll @Size(max = 3_000) final byte[] message)
        throws Exception
    {
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        final byte[] expected = mac.doFinal(message);

        final HmacSha256 hmac = new HmacSha256();
        hmac.setKey(42, key);
        final byte[] actual = new byte[32];
        for (int repeat = 0; repeat < 2; repeat++)
        {
            hmac.start(42);
            hmac.update(message, 0, message.length / 2);
            hmac.update(message, message.length / 2, message.length - message.length / 2);
            hmac.finish(42, actual);
            assertThat(actual).isEqualTo(expected);
        }
    }
}
