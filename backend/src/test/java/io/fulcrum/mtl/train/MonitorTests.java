package io.fulcrum.mtl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.mtl.metric.TaskMetrics;
import io.fulcrum.mtl.model.TaskType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitorTests {

    private static final Map<String, TaskMetrics> METRICS = Map.of(
            "ctr", new TaskMetrics("ctr", TaskType.BINARY, 10, 0.8, 0.4, 0.1, 0.2),
            "shr", new TaskMetrics("shr", TaskType.BINARY, 10, 0.6, 0.2, 0.1, 0.2),
            "vcr", new TaskMetrics("vcr", TaskType.REGRESSION, 10, Double.NaN, Double.NaN, 0.3, 0.4));

    @Test
    void aucIsTheMeanOverTheBinaryTasksOnlyAndHigherIsBetter() {
        Monitor auc = Monitor.parse("auc");
        assertThat(auc.value(METRICS)).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(auc.improves(0.71, 0.7)).isTrue();
        assertThat(auc.improves(0.69, 0.7)).isFalse();
    }

    @Test
    void lossIsTheMeanOfEachTasksOwnLossAndLowerIsBetter() {
        Monitor loss = Monitor.parse("loss");
        assertThat(loss.value(METRICS)).isCloseTo((0.4 + 0.2 + 0.3) / 3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(loss.improves(0.2, 0.3)).isTrue();
    }

    @Test
    void aucWithoutABinaryTaskAndUnknownExpressionsAreRefused() {
        assertThatThrownBy(() -> Monitor.parse("auc").value(Map.of("vcr", METRICS.get("vcr"))))
                .hasMessageContaining("binary task");
        assertThatThrownBy(() -> Monitor.parse("roc")).hasMessageContaining("'loss', 'auc' or 'task:metric'");
        assertThatThrownBy(() -> Monitor.parse("ctr:f1")).hasMessageContaining("unknown metric 'f1'");
    }

    @Test
    void runsAcceptExactlyTheMonitorsTheTrainerReads() {
        assertThat(List.of("loss", "auc", "ctr:auc", "vcr:mse", "vcr:mae", "ctr:logloss"))
                .allMatch(TrainingConfig::isMonitor);
        assertThat(List.of("ctr", ":auc", "ctr:", "a:b:auc", "ctr:f1", "roc")).noneMatch(TrainingConfig::isMonitor);
    }
}
