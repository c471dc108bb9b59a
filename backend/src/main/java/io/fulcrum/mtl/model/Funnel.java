package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/** Column helpers for the funnel architectures' loss inputs: moving a step's labels into an earlier step's space. */
final class Funnel {

    private Funnel() {}

    /** The (B, K) array as K columns (B, 1). */
    static NDList columns(NDArray a, int tasks) {
        return a.split(tasks, 1);
    }

    static NDArray join(NDList columns) {
        return NDArrays.concat(columns, 1);
    }

    /**
     * A step's label over the space of the step it follows: 1 only where both happened (click and
     * purchase), 0 where the earlier step did not. Out of its own space a label may be NaN; it becomes 0.
     */
    static NDArray jointLabel(NDArray label, NDArray mask) {
        return NDArrays.where(mask.gt(0.5f), label, label.zerosLike());
    }

    /**
     * The logit of σ(a)·σ(b), exactly: logit(p) = log p − log(1 − p), and with p = σ(a)σ(b) that is
     * −log(e^−a + e^−b + e^−a−b), which a log-sum-exp computes without overflow at either end.
     */
    static NDArray productLogit(NDArray a, NDArray b) {
        NDArray stacked = NDArrays.stack(new NDList(a.neg(), b.neg(), a.add(b).neg()), 1);
        NDArray top = stacked.max(new int[] {1}, true);
        return stacked.sub(top)
                .exp()
                .sum(new int[] {1})
                .log()
                .add(top.squeeze(1))
                .neg();
    }
}
