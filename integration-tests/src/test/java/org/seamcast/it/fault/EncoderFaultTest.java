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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault suite, scenario 3: kill -9 of the primary encoder (the edge fails over to the backup at the first missed
 * deadline), its restart (the edge switches back once it has been continuous for the hold time), then kill -9 of
 * the backup. The encoders are byte-identical, so every switch is exact: no frame missing or heard twice.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class EncoderFaultTest
{
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
    void shouldFailOverAndBackWithoutMissingOrRepeatingAFrame(final ReferenceAudio.Codec codec)
    {
        mesh = FaultMesh.start(workDir, FaultMesh.Settings.of(codec), 150);
        mesh.awaitListened(4);

        final long killedMs = System.currentTimeMillis();
        mesh.killEncoder(0);
        mesh.awaitEdgeEvents("SWITCH", 1, Duration.ofSeconds(20));
        mesh.awaitListened(3);
        mesh.startEncoder(0);
        mesh.awaitEdgeEvents("SWITCH_BACK", 1, Duration.ofSeconds(60));
        mesh.awaitListened(3);
        mesh.killEncoder(1);
        mesh.awaitListened(5);

        final RecordingScore.Score score = mesh.finish();
        final String decodeErrors = mesh.decodeErrors(score);
        FailoverReport.row("primary encoder killed, restarted; backup killed", mesh, score,
            mesh.msUntilEdgeEvent(killedMs, "SWITCH") + " ms", mesh.endToEndDelayMs(score), decodeErrors);
        assertThat(mesh.listener().droppedBecause()).as("the Icecast listener's connection").isNull();
        assertThat(mesh.edgeEventCount("SWITCH")).isEqualTo(1);
        assertThat(mesh.edgeEventCount("SWITCH_BACK")).isEqualTo(1);
        assertThat(mesh.edgeEventCount("FALLBACK_START")).isZero();
        assertThat(score.heardFrames()).as(score.toString()).isGreaterThan(700);
        assertThat(score.missingFrames()).as(score.toString()).isZero();
        assertThat(score.repeatedFrames()).as(score.toString()).isZero();
        assertThat(score.foreignFrames()).as(score.toString()).isZero();
        assertThat(decodeErrors).isEmpty();
    }
}
