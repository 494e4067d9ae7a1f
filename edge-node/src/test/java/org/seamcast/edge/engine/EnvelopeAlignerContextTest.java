package org.seamcast.edge.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeAlignerContextTest
{
    @Test
    void shouldSizeTheEnvelopeBufferFromTheWindowLagAndFrameDuration()
    {
        final EnvelopeAlignerContext context = new EnvelopeAlignerContext().conclude();

        assertThat(context.framesPerEncoder()).as("(12 s + 2 x 2 s) / 20 ms + 16").isEqualTo(816);
        assertThat(new EnvelopeAlignerContext().sizingFrameDurationUs(10_000).conclude().framesPerEncoder())
            .isEqualTo(1616);
    }

    @Test
    void shouldNameTheValueAndTheLimitItBreaks()
    {
        assertThatThrownBy(() -> new EnvelopeAlignerContext().maxEncoders(65).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessage("maxEncoders=65 > 64");
        assertThatThrownBy(() -> new EnvelopeAlignerContext().gridStepUs(500).conclude())
            .hasMessage("gridStepUs=500 < 1000");
        assertThatThrownBy(() -> new EnvelopeAlignerContext().windowUs(12_010_000).conclude())
            .hasMessage("windowUs=12010000 is not a multiple of the coarse grid step 20000 (gridStepUs * 4)");
        assertThatThrownBy(() -> new EnvelopeAlignerContext().minOverlapUs(13_000_000).conclude())
            .hasMessage("minOverlapUs=13000000 > 12000000");
        assertThatThrownBy(() -> new EnvelopeAlignerContext().peakExclusionUs(1_500_000).conclude())
            .hasMessage("peakExclusionUs=1500000 > 1000000");
        assertThatThrownBy(() -> new EnvelopeAlignerContext().silenceThresholdDb(3).conclude())
            .hasMessage("silenceThresholdDb=3.0 outside [-120.0, 0.0]");
        assertThatThrownBy(() -> new EnvelopeAlignerContext().minEnvelopeSpreadDb(Double.NaN).conclude())
            .hasMessage("minEnvelopeSpreadDb=NaN outside [0.0, 60.0]");
        assertThatThrownBy(() -> new EnvelopeAlignerContext().windowUs(60_000_000).maxLagUs(10_000_000)
            .sizingFrameDurationUs(2_000).conclude())
            .hasMessage("(windowUs + 2 * maxLagUs) / sizingFrameDurationUs + 16=40016 frames > " +
                "MAX_FRAMES_PER_ENCODER_LIMIT=16384");
    }
}
