package io.fulcrum.mtl.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.fulcrum.mtl.TestModels;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fused extraction level against brief §2 written out expert by expert: each expert's own
 * product on its own input, each gate's softmax, each weighted sum. Uneven counts (3 tasks, 2 experts
 * per task, 3 shared) so that a mixed-up index or layout cannot cancel out.
 */
class ExtractionLevelTests {

    private static final int TASKS = 3;
    private static final int PER_TASK = 2;
    private static final int SHARED = 3;
    private static final int BATCH = 5;
    private static final int IN = 7;

    @ParameterizedTest
    @ValueSource(strings = {"first-level", "first-level-deep-experts", "upper-level", "upper-level-deep-experts"})
    void fusedLevelEqualsTheDefinitionExpertByExpert(String form) {
        boolean upper = form.startsWith("upper");
        List<Integer> units = form.endsWith("deep-experts") ? List.of(6, 4) : List.of(5);
        ModelSpec base = TestModels.spec("ple", TASKS);
        ModelSpec spec = new ModelSpec(
                "ple",
                base.inputs(),
                base.tasks(),
                new ModelSpec.Experts(SHARED, PER_TASK, units),
                base.bottomUnits(),
                base.towerUnits(),
                2,
                true,
                "relu",
                0.0,
                2);
        try (NDManager m = NDManager.newBaseManager(
                ai.djl.engine.Engine.getEngine("PyTorch").getEngineName())) {
            ExtractionLevel level = new ExtractionLevel(upper ? 2 : 1, spec, IN, true);
            level.initialize(m, DataType.FLOAT32, new Shape(BATCH, IN));
            // non-zero biases, so that a bias applied to the wrong expert shows
            for (Pair<String, Parameter> p : level.getParameters()) {
                NDArray a = p.getValue().getArray();
                a.set(m.randomUniform(-0.5f, 0.5f, a.getShape()).toFloatArray());
            }
            m.getEngine().setRandomSeed(3);
            NDArray shared = m.randomNormal(new Shape(BATCH, IN));
            NDArray taskInputs = upper ? m.randomNormal(new Shape(TASKS, BATCH, IN)) : shared;

            ExtractionLevel.Output out = level.apply(new ParameterStore(m, false), taskInputs, shared, false, null);

            int experts = TASKS * PER_TASK + SHARED;
            NDArray[] h = new NDArray[experts];
            for (int e = 0; e < experts; e++) {
                NDArray x = e < TASKS * PER_TASK && upper ? taskInputs.get(e / PER_TASK) : shared;
                for (int layer = 0; layer < units.size(); layer++) {
                    NDArray w = param(level, "experts_weight" + layer).get(e);
                    NDArray b = param(level, "experts_bias" + layer).get(e);
                    x = x.matMul(w).add(b).maximum(0f);
                }
                h[e] = x;
            }
            for (int k = 0; k < TASKS; k++) {
                NDArray selector = upper ? taskInputs.get(k) : shared;
                NDArray g = selector.matMul(param(level, "taskGates_weight").get(k))
                        .add(param(level, "taskGates_bias").get(k))
                        .softmax(-1);
                NDArray expected = m.zeros(h[0].getShape());
                for (int j = 0; j < PER_TASK; j++) {
                    expected = expected.add(h[k * PER_TASK + j].mul(g.get(":, {}:{}", j, j + 1)));
                }
                for (int s = 0; s < SHARED; s++) {
                    expected = expected.add(
                            h[TASKS * PER_TASK + s].mul(g.get(":, {}:{}", PER_TASK + s, PER_TASK + s + 1)));
                }
                assertClose(out.taskOutputs().get(k), expected);
            }
            NDArray g = shared.matMul(param(level, "sharedGate_weight").get(0))
                    .add(param(level, "sharedGate_bias").get(0))
                    .softmax(-1);
            NDArray expected = m.zeros(h[0].getShape());
            for (int e = 0; e < experts; e++) {
                expected = expected.add(h[e].mul(g.get(":, {}:{}", e, e + 1)));
            }
            assertClose(out.sharedOutput(), expected);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void expertsSideBySideEqualTheStackedProduct(int layers) {
        List<Integer> units = layers == 1 ? List.of(5) : List.of(6, 4);
        try (NDManager m = NDManager.newBaseManager(
                ai.djl.engine.Engine.getEngine("PyTorch").getEngineName())) {
            ExpertBank bank = new ExpertBank(4, IN, units, "relu", 0.0);
            bank.initialize(m, DataType.FLOAT32, new Shape(BATCH, IN));
            for (Pair<String, Parameter> p : bank.getParameters()) {
                NDArray a = p.getValue().getArray();
                a.set(m.randomUniform(-0.5f, 0.5f, a.getShape()).toFloatArray());
            }
            NDArray x = m.randomNormal(new Shape(BATCH, IN));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray sideBySide = bank.applySideBySide(ps, x, false); // (B, E, out)
            assertClose(sideBySide, bank.apply(ps, x, false).transpose(1, 0, 2));
            NDArray gates = m.randomUniform(0f, 1f, new Shape(2, BATCH, 4)).softmax(-1);
            NDArray expected = m.zeros(new Shape(2, BATCH, units.get(units.size() - 1)));
            for (int e = 0; e < 4; e++) {
                expected =
                        expected.add(sideBySide.get(":, {}", e).expandDims(0).mul(gates.get(":, :, {}:{}", e, e + 1)));
            }
            assertClose(Gate.mixSharedBatchMajor(gates, sideBySide), expected);
        }
    }

    private static NDArray param(ExtractionLevel level, String name) {
        for (Pair<String, Parameter> p : level.getParameters()) {
            if (p.getKey().endsWith(name)) {
                return p.getValue().getArray();
            }
        }
        throw new AssertionError(
                "no parameter " + name + " in " + level.getParameters().keys());
    }

    private static void assertClose(NDArray actual, NDArray expected) {
        assertThat(actual.getShape()).isEqualTo(expected.getShape());
        assertThat(actual.toFloatArray()).containsExactly(expected.toFloatArray(), Offset.offset(1e-5f));
    }
}
