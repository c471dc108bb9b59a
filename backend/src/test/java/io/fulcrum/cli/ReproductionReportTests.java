package io.fulcrum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.mtl.metric.TaskMetrics;
import io.fulcrum.mtl.metric.Tolerance;
import io.fulcrum.mtl.model.TaskType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A funnel's joint row is reported with its own gain and call, but the verdict counts only the tasks. */
class ReproductionReportTests {

    private static TaskMetrics auc(String task, double auc) {
        return new TaskMetrics(task, TaskType.BINARY, 100, auc, 0.5, 0.2, 0.3);
    }

    private static ReproductionReport.Run run(int seed, double ctr, double shr, double joint) {
        Map<String, TaskMetrics> test = new LinkedHashMap<>();
        test.put("ctr", auc("ctr", ctr));
        test.put("shr", auc("shr", shr));
        test.put("shr" + ReproductionReport.JOINT, auc("shr", joint));
        return new ReproductionReport.Run(seed, test, 1000, 1, 1, 1, null);
    }

    @Test
    void theJointRowHasACallThatTheVerdictDoesNotCount() {
        // ctr and shr better on every seed; the joint clearly worse
        Map<String, List<ReproductionReport.Run>> runs = new LinkedHashMap<>();
        runs.put("single", List.of(run(1, 0.70, 0.60, 0.75), run(2, 0.71, 0.61, 0.76), run(3, 0.69, 0.59, 0.74)));
        runs.put("esmm", List.of(run(1, 0.72, 0.62, 0.70), run(2, 0.73, 0.64, 0.70), run(3, 0.71, 0.61, 0.69)));

        ReproductionReport.Row row = SplitsReproduction.rows(
                        Map.of(), List.of("esmm"), List.of("ctr", "shr"), runs, Tolerance.parse("0"))
                .get(0);

        assertThat(row.tasks()).containsOnlyKeys("ctr", "shr", "shr:joint");
        assertThat(row.tasks().get("shr:joint").call().name()).isEqualTo("WORSE");
        assertThat(row.verdict()).isEqualTo("POSITIVE");
    }
}
