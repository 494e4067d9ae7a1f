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
 * admin root and runs its polling script, and the DOM must show the mount playing the primary by its ingest's name,
 * both relay paths up and a headroom line for each; after the demo kills relay-1 the page must show that path down
 * with the reason and a path-down mark on the mount's timeline; after it kills studio-a, the primary encoder, the
 * backup plays and the timeline has a switch mark, while the headroom chart still has points for each path. A
 * screenshot of each state is kept under {@code target/status-page/}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StatusPageChromiumTest
{
    private static final int KILL_RELAY_AFTER_SECONDS = 20;
    private static final int KILL_ENCODER_AFTER_SECONDS = 32;
    private static final Path SCREENSHOTS = Path.of("target", "status-page");
    private static final Pattern STATUS_URL = Pattern.compile("status:\\s+(http://127\\.0\\.0\\.1:\\d+/)\\s");
    private static final Pattern RELAY_1 = Pattern.compile("relay-1 (tcp://127\\.0\\.0\\.1:\\d+) \\(edge path 0\\)");
    private static final Pattern LIVE_PLAYING_PRIMARY = Pattern.compile(
        "<section class=\"mount\" data-mount=\"/live\">.*?"
            + "<div class=\"playing\" data-state=\"primary\">ingest-a · encoder 1 \\(primary\\)</div>", Pattern.DOTALL);
    private static final Pattern LIVE_PLAYING_BACKUP = Pattern.compile(
        "<div class=\"playing\" data-state=\"backup\">ingest-b · encoder 2 \\(backup\\)</div>");
    private static final Pattern PRIMARY_ROW = Pattern.compile("<tr data-encoder=\"1\"><td>ingest-a \\(encoder 1\\)</td>"
        + "<td>primary ▶ playing</td><td><span class=\"nowrap\"[^>]*>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ</span></td>");
    private static final Pattern PROBLEM = Pattern.compile("<span class=\"problem\">([^<]+)</span>");
    private static final Pattern PATH_DOWN_MARK = Pattern.compile(
        "<g class=\"mark\" data-kind=\"path_down\" data-time=\"\\d+\" data-path=\"0\">");
    private static final Pattern SWITCH_MARK = Pattern.compile(
        "<g class=\"mark\" data-kind=\"switch\" data-time=\"\\d+\"><title>[^<]*switch to ingest-b · encoder 2</title>");

    @TempDir
    Path workDir;

    @Test
    void shouldDrawHeadroomPerPathAndPutAPathDownAndASwitchOnTheTimelineWhenARelayAndTheEncoderAreKilled()
    {
        final HeadlessChromium chromium = HeadlessChromium.require(workDir);
        try (SeamcastProcess demo = SeamcastProcess.start(workDir, "demo", "relays:", "demo",
            "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
            "--kill-relay-after-seconds", String.valueOf(KILL_RELAY_AFTER_SECONDS),
            "--kill-encoder-after-seconds", String.valueOf(KILL_ENCODER_AFTER_SECONDS),
            "--duration-seconds", "150", "--status-interval-ms", "1000"))
        {
            final String log = demo.logText();
            final Matcher url = STATUS_URL.matcher(log);
            assertThat(url.find()).as("status page URL in %s", log).isTrue();
            final Matcher relay1 = RELAY_1.matcher(log);
            assertThat(relay1.find()).as("relay-1 address in %s", log).isTrue();
            final String page = url.group(1);

            final AtomicReference<String> dom = new AtomicReference<>("");
            awaitPage("/live playing ingest-a's encoder with both paths up and a headroom line each",
                KILL_RELAY_AFTER_SECONDS - 8, chromium, page, dom, html -> LIVE_PLAYING_PRIMARY.matcher(html).find()
                    && "up".equals(pathState(html, 0)) && "up".equals(pathState(html, 1))
                    && headroomPoints(html, 0) > 0 && headroomPoints(html, 1) > 0);
            assertThat(demo.logText()).as("relay-1 still alive while the page showed it up")
                .doesNotContain("killed relay-1");
            assertThat(pathRow(dom.get(), 0)).contains("<td>" + relay1.group(1) + "</td>");
            assertThat(PRIMARY_ROW.matcher(dom.get()).find()).as("encoder row named by its ingest, started as ISO time"
                + " in %s", dom.get()).isTrue();
            assertThat(dom.get()).contains("<svg class=\"headroom-chart\"", "<svg class=\"timeline-chart\"",
                "<svg class=\"buffer-depth\"");
            chromium.screenshot(page, SCREENSHOTS.resolve("all-paths-up.png"));

            await("the demo kills relay-1").atMost(Duration.ofSeconds(KILL_RELAY_AFTER_SECONDS + 10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> demo.logText().contains("killed relay-1 as asked"));
            awaitPage("path 0 (relay-1) down, and marked on the timeline", 30, chromium, page, dom,
                html -> "down".equals(pathState(html, 0)) && PATH_DOWN_MARK.matcher(html).find());
            final String down = pathRow(dom.get(), 0);
            assertThat(down).contains("<td>" + relay1.group(1) + "</td>", "<span class=\"badge down\">DOWN</span>");
            final Matcher problem = PROBLEM.matcher(down);
            assertThat(problem.find()).as("problem text in %s", down).isTrue();
            assertThat(problem.group(1).trim()).isNotEmpty().doesNotContain("no problem reported");
            assertThat(pathState(dom.get(), 1)).as("relay-2 still up").isEqualTo("up");
            assertThat(LIVE_PLAYING_PRIMARY.matcher(dom.get()).find()).as("/live still on its primary").isTrue();
            assertThat(dom.get()).contains("1 of 2 relay paths connected");
            chromium.screenshot(page, SCREENSHOTS.resolve("relay-1-down.png"));

            await("the demo kills studio-a").atMost(Duration.ofSeconds(KILL_ENCODER_AFTER_SECONDS + 10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> demo.logText().contains("killed studio-a as asked"));
            awaitPage("/live on ingest-b's backup encoder with a switch mark", 30, chromium, page, dom,
                html -> LIVE_PLAYING_BACKUP.matcher(html).find() && SWITCH_MARK.matcher(html).find());
            assertThat(PATH_DOWN_MARK.matcher(dom.get()).find()).as("the path-down mark is still shown").isTrue();
            assertThat(headroomPoints(dom.get(), 0)).as("path 0's headroom before relay-1 died").isPositive();
            assertThat(headroomPoints(dom.get(), 1)).as("path 1's headroom").isPositive();

            final Path screenshot = SCREENSHOTS.resolve("relay-1-down-and-switched-to-backup.png");
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

    /**
     * @return the points of path {@code pathId}'s mean headroom lines in the chart.
     */
    private static int headroomPoints(final String dom, final int pathId)
    {
        final Matcher line = Pattern.compile("<polyline class=\"headroom mean\" stroke=\"[^\"]+\" data-path=\""
            + pathId + "\" data-points=\"(\\d+)\"").matcher(dom);
        int points = 0;
        while (line.find())
        {
            points += Integer.parseInt(line.group(1));
        }
        return points;
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
