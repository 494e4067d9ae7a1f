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
 * Fault suite, scenario 2: relay 2 reaches the edge over UDP, through a link that drops 15 % of the datagrams at
 * random (nftables in the edge's namespace), and the edge asks relay 2 over a repair-only TCP link for what UDP lost.
 * Meanwhile the TCP path, relay 1, is killed and later restored. With one lossy path and retransmits, then two
 * paths again, the listener must hear every frame once.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LossyPathTest
{
    private static final int LOSS_PERCENT = 15;

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
    void shouldRepairALossyUdpPathWhileTheTcpPathIsKilledAndRestored(final ReferenceAudio.Codec codec)
    {
        mesh = FaultMesh.start(workDir, FaultMesh.Settings.of(codec).withRelay2OverUdp(), 120);
        mesh.edgeNamespace().loseUdpTo(mesh.edgeUdpPort(), LOSS_PERCENT);
        mesh.awaitListened(4);

        mesh.relay(0).kill();
        mesh.awaitListened(10);
        mesh.relay(0).restart("listening on");
        mesh.awaitListened(6);

        final RecordingScore.Score score = mesh.finish();
        final String decodeErrors = mesh.decodeErrors(score);
        FailoverReport.row(LOSS_PERCENT + " % loss on the UDP path; TCP path (relay 1) killed, restored", mesh, score,
            "-", mesh.endToEndDelayMs(score), decodeErrors);
        assertThat(mesh.listener().droppedBecause()).as("the Icecast listener's connection").isNull();
        assertThat(score.heardFrames()).as(score.toString()).isGreaterThan(600);
        assertThat(score.missingFrames()).as(score.toString()).isZero();
        assertThat(score.repeatedFrames()).as(score.toString()).isZero();
        assertThat(score.foreignFrames()).as(score.toString()).isZero();
        assertThat(mesh.edgeEventCount("FALLBACK_START")).isZero();
        assertThat(mesh.edgeStatus()).as("retransmits answered the UDP path's losses")
            .containsPattern("\"kind\":\"listening\"");
        assertThat(decodeErrors).isEmpty();
    }
}
