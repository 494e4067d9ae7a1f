package org.seamcast.transport;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EventLoopAgentRunnerTest
{
    private static final long HOUR_NS = TimeUnit.HOURS.toNanos(1);

    private final EventLoop loop = new DefaultEventLoop();
    private final OffsetEpochNanoClock clock = new OffsetEpochNanoClock();
    private final AgentWakeup wakeup = new AgentWakeup();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final TestAgent agent = new TestAgent();
    private EventLoopAgentRunner runner;

    @AfterEach
    void stop()
    {
        if (runner != null)
        {
            runner.close();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** An agent whose next deadline and input the test sets, noting where and how often it runs. */
    private final class TestAgent implements Agent
    {
        final AtomicInteger cycles = new AtomicInteger();
        final AtomicInteger input = new AtomicInteger();
        final AtomicBoolean offLoop = new AtomicBoolean();
        final AtomicBoolean started = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();
        final List<Long> cycleTimesNs = new CopyOnWriteArrayList<>();
        volatile long deadlineNs = Long.MAX_VALUE;
        volatile boolean failNext;
        /** The next cycle leaves input behind with no wake, as a producer writing while the cycle ends would. */
        volatile boolean leaveInputUnannounced;

        @Override
        public void onStart()
        {
            offLoop.compareAndSet(false, !loop.inEventLoop());
            started.set(true);
        }

        @Override
        public int doWork()
        {
            offLoop.compareAndSet(false, !loop.inEventLoop());
            cycles.incrementAndGet();
            cycleTimesNs.add(clock.nanoTime());
            if (leaveInputUnannounced)
            {
                leaveInputUnannounced = false;
                input.set(1);
                return 0;
            }
            if (failNext)
            {
                failNext = false;
                throw new IllegalStateException("duty cycle failed");
            }
            return input.getAndSet(0) > 0 ? 1 : 0;
        }

        @Override
        public void onClose()
        {
            offLoop.compareAndSet(false, !loop.inEventLoop());
            closed.set(true);
        }

        @Override
        public String roleName()
        {
            return "test-agent";
        }
    }

    private void start()
    {
        runner = EventLoopAgentRunner.start(loop, agent,
            new DeadlineIdleStrategy(() -> agent.deadlineNs, clock, 50_000, HOUR_NS, 0, wakeup,
                () -> agent.input.get() > 0),
            errors::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.cycles.get() >= 1 && wakeup.isParked());
    }

    @Test
    void startsOnTheLoopAndSleepsUntilWokenWhenNothingIsDue()
    {
        start();

        assertThat(agent.started).isTrue();
        final int cycles = agent.cycles.get();
        agent.input.incrementAndGet();
        wakeup.wake();

        await().atMost(Duration.ofSeconds(10)).until(() -> agent.cycles.get() > cycles && wakeup.isParked());
        assertThat(agent.input).as("the woken cycle took the input").hasValue(0);
        assertThat(agent.offLoop).as("every call on the loop").isFalse();
        assertThat(errors).isEmpty();
    }

    @Test
    void runsAtItsDeadlineWithoutAWake()
    {
        start();
        final long deadlineNs = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        agent.deadlineNs = deadlineNs;

        // the parked agent learns of the new deadline from a cycle: one wake, then nothing but its timer can run it
        wakeup.wake();

        await().atMost(Duration.ofSeconds(10)).until(() -> agent.cycleTimesNs.stream().anyMatch(t -> t >= deadlineNs));
        agent.deadlineNs = Long.MAX_VALUE;
        assertThat(agent.offLoop).isFalse();
    }

    @Test
    void aWakeUnlessDueByEarlierThanItsParkResumesIt()
    {
        start();
        final int cycles = agent.cycles.get();

        wakeup.wakeUnlessDueBy(clock.nanoTime() + TimeUnit.SECONDS.toNanos(1));

        await().atMost(Duration.ofSeconds(10)).until(() -> agent.cycles.get() > cycles);
    }

    @Test
    void aWakerOnItsLoopRunsADueCycleInItsOwnWakeUpRatherThanLeaveItToTheTimer()
    {
        final AtomicLong now = new AtomicLong(HOUR_NS);
        final EpochNanoClock fake = now::get;
        final long slackNs = TimeUnit.SECONDS.toNanos(20);
        agent.deadlineNs = HOUR_NS + TimeUnit.SECONDS.toNanos(1);
        runner = EventLoopAgentRunner.start(loop, agent,
            new DeadlineIdleStrategy(() -> agent.deadlineNs, fake, 50_000, HOUR_NS, slackNs, wakeup,
                () -> agent.input.get() > 0),
            errors::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.cycles.get() >= 1 && wakeup.isParked());
        final int cycles = agent.cycles.get();

        // due, but within half the slack of the last cycle: the timer (21 s away) plays it with what else falls due
        now.set(HOUR_NS + TimeUnit.SECONDS.toNanos(2));
        wakeOnLoop(fake.nanoTime());
        assertThat(agent.cycles).hasValue(cycles);
        assertThat(wakeup.isParked()).isTrue();

        now.set(HOUR_NS + TimeUnit.SECONDS.toNanos(11));
        wakeup.wakeUnlessDueBy(fake.nanoTime() + HOUR_NS, fake.nanoTime());
        loop.submit(() -> { }).syncUninterruptibly();
        assertThat(agent.cycles).as("a waker on another thread costs the loop a wake-up: left to the timer")
            .hasValue(cycles);

        wakeOnLoop(fake.nanoTime());
        assertThat(agent.cycles).as("run in the waker's wake-up, long before its timer").hasValue(cycles + 1);
        assertThat(errors).isEmpty();
    }

    /** Wakes the agent from a task of its loop, as its loop's reads do, and returns once the cycles it queued ran. */
    private void wakeOnLoop(final long nowNs)
    {
        loop.submit(() -> wakeup.wakeUnlessDueBy(nowNs + HOUR_NS, nowNs)).syncUninterruptibly();
        loop.submit(() -> { }).syncUninterruptibly();
    }

    @Test
    void inputLeftWithoutAWakeIsFoundByTheLastLookBeforeParking()
    {
        start();
        final int cycles = agent.cycles.get();
        agent.leaveInputUnannounced = true;

        wakeup.wake();

        await().atMost(Duration.ofSeconds(10)).until(() -> agent.input.get() == 0 && wakeup.isParked());
        assertThat(agent.cycles.get()).as("the woken cycle, the one its last look ran, and the one after its work")
            .isEqualTo(cycles + 3);
    }

    @Test
    void anErrorIsReportedAndTheAgentCarriesOn()
    {
        start();
        agent.failNext = true;
        wakeup.wake();
        await().atMost(Duration.ofSeconds(10)).until(() -> errors.size() == 1 && wakeup.isParked());
        final int cycles = agent.cycles.get();

        wakeup.wake();

        await().atMost(Duration.ofSeconds(10)).until(() -> agent.cycles.get() > cycles);
        assertThat(errors.get(0)).hasMessage("duty cycle failed");
    }

    @Test
    void aNodeWhoseAgentsNeedThreadsRefusesTheIoLoop()
    {
        assertThatThrownBy(() -> AgentThreads.start(ThreadingMode.IO_LOOP, List.of(agent), errors::add))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threadingMode=IO_LOOP");
    }

    @Test
    void closeRunsOnCloseOnTheLoopAndNoCycleAfter()
    {
        start();

        runner.close();
        final int cycles = agent.cycles.get();
        wakeup.wake();

        assertThat(agent.closed).isTrue();
        assertThat(runner.isRunning()).isFalse();
        // a cycle queued by the wake would run before this task, which the loop runs in order
        loop.submit(() -> { }).syncUninterruptibly();
        assertThat(agent.cycles).hasValue(cycles);
        assertThat(agent.offLoop).isFalse();
        runner = null;
    }
}
