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
 * Fault suite, scenario 5: both relays unreachable from the edge (nftables drops everything they send into the
 * edge's namespace; they keep receiving from the ingests), then reachable again. Shorter than the playout delay D,
 * the gap is recovered (TCP retransmission, resume, retransmit requests) and nothing is lost; longer than D,
 * fallback plays while nothing can arrive, the listener stays connected and the audio comes back by itself.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PartitionTest
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
    void shouldLoseNothingWhenBothRelaysAreUnreachableForLessThanThePlayoutDelay(final ReferenceAudio.Codec codec)
    {
        mesh = FaultMesh.start(workDir, FaultMesh.Settings.of(codec), 120);
        mesh.awaitListened(4);

        cutBothRelaysFor(Duration.ofMillis(mesh.settings().playoutDelayMs() / 2));
        mesh.awaitListened(6);
        cutBothRelaysFor(Duration.ofMillis(mesh.settings().playoutDelayMs() / 2));
        mesh.awaitListened(6);

        final RecordingScore.Score score = mesh.finish();
        final String decodeErrors = mesh.decodeErrors(score);
        FailoverReport.row("both relays unreachable for D/2, twice", mesh, score, "-", mesh.endToEndDelayMs(score),
            decodeErrors);
        assertThat(mesh.listener().droppedBecause()).as("the Icecast listener's connection").isNull();
        assertThat(score.heardFrames()).as(score.toString()).isGreaterThan(600);
        assertThat(score.missingFrames()).as(score.toString()).isZero();
        assertThat(score.repeatedFrames()).as(score.toString()).isZero();
        assertThat(score.foreignFrames()).as(score.toString()).isZero();
        assertThat(mesh.edgeEventCount("FALLBACK_START")).isZero();
        assertThat(decodeErrors).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ReferenceAudio.Codec.class)
    void shouldPlayFallbackAndComeBackBySelfWhenBothRelaysAreUnreachableForLongerThanThePlayoutDelay(
        final ReferenceAudio.Codec codec)
    {
        mesh = FaultMesh.start(workDir, FaultMesh.Settings.of(codec), 120);
        mesh.awaitListened(4);

        final long cutMs = System.currentTimeMillis();
        cutBothRelaysFor(Duration.ofMillis(mesh.settings().playoutDelayMs() * 3));
        mesh.awaitEdgeEvents("FALLBACK_END", 1, Duration.ofSeconds(30));
        mesh.awaitListened(6);

        final RecordingScore.Score score = mesh.finish();
        final String decodeErrors = mesh.decodeErrors(score);
        FailoverReport.row("both relays unreachable for 3 D", mesh, score,
            mesh.msUntilEdgeEvent(cutMs, "FALLBACK_START") + " ms to fallback", mesh.endToEndDelayMs(score),
            decodeErrors);
        assertThat(mesh.listener().droppedBecause()).as("the Icecast listener's connection").isNull();
        assertThat(mesh.edgeEventCount("FALLBACK_START")).isEqualTo(1);
        // fallback fills the time nothing could arrive (3 D minus the D the buffer covered), within a second
        final long frameMs = (long)(mesh.references().get(0).frameDurationSeconds() * 1000);
        assertThat(score.foreignFrames() * frameMs).as(score.toString())
            .isBetween(2 * mesh.settings().playoutDelayMs() - 1_000, 2 * mesh.settings().playoutDelayMs() + 2_500);
        assertThat(score.missingFrames()).as(score.toString()).isZero();
        assertThat(score.repeatedFrames()).as(score.toString()).isZero();
        // the encoders never stopped: the first frame after fallback is where the grid says, within one frame
        assertThat(score.acrossFallback()).as(score.toString()).isLessThanOrEqualTo(1);
        assertThat(decodeErrors).isEmpty();
    }

    private void cutBothRelaysFor(final Duration outage)
    {
        mesh.edgeNamespace().cutFrom(mesh.relayPort(0));
        mesh.edgeNamespace().cutFrom(mesh.relayPort(1));
        FaultMesh.holdFaultFor(outage);
        mesh.edgeNamespace().heal();
    }
}
