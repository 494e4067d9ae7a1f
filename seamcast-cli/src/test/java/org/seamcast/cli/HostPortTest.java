package org.seamcast.cli;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPortTest
{
    @Test
    void shouldReadHostPortBarePortAndBracketedV6()
    {
        assertThat(HostPort.parse("127.0.0.1:9101")).isEqualTo(new InetSocketAddress("127.0.0.1", 9101));
        assertThat(HostPort.parse(":9101")).isEqualTo(new InetSocketAddress("0.0.0.0", 9101));
        assertThat(HostPort.parse("[::1]:9101")).isEqualTo(new InetSocketAddress("::1", 9101));
        assertThat(HostPort.parse("[::1]:9101").getAddress().isLoopbackAddress()).isTrue();
        assertThat(HostPort.parse("[::]:0").getPort()).isZero();
        assertThat(HostPort.parse("localhost:8100").getHostString()).isEqualTo("localhost");
    }

    @Test
    void shouldReadNoneAsNothingOnlyWhereAllowed()
    {
        assertThat(HostPort.parseOrNone("none")).isNull();
        assertThat(HostPort.parseOrNone("NONE")).isNull();
        assertThat(HostPort.parseOrNone(":8002").getPort()).isEqualTo(8002);
        assertThatThrownBy(() -> HostPort.parse("none")).hasMessageContaining("'none' is not host:port");
    }

    @Test
    void shouldRefuseMalformedAddressesNamingTheValueAndTheLimit()
    {
        assertThatThrownBy(() -> HostPort.parse("127.0.0.1")).hasMessageContaining("'127.0.0.1' is not host:port");
        assertThatThrownBy(() -> HostPort.parse("127.0.0.1:")).hasMessageContaining("is not host:port");
        assertThatThrownBy(() -> HostPort.parse("host:http")).hasMessageContaining("port 'http' is not a number");
        assertThatThrownBy(() -> HostPort.parse("host:65536"))
            .hasMessageContaining("'host:65536' port=65536 is not in 0..65535");
        assertThatThrownBy(() -> HostPort.parse("::1:9101")).hasMessageContaining("[::1]:9101");
        assertThatThrownBy(() -> HostPort.parse("[::1:9101")).hasMessageContaining("unclosed");
    }

    @Test
    void shouldFormatAsItReads()
    {
        assertThat(HostPort.format(HostPort.parse("[::1]:9101"))).isEqualTo("[0:0:0:0:0:0:0:1]:9101");
        assertThat(HostPort.format(HostPort.parse(":80"))).isEqualTo("0.0.0.0:80");
        assertThat(HostPort.format(null)).isEqualTo("none");
    }
}
