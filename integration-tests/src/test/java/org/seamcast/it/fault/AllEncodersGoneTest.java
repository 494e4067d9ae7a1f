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
 * Fault suite, scenario 6: every encoder gone for 10 s. The edge plays fallback silence in the stream's format, paced
 * in real time, so Icecast and its listener stay connected, and the encoders' audio plays again when they return.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class AllEncodersGoneTest
{
    private static final long OUTAGE_MS = 10_000;
    private static final Pattern BACKUP_OFFSET = Pattern.compile("\\{\"id\":2,[^}]*?\"offsetUs\":(-?\\d+)");

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
    void shouldKeepTheListenerWithPacedFallbackUntilTheEncodersReturn(final ReferenceAudio.Codec codec)
    {
        mesh = FaultMesh.start(workDir, FaultMesh.Settings.of(codec), 120);
        mesh.awaitListened(4);
        // a backup whose programme runs ahead of the primary's (it started first: up to a second on a loaded host)
        // still has that much audio for the mount when both die, so fallback begins that much later
        final Matcher backupOffset = BACKUP_OFFSET.matcher(mesh.edgeStatus());
        assertThat(backupOffset.find()).as(mesh.edgeStatus()).isTrue();
        final long backupLeadMs = Math.max(0, Long.parseLong(backupOffset.group(1))) / 1000;

        final long goneMs = System.currentTimeMillis();
        mesh.killEncoder(0);
        mesh.killEncoder(1);
        FaultMesh.holdFaultFor(Duration.ofMillis(OUTAGE_MS));
        mesh.startEncoder(1);
        mesh.startEncoder(0);
        mesh.awaitEdgeEvents("FALLBACK_END", 1, Duration.ofSeconds(30));
        mesh.awaitListened(6);

        final RecordingScore.Score score = mesh.finish();
        final String decodeErrors = mesh.decodeErrors(score);
        FailoverReport.row("every encoder gone for 10 s", mesh, score,
            mesh.msUntilEdgeEvent(goneMs, "FALLBACK_START") + " ms to fallback", mesh.endToEndDelayMs(score),
            decodeErrors);
        assertThat(mesh.listener().droppedBecause()).as("the Icecast listener's connection").isNull();
        assertThat(mesh.edgeEventCount("FALLBACK_START")).isEqualTo(1);
        final long frameMs = (long)(mesh.references().get(0).frameDurationSeconds() * 1000);
        // fallback covers the outage and the encoders' restart (process start, ffmpeg's probe), less what a backup
        // ahead of the primary still held, no more
        assertThat(score.foreignFrames() * frameMs).as("%s; backup ahead by %d ms", score, backupLeadMs)
            .isBetween(OUTAGE_MS - 500 - backupLeadMs, OUTAGE_MS + 4_000);
        assertThat(score.missingFrames()).as(score.toString()).isZero();
        assertThat(score.repeatedFrames()).as(score.toString()).isZero();
        assertThat(decodeErrors).isEmpty();
    }
}
