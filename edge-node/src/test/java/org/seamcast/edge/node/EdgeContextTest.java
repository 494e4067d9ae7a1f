package org.seamcast.edge.node;

import org.junit.jupiter.api.Test;
import org.seamcast.transport.link.LinkAddress;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeContextTest
{
    private static EdgeContext concluded(final EdgeContext ctx)
    {
        ctx.relay(LinkAddress.parse("tcp://127.0.0.1:9")).adminAddress(null).conclude();
        ctx.transport().close();
        return ctx;
    }

    @Test
    void theLinksReadEachMessageAsItArrivesUnlessAPollPeriodIsSet()
    {
        assertThat(concluded(new EdgeContext().playoutDelayMs(2_000)).transport().ioPollPeriodUs()).isZero();
        assertThat(concluded(new EdgeContext().playoutDelayMs(300).linkPollMs(30)).transport().ioPollPeriodUs())
            .isEqualTo(30_000);
    }
}
