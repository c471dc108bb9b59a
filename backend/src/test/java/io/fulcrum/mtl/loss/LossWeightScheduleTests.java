package io.fulcrum.mtl.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDManager;
import io.fulcrum.mtl.Json;
import io.fulcrum.mtl.model.TaskType;
import java.util.List;
import org.junit.jupiter.api.Test;

class LossWeightScheduleTests {

    private static final List<TaskType> TWO = List.of(TaskType.BINARY, TaskType.REGRESSION);

    private static LossWeightSchedule parse(String json, NDManager manager) {
        return Json.MAPPER.readValue(json, LossWeightSpec.class).create(TWO, manager);
    }

    @Test
    void constant() {
        LossWeightSchedule s = parse("{\"type\":\"constant\",\"weights\":[1,0.5]}", null);
        assertThat(s.weights(new TrainingClock(9, 999))).containsExactly(1f, 0.5f);
    }

    @Test
    void paperExponentialDecayInEpochsAndSteps() {
        LossWeightSchedule epochs =
                parse("{\"type\":\"exponential\",\"initial\":[1,2],\"gamma\":[0.5,0.9],\"unit\":\"epoch\"}", null);
        assertThat(epochs.weights(new TrainingClock(0, 50))).containsExactly(1f, 2f);
        assertThat(epochs.weights(new TrainingClock(2, 50))).containsExactly(new float[] {0.25f, 1.62f}, offset(1e-6f));
        LossWeightSchedule steps =
                parse("{\"type\":\"exponential\",\"initial\":[1,1],\"gamma\":[0.5,1],\"unit\":\"step\"}", null);
        assertThat(steps.weights(new TrainingClock(0, 3))).containsExactly(0.125f, 1f);
    }

    @Test
    void linearWarmup() {
        LossWeightSchedule s =
                parse("{\"type\":\"warmup\",\"start\":[0,1],\"target\":[1,0],\"length\":10,\"unit\":\"step\"}", null);
        assertThat(s.weights(new TrainingClock(0, 0))).containsExactly(0f, 1f);
        assertThat(s.weights(new TrainingClock(0, 4))).containsExactly(new float[] {0.4f, 0.6f}, offset(1e-6f));
        assertThat(s.weights(new TrainingClock(0, 25))).containsExactly(1f, 0f);
    }

    @Test
    void piecewiseConstant() {
        LossWeightSchedule s = parse(
                "{\"type\":\"piecewise\",\"boundaries\":[2,5],\"values\":[[1,1],[1,0.5],[0.1,2]],\"unit\":\"epoch\"}",
                null);
        assertThat(s.weights(new TrainingClock(1, 0))).containsExactly(1f, 1f);
        assertThat(s.weights(new TrainingClock(2, 0))).containsExactly(1f, 0.5f);
        assertThat(s.weights(new TrainingClock(4, 0))).containsExactly(1f, 0.5f);
        assertThat(s.weights(new TrainingClock(5, 0))).containsExactly(0.1f, 2f);
    }

    @Test
    void dynamicWeightAverageFavoursTheSlowerTask() {
        LossWeightSchedule s = parse("{\"type\":\"dwa\",\"temperature\":2}", null);
        assertThat(s.weights(new TrainingClock(0, 0))).containsExactly(1f, 1f);
        s.endEpoch(new double[] {1.0, 1.0});
        assertThat(s.weights(new TrainingClock(1, 0))).containsExactly(1f, 1f);
        s.endEpoch(new double[] {0.5, 0.9}); // ratios 0.5 and 0.9
        float[] w = s.weights(new TrainingClock(2, 0));
        double e1 = Math.exp(0.25);
        double e2 = Math.exp(0.45);
        assertThat((double) w[0]).isCloseTo(2 * e1 / (e1 + e2), offset(1e-6));
        assertThat((double) w[1]).isCloseTo(2 * e2 / (e1 + e2), offset(1e-6));
        assertThat(w[1]).isGreaterThan(w[0]);
    }

    @Test
    void uncertaintyWeightingFollowsTheLearnedLogVariances() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            LossWeightSchedule s = parse("{\"type\":\"uncertainty\",\"initialLogVariance\":0.5}", m);
            float[] w = s.weights(new TrainingClock(0, 0));
            assertThat((double) w[0]).isCloseTo(Math.exp(-0.5), offset(1e-6)); // classification: exp(−s)
            assertThat((double) w[1]).isCloseTo(0.5 * Math.exp(-0.5), offset(1e-6)); // regression: exp(−s)/2
            float total = s.combine(m.create(new float[] {2f, 4f}), new TrainingClock(0, 0))
                    .getFloat();
            double expected = Math.exp(-0.5) * 2 + 0.5 * Math.exp(-0.5) * 4 + 0.25 + 0.25;
            assertThat((double) total).isCloseTo(expected, offset(1e-5));
            assertThat(s.trainableArrays()).hasSize(1);
        }
    }

    @Test
    void dynamicWeightAverageResumesFromItsSavedEpochLosses() {
        LossWeightSchedule original = parse("{\"type\":\"dwa\"}", null);
        assertThat(original.state()).isEmpty();
        original.endEpoch(new double[] {1.0, 2.0});
        original.endEpoch(new double[] {0.7, 1.9});
        LossWeightSchedule resumed = parse("{\"type\":\"dwa\"}", null);
        resumed.restoreState(original.state());
        assertThat(resumed.weights(new TrainingClock(2, 0))).containsExactly(original.weights(new TrainingClock(2, 0)));
        original.endEpoch(new double[] {0.6, 1.1});
        resumed.endEpoch(new double[] {0.6, 1.1});
        assertThat(resumed.weights(new TrainingClock(3, 0))).containsExactly(original.weights(new TrainingClock(3, 0)));
    }

    @Test
    void uncertaintyWeightingResumesFromItsSavedLogVariances() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            LossWeightSchedule original = parse("{\"type\":\"uncertainty\"}", m);
            original.trainableArrays().get(0).set(new float[] {0.123456789f, -1.5f});
            LossWeightSchedule resumed = parse("{\"type\":\"uncertainty\"}", m);
            resumed.restoreState(original.state());
            assertThat(resumed.trainableArrays().get(0).toFloatArray()).containsExactly(0.123456789f, -1.5f);
            assertThat(resumed.weights(new TrainingClock(0, 0)))
                    .containsExactly(original.weights(new TrainingClock(0, 0)));
        }
    }

    @Test
    void statelessSchedulesRejectForeignState() {
        LossWeightSchedule s = parse("{\"type\":\"constant\"}", null);
        assertThat(s.state()).isEmpty();
        s.restoreState(java.util.Map.of());
        assertThatThrownBy(() -> s.restoreState(java.util.Map.of("previous", new double[] {1, 1})))
                .hasMessageStartingWith("lossWeights: this schedule keeps no state");
    }

    @Test
    void rejectsPerTaskArraysOfTheWrongLength() {
        assertThatThrownBy(() -> parse("{\"type\":\"constant\",\"weights\":[1,2,3]}", null))
                .hasMessageStartingWith("weights: need one value per task");
    }
}
