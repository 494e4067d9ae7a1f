package org.seamcast.it.fault;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.seamcast.it.support.RecordingScore;
import org.seamcast.it.support.ReferenceAudio;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault suite, scenario 8: the encoders as stations run them. Encoders behind an Icecast that the ingests pull
 * from (Icecast's connect burst must not make a single frame future-stamped); two different encoders of one studio
 * (no byte in common, the backup 300 ms late: aligned by loudness, switched within a frame, MP3 switches bridged);
 * a backup later than the playout delay allows (it still plays); and dead air (the primary's feed goes silent while
 * it stays connected).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class EncoderShapesTest
{
    private static final Pattern BACKUP_OFFSETS =
        Pattern.compile("\\{\"id\":2,[^}]*?\"offsetUs\":(-?\\d+),\"rawOffsetUs\":(-?\\d+)");
    private static final Pattern DROPPED_FUTURE =
        Pattern.compile("seamcast_edge_events_total\\{[^}]*event=\"dropped_future\"[^}]*} (\\d+)");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;

    private FaultMesh mesh;

    @AfterEach
    void stop()
    {
        if (mesh != null)
        {
            mesh.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ReferenceAudio.Codec.class)
    void shouldPlayEncodersBehindAnIcecastFromTheFirstSecondsWithNoFrameFromTheFuture(final ReferenceAudio.Codec codec)
    {
        mesh = FaultMesh.start(workDir, FaultMesh.Settings.of(codec).withEncodersBehindIcecast(), 120);
        mesh.awaitListened(8);
        final long killedMs = System.currentTimeMillis();
        mesh.killEncoder(0);
        mesh.awaitEdgeEvents("SWITCH", 1, Duration.ofSeconds(30));
        mesh.awaitListened(5);

        final RecordingScore.Score score = mesh.finish();
        final String decodeErrors = mesh.decodeErrors(score);
        FailoverReport.row("encoders behind Icecast, ingests pulling; primary encoder killed", mesh, score,
            mesh.msUntilEdgeEvent(killedMs, "SWITCH") + " ms", mesh.endToEndDelayMs(score), decodeErrors);
        assertThat(mesh.listener().droppedBecause()).as("the Icecast listener's connection").isNull();
        assertThat(droppedFuture(mesh.edgeMetrics())).as("frames the edge found stamped in the future").isZero();
        assertThat(score.frames().get(0).isForeign()).as("the listener hears encoder audio from the start: %s",
            score).isFalse();
        assertThat(score.missingFrames()).as(score.toString()).isZero();
        assertThat(score.repeatedFrames()).as(score.toString()).isZero();
        assertThat(score.foreignFrames()).as(score.toString()).isZero();
        assertThat(decodeErrors).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ReferenceAudio.Codec.class)
    void shouldSwitchBetweenEncodersThatShareNoByteWithinOneFrameEachWay(final ReferenceAudio.Codec codec)
    {
        mesh = FaultMesh.start(workDir, FaultMesh.Settings.of(codec).backup(96, 300), 150);
        mesh.awaitEdgeStatus("the backup aligned by loudness", "\"offsetSource\":\"envelope\"", Duration.ofSeconds(40));
        mesh.awaitListened(2);

        final long killedMs = System.currentTimeMillis();
        mesh.killEncoder(0);
        mesh.awaitEdgeEvents("SWITCH", 1, Duration.ofSeconds(20));
        mesh.awaitListened(3);
        mesh.startEncoder(0);
        mesh.awaitEdgeEvents("SWITCH_BACK", 1, Duration.ofSeconds(60));
        mesh.awaitListened(3);
        mesh.killEncoder(1);
        mesh.awaitListened(4);

        final RecordingScore.Score score = mesh.finish();
        final String decodeErrors = mesh.decodeErrors(score);
        FailoverReport.row("different encoders (128k / 96k), backup 300 ms late; primary killed, restarted;"
            + " backup killed", mesh, score, mesh.msUntilEdgeEvent(killedMs, "SWITCH") + " ms",
            mesh.endToEndDelayMs(score), decodeErrors);
        assertThat(mesh.listener().droppedBecause()).as("the Icecast listener's connection").isNull();
        assertThat(mesh.edgeEventCount("FALLBACK_START")).isZero();
        assertThat(score.switches()).as(score.toString()).isEqualTo(2);
        assertThat(score.missingFrames() + score.repeatedFrames()).as("at most one per switch: %s", score)
            .isLessThanOrEqualTo(2);
        assertThat(score.foreignFrames()).as("bridge frames, at most a short chain per MP3 switch: %s", score)
            .isLessThanOrEqualTo(codec == ReferenceAudio.Codec.MP3 ? 8 : 0);
        assertThat(mesh.readsAnotherEncodersBytes(score)).as("frames whose main data is another encoder's").isZero();
        assertThat(decodeErrors).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ReferenceAudio.Codec.class)
    void shouldPlayABackupLaterThanThePlayoutDelayAllowsWhenThePrimaryDies(final ReferenceAudio.Codec codec)
    {
        final long lagMs = 2_500;
        mesh = FaultMesh.start(workDir, FaultMesh.Settings.of(codec).backup(128, lagMs), 150);
        mesh.awaitEdgeStatus("the backup's offset capped", "\"offsetCapped\":true", Duration.ofSeconds(30));
        mesh.awaitListened(2);
        final Matcher offsets = BACKUP_OFFSETS.matcher(mesh.edgeStatus());
        assertThat(offsets.find()).as(mesh.edgeStatus()).isTrue();
        final long uncoveredUs = Long.parseLong(offsets.group(1)) - Long.parseLong(offsets.group(2));

        final long killedMs = System.currentTimeMillis();
        mesh.killEncoder(0);
        mesh.awaitEdgeEvents("SWITCH", 1, Duration.ofSeconds(20));
        mesh.awaitListened(5);

        final RecordingScore.Score score = mesh.finish();
        final String decodeErrors = mesh.decodeErrors(score);
        FailoverReport.row("backup 2.5 s late, D = 2 s; primary killed", mesh, score,
            mesh.msUntilEdgeEvent(killedMs, "SWITCH") + " ms", mesh.endToEndDelayMs(score), decodeErrors);
        assertThat(mesh.listener().droppedBecause()).as("the Icecast listener's connection").isNull();
        assertThat(mesh.edgeEventCount("FALLBACK_START")).as("the backup plays, no silence").isZero();
        assertThat(mesh.edge().logText()).contains("raise --playout-delay-ms to >=");
        assertThat(score.missingFrames()).as(score.toString()).isZero();
        // what the cap could not cover (the offset in use minus the lag learned, as the edge reported them before
        // the kill) is heard twice, nothing more: within a frame either way
        final long frameUs = (long)(mesh.references().get(0).frameDurationSeconds() * 1_000_000);
        // the lag the edge learned is the encoders' real one: the nominal 2.5 s less the difference between the two
        // ffmpeg start-ups (the first one, on a cold cache, is a few hundred ms slower), so the edge's figures count
        assertThat(uncoveredUs).as("the part of the lag D cannot cover").isPositive();
        assertThat(score.repeatedFrames() * frameUs).as(score.toString())
            .isBetween(uncoveredUs - frameUs, uncoveredUs + frameUs);
        // the jump back in the programme is a switch for the reservoir: one bridge frame for MP3
        assertThat(score.foreignFrames()).as(score.toString())
            .isLessThanOrEqualTo(codec == ReferenceAudio.Codec.MP3 ? 1 : 0);
        assertThat(decodeErrors).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ReferenceAudio.Codec.class)
    void shouldTakeTheBackupWhenThePrimarysFeedGoesSilentWhileItStaysConnected(final ReferenceAudio.Codec codec)
    {
        final int deadAirSeconds = 4;
        mesh = FaultMesh.start(workDir, FaultMesh.Settings.of(codec).withPrimarySilent(35, 60, deadAirSeconds), 120);
        mesh.awaitEdgeEvents("DEAD_AIR", 1, Duration.ofSeconds(60));
        mesh.awaitEdgeEvents("SWITCH_BACK", 1, Duration.ofSeconds(60));
        mesh.awaitListened(3);

        final RecordingScore.Score score = mesh.finish();
        final String decodeErrors = mesh.decodeErrors(score);
        FailoverReport.row("dead air: primary's feed silent for 25 s while connected", mesh, score,
            "DEAD_AIR after " + deadAirSeconds + " s", mesh.endToEndDelayMs(score), decodeErrors);
        assertThat(mesh.listener().droppedBecause()).as("the Icecast listener's connection").isNull();
        assertThat(mesh.edgeEventCount("DEAD_AIR")).isEqualTo(1);
        assertThat(mesh.edge().logText()).contains("DEAD_AIR mount=/live encoder=1");
        assertThat(mesh.edgeEventCount("FALLBACK_START")).isZero();
        // the silence heard before the switch: the dead-air time less D (the switch lands on the slot D before
        // the frame that made the silence long enough), within a second
        final int silentHeard = mesh.silentFramesHeardFromPrimary(score);
        final long frameMs = (long)(mesh.references().get(0).frameDurationSeconds() * 1000);
        final long expectedMs = deadAirSeconds * 1000L - mesh.settings().playoutDelayMs();
        assertThat(silentHeard * frameMs).as(score.toString()).isBetween(expectedMs - 1_000, expectedMs + 1_000);
        assertThat(score.missingFrames() + score.repeatedFrames()).as(score.toString()).isLessThanOrEqualTo(2);
        assertThat(decodeErrors).isEmpty();
    }

    private static long droppedFuture(final String metrics)
    {
        long total = 0;
        final Matcher matcher = DROPPED_FUTURE.matcher(metrics);
        while (matcher.find())
        {
            total += Long.parseLong(matcher.group(1));
        }
        return total;
    }
}
