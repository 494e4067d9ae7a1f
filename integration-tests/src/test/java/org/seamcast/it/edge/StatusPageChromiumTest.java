package org.seamcast.it.edge;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.seamcast.it.support.HeadlessChromium;
import org.seamcast.it.support.SeamcastProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The edge's status page in a real browser: {@code seamcast demo} runs as a process, Debian's Chromium loads the
 * admin root and runs its polling script, and the DOM must show the mount, its playing encoder and both relay paths
 * up; after the demo kills relay-1 the page must show that path down with the reason. A screenshot of each state
 * is kept under {@code target/status-page/}.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class StatusPageChromiumTest
{
    private static final int KILL_RELAY_AFTER_SECONDS = 20;
    private static final Path SCREENSHOTS = Path.of("target", "status-page");
    private static final Pattern STATUS_URL = Pattern.compile("status:\\s+(http://127\\.0\\.0\\.1:\\d+/)\\s");
    private static final Pattern RELAY_1 = Pattern.compile("relay-1 (tcp://127\\.0\\.0\\.1:\\d+) \\(edge path 0\\)");
    private static final Pattern LIVE_PLAYING_PRIMARY = Pattern.compile(
        "<section class=\"mount\" data-mount=\"/live\">.*?"
            + "<div class=\"playing\" data-state=\"primary\">encoder 1 \\(primary\\)</div>", Pattern.DOTALL);
    private static final Pattern PROBLEM = Pattern.compile("<span class=\"problem\">([^<]+)</span>");

    @TempDir
    Path workDir;

    @Test
    void shouldShowTheLiveMountAndBothPathsUpThenRelayOneDownWithItsProblem()
    {
        final HeadlessChromium chromium = HeadlessChromium.require(workDir);
        try (SeamcastProcess demo = SeamcastProcess.start(workDir, "demo", "relays:", "demo",
            "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
            "--kill-relay-after-seconds", String.valueOf(KILL_RELAY_AFTER_SECONDS),
            "--duration-seconds", "120", "--status-interval-ms", "1000"))
        {
            final String log = demo.logText();
            final Matcher url = STATUS_URL.matcher(log);
            assertThat(url.find()).as("status page URL in %s", log).isTrue();
            final Matcher relay1 = RELAY_1.matcher(log);
            assertThat(relay1.find()).as("relay-1 address in %s", log).isTrue();
            final String page = url.group(1);

            final AtomicReference<String> dom = new AtomicReference<>("");
            awaitPage("/live playing encoder 1 with both relay paths connected", KILL_RELAY_AFTER_SECONDS - 8,
                chromium, page, dom, html -> LIVE_PLAYING_PRIMARY.matcher(html).find()
                    && "up".equals(pathState(html, 0)) && "up".equals(pathState(html, 1)));
            assertThat(demo.logText()).as("relay-1 still alive while the page showed it up")
                .doesNotContain("killed relay-1");
            assertThat(pathRow(dom.get(), 0)).contains("<td>" + relay1.group(1) + "</td>");
            assertThat(dom.get()).contains("<tr data-encoder=\"1\"><td>encoder 1</td><td>primary ▶ playing</td>");
            chromium.screenshot(page, SCREENSHOTS.resolve("all-paths-up.png"));

            await("the demo kills relay-1").atMost(Duration.ofSeconds(KILL_RELAY_AFTER_SECONDS + 10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> demo.logText().contains("killed relay-1 as asked"));
            awaitPage("path 0 (relay-1) down", 30, chromium, page, dom, html -> "down".equals(pathState(html, 0)));
            final String down = pathRow(dom.get(), 0);
            assertThat(down).contains("<td>" + relay1.group(1) + "</td>", "<span class=\"badge down\">DOWN</span>");
            final Matcher problem = PROBLEM.matcher(down);
            assertThat(problem.find()).as("problem text in %s", down).isTrue();
            assertThat(problem.group(1).trim()).isNotEmpty().doesNotContain("no problem reported");
            assertThat(pathState(dom.get(), 1)).as("relay-2 still up").isEqualTo("up");
            assertThat(LIVE_PLAYING_PRIMARY.matcher(dom.get()).find()).as("/live still on its primary").isTrue();
            assertThat(dom.get()).contains("1 of 2 relay paths connected");

            final Path screenshot = SCREENSHOTS.resolve("relay-1-down.png");
            chromium.screenshot(page, screenshot);
            assertThat(screenshot).isNotEmptyFile();

            assertThat(demo.terminate()).as("demo exit status after SIGTERM").isZero();
        }
    }

    /**
     * Loads the page again and again until {@code condition} holds of its DOM; on timeout fails with the last DOM.
     */
    private static void awaitPage(
        final String what,
        final int seconds,
        final HeadlessChromium chromium,
        final String page,
        final AtomicReference<String> dom,
        final Predicate<String> condition)
    {
        try
        {
            await("the page shows " + what).atMost(Duration.ofSeconds(seconds))
                .pollInterval(Duration.ofMillis(200))
                .until(() ->
                {
                    dom.set(chromium.dumpDom(page));
                    return condition.test(dom.get());
                });
        }
        catch (final ConditionTimeoutException ex)
        {
            throw new AssertionError("the page did not show " + what + " within " + seconds + " s; last DOM:\n"
                + dom.get(), ex);
        }
    }

    private static String pathRow(final String dom, final int pathId)
    {
        final Matcher row = Pattern.compile("<tr data-path=\"" + pathId + "\"[^>]*>.*?</tr>", Pattern.DOTALL)
            .matcher(dom);
        return row.find() ? row.group() : "";
    }

    private static String pathState(final String dom, final int pathId)
    {
        final Matcher state = Pattern.compile("<tr data-path=\"" + pathId + "\" data-state=\"(\\w+)\"").matcher(dom);
        return state.find() ? state.group(1) : "";
    }
}
