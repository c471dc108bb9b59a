package io.fulcrum.mtl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.data.PreprocessingState;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.train.MtlTrainer;
import io.fulcrum.mtl.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InferenceTests {

    /** The plain forward pass, re-laying out the weights itself: what a session must reproduce. */
    private static float[][] plainForward(MtlModel model, MtlDataset data) {
        try (NDManager batch = model.manager().newSubManager();
                NDManager scope = model.openScope(batch, List.of())) {
            return outputs(model.forward(inputs(model, batch, data), false).outputs());
        }
    }

    private static float[][] sessionForward(MtlModel.Inference inference, MtlModel model, MtlDataset data) {
        try (NDManager batch = model.manager().newSubManager();
                NDManager scope = model.openScope(batch, List.of())) {
            return outputs(inference.forward(inputs(model, batch, data)).outputs());
        }
    }

    private static NDList inputs(MtlModel model, NDManager batch, MtlDataset data) {
        return model.inputs(batch, data.dense(), data.categorical(), data.size());
    }

    private static float[][] outputs(NDList out) {
        List<float[]> values = new ArrayList<>();
        for (NDArray a : out) {
            values.add(a.toFloatArray());
        }
        return values.toArray(float[][]::new);
    }

    private static MtlModel model(String architecture, boolean deepExperts) {
        ModelSpec spec = TestModels.spec(architecture, 3);
        if (deepExperts) {
            spec = spec.withExperts(new ModelSpec.Experts(2, 2, List.of(8, 6)));
        }
        return MtlModel.create(spec, PreprocessingState.identity(spec.inputs()), 5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mmoe", "cgc", "ple", "adatt", "stem", "ple+deep", "cgc+deep"})
    void aSessionReLaysTheExpertsOnceAndPredictsWhatThePlainPassDoes(String name) {
        boolean deep = name.endsWith("+deep");
        MtlDataset first = TestModels.data(40, 3, 1);
        MtlDataset second = TestModels.data(25, 3, 2);
        try (MtlModel model = model(name.replace("+deep", ""), deep);
                MtlModel.Inference inference = model.inference()) {
            float[][] a = sessionForward(inference, model, first);
            int relaid = inference.store().relaidCount();
            // every one of these architectures has a level whose experts run side by side
            assertThat(relaid).isPositive();
            float[][] b = sessionForward(inference, model, second);
            assertThat(inference.store().relaidCount()).isEqualTo(relaid);
            float[][] plainA = plainForward(model, first);
            float[][] plainB = plainForward(model, second);
            for (int k = 0; k < 3; k++) {
                assertThat(a[k]).containsExactly(plainA[k], offset(1e-6f));
                assertThat(b[k]).containsExactly(plainB[k], offset(1e-6f));
            }
        }
    }

    @Test
    void aSessionOpenedAfterTrainingSeesTheNewWeights() {
        MtlDataset data = TestModels.data(64, 3, 3);
        try (MtlModel model = model("ple", false)) {
            float[] before = model.predictEncoded(data, 16).values()[0];
            new MtlTrainer(
                            TrainingConfig.defaults()
                                    .withBatchSize(16)
                                    .withEpochs(1)
                                    .withPatience(0),
                            p -> {},
                            null)
                    .fit(model, data, null);
            float[] after = model.predictEncoded(data, 16).values()[0];
            assertThat(after).isNotEqualTo(before);
            float[][] plain = plainForward(model, data);
            assertThat(after).containsExactly(sigmoid(plain[0]), offset(1e-6f));
        }
    }

    @Test
    void aFrozenModelKeepsOneStoreAndIsNeverTrained() {
        MtlDataset data = TestModels.data(30, 3, 4);
        try (MtlModel model = model("mmoe", false)) {
            model.freeze();
            try (MtlModel.Inference one = model.inference()) {
                sessionForward(one, model, data);
            }
            try (MtlModel.Inference two = model.inference()) {
                // the first session's re-laid weights are still there, and still open
                assertThat(two.store().relaidCount()).isPositive();
                assertThat(sessionForward(two, model, data)[0])
                        .containsExactly(plainForward(model, data)[0], offset(1e-6f));
            }
            assertThatThrownBy(() -> new MtlTrainer(TrainingConfig.defaults(), p -> {}, null).fit(model, data, null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("frozen");
        }
    }

    private static float[] sigmoid(float[] logits) {
        float[] p = new float[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (1.0 / (1.0 + Math.exp(-logits[i])));
        }
        return p;
    }
}
