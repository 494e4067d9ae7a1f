package org.seamcast.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PromQlNamesTest
{
    @Test
    void shouldFindTheMetricsButNotFunctionsLabelsKeywordsOrDurations()
    {
        assertThat(PromQlNames.metricNames("histogram_quantile(0.01, sum by (instance, path, le) "
            + "(rate(seamcast_edge_path_headroom_seconds_bucket{instance=~\"$edge\"}[$__rate_interval]))) < 0.05"))
            .containsExactly("seamcast_edge_path_headroom_seconds_bucket");
        assertThat(PromQlNames.metricNames(
            "process_cpu_usage * on (instance) group_left (node, node_role) seamcast_build_info"))
            .containsExactly("process_cpu_usage", "seamcast_build_info");
        assertThat(PromQlNames.metricNames("seamcast_edge_path_up == 0 or seamcast_link_up == 0"))
            .containsExactly("seamcast_edge_path_up", "seamcast_link_up");
        assertThat(PromQlNames.metricNames("up{job=\"seamcast\"} == 0")).containsExactly("up");
    }

    @Test
    void shouldFindTheLabelsEachSelectorMatchesOn()
    {
        assertThat(PromQlNames.matchedLabels("sum by (reason) (rate(seamcast_link_drops_total{"
            + "reason=~\"mac_mismatch|tls_handshake\", path!=\"x{y}\"}[5m])) > 0 and seamcast_edge_fallback == 1"))
            .isEqualTo(Map.of("seamcast_link_drops_total", Set.of("reason", "path")));
    }
}
