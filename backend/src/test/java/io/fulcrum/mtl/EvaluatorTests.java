package io.fulcrum.mtl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.metric.ExpertUtilization;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatorTests {

    @Test
    void unevenBatchesPredictWhatOneBatchDoesRowForRow() {
        // batches of 7 over 30 rows start at 0, 7, …, 28: each must read its own rows' inputs
        MtlDataset data = TestModels.data(30, 2, 4);
        try (MtlModel model = TestModels.model("ple", 2, 3)) {
            float[][] whole = model.predictEncoded(data, 30).values();
            float[][] pieces = model.predictEncoded(data, 7).values();
            for (int k = 0; k < 2; k++) {
                assertThat(pieces[k]).containsExactly(whole[k], offset(1e-6f));
            }
            // and row by row
            for (int row = 0; row < 30; row += 9) {
                MtlDataset one = data.select(new int[] {row});
                assertThat(model.predictEncoded(one, 1).values()[0][0]).isCloseTo(whole[0][row], offset(1e-6f));
            }
        }
    }

    @Test
    void reportsMetricsAndTheUtilizationOfEveryGate() {
        MtlDataset data = TestModels.data(200, 2, 4);
        try (MtlModel model = TestModels.model("ple", 2, 1)) {
            Evaluator.Evaluation eval = Evaluator.evaluate(model, data, 64, true);
            assertThat(eval.tasks()).containsOnlyKeys("t0", "t1");
            assertThat(eval.tasks().get("t0").samples()).isEqualTo(200);
            assertThat(eval.tasks().get("t0").auc()).isBetween(0.0, 1.0);
            List<String> gates = eval.gates().stream()
                    .map(ExpertUtilization.GateUtilization::gate)
                    .toList();
            assertThat(gates)
                    .containsExactly(
                            "level1/shared", "level1/task:t0", "level1/task:t1", "level2/task:t0", "level2/task:t1");
            for (ExpertUtilization.GateUtilization g : eval.gates()) {
                assertThat(Arrays.stream(g.mean()).sum()).isCloseTo(1.0, offset(1e-5));
                assertThat(Arrays.stream(g.std()).min().orElseThrow()).isNotNegative();
            }
            assertThat(eval.gates().get(1).experts()).containsExactly("t0#0", "shared#0", "shared#1");
        }
    }

    @Test
    void metricsSkipSamplesOutsideATasksSpace() {
        MtlDataset full = TestModels.data(100, 2, 4);
        float[] mask = new float[200];
        for (int i = 0; i < 100; i++) {
            mask[i * 2] = 1;
            mask[i * 2 + 1] = i < 30 ? 1 : 0; // task t1 only exists for the first 30 samples
        }
        MtlDataset masked = new MtlDataset(
                100, 6, full.dense(), 1, full.categorical(), 2, full.labels().clone(), mask);
        try (MtlModel model = TestModels.model("mmoe", 2, 1)) {
            Evaluator.Evaluation eval = Evaluator.evaluate(model, masked, 64, false);
            Evaluator.Evaluation first30 = Evaluator.evaluate(model, full.slice(0, 30), 64, false);
            assertThat(eval.tasks().get("t1").samples()).isEqualTo(30);
            assertThat(eval.tasks().get("t1").mse())
                    .isCloseTo(first30.tasks().get("t1").mse(), offset(1e-9));
        }
    }
}
