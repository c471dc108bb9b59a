package io.fulcrum.mtl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.TestModels;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.data.PreprocessingState;
import io.fulcrum.mtl.loss.LossWeightSpec;
import io.fulcrum.mtl.loss.MaskedJointLoss;
import io.fulcrum.mtl.model.ModelSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The balanced backward pass on a real model against the definition: each task's gradient computed
 * by a backward pass of its own, the method applied to them written out on the vectors, the towers
 * keeping their own task's gradient.
 */
class GradientBalancingTests {

    private static final MtlDataset DATA = TestModels.data(64, 2, 3);

    private static MtlModel model(String architecture) {
        ModelSpec spec = TestModels.spec(architecture, 2);
        return MtlModel.create(spec, PreprocessingState.identity(spec.inputs()), 11);
    }

    /** The (K) task losses of one training-mode forward pass over DATA, in the step's scope. */
    private static NDArray losses(MtlModel model, NDManager m) {
        NDList out = model.forward(model.inputs(m, DATA.dense(), DATA.categorical(), 64), true)
                .outputs();
        return new MaskedJointLoss(model.spec().taskTypes())
                .taskLosses(out, m.create(DATA.labels(), new Shape(64, 2)), m.create(DATA.mask(), new Shape(64, 2)));
    }

    private static Map<String, float[]> gradients(MtlModel model) {
        Map<String, float[]> g = new LinkedHashMap<>();
        for (var p : model.namedParameters()) {
            if (p.getValue().requiresGradient()) {
                NDArray grad = p.getValue().getArray().getGradient();
                g.put(p.getKey(), grad.toFloatArray());
                grad.close();
            }
        }
        return g;
    }

    /** Each task's gradient alone, by its own backward pass (the second read as the difference). */
    private static List<Map<String, float[]>> perTask(String architecture) {
        List<Map<String, float[]>> result = new ArrayList<>();
        try (MtlModel model = model(architecture)) {
            Map<String, float[]> before = null;
            for (int t = 0; t < 2; t++) {
                try (NDManager m = model.manager().newSubManager();
                        NDManager scope = model.openScope(m, List.of());
                        GradientCollector gc = Engine.getEngine(MtlModel.ENGINE).newGradientCollector()) {
                    gc.backward(losses(model, m).get(t));
                }
                Map<String, float[]> now = gradients(model);
                Map<String, float[]> own = new LinkedHashMap<>();
                for (var e : now.entrySet()) {
                    float[] v = e.getValue().clone();
                    if (before != null) {
                        float[] b = before.get(e.getKey());
                        for (int i = 0; i < v.length; i++) {
                            v[i] -= b[i];
                        }
                    }
                    own.put(e.getKey(), v);
                }
                result.add(own);
                before = now;
            }
        }
        return result;
    }

    private static Map<String, float[]> balanced(String architecture, GradientBalancing method, float[] weights) {
        try (MtlModel model = model(architecture)) {
            List<String> shared = model.block().sharedParameterNames();
            GradientBalancer balancer = new GradientBalancer(method, model, shared, 5);
            try (NDManager m = model.manager().newSubManager();
                    NDManager scope = model.openScope(m, List.of());
                    GradientCollector gc = Engine.getEngine(MtlModel.ENGINE).newGradientCollector()) {
                balancer.backward(losses(model, m), weights, null, 0);
            }
            return gradients(model);
        }
    }

