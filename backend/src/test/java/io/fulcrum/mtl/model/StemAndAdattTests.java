package io.fulcrum.mtl.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.fulcrum.mtl.TestModels;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * STEM's and AdaTT's fused levels against methods brief §3 and §4 written out expert by expert, with
 * uneven counts (3 tasks, 2 experts per task, 3 shared) so that a mixed-up index cannot cancel out,
 * STEM's stop-gradient by where the gradient of one task's output goes, and AdaTT by the brief's example.
 */
class StemAndAdattTests {

    private static final int TASKS = 3;
    private static final int PER_TASK = 2;
    private static final int SHARED = 3;
    private static final int BATCH = 5;
    private static final int IN = 7;
    private static final int OUT = 4;

    private static ModelSpec spec(String architecture, int perTask, int shared, int levels) {
        ModelSpec base = TestModels.spec(architecture, TASKS);
        return new ModelSpec(
                architecture,
                base.inputs(),
                base.tasks(),
                new ModelSpec.Experts(shared, perTask, List.of(OUT)),
                base.bottomUnits(),
                base.towerUnits(),
                levels,
                true,
                "relu",
                0.0,
                2);
    }

    private static void randomize(Block block, NDManager m) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            a.set(m.randomUniform(-0.5f, 0.5f, a.getShape()).toFloatArray());
        }
    }

    /** Expert e's single layer, relu(x W_e + b_e), as the brief writes it. */
    private static NDArray expert(Block level, int e, NDArray x) {
        return x.matMul(param(level, "experts_weight0").get(e))
                .add(param(level, "experts_bias0").get(e))
                .maximum(0f);
    }

    @Test
    void stemLevelMixesEveryExpertForEveryTask() {
        try (NDManager m = NDManager.newBaseManager(Engine.getEngine("PyTorch").getEngineName())) {
            StemBlock.Level level = new StemBlock.Level(1, spec("stem", PER_TASK, SHARED, 2), IN, true);
            level.initialize(m, DataType.FLOAT32, new Shape(TASKS, BATCH, IN), new Shape(BATCH, IN));
            randomize(level, m);
            NDArray taskInputs = m.randomNormal(new Shape(TASKS, BATCH, IN));
            NDArray shared = m.randomNormal(new Shape(BATCH, IN));
            // serving mixes in one product, training in two (with and without gradient): the same values
            NDList out = level.apply(new ParameterStore(m, false), taskInputs, shared, false, null);
            NDList trained = level.apply(new ParameterStore(m, false), taskInputs, shared, true, null);
            assertClose(trained.get(0), out.get(0));

            int experts = TASKS * PER_TASK + SHARED;
            NDArray[] h = new NDArray[experts];
            for (int e = 0; e < experts; e++) {
                h[e] = expert(level, e, e < TASKS * PER_TASK ? taskInputs.get(e / PER_TASK) : shared);
            }
            for (int k = 0; k < TASKS; k++) {
                // the gate reads the task's own view plus the shared one, and weighs all experts
                NDArray g = taskInputs
                        .get(k)
                        .add(shared)
                        .matMul(param(level, "taskGates_weight").get(k))
                        .add(param(level, "taskGates_bias").get(k))
                        .softmax(-1);
                assertClose(out.get(0).get(k), mixture(m, h, g));
            }
            NDArray g = shared.matMul(param(level, "sharedGate_weight").get(0))
                    .add(param(level, "sharedGate_bias").get(0))
                    .softmax(-1);
            assertClose(out.get(1), mixture(m, h, g));
        }
    }

    @Test
    void stemSendsATasksGradientOnlyToItsOwnAndTheSharedExperts() {
        try (NDManager m = NDManager.newBaseManager(Engine.getEngine("PyTorch").getEngineName())) {
            StemBlock.Level level = new StemBlock.Level(1, spec("stem", PER_TASK, SHARED, 2), IN, true);
            level.initialize(m, DataType.FLOAT32, new Shape(TASKS, 32, IN), new Shape(32, IN));
            randomize(level, m);
            for (Pair<String, Parameter> p : level.getParameters()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
            NDArray taskInputs = m.randomNormal(new Shape(TASKS, 32, IN));
            NDArray shared = m.randomNormal(new Shape(32, IN));
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDList out = level.apply(new ParameterStore(m, false), taskInputs, shared, true, null);
                gc.backward(out.get(0).get(0).sum()); // task 0's mixture only
            }
            // experts [t0#0, t0#1, t1#0, t1#1, t2#0, t2#1, shared#0..2]
            float[] perExpert = param(level, "experts_weight0")
                    .getGradient()
                    .abs()
                    .sum(new int[] {1, 2})
                    .toFloatArray();
            for (int e = 0; e < perExpert.length; e++) {
                boolean trained = e < PER_TASK || e >= TASKS * PER_TASK;
                if (trained) {
                    assertThat(perExpert[e]).as("expert %d", e).isGreaterThan(0f);
                } else {
                    assertThat(perExpert[e]).as("expert %d", e).isZero();
                }
            }
            // task 0's gate weighs every expert, other tasks' experts included, and keeps its gradient
            float[] perGate = param(level, "taskGates_weight")
                    .getGradient()
                    .abs()
                    .sum(new int[] {1, 2})
                    .toFloatArray();
            assertThat(perGate[0]).isGreaterThan(0f);
            assertThat(perGate[1]).isZero();
            assertThat(perGate[2]).isZero();
        }
    }

    @Test
    void stemEncoderGivesEachTaskItsOwnSliceOfEveryTable() {
        ModelSpec spec = TestModels.spec("stem", 2);
        try (NDManager m = NDManager.newBaseManager(Engine.getEngine("PyTorch").getEngineName())) {
            InputEncoder encoder = new InputEncoder(spec.inputs(), 3);
            encoder.initialize(m, DataType.FLOAT32, new Shape(4, 6), new Shape(4, 1));
            NDArray table = param(encoder, "embedding_city"); // (6, 3 views · 3)
            NDArray dense = m.randomNormal(new Shape(4, 6));
            NDArray ids = m.create(new long[] {0, 5, 2, 2}, new Shape(4, 1));
            NDArray views = encoder.encodeViews(new ParameterStore(m, false), new NDList(dense, ids), false);
            assertThat(views.getShape()).isEqualTo(new Shape(3, 4, 9));
            long[] id = ids.toLongArray();
            for (int v = 0; v < 3; v++) {
                for (int b = 0; b < 4; b++) {
                    NDArray row = views.get(v).get(b);
                    assertThat(row.get("0:6").toFloatArray())
                            .containsExactly(dense.get(b).toFloatArray());
                    assertThat(row.get("6:9").toFloatArray())
                            .containsExactly(table.get(id[b])
                                    .get(v * 3 + ":" + (v * 3 + 3))
                                    .toFloatArray());
                }
            }
        }
    }

    @Test
    void adattFusesAsTheBriefsExample() {
        try (NDManager m = NDManager.newBaseManager(Engine.getEngine("PyTorch").getEngineName())) {
            // one expert per task, no shared ones: the native residual is E_k itself
            ModelSpec spec = new ModelSpec(
                    "adatt",
                    TestModels.spec("adatt", 2).inputs(),
                    TestModels.spec("adatt", 2).tasks(),
                    new ModelSpec.Experts(0, 1, List.of(2)),
                    List.of(8),
                    List.of(8),
                    1,
                    false,
                    "relu",
                    0.0,
                    2);
            AdattBlock.Level level = new AdattBlock.Level(1, spec, IN, false);
            level.initialize(m, DataType.FLOAT32, new Shape(BATCH, IN));
            assertThat(level.getParameters().keys()).noneMatch(k -> k.contains("Residual"));
            NDArray experts = m.create(new float[] {1, 0, 0, 2}, new Shape(1, 2, 2));
            NDArray gates = m.create(new float[] {0.75f, 0.25f, 0.5f, 0.5f}, new Shape(2, 1, 2));
            NDList out = level.fuse(new ParameterStore(m, false), experts, gates, false, null);
            assertThat(out.get(0).toFloatArray())
                    .containsExactly(new float[] {1.75f, 0.5f, 0.5f, 3f}, Offset.offset(1e-6f));
        }
    }

    @Test
    void adattUpperLevelReadsEachUnitsOwnInputAndAddsItsLearnedResidual() {
        try (NDManager m = NDManager.newBaseManager(Engine.getEngine("PyTorch").getEngineName())) {
            AdattBlock.Level level = new AdattBlock.Level(2, spec("adatt", PER_TASK, SHARED, 3), IN, true);
            level.initialize(m, DataType.FLOAT32, new Shape(BATCH, IN));
            randomize(level, m);
            NDArray taskInputs = m.randomNormal(new Shape(TASKS, BATCH, IN));
            NDArray shared = m.randomNormal(new Shape(BATCH, IN));
            NDList out = level.apply(new ParameterStore(m, false), taskInputs, shared, false, null);

            int experts = TASKS * PER_TASK + SHARED;
            NDArray[] h = new NDArray[experts];
            for (int e = 0; e < experts; e++) {
                h[e] = expert(level, e, e < TASKS * PER_TASK ? taskInputs.get(e / PER_TASK) : shared);
            }
            float[] taskResidual = param(level, "taskResidual").toFloatArray();
            float[] sharedResidual = param(level, "sharedResidual").toFloatArray();
            for (int u = 0; u <= TASKS; u++) {
                NDArray selector = u < TASKS ? taskInputs.get(u) : shared;
                NDArray g = selector.matMul(param(level, "gates_weight").get(u))
                        .add(param(level, "gates_bias").get(u))
                        .softmax(-1);
                NDArray expected = mixture(m, h, g);
                if (u < TASKS) {
                    for (int j = 0; j < PER_TASK; j++) {
                        expected = expected.add(h[u * PER_TASK + j].mul(taskResidual[u * PER_TASK + j]));
                    }
                    assertClose(out.get(0).get(u), expected);
                } else {
                    for (int j = 0; j < SHARED; j++) {
                        expected = expected.add(h[TASKS * PER_TASK + j].mul(sharedResidual[j]));
                    }
                    assertClose(out.get(1), expected);
                }
            }
        }
    }

    private static NDArray mixture(NDManager m, NDArray[] h, NDArray gate) {
        NDArray sum = m.zeros(h[0].getShape());
        for (int e = 0; e < h.length; e++) {
            sum = sum.add(h[e].mul(gate.get(":, {}:{}", e, e + 1)));
        }
        return sum;
    }

    private static NDArray param(Block block, String name) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().endsWith(name)) {
                return p.getValue().getArray();
            }
        }
        throw new AssertionError(
                "no parameter " + name + " in " + block.getParameters().keys());
    }

    private static void assertClose(NDArray actual, NDArray expected) {
        assertThat(actual.getShape()).isEqualTo(expected.getShape());
        assertThat(actual.toFloatArray()).containsExactly(expected.toFloatArray(), Offset.offset(1e-5f));
    }
}
