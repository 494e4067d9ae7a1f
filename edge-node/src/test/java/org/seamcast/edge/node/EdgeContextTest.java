package org.seamcast.edge.node;

import org.junit.jupiter.api.Test;
import org.seamcast.transport.ThreadingMode;
import org.seamcast.transport.link.LinkAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void eachPlayoutThreadOnTheLinksGetsAnEventLoopOfItsOwn()
    {
        assertThat(concluded(new EdgeContext()).transport().ioThreads()).isOne();
        assertThat(concluded(new EdgeContext().playoutThreads(3)).transport().ioThreads()).isEqualTo(3);
        assertThat(concluded(new EdgeContext().playoutThreads(3).threadingMode(ThreadingMode.DEDICATED))
            .transport().ioThreads()).as("threads of their own").isOne();
    }

    @Test
    void shouldRefuseMorePlayoutThreadsThanAModeRunsNamingBoth()
    {
        assertThatThrownBy(() -> concluded(new EdgeContext().playoutThreads(2).threadingMode(ThreadingMode.SHARED)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("playoutThreads=2 needs threadingMode IO_LOOP or DEDICATED (each playout agent on a thread"
                + " of its own), not SHARED");
        assertThatThrownBy(() -> concluded(new EdgeContext().playoutThreads(65)))
            .hasMessage("playoutThreads=65 is not in 1..64");
    }
}
