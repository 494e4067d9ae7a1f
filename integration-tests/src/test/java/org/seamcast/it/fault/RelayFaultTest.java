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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault suite, scenario 1: kill -9 of relay 1 while it carries the stream, its restart (the edge resumes from it),
 * then kill -9 of relay 2, so relay 1 alone must be carrying the whole stream again. A relay is a path: the
 * listener must hear every frame exactly once.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RelayFaultTest
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
    void shouldLoseNoFrameWhenARelayIsKilledAndRestartedAndTheOtherKilled(final ReferenceAudio.Codec codec)
    {
        mesh = FaultMesh.start(workDir, FaultMesh.Settings.of(codec), 120);
        mesh.awaitListened(4);

        mesh.relay(0).kill();
        mesh.awaitListened(5);
        mesh.relay(0).restart("listening on");
        mesh.awaitRelayServing(0);
        mesh.awaitListened(3);
        mesh.relay(1).kill();
        mesh.awaitListened(6);

        final RecordingScore.Score score = mesh.finish();
        final String decodeErrors = mesh.decodeErrors(score);
        FailoverReport.row("relay 1 killed, restarted; relay 2 killed", mesh, score, "-",
            mesh.endToEndDelayMs(score), decodeErrors);
        assertThat(mesh.listener().droppedBecause()).as("the Icecast listener's connection").isNull();
        assertThat(score.heardFrames()).as(score.toString()).isGreaterThan(500);
        assertThat(score.missingFrames()).as(score.toString()).isZero();
        assertThat(score.repeatedFrames()).as(score.toString()).isZero();
        assertThat(score.foreignFrames()).as(score.toString()).isZero();
        assertThat(score.switches()).as(score.toString()).isZero();
        assertThat(decodeErrors).isEmpty();
    }
}
