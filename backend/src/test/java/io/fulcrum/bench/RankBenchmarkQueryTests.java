package io.fulcrum.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.FulcrumSpringTest;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code bench rank} is too slow for the suite, but its server-side latency query runs against the
 * real schema here: it once went out with Java in its SQL and failed only after a full benchmark.
 */
@FulcrumSpringTest
class RankBenchmarkQueryTests {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theServerLatencyQueryRunsOnTheRankLog() {
        Map<String, Object> latency =
                RankBenchmark.serverLatency(jdbc, Instant.now().minusSeconds(3600), Instant.now());
        assertThat(latency).containsOnlyKeys("p50", "p99", "max");
    }
}