    private static double[] flat(Map<String, float[]> g, List<String> names, double scale) {
        int size = names.stream().mapToInt(n -> g.get(n).length).sum();
        double[] out = new double[size];
        int i = 0;
        for (String n : names) {
            for (float v : g.get(n)) {
                out[i++] = v * scale;
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"pcgrad", "cagrad"})
    void sharedGradientIsTheMethodAppliedToEachTasksOwnGradient(String method) {
        String architecture = "ple";
        List<String> shared;
        List<String> towers = new ArrayList<>();
        try (MtlModel model = model(architecture)) {
            shared = model.block().sharedParameterNames().stream()
                    .filter(n -> model.namedParameters().stream()
                            .anyMatch(p -> p.getKey().equals(n) && p.getValue().requiresGradient()))
                    .toList();
            model.namedParameters().stream()
                    .map(p -> p.getKey())
                    .filter(n -> !shared.contains(n))
                    .forEach(towers::add);
        }
        assertThat(towers).isNotEmpty().allMatch(n -> n.contains("tower_"));
        float[] weights = {0.7f, 1.3f};
        List<Map<String, float[]>> own = perTask(architecture);
        Map<String, float[]> result = balanced(architecture, GradientBalancing.of(method), weights);

        double[][] g = {flat(own.get(0), shared, weights[0]), flat(own.get(1), shared, weights[1])};
        double[][] gram = new double[2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int p = 0; p < g[i].length; p++) {
                    gram[i][j] += g[i][p] * g[j][p];
                }
            }
        }
        // with two tasks PCGrad's order does not matter
        double[] a = method.equals("pcgrad")
                ? BalancingRules.pcgrad(gram, new Random(0))
                : BalancingRules.cagrad(gram, GradientBalancing.DEFAULT_C);
        double[] expected = new double[g[0].length];
        for (int p = 0; p < expected.length; p++) {
            expected[p] = a[0] * g[0][p] + a[1] * g[1][p];
        }
        double[] actual = flat(result, shared, 1);
        double scale = java.util.Arrays.stream(expected).map(Math::abs).max().orElse(1);
        assertThat(actual).containsExactly(expected, Offset.offset(1e-4 * scale));
        // the conflict the method acts on is real in this model: the plain sum differs
        assertThat(gram[0][1]).isNotZero();
        for (String tower : towers) {
            int task = tower.contains("tower_t0") ? 0 : 1;
            double[] mine = flat(own.get(task), List.of(tower), weights[task]);
            assertThat(flat(result, List.of(tower), 1)).as(tower).containsExactly(mine, Offset.offset(1e-5));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gradnorm", "pcgrad", "cagrad"})
    void everyMethodTrainsAModel(String method) {
        ModelSpec spec = TestModels.spec("mmoe", 2);
        List<TrainingProgress> epochs = new ArrayList<>();
        try (MtlModel model = MtlModel.create(spec, PreprocessingState.identity(spec.inputs()), 2)) {
            TrainingResult result = new MtlTrainer(
                            TrainingConfig.defaults()
                                    .withEpochs(4)
                                    .withBatchSize(32)
                                    .withLearningRate(0.01)
                                    .withBalancing(GradientBalancing.of(method)),
                            p -> {
                                if (p.kind() == TrainingProgress.Kind.EPOCH) {
                                    epochs.add(p);
                                }
                            },
                            null)
                    .fit(model, TestModels.data(512, 2, 9), null);
            assertThat(result.status()).isEqualTo(TrainingResult.Status.COMPLETED);
        }
        double[] first = epochs.get(0).taskLosses();
        double[] last = epochs.get(3).taskLosses();
        assertThat(last[0] + last[1]).isLessThan(first[0] + first[1]);
        float[] weights = epochs.get(3).weights();
        assertThat(weights[0] + weights[1]).isCloseTo(2f, Offset.offset(1e-4f));
        if (method.equals("gradnorm")) {
            assertThat(weights[0]).as("GradNorm moved the weights").isNotCloseTo(1f, Offset.offset(1e-3f));
        }
    }

    @Test
    void balancingIsRefusedWhereNothingIsSharedOrTheScheduleLearnsItsOwnWeights() {
        MtlDataset data = TestModels.data(64, 2, 1);
        try (MtlModel single = model("single")) {
            assertThatThrownBy(() -> new MtlTrainer(
                                    TrainingConfig.defaults().withBalancing(GradientBalancing.of("pcgrad")), null, null)
                            .fit(single, data, null))
                    .hasMessageContaining("balancing: pcgrad needs tasks that share parameters");
        }
        try (MtlModel ple = model("ple")) {
            assertThatThrownBy(() -> new MtlTrainer(
                                    TrainingConfig.defaults()
                                            .withLossWeights(new LossWeightSpec.Uncertainty(0f))
                                            .withBalancing(GradientBalancing.of("cagrad")),
                                    null,
                                    null)
                            .fit(ple, data, null))
                    .hasMessageContaining("uncertainty");
        }
        assertThat(new GradientBalancing("adam", null, 1.0, null).validate())
                .containsExactly(
                        "balancing.method: unknown 'adam' (one of none, gradnorm, pcgrad, cagrad)",
                        "balancing.c: must be in [0, 1), got 1.0");
    }

    @Test
    void funnelBlocksShareWhatTheFunnelSends() {
        try (MtlModel esmm = model("esmm");
                MtlModel aitm = model("aitm")) {
            // ESMM: the CTCVR loss reaches the ctr network, so only the cvr network is owned
            assertThat(esmm.block().sharedParameterNames())
                    .anyMatch(n -> n.contains("tower_t0"))
                    .noneMatch(n -> n.contains("tower_t1") || n.contains("bottom_t1"));
            // AITM: step 0's tower feeds step 1's attention; the outputs are each step's own
            assertThat(aitm.block().sharedParameterNames())
                    .anyMatch(n -> n.contains("tower_t0"))
                    .noneMatch(n -> n.contains("output_") || n.contains("tower_t1"));
        }
    }
}
