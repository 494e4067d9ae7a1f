package org.seamcast.transport;

import org.agrona.concurrent.SystemEpochNanoClock;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadlineIdleStrategyTest
{
    private static final long MIN = 50_000;
    private static final long MAX = 5_000_000;
    private static final long SLACK = 30_000_000;

    private final DeadlineIdleStrategy idle =
        new DeadlineIdleStrategy(() -> Long.MAX_VALUE, new SystemEpochNanoClock(), MIN, MAX);
    /** One that may wake {@link #SLACK} after a deadline and parks up to ten times longer. */
    private final DeadlineIdleStrategy late = new DeadlineIdleStrategy(
        () -> Long.MAX_VALUE, new SystemEpochNanoClock(), MIN, MAX * 10, SLACK, new AgentWakeup(), () -> false);

    @Test
    void shouldParkUntilTheNextDeadline()
    {
        assertThat(idle.parkNs(1_000_000_000L + 2_000_000, 1_000_000_000L)).isEqualTo(2_000_000);
    }

    @Test
    void shouldParkAtMostTheLongestParkSoQueuedInputIsRead()
    {
        assertThat(idle.parkNs(1_000_000_000L + 60_000_000, 1_000_000_000L)).isEqualTo(MAX);
        assertThat(idle.parkNs(Long.MAX_VALUE, 1_796_000_000_000_000_000L)).isEqualTo(MAX);
    }

    @Test
    void shouldParkTheShortestParkWhenTheDeadlineIsDueOrPast()
    {
        assertThat(idle.parkNs(1_000_000_000L, 1_000_000_000L)).isEqualTo(MIN);
        assertThat(idle.parkNs(999_000_000L, 1_000_000_000L)).isEqualTo(MIN);
        assertThat(idle.parkNs(1_000_000_000L + 10_000, 1_000_000_000L)).isEqualTo(MIN);
    }

    @Test
    void shouldWakeUpToItsSlackAfterADeadlineSoCloseDeadlinesShareAWakeUp()
    {
        final long now = 1_000_000_000L;

        assertThat(late.parkNs(now + 2_000_000, now)).isEqualTo(2_000_000 + SLACK);
        assertThat(late.parkNs(now, now)).isEqualTo(SLACK);
        assertThat(late.parkNs(now - SLACK, now)).as("a deadline a slack past").isEqualTo(MIN);
        assertThat(late.parkNs(now + MAX * 10 - 1, now)).as("never past the longest park").isEqualTo(MAX * 10);
        assertThat(late.parkNs(Long.MAX_VALUE, 1_796_000_000_000_000_000L)).isEqualTo(MAX * 10);
    }

    @Test
    void shouldLetAWakerOnTheAgentsLoopRunItFromItsDeadlineButNotWithinHalfItsSlackOfTheLastCycle()
    {
        final long now = 1_000_000_000L;

        assertThat(late.freeWakeFromNs(now + 20_000_000, now)).as("a deadline after half the slack")
            .isEqualTo(now + 20_000_000);
        assertThat(late.freeWakeFromNs(now + 1_000_000, now)).as("a deadline within it").isEqualTo(now + SLACK / 2);
        assertThat(late.freeWakeFromNs(now - 1_000_000, now)).as("a deadline past").isEqualTo(now + SLACK / 2);
        assertThat(late.freeWakeFromNs(Long.MAX_VALUE, now)).as("nothing due").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldLeaveInputThatCanWaitForTheAgentsOwnDeadline() throws InterruptedException
    {
        final AgentWakeup wakeup = new AgentWakeup();
        final SystemEpochNanoClock clock = new SystemEpochNanoClock();
        final long hour = TimeUnit.HOURS.toNanos(1);
        final DeadlineIdleStrategy sleeper =
            new DeadlineIdleStrategy(() -> Long.MAX_VALUE, clock, MIN, hour, 0, wakeup, () -> false);
        final CountDownLatch idled = new CountDownLatch(1);
        final Thread agent = idleOnce(sleeper, idled);
        await("the agent parked").until(() -> agent.getState() == Thread.State.TIMED_WAITING);

        wakeup.wakeUnlessDueBy(clock.nanoTime() + 2 * hour);
        assertThat(wakeup.isParked()).as("left parked: it wakes within the input's wait").isTrue();
        assertThat(idled.getCount()).isOne();

        wakeup.wakeUnlessDueBy(clock.nanoTime() + TimeUnit.MINUTES.toNanos(1));
        assertThat(idled.await(1, TimeUnit.MINUTES)).as("woken: it would park past the input's wait").isTrue();
        assertThat(wakeup.isParked()).isFalse();
    }

    @Test
    void shouldSleepPastItsLongestParkUntilAProducerWakesIt() throws InterruptedException
    {
        final AgentWakeup wakeup = new AgentWakeup();
        final AtomicBoolean input = new AtomicBoolean();
        final DeadlineIdleStrategy sleeper = new DeadlineIdleStrategy(
            () -> Long.MAX_VALUE, new SystemEpochNanoClock(), MIN, TimeUnit.HOURS.toNanos(1), 0, wakeup, input::get);
        final CountDownLatch idled = new CountDownLatch(1);
        final Thread agent = idleOnce(sleeper, idled);

        await("the agent parked").until(() -> agent.getState() == Thread.State.TIMED_WAITING);
        assertThat(idled.getCount()).isOne();
        input.set(true);
        wakeup.wake();

        // it would otherwise sleep for an hour
        assertThat(idled.await(1, TimeUnit.MINUTES)).as("woken").isTrue();
    }

    @Test
    void shouldNotParkWhenInputAlreadyWaits() throws InterruptedException
    {
        final DeadlineIdleStrategy sleeper = new DeadlineIdleStrategy(
            () -> Long.MAX_VALUE, new SystemEpochNanoClock(), MIN, TimeUnit.HOURS.toNanos(1), 0, new AgentWakeup(),
            () -> true);
        final CountDownLatch idled = new CountDownLatch(1);
        idleOnce(sleeper, idled);

        assertThat(idled.await(1, TimeUnit.MINUTES)).as("returned without parking for an hour").isTrue();
    }

    private static Thread idleOnce(final DeadlineIdleStrategy sleeper, final CountDownLatch idled)
    {
        final Thread agent = new Thread(() ->
        {
            sleeper.idle();
            idled.countDown();
        }, "idling-agent");
        agent.setDaemon(true);
        agent.start();
        return agent;
    }

    @Test
    void shouldRefuseParksThatCannotBeMet()
    {
        assertThatThrownBy(() -> new DeadlineIdleStrategy(() -> 0, new SystemEpochNanoClock(), 0, MAX))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minParkNs=0");
        assertThatThrownBy(() -> new DeadlineIdleStrategy(() -> 0, new SystemEpochNanoClock(), MAX, MIN))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeadlineIdleStrategy(
            () -> 0, new SystemEpochNanoClock(), MIN, MAX, -1, new AgentWakeup(), () -> false))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slackNs=-1");
    }
}
