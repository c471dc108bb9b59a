package io.fulcrum.mtl.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.TestModels;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.data.PreprocessingState;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ArchitectureTests {

    static List<String> architectures() {
        return Architecture.names();
    }

    private static NDList inputs(MtlModel model, NDManager m, MtlDataset d) {
        return model.inputs(m, d.dense(), d.categorical(), d.size());
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void producesOneOutputPerTaskForTwoAndFourTasks(String architecture) {
        for (int k : new int[] {2, 4}) {
            MtlDataset data = TestModels.data(16, k, 1);
            try (MtlModel model = TestModels.model(architecture, k, 7);
                    NDManager batch = model.manager().newSubManager();
                    NDManager scope = model.openScope(batch, List.of())) {
                MtlForward out = model.forward(inputs(model, batch, data), false);
                assertThat(out.outputs()).hasSize(k);
                for (NDArray o : out.outputs()) {
                    assertThat(o.getShape().getShape()).containsExactly(16);
                }
                assertThat(model.block()
                                .getOutputShapes(
                                        new ai.djl.ndarray.types.Shape[] {new ai.djl.ndarray.types.Shape(16, 6)}))
                        .hasSize(k);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void gatesSumToOne(String architecture) {
        MtlDataset data = TestModels.data(16, 3, 1);
        try (MtlModel model = TestModels.model(architecture, 3, 7);
                NDManager batch = model.manager().newSubManager();
                NDManager scope = model.openScope(batch, List.of())) {
            MtlForward out = model.forward(inputs(model, batch, data), false);
            boolean gated =
                    List.of("mmoe", "ml-mmoe", "cgc", "ple", "stem", "adatt").contains(architecture);
            assertThat(out.gates().readings().isEmpty()).isEqualTo(!gated);
            for (GateTrace.GateReading r : out.gates().readings()) {
                assertThat(r.weights().getShape().getShape())
                        .containsExactly(16, r.experts().size());
                float[] sums = r.weights().sum(new int[] {1}).toFloatArray();
                for (float s : sums) {
                    assertThat(s).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void gradientReachesEveryParameter(String architecture) {
        MtlDataset data = TestModels.data(64, 2, 3);
        try (MtlModel model = TestModels.model(architecture, 2, 11);
                NDManager batch = model.manager().newSubManager()) {
            try (NDManager scope = model.openScope(batch, List.of());
                    GradientCollector gc = Engine.getEngine(MtlModel.ENGINE).newGradientCollector()) {
                NDList out = model.forward(inputs(model, batch, data), true).outputs();
                gc.backward(out.get(0).square().sum().add(out.get(1).square().sum()));
            }
            for (Pair<String, Parameter> p : model.namedParameters()) {
                if (!p.getValue().requiresGradient()) {
                    continue; // running statistics of expert normalisation
                }
                NDArray g = p.getValue().getArray().getGradient();
                g.attach(batch);
                assertThat(g.abs().sum().getFloat())
                        .as("gradient of %s", p.getKey())
                        .isGreaterThan(0f);
            }
        }
    }

    @Test
    void pleWithOneLevelIsCgc() {
        MtlDataset data = TestModels.data(32, 3, 5);
        ModelSpec cgcSpec = TestModels.spec("cgc", 3);
        ModelSpec pleSpec = new ModelSpec(
                "ple",
                cgcSpec.inputs(),
                cgcSpec.tasks(),
                cgcSpec.experts(),
                cgcSpec.bottomUnits(),
                cgcSpec.towerUnits(),
                1,
                cgcSpec.gateBias(),
                cgcSpec.activation(),
                cgcSpec.dropout(),
                2);
        try (MtlModel cgc = MtlModel.create(cgcSpec, PreprocessingState.identity(cgcSpec.inputs()), 1);
                MtlModel ple = MtlModel.create(pleSpec, PreprocessingState.identity(pleSpec.inputs()), 2)) {
            List<Parameter> from = cgc.parameters();
            List<Parameter> to = ple.parameters();
            assertThat(to).hasSameSizeAs(from);
            for (int i = 0; i < from.size(); i++) {
                assertThat(to.get(i).getArray().getShape())
                        .isEqualTo(from.get(i).getArray().getShape());
                to.get(i).getArray().set(from.get(i).getArray().toFloatArray());
            }
            float[][] a = cgc.predictEncoded(data, 32).values();
            float[][] b = ple.predictEncoded(data, 32).values();
            for (int k = 0; k < 3; k++) {
                assertThat(b[k]).containsExactly(a[k], org.assertj.core.data.Offset.offset(1e-6f));
            }
        }
    }

    @Test
    void pleHandlesThreeLevelsWithSharedGatesBelowTheLast() {
        ModelSpec base = TestModels.spec("ple", 2);
        ModelSpec spec = new ModelSpec(
                "ple",
                base.inputs(),
                base.tasks(),
                base.experts(),
                base.bottomUnits(),
                base.towerUnits(),
                3,
                false,
                "relu",
                0.0,
                2);
        MtlDataset data = TestModels.data(8, 2, 1);
        try (MtlModel model = MtlModel.create(spec, PreprocessingState.identity(spec.inputs()), 3);
                NDManager batch = model.manager().newSubManager();
                NDManager scope = model.openScope(batch, List.of())) {
            List<String> gates = model.forward(inputs(model, batch, data), false).gates().readings().stream()
                    .map(GateTrace.GateReading::gate)
                    .toList();
            assertThat(gates)
                    .containsExactly(
                            "level1/shared",
                            "level1/task:t0",
                            "level1/task:t1",
                            "level2/shared",
                            "level2/task:t0",
                            "level2/task:t1",
                            "level3/task:t0",
                            "level3/task:t1");
        }
    }
}
