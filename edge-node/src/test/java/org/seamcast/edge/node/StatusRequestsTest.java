package org.seamcast.edge.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StatusRequestsTest
{
    private final StatusRequests requests = new StatusRequests(new org.seamcast.transport.AgentWakeup());

    @Test
    void shouldAskNothingOfThePlayoutThreadUntilSomeoneReads()
    {
        assertThat(requests.isRequested()).isFalse();
    }

    @Test
    void shouldHoldAReaderUntilThePlayoutThreadHasRendered()
    {
        final CompletableFuture<Void> reader = CompletableFuture.runAsync(requests::awaitFresh);
        await().atMost(Duration.ofSeconds(5)).until(requests::isRequested);
        assertThat(reader).isNotDone();

        requests.rendered();

        await().atMost(Duration.ofSeconds(5)).until(reader::isDone);
        assertThat(requests.isRequested()).isFalse();
    }

    @Test
    void shouldServeAFreshSnapshotWithoutAsking()
    {
        requests.rendered();

        requests.awaitFresh();

        assertThat(requests.isRequested()).isFalse();
    }

    @Test
    void shouldGiveUpWaitingWhenThePlayoutThreadDoesNotAnswer()
    {
        final long start = System.nanoTime();

        requests.awaitFresh();

        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(
            TimeUnit.MILLISECONDS.toNanos(StatusRequests.WAIT_MS));
        assertThat(requests.isRequested()).as("the request stays for the next duty cycle").isTrue();
    }

    @Test
    void shouldLetTheReadersOfOneUnansweredRequestShareItsWait()
    {
        requests.awaitFresh();
        final long start = System.nanoTime();

        // a scrape reads one gauge after another: once the request has gone unanswered for the wait, they go on
        requests.awaitFresh();
        requests.awaitFresh();

        assertThat(System.nanoTime() - start).as("no reader waited again")
            .isLessThan(TimeUnit.MILLISECONDS.toNanos(StatusRequests.WAIT_MS));
        assertThat(requests.isRequested()).isTrue();
    }
}
