package org.seamcast.edge.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seamcast.edge.engine.EngineHarness.tsUs;

/**
 * Tail loss on a virtual clock: the last frames before a silence lost on every path leave no gap behind them, so only
 * a sender's heartbeat ({@link EdgeEngine#onStreamPosition}) can tell the engine they exist.
 */
class EdgeEngineTailLossTest
{
    private static final long DELAY_NS = EdgeEngineContext.PLAYOUT_DELAY_NS_DEFAULT;
    private static final long RETRANSMIT_DELAY_NS = EdgeEngineContext.RETRANSMIT_DELAY_NS_DEFAULT;
    private static final int ENCODER = 1;
    private static final long EPOCH = 1;
    private static final int PATH_A = 0;
    private static final int PATH_B = 1;

    private final EngineHarness harness = new EngineHarness();

    @Test
    void shouldAskForTheLastFramesBeforeASilenceWhenAHeartbeatSaysTheyWereSentAndPlayThem()
    {
        sendLive(0, 20);
        harness.advanceTo(tsUs(23) * 1000 + 100_000_000L);
        assertThat(harness.requests).as("nothing shows the three lost frames").isEmpty();

        assertThat(harness.engine().onStreamPosition(PATH_A, ENCODER, EPOCH, 22, harness.nowNs)).isEqualTo(3);
        harness.advanceTo(harness.nowNs + RETRANSMIT_DELAY_NS);

        assertThat(harness.requests).singleElement().satisfies(request ->
        {
            assertThat(request.fromSequence()).isEqualTo(20);
            assertThat(request.toSequence()).isEqualTo(22);
            assertThat(request.epoch()).isEqualTo(EPOCH);
        });
        sendLive(20, 23);
        harness.advanceTo(tsUs(23) * 1000 + DELAY_NS);

        assertThat(harness.played).extracting(EngineHarness.Played::sequence)
            .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 23).boxed().toList());
        assertThat(harness.count(EdgeEvent.TAIL_GAP)).isEqualTo(1);
        assertThat(harness.engine().eventCount(EdgeEvent.LATE)).isZero();
    }

    @Test
    void shouldAskOnceForATailThatEveryPathReportsAgainAndAgain()
    {
        sendLive(0, 20);
        harness.advanceTo(tsUs(20) * 1000 + 100_000_000L);

        final EdgeEngine engine = harness.engine();
        assertThat(engine.onStreamPosition(PATH_A, ENCODER, EPOCH, 22, harness.nowNs)).isEqualTo(3);
        assertThat(engine.onStreamPosition(PATH_B, ENCODER, EPOCH, 22, harness.nowNs)).isZero();
        harness.advanceTo(harness.nowNs + RETRANSMIT_DELAY_NS);
        for (int beat = 0; beat < 8; beat++)
        {
            assertThat(engine.onStreamPosition(beat % 2, ENCODER, EPOCH, 22, harness.nowNs)).isZero();
            harness.advanceTo(harness.nowNs + 50_000_000L);
        }

        assertThat(harness.requests).extracting(EngineHarness.Request::fromSequence).containsOnly(20L);
        assertThat(harness.requests).hasSize(EdgeEngineContext.RETRANSMIT_MAX_ATTEMPTS_DEFAULT);
        assertThat(harness.count(EdgeEvent.TAIL_GAP)).isEqualTo(1);
    }

    @Test
    void shouldAskForATailAndTheGapAfterItWithoutAskingTwiceForTheTail()
    {
        sendLive(0, 20);
        harness.advanceTo(tsUs(20) * 1000);
        harness.engine().onStreamPosition(PATH_A, ENCODER, EPOCH, 22, harness.nowNs);
        harness.offer(PATH_A, ENCODER, 0, EPOCH, 25, tsUs(25), 25, true);

        harness.advanceTo(harness.nowNs + RETRANSMIT_DELAY_NS);

        assertThat(harness.requests).extracting(r -> r.fromSequence() + ".." + r.toSequence())
            .containsExactlyInAnyOrder("20..22", "23..24");
    }

    @Test
    void shouldIgnoreHeartbeatsThatSayNothingNewOrCannotBeTrusted()
    {
        sendLive(0, 20);
        harness.advanceTo(tsUs(20) * 1000);
        final EdgeEngine engine = harness.engine();
        final long tooFar = 19 + harness.ctx.maxSequenceJump() + 1;

        assertThat(engine.onStreamPosition(PATH_A, ENCODER, EPOCH, 19, harness.nowNs)).as("held").isZero();
        assertThat(engine.onStreamPosition(PATH_A, ENCODER, EPOCH, 5, harness.nowNs)).as("behind").isZero();
        assertThat(engine.onStreamPosition(PATH_A, ENCODER, EPOCH + 1, 40, harness.nowNs)).as("epoch").isZero();
        assertThat(engine.onStreamPosition(PATH_A, 9, EPOCH, 40, harness.nowNs)).as("unknown encoder").isZero();
        assertThat(engine.onStreamPosition(PATH_A, ENCODER, EPOCH, tooFar, harness.nowNs)).as("too far").isZero();
        harness.advanceTo(harness.nowNs + 200_000_000L);

        assertThat(harness.requests).isEmpty();
        assertThat(harness.count(EdgeEvent.TAIL_GAP)).isZero();
    }

    @Test
    void shouldNotAskForATailWhoseDeadlineIsTooCloseForAnAnswer()
    {
        sendLive(0, 20);
        harness.advanceTo(tsUs(22) * 1000 + DELAY_NS - EdgeEngineContext.RETRANSMIT_GUARD_NS_DEFAULT);

        harness.engine().onStreamPosition(PATH_A, ENCODER, EPOCH, 21, harness.nowNs);
        harness.advanceTo(harness.nowNs + 200_000_000L);

        assertThat(harness.requests).isEmpty();
    }

    private void sendLive(final int from, final int to)
    {
        for (int n = from; n < to; n++)
        {
            harness.offer(PATH_A, ENCODER, 0, EPOCH, n, tsUs(n), n, true);
        }
    }
}
