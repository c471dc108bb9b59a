package io.fulcrum.experiment;

import static io.fulcrum.experiment.ExperimentFixtures.QUICK;
import static io.fulcrum.experiment.ExperimentFixtures.SMALL_MMOE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.FulcrumSpringTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

@FulcrumSpringTest
class MetricStoreTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MetricStore metrics;

    long runId;

    @BeforeEach
    void run() {
        ExperimentFixtures fx = new ExperimentFixtures(mvc);
        // a run no worker can take, so only this test writes its points
        runId = fx.create("/api/runs", fx.run(SMALL_MMOE, QUICK, """
                "resources": {"workerLabels": ["%s"]}""".formatted(ExperimentFixtures.unique("nobody"))));
    }

    List<MetricPoint> losses(int from, int to, double offset) {
        List<MetricPoint> points = new ArrayList<>();
        for (int step = from; step <= to; step++) {
            points.add(new MetricPoint(runId, "train", "loss", "y1", step, 1 + step / 100, step + offset));
        }
        return points;
    }

    int stored() {
        return jdbc.queryForObject("SELECT count(*) FROM run_metric WHERE run_id = ?", Integer.class, runId);
    }

    @Test
    void writingAPointAgainReplacesItInsteadOfAddingOne() {
        metrics.write(losses(1, 300, 0));
        metrics.write(losses(201, 400, 0.5)); // a resumed attempt repeats steps 201..300

        assertThat(stored()).isEqualTo(400);
        MetricSeries series = metrics.query(runId, "train", "loss", "y1", 0, Long.MAX_VALUE, 1000)
                .get(0);
        assertThat(series.points())
                .extracting(MetricSeries.Point::step)
                .doesNotHaveDuplicates()
                .hasSize(400);
        assertThat(series.points().get(249).value()).isEqualTo(250.5);
        assertThat(series.points().get(99).value()).isEqualTo(100.0);
    }

    @Test
    void downsamplesLongSeriesIntoBucketsWithTheirRange() {
        metrics.write(losses(1, 100_000, 0));

        MetricSeries series = metrics.query(runId, "train", "loss", "y1", 0, Long.MAX_VALUE, 500)
                .get(0);

        assertThat(series.total()).isEqualTo(100_000);
        assertThat(series.downsampled()).isTrue();
        assertThat(series.points()).hasSize(500);
        MetricSeries.Point first = series.points().get(0);
        // 100,000 steps in 500 equal buckets: the first holds steps 1..200, mean 100.5
        assertThat(first.min()).isEqualTo(1.0);
        assertThat(first.max()).isEqualTo(200.0);
        assertThat(first.value()).isEqualTo(100.5);
        assertThat(first.step()).isEqualTo(200);
        assertThat(series.points().get(499).step()).isEqualTo(100_000);
    }

    @Test
    void filtersByStepRangeAndSkipsNonFiniteValues() {
        List<MetricPoint> points = new ArrayList<>(losses(1, 50, 0));
        points.add(new MetricPoint(runId, "validation", "auc", "y1", 50, 1, Double.NaN));
        metrics.write(points);

        MetricSeries series =
                metrics.query(runId, null, null, null, 10, 19, 1000).get(0);

        assertThat(series.points())
                .extracting(MetricSeries.Point::step)
                .containsExactly(10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L);
        assertThat(series.downsampled()).isFalse();
        assertThat(stored()).isEqualTo(50);
    }
}
