package org.seamcast.transport.link;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkAddressTest
{
    @Test
    void shouldParseEveryScheme()
    {
        assertThat(LinkAddress.parse("tcp://relay1.example:9001").scheme()).isEqualTo(LinkScheme.TCP);
        assertThat(LinkAddress.parse("udp://127.0.0.1:9002").scheme()).isEqualTo(LinkScheme.UDP);
        assertThat(LinkAddress.parse("aeron+udp://10.0.0.2:9003").scheme()).isEqualTo(LinkScheme.AERON_UDP);
        assertThat(LinkAddress.parse("mcast://239.1.2.3:9004?interface=10.0.0.1").scheme())
            .isEqualTo(LinkScheme.MULTICAST);
    }

    @Test
    void shouldExposeHostPortAndParameters()
    {
        final LinkAddress tls = LinkAddress.parse("TCP://relay:9001?tls=true");
        assertThat(tls.host()).isEqualTo("relay");
        assertThat(tls.port()).isEqualTo(9001);
        assertThat(tls.tls()).isTrue();
        assertThat(tls.toString()).isEqualTo("tcp://relay:9001?tls=true");
        assertThat(tls.socketAddress().getHostString()).isEqualTo("relay");

        final LinkAddress mcast = LinkAddress.parse("mcast://239.1.2.3:9004?interface=10.0.0.1&ttl=4");
        assertThat(mcast.multicastInterface()).isEqualTo("10.0.0.1");
        assertThat(mcast.multicastTtl()).isEqualTo(4);
        assertThat(LinkAddress.parse("mcast://239.1.2.3:9004").multicastTtl())
            .isEqualTo(LinkAddress.DEFAULT_MULTICAST_TTL);
        assertThat(LinkAddress.parse("udp://[::1]:9002").socketAddress().getHostString()).isEqualTo("::1");

        assertThat(LinkAddress.parse("aeron+udp://10.0.0.2:9003?term-length=1048576").termLength())
            .isEqualTo(1 << 20);
        assertThat(LinkAddress.parse("mcast://239.1.2.3:9004?ttl=2&term-length=65536").termLength())
            .isEqualTo(1 << 16);
        assertThat(LinkAddress.parse("aeron+udp://10.0.0.2:9003").termLength()).isZero();
    }

    @Test
    void shouldAllowPortZeroOnlyForListening()
    {
        final LinkAddress any = LinkAddress.parse("tcp://0.0.0.0:0");
        assertThat(any.port()).isZero();
        assertThatThrownBy(any::requireDestination).hasMessageContaining("port=0 can be listened on, not sent to");
        assertThat(LinkAddress.parse("tcp://relay:9001").requireDestination().port()).isEqualTo(9001);
    }

    @Test
    void shouldCompareByNormalisedText()
    {
        assertThat(LinkAddress.parse("UDP://h:1")).isEqualTo(LinkAddress.parse("udp://h:1"))
            .hasSameHashCodeAs(LinkAddress.parse("udp://h:1"));
        assertThat(LinkAddress.parse("udp://h:1")).isNotEqualTo(LinkAddress.parse("udp://h:2"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|empty",
        "relay:9001|no scheme",
        "http://relay:9001|unknown scheme 'http'",
        "tcp://:9001|no host",
        "tcp://relay|port=-1",
        "tcp://relay:70000|port=70000 is not in 0..65535",
        "tcp://relay:9001/mount|has a path",
        "tcp://relay:9001?tls=maybe|tls=maybe",
        "udp://relay:9001?tls=true|unknown parameter 'tls'",
        "mcast://10.0.0.1:9004|not a multicast address",
        "mcast://239.1.2.3:9004?interface=eth0|must be a numeric IP address",
        "mcast://239.1.2.3:9004?ttl=300|ttl=300",
        "mcast://239.1.2.3:9004?ttl=x|ttl=x is not a number",
        "mcast://239.1.2.3:9004?ttl|not key=value",
        "mcast://239.1.2.3:9004?ttl=1&ttl=2|repeats parameter 'ttl'",
        "tcp://relay 1:9001|not a URL",
        "aeron+udp://relay:9003?term-length=100000|term-length=100000 is not a power of two in 65536..1073741824",
        "aeron+udp://relay:9003?term-length=32768|term-length=32768 is not a power of two",
        "aeron+udp://relay:9003?term-length=big|term-length=big is not a number",
        "tcp://relay:9001?term-length=65536|unknown parameter 'term-length'",
    })
    void shouldRefuseBadAddressesNamingTheProblem(final String url, final String message)
    {
        assertThatThrownBy(() -> LinkAddress.parse(url))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(message);
    }
}
