package io.fulcrum.mtl.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.fulcrum.mtl.Checkpoint;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.TestModels;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.data.PreprocessingState;
import io.fulcrum.mtl.train.MtlTrainer;
import io.fulcrum.mtl.train.TrainingConfig;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HoME's expert normalisation and Swish (methods brief §5): the brief's example, serving statistics, layouts, models. */
class ExpertNormTests {

    private static ExpertBank bank(NDManager m, int experts, List<Integer> units, long in) {
        ExpertBank bank = new ExpertBank(experts, in, units, "relu", 0.0, true);
        bank.initialize(m, DataType.FLOAT32, new Shape(4, in));
        return bank;
    }

    private static NDArray param(ExpertBank bank, String name) {
        for (Pair<String, Parameter> p : bank.getParameters()) {
            if (p.getKey().endsWith(name)) {
                return p.getValue().getArray();
            }
        }
        throw new AssertionError(
                "no parameter " + name + " in " + bank.getParameters().keys());
    }

    @Test
    void oneUnitMatchesTheBriefsExampleAndUpdatesItsServingStatistics() {
        try (NDManager m = NDManager.newBaseManager(Engine.getEngine("PyTorch").getEngineName())) {
            ExpertBank bank = bank(m, 1, List.of(1), 1);
            param(bank, "weight0").set(new float[] {1});
            ParameterStore ps = new ParameterStore(m, false);
            NDArray z = m.create(new float[] {0, 2, 4, 6}, new Shape(4, 1));
            float[] out = bank.apply(ps, z, true).toFloatArray();
            assertThat(out).containsExactly(new float[] {-0.2780f, -0.1744f, 0.2728f, 1.0636f}, Offset.offset(1e-4f));
            // running averages: momentum 0.1 from (0, 1), mean 3 and unbiased variance 20/3
            assertThat(param(bank, "normMean0").getFloat()).isCloseTo(0.3f, Offset.offset(1e-6f));
            assertThat(param(bank, "normVariance0").getFloat()).isCloseTo(0.9f + 0.1f * 20 / 3, Offset.offset(1e-5f));
            // serving reads them, and leaves them as they are
            float served = bank.apply(ps, m.create(new float[] {3}, new Shape(1, 1)), false)
                    .getFloat();
            double normal = (3 - 0.3) / Math.sqrt(0.9 + 2.0 / 3 + 1e-5);
            assertThat((double) served).isCloseTo(normal / (1 + Math.exp(-normal)), Offset.offset(1e-5));
            assertThat(param(bank, "normMean0").getFloat()).isCloseTo(0.3f, Offset.offset(1e-6f));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void sideBySideAndStackedLayoutsNormaliseAlike(boolean training) {
        try (NDManager m = NDManager.newBaseManager(Engine.getEngine("PyTorch").getEngineName())) {
            ExpertBank sideBySide = bank(m, 3, List.of(5, 4), 6);
            ExpertBank stacked = bank(m, 3, List.of(5, 4), 6);
            for (Pair<String, Parameter> p : sideBySide.getParameters()) {
                float[] values = m.randomUniform(
                                0.5f, 1.5f, p.getValue().getArray().getShape())
                        .toFloatArray();
                p.getValue().getArray().set(values);
                param(stacked, p.getKey().substring(p.getKey().indexOf('_') + 1))
                        .set(values);
            }
            NDArray x = m.randomNormal(new Shape(8, 6));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray a = sideBySide.applySideBySide(ps, x, training); // (B, E, out)
            NDArray b = stacked.apply(ps, x, training).transpose(1, 0, 2);
            assertThat(a.toFloatArray()).containsExactly(b.toFloatArray(), Offset.offset(1e-5f));
            assertThat(param(sideBySide, "normMean1").toFloatArray())
                    .containsExactly(param(stacked, "normMean1").toFloatArray(), Offset.offset(1e-6f));
        }
    }

    private static ModelSpec normalized(String architecture) {
        ModelSpec base = TestModels.spec(architecture, 2);
        return new ModelSpec(
                architecture,
                base.inputs(),
                base.tasks(),
                base.experts(),
                base.bottomUnits(),
                base.towerUnits(),
                base.levels(),
                base.gateBias(),
                base.activation(),
                base.dropout(),
                base.sluiceSubspaces(),
                true,
                null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mmoe", "cgc", "ple"})
    void normalisedModelsTrainAndServeTheSameAfterACheckpoint(String architecture, @TempDir Path dir) {
        ModelSpec spec = normalized(architecture);
        MtlDataset data = TestModels.data(256, 2, 7);
        try (MtlModel model = MtlModel.create(spec, PreprocessingState.identity(spec.inputs()), 3)) {
            long withStatistics = model.parameters().stream()
                    .mapToLong(p -> p.getArray().size())
                    .sum();
            // running statistics are state, not counted and not trained
            assertThat(model.parameterCount()).isLessThan(withStatistics);
            assertThat(model.parameterCount()).isEqualTo(ParameterMatching.count(spec));
            new MtlTrainer(TrainingConfig.defaults().withEpochs(2).withBatchSize(64), null, null)
                    .fit(model, data, null);
            float[][] before = model.predictEncoded(data, 256).values();
            Checkpoint.save(model, dir, 2);
            try (MtlModel loaded = Checkpoint.load(dir)) {
                float[][] after = loaded.predictEncoded(data, 256).values();
                for (int k = 0; k < 2; k++) {
                    assertThat(after[k]).containsExactly(before[k], Offset.offset(1e-6f));
                }
            }
        }
    }

    @Test
    void onlyExpertModelsWithABankTakeIt() {
        assertThat(normalized("ple").validate()).isEmpty();
        assertThat(normalized("shared-bottom").validate())
                .containsExactly("expertNorm: only mmoe, cgc and ple normalise their experts, not shared-bottom");
    }
}
