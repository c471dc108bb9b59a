package io.fulcrum.mtl;

import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.data.PreprocessingState;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.model.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small specs and data shared by the engine tests. */
public final class TestModels {

    private TestModels() {}

    public static ModelSpec spec(String architecture, int tasks) {
        List<ModelSpec.TaskSpec> taskSpecs = new ArrayList<>();
        boolean funnel = architecture.equals("esmm") || architecture.equals("aitm");
        for (int k = 0; k < tasks; k++) {
            // the funnel architectures need binary steps, each after the one before
            taskSpecs.add(
                    funnel
                            ? new ModelSpec.TaskSpec("t" + k, TaskType.BINARY, k == 0 ? null : "t" + (k - 1))
                            : new ModelSpec.TaskSpec("t" + k, k % 2 == 0 ? TaskType.BINARY : TaskType.REGRESSION));
        }
        return new ModelSpec(
                architecture,
                new ModelSpec.Inputs(
                        List.of("a", "b", "c", "d", "e", "f"), List.of(new ModelSpec.CategoricalFeature("city", 5, 3))),
                taskSpecs,
                new ModelSpec.Experts(2, 1, List.of(8)),
                List.of(8),
                List.of(8, 4),
                2,
                true,
                "relu",
                0.0,
                2);
    }

    /** Random encoded rows matching {@link #spec}: 6 dense, 1 categorical index in [0, 5]. */
    public static MtlDataset data(int rows, int tasks, long seed) {
        Random r = new Random(seed);
        float[] dense = new float[rows * 6];
        long[] cat = new long[rows];
        float[] labels = new float[rows * tasks];
        for (int i = 0; i < rows; i++) {
            double signal = 0;
            for (int j = 0; j < 6; j++) {
                dense[i * 6 + j] = (float) r.nextGaussian();
                signal += dense[i * 6 + j] * (j % 3 - 1);
            }
            cat[i] = r.nextInt(6);
            for (int k = 0; k < tasks; k++) {
                labels[i * tasks + k] = k % 2 == 0
                        ? (signal + 0.5 * r.nextGaussian() > 0 ? 1f : 0f)
                        : (float) (signal * 0.5 + 0.1 * r.nextGaussian());
            }
        }
        return new MtlDataset(rows, 6, dense, 1, cat, tasks, labels, null);
    }

    public static MtlModel model(String architecture, int tasks, long seed) {
        ModelSpec spec = spec(architecture, tasks);
        return MtlModel.create(spec, PreprocessingState.identity(spec.inputs()), seed);
    }
}
