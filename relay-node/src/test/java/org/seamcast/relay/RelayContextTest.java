package org.seamcast.relay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.transport.ThreadingMode;
import org.seamcast.transport.link.LinkAddress;

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
        assertThatThrownBy(() -> listening().replayLogBytes(1000).conclude())
            .hasMessage("replayLogBytes=1000 is not in 1048576..68719476736");
        assertThatThrownBy(() -> listening().maxStreamsPerSource(0).conclude())
            .hasMessage("maxStreamsPerSource=0 is not in 1..65536");
        assertThatThrownBy(() -> listening().candidateProofFrames(0).conclude())
            .hasMessage("candidateProofFrames=0 is not in 1..1024");
        assertThatThrownBy(() -> listening().sequenceJumpMs(10).conclude())
            .hasMessage("sequenceJumpMs=10 is not in 1000..3600000");
        assertThatThrownBy(() -> listening().datagramMaxAgeMs(999).conclude())
            .hasMessage("datagramMaxAgeMs=999 is not in 1000..3600000");
        assertThatThrownBy(() -> listening().maxEpochLeadMs(-1).conclude())
            .hasMessage("maxEpochLeadMs=-1 is not in 0..31536000000");
    }

    @Test
    void shouldKeepASourcesShareAndTheEvictableIdleTimeWithinTheNodesLimits()
    {
        final RelayContext ctx = listening().maxStreams(10).streamIdleTimeoutMs(1_500);
        try
        {
            ctx.conclude();
            assertThat(ctx.maxStreamsPerSource()).isEqualTo(10);
            assertThat(ctx.streamEvictableIdleMs()).isEqualTo(1_500);
            assertThat(ctx.candidateProofMs()).isEqualTo(RelayContext.DEFAULT_CANDIDATE_PROOF_MS);
        }
        finally
        {
            ctx.transport().close();
        }
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
    void shouldSizeTheRingIndexFromItsSecondsAndBoundTheLogByDefault()
    {
        final RelayContext ctx = listening().replayRingSeconds(10);
        try
        {
            ctx.conclude();
            assertThat(ctx.replayLogBytes()).isEqualTo(RelayContext.DEFAULT_REPLAY_LOG_BYTES);
            assertThat(ctx.replayRingSlots()).isEqualTo(1024);
        }
        finally
        {
            ctx.transport().close();
        }
    }

    @Test
    void shouldPaceTheIoLoopThatCarriesTheCoreAtTheBatchUnlessToldOtherwise()
    {
        final RelayContext onLoop = listening().batchUs(3_000);
        final RelayContext dedicated = listening().batchUs(3_000).threadingMode(ThreadingMode.DEDICATED);
        final RelayContext told = listening().batchUs(3_000);
        told.transport().ioPollPeriodUs(500);
        try
        {
            assertThat(onLoop.threadingMode()).isEqualTo(ThreadingMode.IO_LOOP);
            assertThat(onLoop.conclude().transport().ioPollPeriodUs()).isEqualTo(3_000);
            assertThat(dedicated.conclude().transport().ioPollPeriodUs()).isZero();
            assertThat(told.conclude().transport().ioPollPeriodUs()).isEqualTo(500);
        }
        finally
        {
            onLoop.transport().close();
            dedicated.transport().close();
            told.transport().close();
        }
    }

    private static RelayContext listening()
    {
        return new RelayContext().nodeName("relay-1").listen(LinkAddress.parse("tcp://127.0.0.1:0"));
    }
}
