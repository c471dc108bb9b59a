package io.fulcrum.mtl.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fulcrum.mtl.model.TaskType;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskedJointLossTest {

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
}
