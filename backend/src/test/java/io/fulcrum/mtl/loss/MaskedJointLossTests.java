package io.fulcrum.mtl.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.fulcrum.mtl.model.TaskType;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskedJointLossTests {

    private final MaskedJointLoss loss = new MaskedJointLoss(List.of(TaskType.BINARY, TaskType.REGRESSION));

    @Test
    void averagesEachTaskOverItsOwnSampleSpace() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDList outputs = new NDList(m.create(new float[] {2f, -1f, 0f}), m.create(new float[] {1f, 3f, -2f}));
            NDArray labels = m.create(new float[] {1, 0.5f, 0, 2f, 1, 7f}, new Shape(3, 2));
            NDArray mask = m.create(new float[] {1, 1, 1, 0, 0, 1}, new Shape(3, 2));
            float[] l = loss.taskLosses(outputs, labels, mask).toFloatArray();
            double bce1 = Math.log(1 + Math.exp(-2)); // z = 2, y = 1
            double bce2 = Math.log(1 + Math.exp(-1)); // z = −1, y = 0: log(1 + e^z)
            assertThat((double) l[0]).isCloseTo((bce1 + bce2) / 2, offset(1e-6));
            // regression: rows 0 and 2 are in space: (1 − 0.5)² and (−2 − 7)²
            assertThat((double) l[1]).isCloseTo((0.25 + 81) / 2, offset(1e-4));
        }
    }

    @Test
    void aTaskWithAnEmptySampleSpaceContributesExactlyZero() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDList outputs = new NDList(m.create(new float[] {5f, -5f}), m.create(new float[] {1f, 1f}));
            NDArray labels = m.create(new float[] {1, Float.NaN, 0, Float.NaN}, new Shape(2, 2));
            NDArray mask = m.create(new float[] {1, 0, 1, 0}, new Shape(2, 2));
            float[] l = loss.taskLosses(outputs, labels, mask).toFloatArray();
            assertThat(l[1]).isEqualTo(0f);
            assertThat(l[0]).isFinite().isPositive();
            NDArray total = new ConstantWeights(new float[] {1f, 1f})
                    .combine(loss.taskLosses(outputs, labels, mask), new TrainingClock(0, 0));
            assertThat(total.getFloat()).isEqualTo(l[0]);
        }
    }

    @Test
    void weighsEachInSpaceSampleByItsWeight() {
        MaskedJointLoss three = new MaskedJointLoss(List.of(TaskType.BINARY, TaskType.REGRESSION, TaskType.BINARY));
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // rows weigh 0.3 (below the mask's 0.5 threshold, and still counted), 0 (in space, counted as nothing),
            // 2 and 1; the third task has no sample in its space at all
            NDList outputs = new NDList(
                    m.create(new float[] {2f, -1f, 0f, 4f}),
                    m.create(new float[] {1f, 3f, -2f, 0.5f}),
                    m.create(new float[] {1f, 1f, 1f, 1f}));
            NDArray labels = m.create(
                    new float[] {1, 0.5f, Float.NaN, 0, Float.NaN, Float.NaN, 1, 7f, Float.NaN, Float.NaN, 1f, Float.NaN
                    },
                    new Shape(4, 3));
            NDArray mask = m.create(new float[] {1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0}, new Shape(4, 3));
            NDArray weights = m.create(new float[] {0.3f, 0f, 2f, 1f});

            float[] l = three.taskLosses(outputs, labels, mask, weights).toFloatArray();

            double bceRow0 = Math.log(1 + Math.exp(-2)); // z = 2, y = 1
            double bceRow2 = Math.log(2); // z = 0, y = 1
            assertThat((double) l[0]).isCloseTo((0.3 * bceRow0 + 2 * bceRow2) / 2.3, offset(1e-6));
            // rows 0, 2 and 3 in space: (1 − 0.5)², (−2 − 7)², (0.5 − 1)²
            assertThat((double) l[1]).isCloseTo((0.3 * 0.25 + 2 * 81 + 1 * 0.25) / 3.3, offset(1e-4));
            assertThat(l[2]).isEqualTo(0f);
        }
    }

    @Test
    void aZeroWeightSampleAndAnEmptyTaskSendNoGradientAndNoNaN() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray z1 = m.create(new float[] {2f, -1f, 0f});
            NDArray z2 = m.create(new float[] {1f, 3f, -2f});
            z1.setRequiresGradient(true);
            z2.setRequiresGradient(true);
            NDArray labels = m.create(new float[] {1, Float.NaN, 0, Float.NaN, 1, Float.NaN}, new Shape(3, 2));
            NDArray mask = m.create(new float[] {1, 0, 1, 0, 1, 0}, new Shape(3, 2));
            NDArray weights = m.create(new float[] {1f, 0f, 0.25f});
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                collector.backward(loss.taskLosses(new NDList(z1, z2), labels, mask, weights)
                        .sum());
            }
            float[] g1 = z1.getGradient().toFloatArray();
            assertThat(g1[1]).as("the zero-weight sample").isEqualTo(0f);
            assertThat(g1[0]).isNegative(); // y = 1: raise the logit
            assertThat(z2.getGradient().toFloatArray())
                    .as("no sample in the space")
                    .containsOnly(0f);
        }
    }

    @Test
    void weightsOfOneGiveExactlyTheUnweightedLosses() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDList outputs = new NDList(m.create(new float[] {2f, -1f, 0f}), m.create(new float[] {1f, 3f, -2f}));
            NDArray labels = m.create(new float[] {1, 0.5f, 0, 2f, 1, 7f}, new Shape(3, 2));
            NDArray mask = m.create(new float[] {1, 1, 1, 0, 0, 1}, new Shape(3, 2));

            float[] unweighted = loss.taskLosses(outputs, labels, mask).toFloatArray();
            float[] ones =
                    loss.taskLosses(outputs, labels, mask, m.ones(new Shape(3))).toFloatArray();

            assertThat(ones).containsExactly(unweighted);
        }
    }
}
