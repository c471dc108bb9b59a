package io.fulcrum.mtl.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.fulcrum.mtl.Evaluator;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.data.PreprocessingState;
import io.fulcrum.mtl.loss.MaskedJointLoss;
import io.fulcrum.mtl.metric.TaskMetrics;
import io.fulcrum.mtl.train.MtlTrainer;
import io.fulcrum.mtl.train.TrainingConfig;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** ESMM and AITM against the methods brief's worked examples (§1, §2), and both trained on a click → purchase funnel. */
class FunnelArchitectureTests {

    private static final Offset<Float> CLOSE = Offset.offset(1e-4f);

    private static ModelSpec funnelSpec(String architecture, List<Integer> towers) {
        return new ModelSpec(
                architecture,
                new ModelSpec.Inputs(List.of("a", "b", "c"), List.of()),
                List.of(
                        new ModelSpec.TaskSpec("ctr", TaskType.BINARY),
                        new ModelSpec.TaskSpec("cvr", TaskType.BINARY, "ctr")),
                null,
                List.of(8),
                towers,
                null,
                null,
                null,
                null,
                null);
    }

    private static float logit(double p) {
        return (float) Math.log(p / (1 - p));
    }

    @Test
    void esmmLossesAreTheBriefsCtrAndCtcvrCrossEntropies() {
        ModelSpec spec = funnelSpec("esmm", List.of(4));
        EsmmBlock block = new EsmmBlock(spec);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // pCTR 0.2, pCVR 0.1 on three impressions: clicked and bought, clicked only, not clicked
            NDList outputs = new NDList(
                    m.create(new float[] {logit(0.2), logit(0.2), logit(0.2)}),
                    m.create(new float[] {logit(0.1), logit(0.1), logit(0.1)}));
            // the not-clicked impression's purchase label is out of its space: NaN must not matter
            NDArray labels = m.create(new float[] {1, 1, 1, 0, 0, Float.NaN}, new Shape(3, 2));
            NDArray mask = m.create(new float[] {1, 1, 1, 1, 1, 0}, new Shape(3, 2));
            LossInputs in = block.lossInputs(outputs, labels, mask);
            float[] ctcvr = in.outputs().get(1).toFloatArray();
            for (float z : ctcvr) {
                assertThat(1 / (1 + Math.exp(-z))).isCloseTo(0.02, Offset.offset(1e-6));
            }
            MaskedJointLoss loss = new MaskedJointLoss(spec.taskTypes());
            for (int row = 0; row < 3; row++) {
                NDList one = new NDList(
                        in.outputs().get(0).get(row).reshape(1),
                        in.outputs().get(1).get(row).reshape(1));
                float[] l = loss.taskLosses(
                                one,
                                in.labels().get(row).reshape(1, 2),
                                in.mask().get(row).reshape(1, 2))
                        .toFloatArray();
                float[][] expected = {{1.6094f, 3.9120f}, {1.6094f, 0.0202f}, {0.2231f, 0.0202f}};
                assertThat(l[0]).as("row %d ctr", row).isCloseTo(expected[row][0], CLOSE);
                assertThat(l[1]).as("row %d ctcvr", row).isCloseTo(expected[row][1], CLOSE);
            }
            assertThat(in.penalty()).isNull();
        }
    }

    @Test
    void productLogitStaysExactAtBothEnds() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] a = {-40, -3, 0, 2, 40, 40};
            float[] b = {-40, 1, 0, -5, -40, 40};
            float[] z = Funnel.productLogit(m.create(a), m.create(b)).toFloatArray();
            // p = σ(40)² rounds to 1 even in double; the exact logit is 40 − ln 2 (to e^−40)
            assertThat((double) z[5]).isCloseTo(40 - Math.log(2), Offset.offset(1e-4));
            for (int i = 0; i < a.length - 1; i++) {
                double p = sigmoid(a[i]) * sigmoid(b[i]);
                // log p − log(1 − p), in forms that keep their digits where p is near 0 or 1
                double expected = Math.log(p) - Math.log1p(-p);
                assertThat((double) z[i]).as("a=%s b=%s", a[i], b[i]).isCloseTo(expected, Offset.offset(1e-3));
                assertThat(Float.isFinite(z[i])).isTrue();
            }
        }
    }

    @Test
    void aitmAttentionAndCalibratorMatchTheBriefsExample() {
        ModelSpec spec = funnelSpec("aitm", List.of(2));
        try (MtlModel model = MtlModel.create(spec, PreprocessingState.identity(spec.inputs()), 1);
                NDManager m = model.manager().newSubManager()) {
            for (Pair<String, Parameter> p : model.namedParameters()) {
                if (p.getKey().matches(".*(query|key|value)_cvr.*")) {
                    p.getValue().getArray().set(new float[] {1, 0, 0, 1});
                }
            }
            AitmBlock block = (AitmBlock) model.block();
            NDArray z = block.transfer(
                    new ParameterStore(m, false),
                    1,
                    m.create(new float[] {2, 0}, new Shape(1, 2)),
                    m.create(new float[] {0, 1}, new Shape(1, 2)),
                    false);
            assertThat(z.toFloatArray()).containsExactly(new float[] {1.7859f, 0.1070f}, CLOSE);

            NDList outputs = new NDList(m.create(new float[] {logit(0.3)}), m.create(new float[] {logit(0.4)}));
            LossInputs in = block.lossInputs(
                    outputs,
                    m.create(new float[] {1, 0}, new Shape(1, 2)),
                    m.create(new float[] {1, 1}, new Shape(1, 2)));
            assertThat(in.penalty().getFloat()).isCloseTo(0.6f * 0.1f, CLOSE);
            // the purchase step is learned per impression: label click AND purchase, the click step's space
            assertThat(in.labels().toFloatArray()).containsExactly(1f, 0f);
            assertThat(in.mask().toFloatArray()).containsExactly(1f, 1f);
        }
    }

    @Test
    void funnelArchitecturesRefuseTasksThatFormNoFunnel() {
        ModelSpec plain = funnelSpec("esmm", List.of(4))
                .withTasks(List.of(
                        new ModelSpec.TaskSpec("ctr", TaskType.BINARY),
                        new ModelSpec.TaskSpec("cvr", TaskType.BINARY)));
        assertThat(plain.validate()).anyMatch(v -> v.startsWith("tasks: esmm needs a funnel"));
        ModelSpec reversed = funnelSpec("aitm", List.of(4))
                .withTasks(List.of(
                        new ModelSpec.TaskSpec("cvr", TaskType.BINARY, "ctr"),
                        new ModelSpec.TaskSpec("ctr", TaskType.BINARY)));
        assertThat(reversed.validate())
                .anyMatch(v -> v.startsWith("tasks[1].after: aitm needs the tasks in funnel order"));
        ModelSpec regression = funnelSpec("esmm", List.of(4))
                .withTasks(List.of(
                        new ModelSpec.TaskSpec("ctr", TaskType.BINARY),
                        new ModelSpec.TaskSpec("watch", TaskType.REGRESSION, "ctr")));
        assertThat(regression.validate()).anyMatch(v -> v.contains("must both be BINARY"));
        ModelSpec unknown = funnelSpec("ple", List.of(4))
                .withTasks(List.of(
                        new ModelSpec.TaskSpec("ctr", TaskType.BINARY),
                        new ModelSpec.TaskSpec("cvr", TaskType.BINARY, "click")));
        assertThat(unknown.validate())
                .containsExactly("tasks[1].after: must name another task of the spec, got 'click'");
        assertThat(funnelSpec("ple", List.of(4)).validate()).isEmpty();
    }

    /** A funnel where purchase depends on features only among clicks: 30% click, 20% of clicks buy. */
    static MtlDataset funnel(int rows, long seed) {
        Random r = new Random(seed);
        float[] dense = new float[rows * 3];
        float[] labels = new float[rows * 2];
        float[] mask = new float[rows * 2];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < 3; j++) {
                dense[i * 3 + j] = (float) r.nextGaussian();
            }
            boolean click = r.nextDouble() < sigmoid(-0.9 + 1.5 * dense[i * 3]);
            boolean buy = click && r.nextDouble() < sigmoid(-1.5 + 1.5 * dense[i * 3 + 1]);
            labels[i * 2] = click ? 1 : 0;
            mask[i * 2] = 1;
            labels[i * 2 + 1] = click ? (buy ? 1 : 0) : Float.NaN;
            mask[i * 2 + 1] = click ? 1 : 0;
        }
        return new MtlDataset(rows, 3, dense, 0, new long[0], 2, labels, mask);
    }

    @Test
    void esmmAndAitmLearnTheFunnelAndReportItsJointAuc() {
        MtlDataset train = funnel(3000, 1);
        MtlDataset test = funnel(1500, 2);
        for (String architecture : List.of("esmm", "aitm", "ple")) {
            ModelSpec spec = funnelSpec(architecture, List.of(8));
            try (MtlModel model = MtlModel.create(spec, PreprocessingState.identity(spec.inputs()), 3)) {
                new MtlTrainer(
                                TrainingConfig.defaults()
                                        .withEpochs(8)
                                        .withLearningRate(0.01)
                                        .withBatchSize(128)
                                        .withSeed(3),
                                null,
                                null)
                        .fit(model, train, null);
                Evaluator.Evaluation e = Evaluator.evaluate(model, test, 512, false);
                TaskMetrics joint = e.joint().get("cvr");
                assertThat(e.joint()).as(architecture).containsOnlyKeys("cvr");
                // joint: every impression, the label click AND purchase
                assertThat(joint.samples()).isEqualTo(1500);
                assertThat(e.tasks().get("cvr").samples()).isLessThan(1500);
                // far above chance (the generating model's own joint AUC is about 0.83)
                assertThat(joint.auc()).as(architecture).isGreaterThan(0.75);
                assertThat(e.tasks().get("ctr").auc()).as(architecture).isGreaterThan(0.75);
                assertThat(e.tasks().get("cvr").auc()).as(architecture).isGreaterThan(0.65);
                // the joint score written out: pCTR·pCVR, or AITM's own impression-level output
                float[][] p = model.predictEncoded(test, 512).values();
                double[] score = new double[1500];
                double[] label = new double[1500];
                boolean[] all = new boolean[1500];
                for (int i = 0; i < 1500; i++) {
                    score[i] = architecture.equals("aitm") ? p[1][i] : (double) p[0][i] * p[1][i];
                    label[i] = test.inSpace(i, 1) ? test.label(i, 1) : 0;
                    all[i] = true;
                }
                assertThat(joint.auc())
                        .isCloseTo(
                                TaskMetrics.of("cvr", TaskType.BINARY, score, label, all)
                                        .auc(),
                                Offset.offset(1e-9));
            }
        }
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
