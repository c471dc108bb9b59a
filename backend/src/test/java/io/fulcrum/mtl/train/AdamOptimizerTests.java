package io.fulcrum.mtl.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamOptimizerTests {

    private static final List<String> NAMES = List.of("weight", "bias");
    private static final Shape[] SHAPES = {new Shape(3, 4), new Shape(4)};

    private static Map<String, NDArray> named(List<NDArray> arrays) {
        Map<String, NDArray> map = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.size(); i++) {
            map.put(NAMES.get(i), arrays.get(i));
        }
        return map;
    }

    private static List<NDArray> arrays(NDManager m, float[][] values) {
        List<NDArray> list = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            list.add(m.create(values[i], SHAPES[i]));
        }
        return list;
    }

    private static float[][] draw(Random r) {
        float[][] values = new float[SHAPES.length][];
        for (int i = 0; i < SHAPES.length; i++) {
            values[i] = gaussian(r, SHAPES[i].size());
        }
        return values;
    }

    @Test
    void matchesDjlAdamWithWeightDecayStepForStep() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Random r = new Random(7);
            float[][] start = draw(r);
            List<NDArray> djlWeights = arrays(m, start);
            List<NDArray> ourWeights = arrays(m, start);
            Optimizer djl = djlAdam();
            AdamOptimizer ours = new AdamOptimizer(0.01f, 0.001f);
            for (int step = 0; step < 6; step++) {
                float[][] gradients = draw(r);
                List<NDArray> djlGradients = arrays(m, gradients);
                for (int i = 0; i < NAMES.size(); i++) {
                    djl.update(NAMES.get(i), djlWeights.get(i), djlGradients.get(i));
                }
                ours.update(named(ourWeights), arrays(m, gradients));
                for (int i = 0; i < NAMES.size(); i++) {
                    // the same fused engine kernel with the same scalars: equal to the last bit
                    assertThat(ourWeights.get(i).toFloatArray())
                            .containsExactly(djlWeights.get(i).toFloatArray());
                }
            }
            assertThat(ourWeights.get(0).toFloatArray()).doesNotContain(start[0]); // it did move
        }
    }

    /** DJL's Adam with the settings every comparison gives ours: learning rate 0.01, weight decay 0.001. */
    private static Optimizer djlAdam() {
        return Optimizer.adam()
                .optLearningRateTracker(Tracker.fixed(0.01f))
                .optWeightDecays(0.001f)
                .build();
    }

    /**
     * The flat update against DJL's per-weight one, on sizes where the engine's kernels take their
     * vectorised, scalar-tail and multi-threaded paths, for weights that take gradients as a model's do.
     */
    @Test
    void oneFlatUpdateEqualsAnUpdatePerWeightOnEverySize() {
        long[] sizes = {1, 7, 33 * 65, 1025, 70_001};
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Random r = new Random(11);
            Map<String, NDArray> ours = new LinkedHashMap<>();
            List<NDArray> theirs = new ArrayList<>();
            for (int i = 0; i < sizes.length; i++) {
                float[] start = gaussian(r, sizes[i]);
                NDArray w = m.create(start);
                w.setRequiresGradient(true);
                ours.put("w" + i, w);
                theirs.add(m.create(start));
            }
            Optimizer djl = djlAdam();
            AdamOptimizer flat = new AdamOptimizer(0.01f, 0.001f);
            for (int step = 0; step < 4; step++) {
                List<NDArray> gradients = new ArrayList<>();
                for (int i = 0; i < sizes.length; i++) {
                    float[] g = gaussian(r, sizes[i]);
                    gradients.add(m.create(g));
                    djl.update("w" + i, theirs.get(i), m.create(g));
                }
                flat.update(ours, gradients);
                int i = 0;
                for (NDArray w : ours.values()) {
                    assertThat(w.toFloatArray()).containsExactly(theirs.get(i++).toFloatArray());
                }
            }
        }
    }

    /**
     * Grad mode is per thread in PyTorch and on in a thread the engine was not loaded on, as in a
     * worker's: writing the results back into weights that take gradients must still work there.
     */
    @Test
    void updatesWeightsThatTakeGradientsOnAThreadWithGradModeOn() throws Exception {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray w = m.create(new float[] {1f, -2f, 3f, 4f}, new Shape(2, 2));
            w.setRequiresGradient(true);
            NDArray expected = m.create(new float[] {1f, -2f, 3f, 4f}, new Shape(2, 2));
            Optimizer.adam()
                    .optLearningRateTracker(Tracker.fixed(0.1f))
                    .build()
                    .update("w", expected, m.create(new float[] {0.5f, 0.5f, -1f, 2f}, new Shape(2, 2)));
            java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Thread worker = new Thread(() -> {
                try {
                    new AdamOptimizer(0.1f, 0f)
                            .update(
                                    Map.of("w", w),
                                    List.of(m.create(new float[] {0.5f, 0.5f, -1f, 2f}, new Shape(2, 2))));
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            worker.start();
            worker.join();
            assertThat(failure.get()).isNull();
            assertThat(w.toFloatArray()).containsExactly(expected.toFloatArray());
        }
    }

    private static float[] gaussian(Random r, long size) {
        float[] values = new float[(int) size];
        for (int j = 0; j < values.length; j++) {
            values[j] = (float) r.nextGaussian();
        }
        return values;
    }

    @Test
    void resumesFromItsSavedStateExactly() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Random r = new Random(3);
            float[][] start = draw(r);
            List<float[][]> gradients = List.of(draw(r), draw(r), draw(r), draw(r), draw(r));
            List<NDArray> straight = arrays(m, start);
            AdamOptimizer uninterrupted = new AdamOptimizer(0.05f, 0f);
            for (float[][] g : gradients) {
                uninterrupted.update(named(straight), arrays(m, g));
            }

            List<NDArray> resumed = arrays(m, start);
            TrainingState.OptimizerState saved;
            try (AdamOptimizer first = new AdamOptimizer(0.05f, 0f)) {
                for (float[][] g : gradients.subList(0, 3)) {
                    first.update(named(resumed), arrays(m, g));
                }
                saved = first.state();
            }
            assertThat(saved.updates()).isEqualTo(3);
            assertThat(saved.means()).containsOnlyKeys(NAMES);
            AdamOptimizer second = new AdamOptimizer(0.05f, 0f);
            second.restore(saved, named(resumed));
            for (float[][] g : gradients.subList(3, 5)) {
                second.update(named(resumed), arrays(m, g));
            }
            for (int i = 0; i < NAMES.size(); i++) {
                assertThat(resumed.get(i).toFloatArray())
                        .containsExactly(straight.get(i).toFloatArray());
            }
        }
    }

    @Test
    void zeroesTheGradientsItApplied() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray w = m.create(new float[] {1f, -2f, 3f});
            w.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                collector.backward(w.square().sum());
            }
            NDArray g = w.getGradient();
            assertThat(g.toFloatArray()).containsExactly(2f, -4f, 6f);
            new AdamOptimizer(0.1f, 0f).update(Map.of("w", w), List.of(g));
            // the trainer relies on this: gradients accumulate in the engine until zeroed
            assertThat(w.getGradient().toFloatArray()).containsExactly(0f, 0f, 0f);
        }
    }
}
