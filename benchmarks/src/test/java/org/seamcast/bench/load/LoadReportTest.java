package org.seamcast.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LoadReportTest
{
    @Test
    void shouldWriteJsonThatParsesWithNullForWhatWasNotMeasured() throws Exception
    {
        final LoadReport.Counts counts = new LoadReport.Counts(new long[2], new long[2], new long[] {3, 0}, 0, 0, 0, 0,
            0, 0, 0, Map.of());
        final LoadReport.Figures whole = new LoadReport.Figures(2_000_000_000L, new long[6], 1_000_000_000L, counts);
        final LoadReport.Result result = new LoadReport.Result(LoadOptions.parse(new String[0]),
            "0.50 \"0.40\" 0.30", "1.00\t0.90 0.80", whole, List.of(whole), 123_456, 7_500_000, Map.of());

        final JsonNode json = new ObjectMapper().readTree(result.json());

        assertThat(json.get("loadAverageBefore").asText()).isEqualTo("0.50 \"0.40\" 0.30");
        assertThat(json.get("verdict").asText()).isEqualTo(result.verdict());
        assertThat(json.get("windowSeconds").decimalValue()).isEqualByComparingTo("2.0000");
        assertThat(json.get("processVcpu").decimalValue()).isEqualByComparingTo("0.5000");
        assertThat(json.get("sendMeanLateMs").isNull()).as("no frame sent").isTrue();
        assertThat(json.get("sendMaxLateMs").decimalValue()).isEqualByComparingTo("7.5");
        assertThat(json.get("edgeHeapBytes").asLong()).isEqualTo(123_456);
        assertThat(json.get("slices").asInt()).isEqualTo(1);
    }
}
